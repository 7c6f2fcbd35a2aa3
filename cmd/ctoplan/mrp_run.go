package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"
	"unicode/utf8"

	"connectrpc.com/connect"
	"github.com/spf13/cobra"

	"github.com/ctoplan/ctoplan/bom"
	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
	"github.com/ctoplan/ctoplan/mrp"
)

func newMRPRunCmd() *cobra.Command {
	var (
		c      common
		item   string
		demand string
		noPeg  bool
	)
	cmd := &cobra.Command{
		Use:   "run [--data DIR] [--date YYYY-MM-DD]",
		Short: "Plan (regenerative) and print the planned orders: id,item,kind,qty,release_date,due_date,pegged_to",
		Long: `Plan (regenerative) and print the planned orders: id, item, kind, qty,
release date, due date and the demands each order serves (pegged_to,
demand:qty;demand:qty). --no-pegging leaves pegged_to empty.

With --data DIR and neither --server nor --store, the plant is planned in
this process and the orders are written as they are listed (csv and table);
the other cases go through the MRP service.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if c.data != "" && c.backend.server == "" && c.backend.store == "" && item == "" && demand == "" &&
				(c.format == "csv" || c.format == "table") && hasPlantFile(c.data) {
				return runLocal(cmd, c.data, c.date, c.format, !noPeg)
			}
			return c.run(cmd, func(cl *clients) error {
				ctx := cmd.Context()
				if c.data == "" {
					// A stored plant: replan it.
					stop := progress(cmd.ErrOrStderr(), "planning")
					res, err := cl.mrp.Run(ctx, connect.NewRequest(&mrpv1.RunRequest{Date: c.date}))
					stop()
					if err != nil {
						return err
					}
					r := res.Msg
					fmt.Fprintf(cmd.ErrOrStderr(), "planned %d items on %s: %d orders, %d exceptions in %.1f ms\n",
						r.GetItems(), r.GetDate(), r.GetPlannedOrders(), r.GetExceptions(), r.GetElapsedMs())
				}
				os, err := listOrders(cmd.Context(), cl, &mrpv1.ListPlannedOrdersRequest{Item: item, Demand: demand, WithPegging: !noPeg})
				if err != nil {
					return err
				}
				l := &listing{header: orderHeader}
				addOrders(l, os)
				return l.write(cmd.OutOrStdout(), c.format)
			})
		},
	}
	c.registerPlan(cmd, true)
	fl := cmd.Flags()
	fl.StringVar(&item, "item", "", "only this item's orders")
	fl.StringVar(&demand, "demand", "", "only the orders serving this demand (its supply tree)")
	fl.BoolVar(&noPeg, "no-pegging", false, "leave pegged_to empty (for planners who only want the orders)")
	return cmd
}

func listOrders(ctx context.Context, cl *clients, req *mrpv1.ListPlannedOrdersRequest) ([]*mrpv1.PlannedOrder, error) {
	s, err := cl.mrp.ListPlannedOrders(ctx, connect.NewRequest(req))
	if err != nil {
		return nil, err
	}
	defer s.Close()
	var out []*mrpv1.PlannedOrder
	for s.Receive() {
		out = append(out, s.Msg().GetOrders()...)
	}
	return out, s.Err()
}

// hasPlantFile says whether dir has one of the plant CSV files.
func hasPlantFile(dir string) bool {
	for _, f := range plantFiles {
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			return true
		}
	}
	return false
}

// runLocal is mrp run --data DIR planned in this process: the store the
// service would load the directory into is a throwaway in-memory one, and
// the orders go straight from the plan to the output instead of through
// protobuf messages (the same columns, cells and order as the service's
// listing; only the log lines on stderr differ).
func runLocal(cmd *cobra.Command, dir, date, format string, peg bool) error {
	ctx := cmd.Context()
	start := time.Now().UTC()
	if date != "" {
		t, err := time.Parse(time.DateOnly, date)
		if err != nil {
			return fmt.Errorf("--date: bad date %q (want YYYY-MM-DD)", date)
		}
		start = t
	}
	log := cmd.ErrOrStderr()
	stop := progress(log, "loading and planning "+dir)
	t0 := time.Now()
	p, in, err := planDir(ctx, dir, start)
	stop()
	if err != nil {
		return err
	}
	st := p.Stats()
	fmt.Fprintf(log, "plant data from %s: %d items, %d demands, %d receipts, %d stock records; planned on %s: %d orders in %.1f ms\n",
		dir, st.Items, len(in.Demands), len(in.Receipts), len(in.Stock), start.Format(time.DateOnly), st.Orders, ms(time.Since(t0)))
	return writeOrders(cmd.OutOrStdout(), p, format, peg)
}

// planDir loads a data directory as the service does (master data and
// models into a bom store, then the plant files) and plans it.
func planDir(ctx context.Context, dir string, start time.Time) (*mrp.Planner, *mrp.Input, error) {
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
	in, _, err := mrp.FromBOM(ctx, s, pl, mrp.LoadOptions{Start: start})
	if err != nil {
		return nil, nil, err
	}
	p, err := mrp.New(in, mrp.DefaultOptions())
	return p, in, err
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// writeOrders writes the plan's orders (not phantoms) as mrp run lists
// them, in csv or table format.
func writeOrders(w io.Writer, p *mrp.Planner, format string, peg bool) error {
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
	r.buf = append(r.buf, strings.Join(orderHeader, string(sep))...)
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

// orderRows renders order lines: the cells of addOrders, as encoding/csv
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
	if s == `\.` || strings.ContainsAny(s, "\"\r\n,") {
		return true
	}
	c, _ := utf8.DecodeRuneInString(s)
	return unicode.IsSpace(c)
}

// appendNum appends fmtNum(f).
func appendNum(b []byte, f float64) []byte {
	return strconv.AppendFloat(b, math.Round(f*1e6)/1e6, 'f', -1, 64)
}
