package mrprun_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
	"text/tabwriter"
	"time"

	"github.com/ctoplan/ctoplan/internal/mrprun"
	"github.com/ctoplan/ctoplan/internal/plantgen"
	"github.com/ctoplan/ctoplan/mrp"
)

// countWriter counts the writes made to it.
type countWriter struct {
	bytes.Buffer
	writes int
}

func (w *countWriter) Write(b []byte) (int, error) {
	w.writes++
	return w.Buffer.Write(b)
}

// TestWriteOrdersTableBuffered: mrp run's default table comes out in a
// few writes (one per 64 KB), as many lines as the csv, not in
// one write per cell: on an unbuffered stdout each is a system call (the
// table of a 10,000-item plant took 1.9 s, 0.5 s buffered, as CSV 0.4 s).
func TestWriteOrdersTableBuffered(t *testing.T) {
	in, err := plantgen.Generate(plantgen.Light(500, 500))
	if err != nil {
		t.Fatal(err)
	}
	p, err := mrp.New(in, mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	var w countWriter
	if err := mrprun.WriteOrders(&w, p, "table", true, nil); err != nil {
		t.Fatal(err)
	}
	var csv bytes.Buffer
	if err := mrprun.WriteOrders(&csv, p, "csv", true, nil); err != nil {
		t.Fatal(err)
	}
	if lines, want := bytes.Count(w.Bytes(), []byte("\n")), bytes.Count(csv.Bytes(), []byte("\n")); lines != want || want < 1000 {
		t.Fatalf("%d lines in the table, %d in the csv", lines, want)
	}
	if most := w.Len()/(64<<10) + 1; w.writes > most {
		t.Errorf("%d writes for %d bytes, want at most %d", w.writes, w.Len(), most)
	}
}

// TestWriteOrdersPieces: the CSV listing, rendered in pieces of a few
// items on all cores and written in order, is the plan's orders in item
// order written one by one with encoding/csv and strconv (the columns as
// mrp run documents them). The plant has more orders than one piece
// holds, so the listing comes in several.
func TestWriteOrdersPieces(t *testing.T) {
	p := lightPlanner(t)
	items, orders := p.Size()
	per := mrprun.PieceItems(p, 4096)
	if pieces := (items + per - 1) / per; pieces < 3 || orders < 3*4096 {
		t.Fatalf("%d orders of %d items in %d pieces: want a listing of several pieces", orders, items, pieces)
	}
	var got bytes.Buffer
	if err := mrprun.WriteOrders(&got, p, "csv", true, nil); err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	w := csv.NewWriter(&want)
	for _, row := range orderCells(t, p, true) {
		if err := w.Write(row); err != nil {
			t.Fatal(err)
		}
	}
	w.Flush()
	sameLines(t, "csv", got.String(), want.String())
}

// TestPieceItems: a piece holds about the rows asked for on average, at
// least one item, at most 256.
func TestPieceItems(t *testing.T) {
	p := lightPlanner(t)
	items, orders := p.Size()
	for _, c := range []struct{ rows, want int }{
		{4096, 4096 * items / orders},
		{1, 1},
		{orders * 10, 256},
	} {
		if got := mrprun.PieceItems(p, c.rows); got != c.want {
			t.Errorf("%d rows a piece (%d items, %d orders): %d items, want %d", c.rows, items, orders, got, c.want)
		}
	}
}

// TestWriteOrdersTableAsTabwriter: the table listing, widths taken in a
// first pass and rows padded as they are written, is text/tabwriter's
// table (minimum width 0, padding 2, spaces) of the plan's tab-separated
// rows, header first, with and without pegging.
func TestWriteOrdersTableAsTabwriter(t *testing.T) {
	p := lightPlanner(t)
	for _, peg := range []bool{true, false} {
		var got bytes.Buffer
		if err := mrprun.WriteOrders(&got, p, "table", peg, nil); err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		tw := tabwriter.NewWriter(&want, 0, 0, 2, ' ', 0)
		for _, row := range orderCells(t, p, peg) {
			if _, err := tw.Write([]byte(strings.Join(row, "\t") + "\n")); err != nil {
				t.Fatal(err)
			}
		}
		if err := tw.Flush(); err != nil {
			t.Fatal(err)
		}
		sameLines(t, fmt.Sprint("table, pegging ", peg), got.String(), want.String())
	}
}

// orderCells is the listing's header and the cells of every order of p
// (not phantoms), one row each, as mrp run documents the columns:
// written from the orders with strconv and time, numbers rounded to 6
// decimals.
func orderCells(t *testing.T, p *mrp.Planner, peg bool) [][]string {
	t.Helper()
	num := func(f float64) string { return strconv.FormatFloat(math.Round(f*1e6)/1e6, 'f', -1, 64) }
	rows := [][]string{mrprun.Header}
	err := p.EachOrder(false, peg, func(o *mrp.OrderLine) error {
		var pegs []string
		for _, s := range o.Pegged {
			pegs = append(pegs, s.Demand+":"+num(s.Qty))
		}
		rest := ""
		if o.PeggedRest != 0 {
			rest = num(o.PeggedRest)
		}
		rows = append(rows, []string{string(o.AppendID(nil)), o.Item, o.Kind.String(), strconv.FormatInt(o.Qty, 10),
			p.Date(o.ReleaseDay).Format(time.DateOnly), p.Date(o.DueDay).Format(time.DateOnly),
			strconv.FormatBool(o.Firm), strings.Join(pegs, ";"), rest})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// lightPlanner plans a light 600-item plant of 1,500 sales-order lines.
func lightPlanner(t *testing.T) *mrp.Planner {
	t.Helper()
	in, err := plantgen.Generate(plantgen.Light(600, 1500))
	if err != nil {
		t.Fatal(err)
	}
	p, err := mrp.New(in, mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// sameLines fails t at the first line where got and want differ.
func sameLines(t *testing.T, what, got, want string) {
	t.Helper()
	if got == want {
		return
	}
	g, e := strings.Split(got, "\n"), strings.Split(want, "\n")
	for k := range min(len(g), len(e)) {
		if g[k] != e[k] {
			t.Fatalf("%s, line %d:\n%q\nwant\n%q", what, k+1, g[k], e[k])
		}
	}
	t.Fatalf("%s: %d lines, want %d", what, len(g), len(e))
}
