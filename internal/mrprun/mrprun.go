// Package mrprun is `ctoplan mrp run --data DIR` in one process: load a
// data directory as the MRP service does, plan it, and write the planned
// orders with their pegging as the service's listing prints them, straight
// from the plan (no protobuf messages, no per-order allocation beyond the
// order ID).
//
// # Caveats
//
// Only csv and table output; json goes through the service.
package mrprun

import (
	"bufio"
	"context"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/ctoplan/ctoplan/bom"
	"github.com/ctoplan/ctoplan/mrp"
)

// Header is the listing's header row.
var Header = []string{"id", "item", "kind", "qty", "release_date", "due_date", "pegged_to"}

// PlanDir loads a data directory as the service does (master data and
// models into a bom store, then the plant files) and plans it on o.Start,
// in o's time zone and shift.
func PlanDir(ctx context.Context, dir string, o mrp.LoadOptions) (*mrp.Planner, *mrp.Input, error) {
	db := bom.NewMemoryDB()
	defer db.Close()
	s, err := bom.Open(ctx, db)
	if err != nil {
		return nil, nil, err
	}
	if err := s.ImportDir(ctx, dir, ""); err != nil {
		return nil, nil, err
	}
	pl, err := mrp.ReadPlantAs(dir, dir)
	if err != nil {
		return nil, nil, err
	}
	in, _, err := mrp.FromBOM(ctx, s, pl, o)
	if err != nil {
		return nil, nil, err
	}
	p, err := mrp.New(in, mrp.DefaultOptions())
	return p, in, err
}

// WriteOrders writes the plan's orders (not phantoms) as mrp run lists
// them, in csv or table format.
func WriteOrders(w io.Writer, p *mrp.Planner, format string, peg bool) error {
	var out io.Writer
	var tw *tabwriter.Writer
	sep, quote := byte(','), true
	bw := bufio.NewWriterSize(w, 1<<16)
	out = bw
	if format == "table" {
		tw = tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)
		out, sep, quote = tw, '\t', false
	}
	r := &orderRows{p: p, sep: sep, quote: quote}
	r.buf = append(r.buf, strings.Join(Header, string(sep))...)
	r.buf = append(r.buf, '\n')
	err := p.EachOrder(false, peg, func(o *mrp.OrderLine) error {
		r.add(o)
		if len(r.buf) < 1<<15 {
			return nil
		}
		_, err := out.Write(r.buf)
		r.buf = r.buf[:0]
		return err
	})
	if err != nil {
		return err
	}
	if _, err := out.Write(r.buf); err != nil {
		return err
	}
	if tw != nil {
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// orderRows renders order lines: the cells of the service listing, as encoding/csv
// (quote set) or the table listing would print them.
type orderRows struct {
	p     *mrp.Planner
	sep   byte
	quote bool
	buf   []byte
	cell  []byte
	dates map[int]string
}

func (r *orderRows) add(o *mrp.OrderLine) {
	r.field(o.ID)
	r.buf = append(r.buf, r.sep)
	r.field(o.Item)
	r.buf = append(r.buf, r.sep)
	r.buf = append(r.buf, o.Kind.String()...)
	r.buf = append(r.buf, r.sep)
	r.buf = appendNum(r.buf, float64(o.Qty))
	r.buf = append(r.buf, r.sep)
	r.buf = append(r.buf, r.date(o.ReleaseDay)...)
	r.buf = append(r.buf, r.sep)
	r.buf = append(r.buf, r.date(o.DueDay)...)
	r.buf = append(r.buf, r.sep)
	r.cell = r.cell[:0]
	for k, s := range o.Pegged {
		if k > 0 {
			r.cell = append(r.cell, ';')
		}
		r.cell = append(r.cell, s.Demand...)
		r.cell = append(r.cell, ':')
		r.cell = appendNum(r.cell, s.Qty)
	}
	r.field(string(r.cell))
	r.buf = append(r.buf, '\n')
}

// date formats a day of the plan (cached: a plan has a few hundred).
func (r *orderRows) date(day int) string {
	if s, ok := r.dates[day]; ok {
		return s
	}
	if r.dates == nil {
		r.dates = map[int]string{}
	}
	s := r.p.Date(day).Format(time.DateOnly)
	r.dates[day] = s
	return s
}

// field appends a cell, quoted as encoding/csv quotes it when r.quote.
func (r *orderRows) field(s string) {
	if !r.quote || !needsQuotes(s) {
		r.buf = append(r.buf, s...)
		return
	}
	r.buf = append(r.buf, '"')
	for k := 0; k < len(s); k++ {
		if s[k] == '"' {
			r.buf = append(r.buf, '"')
		}
		r.buf = append(r.buf, s[k])
	}
	r.buf = append(r.buf, '"')
}

// needsQuotes is encoding/csv's rule for a comma-separated field.
func needsQuotes(s string) bool {
	if s == "" {
		return false
	}
	if s == `\.` {
		return true
	}
	for k := 0; k < len(s); k++ {
		switch s[k] {
		case '"', '\r', '\n', ',':
			return true
		}
	}
	if s[0] < utf8.RuneSelf {
		return s[0] == ' ' || s[0] == '\t' || s[0] == '\v' || s[0] == '\f'
	}
	c, _ := utf8.DecodeRuneInString(s)
	return unicode.IsSpace(c)
}

// appendNum appends a quantity without float noise (at most 6 decimals),
// as the listing prints it: strconv.FormatFloat(math.Round(f*1e6)/1e6,
// 'f', -1, 64), with whole numbers (nearly every quantity) printed as
// integers, which is the same text at a fraction of the cost.
func appendNum(b []byte, f float64) []byte {
	r := math.Round(f*1e6) / 1e6
	if r == math.Trunc(r) && math.Abs(r) < 1<<53 && (r != 0 || !math.Signbit(r)) {
		return strconv.AppendInt(b, int64(r), 10)
	}
	return strconv.AppendFloat(b, r, 'f', -1, 64)
}
