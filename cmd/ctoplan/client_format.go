package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

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

// writeTable writes a header and rows as aligned columns, buffered: a
// tabwriter writes each cell on its own, one system call per cell on an
// unbuffered stdout (a supply tree of 900,000 nodes took 7 s, 1.4 s as
// CSV).
func writeTable(w io.Writer, header []string, rows [][]string) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	tw := tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(header, "\t"))
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return bw.Flush()
}

// fmtNum prints a quantity without float noise (at most 6 decimals).
func fmtNum(f float64) string { return wire.Num(f) }

// amount prints a wire amount with two decimals.
func amount(m *rpcv1.Money) string { return wire.Amount(m) }
