package mrprun

import (
	"bytes"
	"io"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/ctoplan/ctoplan/mrp"
)

// The table format is what text/tabwriter (minimum width 0, padding 2,
// padded with spaces, no flags) makes of the tab-separated rows: every
// cell but a line's last one padded to its column's width, the widest
// cell of the column in runes plus 2. A tabwriter holds all it is given
// until it is flushed, since a column's width depends on every line:
// the whole listing, 3.4 GB for the 6.4 million orders of a 50k light
// plant (19.6 s), where CSV holds 380 MB (4 s). writeTable takes the
// widths in a first pass over the rendered rows, which it drops, and
// pads the rows of the second pass as it writes them: the same bytes,
// in the memory of the CSV listing. Cells with a byte a tabwriter reads
// as a control ('\v', '\f', its escape 0xff) go through a tabwriter.

// tableCols is the number of cells of a row that are padded (all but
// the last, pegged_rest).
const tableCols = 8

// tableWidths returns the column widths of the table of the rows that
// rows renders (tab-separated), the header's included, padding added;
// ok is false when a cell holds a byte that a tabwriter reads as a
// control.
func tableWidths(p *mrp.Planner, rows func() *orderRows, peg bool) (w [tableCols]int, ok bool, err error) {
	var mu sync.Mutex
	ok = true
	merge := func(lw *[tableCols]int, lok bool) {
		mu.Lock()
		defer mu.Unlock()
		for j := range w {
			w[j] = max(w[j], lw[j])
		}
		ok = ok && lok
	}
	var head [tableCols]int
	hok := scanCells([]byte(strings.Join(Header, "\t")+"\n"), &head)
	merge(&head, hok)
	err = WritePieces(io.Discard, p.Stats().Items, PieceItems(p, pieceRows), func() func(from, to int, buf []byte) ([]byte, error) {
		r := rows()
		return func(from, to int, buf []byte) ([]byte, error) {
			buf, err := r.render(from, to, peg, buf)
			var lw [tableCols]int
			lok := scanCells(buf, &lw)
			merge(&lw, lok)
			return buf, err
		}
	})
	for j := range w {
		w[j] += 2
	}
	return w, ok, err
}

// scanCells raises w to the widths in runes of the padded cells of the
// tab-separated lines b, and reports whether no cell holds a byte a
// tabwriter reads as a control.
func scanCells(b []byte, w *[tableCols]int) bool {
	col, start, high := 0, 0, false
	for i, c := range b {
		switch {
		case c == '\t' || c == '\n':
			if col < tableCols {
				n := i - start
				if high {
					n = utf8.RuneCount(b[start:i])
				}
				w[col] = max(w[col], n)
			}
			col++
			if c == '\n' {
				col = 0
			}
			start, high = i+1, false
		case c == '\v' || c == '\f' || c == 0xff:
			return false
		case c >= utf8.RuneSelf:
			high = true
		}
	}
	return true
}

// padCells appends the tab-separated lines src to dst as a table of
// column widths w: each line's first tableCols cells padded with spaces.
func padCells(dst, src []byte, w *[tableCols]int) []byte {
	for len(src) > 0 {
		nl := bytes.IndexByte(src, '\n')
		line := src[:nl]
		src = src[nl+1:]
		for j := range tableCols {
			t := bytes.IndexByte(line, '\t')
			cell := line[:t]
			line = line[t+1:]
			dst = append(dst, cell...)
			n := len(cell)
			for _, c := range cell {
				if c >= utf8.RuneSelf {
					n = utf8.RuneCount(cell)
					break
				}
			}
			for pad := w[j] - n; pad > 0; pad -= len(spaces) {
				dst = append(dst, spaces[:min(pad, len(spaces))]...)
			}
		}
		dst = append(dst, line...)
		dst = append(dst, '\n')
	}
	return dst
}

var spaces = []byte(strings.Repeat(" ", 64))

// writeTable writes the header and the rows that rows renders as a table
// of column widths w, rows padded on all cores and written in item order.
func writeTable(out io.Writer, p *mrp.Planner, rows func() *orderRows, peg bool, w *[tableCols]int) error {
	if _, err := out.Write(padCells(nil, []byte(strings.Join(Header, "\t")+"\n"), w)); err != nil {
		return err
	}
	return WritePieces(out, p.Stats().Items, PieceItems(p, pieceRows), func() func(from, to int, buf []byte) ([]byte, error) {
		r := rows()
		var scratch []byte
		return func(from, to int, buf []byte) ([]byte, error) {
			var err error
			scratch, err = r.render(from, to, peg, scratch[:0])
			return padCells(buf, scratch, w), err
		}
	})
}
