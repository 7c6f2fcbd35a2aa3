package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ctoplan/ctoplan/internal/mrprun"
	"github.com/ctoplan/ctoplan/mrp"
)

// table is a listing of plain rows: table, csv, or json objects keyed by
// the header.
type table struct {
	header []string
	rows   [][]string
	objs   []any
}

func (t *table) add(obj any, cells ...string) {
	t.rows = append(t.rows, cells)
	t.objs = append(t.objs, obj)
}

func (t *table) write(w io.Writer, format string) error {
	switch format {
	case "json":
		return writeJSONArray(w, len(t.objs), func(i int) ([]byte, error) { return json.Marshal(t.objs[i]) })
	case "csv":
		return writeCSV(w, append([][]string{t.header}, t.rows...))
	}
	return writeTable(w, t.header, t.rows)
}

func newMRPCapacityCmd() *cobra.Command {
	var (
		f         localPlan
		wc        string
		week      bool
		overloads bool
		from, to  string
	)
	cmd := &cobra.Command{
		Use:   "capacity --data DIR [--date D] [--work-center WC] [--week] [--overloads]",
		Short: "Capacity load per work center and day (or week) against the available hours; overloads with their orders",
		Long: `Adds up the hours of every planned, firm and released production order's
operations (scheduled backwards from the due date, infinite loading) per work
center and day, and sets them against the work centers' capacity:
workcenters.csv capacity_hours_per_day x units x efficiency_pct on working
days, capacity_exceptions.csv (work_center,date,hours[,reason]) per date.
Load before the planning date counts on the planning date.

  ctoplan mrp capacity --data testdata/forklift --date 2026-12-01 --work-center ASSY-FINAL --week
  ctoplan mrp capacity --data testdata/forklift --date 2026-12-01 --overloads`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var a, b time.Time
			for _, x := range []struct {
				s    string
				t    *time.Time
				name string
			}{{from, &a, "--from"}, {to, &b, "--to"}} {
				if x.s == "" {
					continue
				}
				var err error
				if *x.t, err = wireDay(x.name, x.s); err != nil {
					return err
				}
			}
			if overloads && week {
				// overloads are days; a week can hold an overloaded day and
				// still have hours to spare (or the reverse)
				return fmt.Errorf("--overloads lists overloaded days with their orders: give it without --week (the weekly load is --week alone)")
			}
			return f.with(cmd, func(pb planBackend) error {
				out := cmd.OutOrStdout()
				if overloads {
					os, err := pb.overloads(cmd.Context(), wc)
					if err != nil {
						return err
					}
					t := &table{header: []string{"work_center", "date", "load_hours", "available_hours", "orders"}}
					for _, o := range os {
						if (wc != "" && o.WorkCenter != wc) || (!a.IsZero() && o.Date.Before(a)) || (!b.IsZero() && o.Date.After(b)) {
							continue
						}
						var os []string
						for _, x := range o.Orders {
							os = append(os, x.Order+":"+fmtNum(x.Hours))
						}
						t.add(overloadJSON{o.WorkCenter, o.Date.Format(time.DateOnly), round6(o.Load), round6(o.Available), o.Orders},
							o.WorkCenter, o.Date.Format(time.DateOnly), fmtNum(o.Load), fmtNum(o.Available), strings.Join(os, ";"))
					}
					return t.write(out, f.format)
				}
				bs, err := pb.load(cmd.Context(), wc, a, b, week)
				if err != nil {
					return err
				}
				t := &table{header: []string{"work_center", "date", "load_hours", "available_hours"}}
				for _, x := range bs {
					t.add(bucketJSON{x.WorkCenter, x.Date.Format(time.DateOnly), round6(x.Load), round6(x.Available)},
						x.WorkCenter, x.Date.Format(time.DateOnly), fmtNum(x.Load), fmtNum(x.Available))
				}
				return t.write(out, f.format)
			})
		},
	}
	f.register(cmd)
	cmd.Flags().StringVar(&wc, "work-center", "", "only this work center")
	cmd.Flags().BoolVar(&week, "week", false, "weekly buckets (Monday to Sunday) instead of days")
	cmd.Flags().BoolVar(&overloads, "overloads", false, "only the overloaded days, with the orders that load them")
	cmd.Flags().StringVar(&from, "from", "", "first date listed (default the planning date)")
	cmd.Flags().StringVar(&to, "to", "", "last date listed (default the end of the horizon)")
	return cmd
}

type bucketJSON struct {
	WorkCenter string  `json:"work_center"`
	Date       string  `json:"date"`
	Load       float64 `json:"load_hours"`
	Available  float64 `json:"available_hours"`
}

type overloadJSON struct {
	WorkCenter string          `json:"work_center"`
	Date       string          `json:"date"`
	Load       float64         `json:"load_hours"`
	Available  float64         `json:"available_hours"`
	Orders     []mrp.OrderLoad `json:"orders"`
}

func round6(f float64) float64 { v, _ := strconv.ParseFloat(fmtNum(f), 64); return v }

