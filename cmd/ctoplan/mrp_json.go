package main

import (
	"bufio"
	"bytes"
	"io"
	"math"
	"strconv"
	"time"

	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
	"github.com/ctoplan/ctoplan/internal/convert"
	"github.com/ctoplan/ctoplan/internal/mrprun"
	"github.com/ctoplan/ctoplan/mrp"
)

// jsonPieceRows is about how many orders one piece of a JSON listing
// holds (see mrprun.PieceItems): 1,024 objects of 200-600 bytes.
const jsonPieceRows = 1024

// writeOrdersJSON writes every planned order of p (not phantom orders),
// with its pegging when peg is set, as `mrp run --format json` lists the
// service's records, byte for byte: pieces of the listing made on all
// cores and written in order as they are made, so that a plan of millions
// of orders is not held as messages, rows and one output buffer first (a
// 10,000-item plant's 2.4 M orders: 64 s and 11 GB that way).
func writeOrdersJSON(w io.Writer, p *mrp.Planner, peg bool) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	bw.WriteString("[")
	// every order is written ",\n  {...}": the first one's comma is
	// dropped on the way out
	fw := &firstComma{w: bw}
	err := mrprun.WritePieces(fw, p.Stats().Items, mrprun.PieceItems(p, jsonPieceRows), func() func(from, to int, buf []byte) ([]byte, error) {
		var dates dateTexts
		var days dayTimes
		var id []byte
		return func(from, to int, b []byte) ([]byte, error) {
			// the orders as the listing's lines, with their pegging (read
			// from the plan's pegging as the csv listing reads it): each
			// built and pegged by position was 40% of the listing
			err := p.EachOrderOf(from, to, false, peg, func(l *mrp.OrderLine) error {
				id = l.AppendID(id[:0])
				o := mrp.PlannedOrder{ID: string(id), Item: l.Item, Kind: l.Kind, Qty: l.Qty,
					ReleaseDay: l.ReleaseDay, DueDay: l.DueDay, Release: days.of(p, l.ReleaseDay), Due: days.of(p, l.DueDay),
					Operations: p.LineOperations(l), Firm: l.Firm}
				b = append(b, ",\n  "...)
				b = appendOrderJSON(b, &o, l.Pegged, l.PeggedRest, &dates)
				return nil
			})
			return b, err
		}
	})
	if err != nil {
		return err
	}
	if fw.any {
		bw.WriteByte('\n')
	}
	bw.WriteString("]\n")
	return bw.Flush()
}

// firstComma writes to w what it is given, less the first byte of all
// (a comma).
type firstComma struct {
	w   io.Writer
	any bool
}

func (f *firstComma) Write(b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	n := len(b)
	if !f.any {
		f.any, b = true, b[1:]
	}
	if _, err := f.w.Write(b); err != nil {
		return 0, err
	}
	return n, nil
}

