package main

import (
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
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, strings.Join(l.header, "\t"))
		for _, r := range l.rows {
			fmt.Fprintln(tw, strings.Join(r, "\t"))
		}
		return tw.Flush()
	}
}

// fmtNum prints a quantity without float noise (at most 6 decimals).
func fmtNum(f float64) string { return wire.Num(f) }

// amount prints a wire amount with two decimals.
func amount(m *rpcv1.Money) string { return wire.Amount(m) }