func containsString(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func newMRPScheduleCmd() *cobra.Command {
	var (
		f     localPlan
		sales bool
	)
	cmd := &cobra.Command{
		Use:   "schedule --data DIR [--date D] [--sales-orders]",
		Short: "Finite-capacity schedule of the production orders, or the sales orders' finite delivery dates",
		Long: `Schedules every production order on its work centers' free capacity:
by priority (of the sales orders it serves), then due date; operations in
sequence; backwards from the due date, forwards from the earliest possible
day when that does not fit; component orders before their parents.
--sales-orders lists each sales-order line's finite-capacity delivery date.

  ctoplan mrp schedule --data testdata/forklift --date 2026-12-01 --sales-orders`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return f.with(cmd, func(pb planBackend) error {
				if sales {
					ds, err := pb.schedule(cmd.Context(), true, nil)
					if err != nil {
						return err
					}
					return writeDeliveries(cmd.OutOrStdout(), f.format, ds)
				}
				// written as the pages come
				fw := newFiniteWriter(cmd.OutOrStdout(), f.format)
				if _, err := pb.schedule(cmd.Context(), false, fw.page); err != nil {
					return err
				}
				return fw.end()
			})
		},
	}
	f.register(cmd)
	cmd.Flags().BoolVar(&sales, "sales-orders", false, "list the sales-order lines' finite-capacity delivery dates")
	return cmd
}

type deliveryJSON struct {
	SalesOrder string `json:"sales_order"`
	Due        string `json:"due"`
	Expected   string `json:"expected"`
	LateDays   int    `json:"late_days"`
	Limit      string `json:"limit,omitempty"`
	Reason     string `json:"reason,omitempty"`
}

type orderJSON struct {
	Order    string `json:"order"`
	Item     string `json:"item"`
	Qty      int64  `json:"qty"`
	Priority int    `json:"priority"`
	Due      string `json:"due"`
	Start    string `json:"start"`
	Finish   string `json:"finish"`
	LateDays int    `json:"late_days"`
	Mode     string `json:"mode"`
	Released bool   `json:"released,omitempty"`
}

// writeDeliveries prints the sales-order lines' finite delivery dates.
func writeDeliveries(w io.Writer, format string, ds []mrp.Delivery) error {
	t := &table{header: []string{"sales_order", "due", "expected", "late_days", "limit", "reason"}}
	for _, dl := range ds {
		t.add(deliveryJSON{dl.Demand, day(dl.Due), day(dl.Expected), dl.LateDays, dl.Limit, dl.Reason},
			dl.Demand, day(dl.Due), day(dl.Expected), strconv.Itoa(dl.LateDays), dl.Limit, dl.Reason)
	}
	return t.write(w, format)
}

// writeFiniteOrders prints a finite schedule's orders (see finiteWriter).
func writeFiniteOrders(w io.Writer, format string, os finiteOrders) error {
	fw := newFiniteWriter(w, format)
	if err := fw.page(os); err != nil {
		return err
	}
	return fw.end()
}

// finiteWriter prints a finite schedule's orders as they come, page by
// page (a server's schedule of a 50,000-item plant is 5.3 million orders
// in pages of 10,000): csv and json are written as each page comes, the
// same bytes as [table] writes of all orders; the table's columns are
// sized to the longest cell of all pages first, so a table keeps them.
type finiteWriter struct {
	w      io.Writer
	format string
	header bool           // the csv header written
	n      int            // orders written (json)
	dn     dayNames       // json
	pages  []finiteOrders // table
}

func newFiniteWriter(w io.Writer, format string) *finiteWriter {
	return &finiteWriter{w: w, format: format}
}

