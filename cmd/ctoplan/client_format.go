package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
	"sync"
	"text/tabwriter"
	"unicode/utf8"

	"google.golang.org/protobuf/proto"

	"github.com/ctoplan/ctoplan/cmd/ctoplan/internal/wire"
	rpcv1 "github.com/ctoplan/ctoplan/gen/ctoplan/rpc/v1"
	"github.com/ctoplan/ctoplan/internal/mrprun"
)

// listing is what a listing command prints: rows for table and csv output,
// the messages themselves for json (plain JSON, see plainJSON: one object
// per line in an array).
type listing struct {
	header []string
	rows   [][]string
	msgs   []proto.Message
}

func (l *listing) add(m proto.Message, cells ...string) {
	l.rows = append(l.rows, cells)
	l.msgs = append(l.msgs, m)
}

// writeJSONArray writes the n objects obj gives as the CLI's JSON
// listings are: an array with one object per line.
func writeJSONArray(w io.Writer, n int, obj func(int) ([]byte, error)) error {
	var b bytes.Buffer
	b.WriteString("[")
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n  ")
		x, err := obj(i)
		if err != nil {
			return err
		}
		b.Write(x)
	}
	if n > 0 {
		b.WriteString("\n")
	}
	b.WriteString("]\n")
	_, err := w.Write(b.Bytes())
	return err
}

// write prints l to w in format.
func (l *listing) write(w io.Writer, format string) error {
	switch format {
	case "json":
		return writeJSONArray(w, len(l.msgs), func(i int) ([]byte, error) { return plainJSON(l.msgs[i]), nil })
	case "csv":
		return writeCSV(w, append([][]string{l.header}, l.rows...))
	default:
		return writeTable(w, l.header, l.rows)
	}
}

// writeTable writes a header and rows as aligned columns: what a
// text/tabwriter (minimum width 0, padding 2, spaces, no flags) makes of
// the tab-separated cells. See writeTableFunc.
func writeTable(w io.Writer, header []string, rows [][]string) error {
	return writeTableFunc(w, header, len(rows), func() func(int, []string) []string {
		return func(i int, _ []string) []string { return rows[i] }
	})
}

// tablePiece is how many rows a piece of a large table holds.
const tablePiece = 4096

// writeTableFunc writes the header and the n rows that the functions of
// newRow make (row i may be made into dst[:0]; each function is used on
// one goroutine) as writeTable does, each row made twice and not kept:
// the column widths from a first pass, the rows padded to them in a
// second, both in pieces on all cores for a large table. A tabwriter
// holds every line until its flush; the 2.2 million orders of a finite
// schedule took 4.6 s and most of a GB that way. Rows of a length other
// than the header's, or with a cell holding a byte that a tabwriter
// reads as a control ('\t', '\n', '\v', '\f', its escape 0xff), go
// through a tabwriter: its column blocks differ. Output is buffered: a
// tabwriter writes each cell on its own, one system call per cell on an
// unbuffered stdout.
func writeTableFunc(w io.Writer, header []string, n int, newRow func() func(i int, dst []string) []string) error {
	width := make([]int, len(header))
	ok := cellWidths(header, width)
	var mu sync.Mutex
	_ = mrprun.WritePieces(io.Discard, n, tablePiece, func() func(from, to int, buf []byte) ([]byte, error) {
		row := newRow()
		var cells []string
		return func(from, to int, buf []byte) ([]byte, error) {
			lw, lok := make([]int, len(header)), true
			for i := from; lok && i < to; i++ {
				cells = row(i, cells[:0])
				lok = len(cells) == len(header) && cellWidths(cells, lw)
			}
			mu.Lock()
			defer mu.Unlock()
			ok = ok && lok
			for j := range width {
				width[j] = max(width[j], lw[j])
			}
			return buf, nil
		}
	})
	bw := bufio.NewWriterSize(w, 64<<10)
	if !ok {
		tw := tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, strings.Join(header, "\t"))
		row := newRow()
		var cells []string
		for i := range n {
			cells = row(i, cells[:0])
			fmt.Fprintln(tw, strings.Join(cells, "\t"))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		return bw.Flush()
	}
	bw.Write(padRow(nil, header, width))
	err := mrprun.WritePieces(bw, n, tablePiece, func() func(from, to int, buf []byte) ([]byte, error) {
		row := newRow()
		var cells []string
		return func(from, to int, buf []byte) ([]byte, error) {
			for i := from; i < to; i++ {
				cells = row(i, cells[:0])
				buf = padRow(buf, cells, width)
			}
			return buf, nil
		}
	})
	if err != nil {
		return err
	}
	return bw.Flush()
}

// cellWidths raises width[j] to the width in runes of cells[j], for all
// but the last cell (a tabwriter does not pad a line's last cell), and
// reports whether no cell holds a byte a tabwriter reads as a control.
func cellWidths(cells []string, width []int) bool {
	for j, c := range cells {
		n, high := len(c), false
		for k := 0; k < len(c); k++ {
			switch b := c[k]; {
			case b == '\t' || b == '\n' || b == '\v' || b == '\f' || b == 0xff:
				return false
			case b >= utf8.RuneSelf:
				high = true
			}
		}
		if high {
			n = utf8.RuneCountInString(c)
		}
		if j < len(cells)-1 {
			width[j] = max(width[j], n)
		}
	}
	return true
}

const spaces = "                                                                "

// padRow appends cells to b, each but the last padded with spaces to its
// column's width plus 2, and a newline.
func padRow(b []byte, cells []string, width []int) []byte {
	for j, c := range cells {
		b = append(b, c...)
		if j == len(cells)-1 {
			break
		}
		for pad := width[j] + 2 - utf8.RuneCountInString(c); pad > 0; pad -= len(spaces) {
			b = append(b, spaces[:min(pad, len(spaces))]...)
		}
	}
	return append(b, '\n')
}

// fmtNum prints a quantity without float noise (at most 6 decimals).
func fmtNum(f float64) string { return wire.Num(f) }

// amount prints a wire amount with two decimals.
func amount(m *rpcv1.Money) string { return wire.Amount(m) }