// appendOrderJSON writes o with its pegging (sh, rest) as plainJSON
// writes the service's record of it (convert.OrderToProto, pegged_to and
// pegged_rest set), byte for byte, without building the message and
// walking it by reflection: that was 5 of the 6 CPU-seconds of listing a
// 10,000-item plant's 738,000 orders. TestOrderJSONAsMessage holds the
// two to the same bytes, and the fields to the messages' descriptors.
// dates, if not nil, keeps the dates' text between calls.
func appendOrderJSON(b []byte, o *mrp.PlannedOrder, sh []mrp.DemandShare, rest float64, dates *dateTexts) []byte {
	b = append(b, `{"id":`...)
	b = appendJSONString(b, o.ID)
	b = append(b, `,"item":`...)
	b = appendJSONString(b, o.Item)
	b = append(b, `,"kind":`...)
	b = appendJSONString(b, orderKindWord(o.Kind))
	b = append(b, `,"qty":`...)
	b = appendJSONDouble(b, float64(o.Qty))
	b = append(b, `,"release_date":`...)
	b = appendJSONString(b, dates.of(o.Release))
	b = append(b, `,"due_date":`...)
	b = appendJSONString(b, dates.of(o.Due))
	b = append(b, `,"past_due":`...)
	b = strconv.AppendBool(b, o.ReleaseDay < 0)
	b = append(b, `,"operations":[`...)
	for k, op := range o.Operations {
		if k > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"seq":`...)
		b = strconv.AppendInt(b, int64(int32(op.Seq)), 10)
		b = append(b, `,"work_center":`...)
		b = appendJSONString(b, op.WorkCenter)
		b = append(b, `,"hours":`...)
		b = appendJSONDouble(b, op.Hours)
		b = append(b, `,"start":"`...)
		b = op.Start.AppendFormat(b, time.RFC3339)
		b = append(b, `","end":"`...)
		b = op.End.AppendFormat(b, time.RFC3339)
		b = append(b, `"}`...)
	}
	b = append(b, `],"pegged_to":[`...)
	for k, s := range sh {
		if k > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"demand":`...)
		b = appendJSONString(b, s.Demand)
		b = append(b, `,"qty":`...)
		b = appendJSONDouble(b, s.Qty)
		b = append(b, '}')
	}
	b = append(b, `],"firm":`...)
	b = strconv.AppendBool(b, o.Firm)
	b = append(b, `,"pegged_rest":`...)
	b = appendJSONDouble(b, rest)
	return append(b, '}')
}

// appendDouble writes a double field's value as appendValue does.
func appendDouble(b *bytes.Buffer, f float64) { b.Write(appendJSONDouble(b.AvailableBuffer(), f)) }

// appendJSONDouble is appendDouble appending to b.
func appendJSONDouble(b []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(b, "null"...)
	}
	if f > -1e6 && f < 1e6 && f == float64(int64(f)) && (f != 0 || !math.Signbit(f)) {
		// a whole number: what 'g' writes for it below 1e6 (quantities
		// and most shares), a third of the time
		return strconv.AppendInt(b, int64(f), 10)
	}
	return strconv.AppendFloat(b, f, 'g', -1, 64)
}

// orderKindWords are the order kinds as plainJSON writes their wire
// values ("production", "purchase", "phantom").
var orderKindWords = func() map[mrp.OrderKind]string {
	ed := mrpv1.OrderKind(0).Descriptor()
	m := map[mrp.OrderKind]string{}
	for k, v := range convert.OrderKindToProto {
		m[k] = enumWord(ed, v.Number())
	}
	return m
}()

// orderKindWord is k as plainJSON writes its wire value (an unknown kind
// is the unspecified wire value, as convert.OrderToProto maps it).
func orderKindWord(k mrp.OrderKind) string {
	if w, ok := orderKindWords[k]; ok {
		return w
	}
	return enumWord(mrpv1.OrderKind(0).Descriptor(), 0)
}

// dateTexts keeps the text of the dates convert.Date wrote, one a day
// from 2048 days before the first on: a plan's orders fall on a few
// hundred days, and formatting each order's two dates was a tenth of a
// JSON listing. (A cache of the last 64 days missed nearly always: each
// item's orders go through the year.) A time is known by all it holds
// (==: the instant, its monotonic reading and its zone), so equal keys
// format alike; times of one day that differ take turns.
type dateTexts struct {
	base  int64 // the Unix day of keys[0]
	keys  []time.Time
	texts []string
}

func (d *dateTexts) of(t time.Time) string {
	if d == nil {
		return convert.Date(t)
	}
	day := unixDay(t)
	if d.keys == nil {
		d.base, d.keys, d.texts = day-2048, make([]time.Time, 4096), make([]string, 4096)
	}
	k := day - d.base
	if k < 0 || k >= int64(len(d.keys)) {
		return convert.Date(t)
	}
	if d.keys[k] != t || d.texts[k] == "" {
		d.keys[k], d.texts[k] = t, convert.Date(t)
	}
	return d.texts[k]
}

// unixDay is the day of t's instant counted from 1970-01-01 UTC.
func unixDay(t time.Time) int64 {
	s := t.Unix()
	d := s / 86400
	if s%86400 < 0 {
		d--
	}
	return d
}

// dayTimes keeps the plan's dates (Planner.Date) of the days asked for,
// from 2048 days before the first on.
type dayTimes struct {
	base int
	ts   []time.Time
	set  []bool
}

func (d *dayTimes) of(p *mrp.Planner, day int) time.Time {
	if d.ts == nil {
		d.base, d.ts, d.set = day-2048, make([]time.Time, 4096), make([]bool, 4096)
	}
	k := day - d.base
	if k < 0 || k >= len(d.ts) {
		return p.Date(day)
	}
	if !d.set[k] {
		d.ts[k], d.set[k] = p.Date(day), true
	}
	return d.ts[k]
}