// csvHeader writes the csv header once, with the first page or at the
// end: nothing is printed before the first page came.
func (fw *finiteWriter) csvHeader() error {
	if fw.header {
		return nil
	}
	fw.header = true
	cw := csv.NewWriter(fw.w)
	if err := cw.Write(finiteHeader); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// page writes the orders os (kept until end for a table).
func (fw *finiteWriter) page(os finiteOrders) error {
	switch fw.format {
	case "csv":
		if err := fw.csvHeader(); err != nil {
			return err
		}
		// pieces of rows made on all cores, written in order
		return mrprun.WritePieces(fw.w, os.Len(), 4096, func() func(from, to int, buf []byte) ([]byte, error) {
			var dn dayNames
			var o mrp.FiniteOrder
			return func(from, to int, buf []byte) ([]byte, error) {
				for n := from; n < to; n++ {
					os.OrderAt(n, &o)
					buf = appendFiniteCSV(buf, &o, &dn)
				}
				return buf, nil
			}
		})
	case "json":
		return fw.jsonPage(os)
	}
	fw.pages = append(fw.pages, os)
	return nil
}

// end finishes the listing: the json array's end, or the whole table.
func (fw *finiteWriter) end() error {
	switch fw.format {
	case "csv":
		return fw.csvHeader()
	case "json":
		end := "\n]\n"
		if fw.n == 0 {
			end = "[]\n"
		}
		_, err := io.WriteString(fw.w, end)
		return err
	}
	all := fw.pages
	if len(all) != 1 {
		var os orderSlice
		for _, pg := range fw.pages {
			for n := range pg.Len() {
				var o mrp.FiniteOrder
				pg.OrderAt(n, &o)
				os = append(os, o)
			}
		}
		all = []finiteOrders{os}
	}
	os := all[0]
	return writeTableFunc(fw.w, finiteHeader, os.Len(), func() func(int, []string) []string {
		var dn dayNames
		var o mrp.FiniteOrder
		return func(n int, _ []string) []string {
			os.OrderAt(n, &o)
			return finiteCells(&o, &dn)
		}
	})
}

var finiteHeader = []string{"order", "item", "qty", "priority", "due", "start", "finish", "late_days", "mode"}

// finiteMode is how an order was placed: backward, forward, or
// unscheduled and why.
func finiteMode(o *mrp.FiniteOrder) string {
	switch {
	case o.Unscheduled != "":
		return "unscheduled: " + o.Unscheduled
	case o.Forward:
		return "forward"
	}
	return "backward"
}

// finiteCells is an order's row of finiteHeader.
func finiteCells(o *mrp.FiniteOrder, dn *dayNames) []string {
	return []string{o.ID, o.Item, strconv.FormatInt(o.Qty, 10), strconv.Itoa(o.Priority), dn.of(o.Due),
		dn.of(o.Start), dn.of(o.Finish), strconv.Itoa(o.LateDays), finiteMode(o)}
}

// appendFiniteCSV appends o's row of finiteHeader as encoding/csv
// writes finiteCells (a row of cells made per order was half of the
// garbage of a 5-million-order schedule's listing).
func appendFiniteCSV(b []byte, o *mrp.FiniteOrder, dn *dayNames) []byte {
	b = mrprun.AppendFieldString(b, o.ID)
	b = append(b, ',')
	b = mrprun.AppendFieldString(b, o.Item)
	b = append(b, ',')
	b = strconv.AppendInt(b, o.Qty, 10)
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(o.Priority), 10)
	for _, t := range [...]time.Time{o.Due, o.Start, o.Finish} {
		b = append(b, ',')
		b = append(b, dn.of(t)...)
	}
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(o.LateDays), 10)
	b = append(b, ',')
	switch {
	case o.Unscheduled != "":
		b = mrprun.AppendFieldString(b, finiteMode(o))
	case o.Forward:
		b = append(b, "forward"...)
	default:
		b = append(b, "backward"...)
	}
	return append(b, '\n')
}

// jsonPage writes orders os as table.write does their orderJSON objects
// (an array with one object per line), one at a time; end closes the
// array.
func (fw *finiteWriter) jsonPage(os finiteOrders) error {
	var b bytes.Buffer
	var o mrp.FiniteOrder
	dn := &fw.dn
	for n := range os.Len() {
		os.OrderAt(n, &o)
		if fw.n > 0 {
			b.WriteString(",\n  ")
		} else {
			b.WriteString("[\n  ")
		}
		fw.n++
		b.WriteString(`{"order":`)
		appendHTMLString(&b, o.ID)
		b.WriteString(`,"item":`)
		appendHTMLString(&b, o.Item)
		b.WriteString(`,"qty":`)
		b.WriteString(strconv.FormatInt(o.Qty, 10))
		b.WriteString(`,"priority":`)
		b.WriteString(strconv.Itoa(o.Priority))
		for _, f := range [...]struct {
			name string
			t    time.Time
		}{{"due", o.Due}, {"start", o.Start}, {"finish", o.Finish}} {
			b.WriteString(`,"` + f.name + `":`)
			appendHTMLString(&b, dn.of(f.t))
		}
		b.WriteString(`,"late_days":`)
		b.WriteString(strconv.Itoa(o.LateDays))
		b.WriteString(`,"mode":`)
		appendHTMLString(&b, finiteMode(&o))
		if o.Released {
			b.WriteString(`,"released":true`)
		}
		b.WriteString("}")
		if b.Len() >= 64<<10 {
			if _, err := fw.w.Write(b.Bytes()); err != nil {
				return err
			}
			b.Reset()
		}
	}
	_, err := fw.w.Write(b.Bytes())
	return err
}

// appendHTMLString writes s as a JSON string as encoding/json does by
// default, with <, > and & escaped (appendString leaves them).
func appendHTMLString(b *bytes.Buffer, s string) {
	if plainASCII(s) && !strings.ContainsAny(s, "<>&") {
		b.WriteByte('"')
		b.WriteString(s)
		b.WriteByte('"')
		return
	}
	q, _ := json.Marshal(s) // a string always encodes
	b.Write(q)
}

// dayNames formats dates as [day] does, each date once: a million orders
// have three dates each, on a few hundred days.
type dayNames struct {
	last  time.Time
	name  string
	names map[time.Time]string
}

func (d *dayNames) of(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	if t.Equal(d.last) && t.Location() == d.last.Location() {
		return d.name
	}
	s, ok := d.names[t]
	if !ok {
		if d.names == nil {
			d.names = map[time.Time]string{}
		}
		s = day(t)
		d.names[t] = s
	}
	d.last, d.name = t, s
	return s
}
