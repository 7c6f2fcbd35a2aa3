package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"google.golang.org/protobuf/proto"

	"github.com/ctoplan/ctoplan/cmd/ctoplan/internal/wire"
	rpcv1 "github.com/ctoplan/ctoplan/gen/ctoplan/rpc/v1"
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

// write prints l to w in format.
func (l *listing) write(w io.Writer, format string) error {
	switch format {
	case "json":
		var buf bytes.Buffer
		buf.WriteString("[")
		for i, m := range l.msgs {
			if i > 0 {
				buf.WriteString(",")
			}
			buf.WriteString("\n  ")
			buf.Write(plainJSON(m))
		}
		if len(l.msgs) > 0 {
			buf.WriteString("\n")
		}
		buf.WriteString("]\n")
		_, err := w.Write(buf.Bytes())
		return err
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
	return writeTableFunc(w, header, len(rows), func(i int, _ []string) []string { return rows[i] })
}

// writeTableFunc writes the header and the n rows that row makes (row i
// may be made into dst[:0]) as writeTable does, each row made twice and
// not kept: the column widths from a first pass, the rows padded to them
// in a second. A tabwriter holds every line until its flush; the 2.2
// million orders of a finite schedule took 4.6 s and most of a GB that
// way. Rows of a length other than the header's, or with a cell holding
// a byte that a tabwriter reads as a control ('\t', '\n', '\v', '\f',
// its escape 0xff), go through a tabwriter: its column blocks differ.
// Output is buffered: a tabwriter writes each cell on its own, one
// system call per cell on an unbuffered stdout.
func writeTableFunc(w io.Writer, header []string, n int, row func(i int, dst []string) []string) error {
	width := make([]int, len(header))
	ok := cellWidths(header, width)
	var cells []string
	for i := 0; ok && i < n; i++ {
		cells = row(i, cells[:0])
		ok = len(cells) == len(header) && cellWidths(cells, width)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	if !ok {
		tw := tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, strings.Join(header, "\t"))
		for i := range n {
			cells = row(i, cells[:0])
			fmt.Fprintln(tw, strings.Join(cells, "\t"))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		return bw.Flush()
	}
	padRow(bw, header, width)
	for i := range n {
		cells = row(i, cells[:0])
		padRow(bw, cells, width)
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

// padRow writes cells, each but the last padded with spaces to its
// column's width plus 2, and a newline.
func padRow(bw *bufio.Writer, cells []string, width []int) {
	for j, c := range cells {
		bw.WriteString(c)
		if j == len(cells)-1 {
			break
		}
		for pad := width[j] + 2 - utf8.RuneCountInString(c); pad > 0; pad -= len(spaces) {
			bw.WriteString(spaces[:min(pad, len(spaces))])
		}
	}
	bw.WriteByte('\n')
}

// fmtNum prints a quantity without float noise (at most 6 decimals).
func fmtNum(f float64) string { return wire.Num(f) }

// amount prints a wire amount with two decimals.
func amount(m *rpcv1.Money) string { return wire.Amount(m) }
