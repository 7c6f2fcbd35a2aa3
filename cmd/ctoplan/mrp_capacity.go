package main

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"connectrpc.com/connect"
	"github.com/spf13/cobra"

	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
	"github.com/ctoplan/ctoplan/mrp"
)

// localPlan holds the flags of the capacity, scheduling and progress
// commands: they plan a plant directory in this process (--data), or ask a
// running server (--server; the RPCs of server/capacity.go).
type localPlan struct {
	data, date, tz, shift, format string
	server, token                 string
}

// remote reports whether the command asks --server.
func (f *localPlan) remote() bool { return f.server != "" }

// runRemote calls fn with clients of --server.
func (f *localPlan) runRemote(cmd *cobra.Command, fn func(*clients) error) error {
	if f.data != "" || f.date != "" || f.tz != "" || f.shift != "" {
		return fmt.Errorf("--server asks the server's plan: --data, --date, --tz and --shift-start are for a plant directory planned in this process")
	}
	c := common{backend: backendFlags{server: f.server, token: f.token}, format: f.format}
	return c.run(cmd, fn)
}

func (f *localPlan) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.data, "data", "", "plant directory: master data, models, plant data, workcenters.csv, capacity_exceptions.csv and confirmations.csv (required)")
	cmd.Flags().StringVar(&f.date, "date", "", "planning date YYYY-MM-DD (default today)")
	cmd.Flags().StringVar(&f.tz, "tz", "", "the plant's time zone (IANA name; default UTC)")
	cmd.Flags().StringVar(&f.shift, "shift-start", "", "the time the plant's working day starts, HH:MM (default 08:00)")
	cmd.Flags().StringVar(&f.server, "server", "", "URL of a running ctoplan server (e.g. http://127.0.0.1:8080) instead of --data")
	cmd.Flags().StringVar(&f.token, "token", "", "bearer token for --server (default $CTOPLAN_TOKEN)")
	addFormatFlag(cmd, &f.format)
}

// plan loads and plans the directory and reads its capacity.
func (f *localPlan) plan(cmd *cobra.Command) (*mrp.Planner, *mrp.Capacity, error) {
	p, _, c, err := f.planSrc(cmd)
	return p, c, err
}

// planSrc is plan with the BOM source (to resolve new configurations)
// and the directory's confirmations.csv applied.
func (f *localPlan) planSrc(cmd *cobra.Command) (*mrp.Planner, *mrp.BOMSource, *mrp.Capacity, error) {
	if f.data == "" {
		return nil, nil, nil, fmt.Errorf("--data DIR or --server URL is required")
	}
	start := time.Now().UTC()
	if f.date != "" {
		t, err := time.Parse(time.DateOnly, f.date)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("--date: bad date %q (want YYYY-MM-DD)", f.date)
		}
		start = t
	}
	stop := progress(cmd.ErrOrStderr(), "loading and planning "+f.data)
	in, src, err := mrp.LoadDir(cmd.Context(), f.data, mrp.LoadOptions{Start: start, TimeZone: f.tz, ShiftStart: f.shift})
	var p *mrp.Planner
	if err == nil {
		p, err = mrp.New(in, mrp.DefaultOptions())
	}
	stop()
	if err != nil {
		return nil, nil, nil, err
	}
	pl, err := mrp.ReadPlantAs(f.data, f.data)
	if err != nil {
		return nil, nil, nil, err
	}
	c := pl.Capacity
	if c == nil {
		if c, err = mrp.NewCapacity(nil, nil); err != nil {
			return nil, nil, nil, err
		}
	}
	if len(pl.Confirmations) > 0 {
		if _, err := p.Confirm(pl.Confirmations...); err != nil {
			return nil, nil, nil, fmt.Errorf("%s: %w", filepath.Join(f.data, mrp.ConfirmationsFile), err)
		}
	}
	return p, src, c, nil
}

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
		if t.objs == nil {
			t.objs = []any{}
		}
		b, err := json.MarshalIndent(t.objs, "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(w, "%s\n", b)
		return err
	case "csv":
		return writeCSV(w, append([][]string{t.header}, t.rows...))
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(t.header, "\t"))
	for _, r := range t.rows {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	return tw.Flush()
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
			if f.remote() {
				return f.runRemote(cmd, func(cl *clients) error {
					res, err := cl.mrp.CapacityLoad(cmd.Context(), connect.NewRequest(&mrpv1.CapacityLoadRequest{WorkCenter: wc, From: from, To: to, Week: week, Overloads: overloads}))
					if err != nil {
						return err
					}
					if overloads {
						t := &table{header: []string{"work_center", "date", "load_hours", "available_hours", "orders"}}
						for _, o := range res.Msg.GetOverloads() {
							b := o.GetBucket()
							var os []string
							ols := []mrp.OrderLoad{}
							for _, x := range o.GetOrders() {
								os = append(os, x.GetOrder()+":"+fmtNum(x.GetHours()))
								ols = append(ols, mrp.OrderLoad{Order: x.GetOrder(), Item: x.GetItem(), Hours: x.GetHours()})
							}
							t.add(overloadJSON{b.GetWorkCenter(), b.GetDate(), round6(b.GetLoadHours()), round6(b.GetAvailableHours()), ols},
								b.GetWorkCenter(), b.GetDate(), fmtNum(b.GetLoadHours()), fmtNum(b.GetAvailableHours()), strings.Join(os, ";"))
						}
						return t.write(cmd.OutOrStdout(), f.format)
					}
					t := &table{header: []string{"work_center", "date", "load_hours", "available_hours"}}
					for _, x := range res.Msg.GetBuckets() {
						t.add(bucketJSON{x.GetWorkCenter(), x.GetDate(), round6(x.GetLoadHours()), round6(x.GetAvailableHours())},
							x.GetWorkCenter(), x.GetDate(), fmtNum(x.GetLoadHours()), fmtNum(x.GetAvailableHours()))
					}
					return t.write(cmd.OutOrStdout(), f.format)
				})
			}
			p, c, err := f.plan(cmd)
			if err != nil {
				return err
			}
			var a, b time.Time
			for _, x := range []struct {
				s    string
				t    *time.Time
				name string
			}{{from, &a, "--from"}, {to, &b, "--to"}} {
				if x.s == "" {
					continue
				}
				if *x.t, err = time.Parse(time.DateOnly, x.s); err != nil {
					return fmt.Errorf("%s: bad date %q (want YYYY-MM-DD)", x.name, x.s)
				}
			}
			l := p.CapacityLoad(c)
			if wc != "" && !containsString(l.WorkCenters(), wc) {
				return fmt.Errorf("--work-center: unknown work center %q (known: %s)", wc, strings.Join(l.WorkCenters(), ", "))
			}
			out := cmd.OutOrStdout()
			if overloads {
				t := &table{header: []string{"work_center", "date", "load_hours", "available_hours", "orders"}}
				for _, o := range l.Overloads() {
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
			bs := l.Days(wc, a, b)
			if week {
				bs = l.Weeks(wc, a, b)
			}
			t := &table{header: []string{"work_center", "date", "load_hours", "available_hours"}}
			for _, x := range bs {
				t.add(bucketJSON{x.WorkCenter, x.Date.Format(time.DateOnly), round6(x.Load), round6(x.Available)},
					x.WorkCenter, x.Date.Format(time.DateOnly), fmtNum(x.Load), fmtNum(x.Available))
			}
			return t.write(out, f.format)
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
			if f.remote() {
				return f.runRemote(cmd, func(cl *clients) error { return remoteSchedule(cmd, cl, sales, f.format) })
			}
			p, c, err := f.plan(cmd)
			if err != nil {
				return err
			}
			s, err := p.FiniteSchedule(c)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if sales {
				t := &table{header: []string{"sales_order", "due", "expected", "late_days", "limit", "reason"}}
				for _, d := range p.Input().Demands {
					if d.Forecast {
						continue
					}
					dl, err := s.Delivery(d.ID)
					if err != nil {
						return err
					}
					t.add(deliveryJSON{d.ID, dl.Due.Format(time.DateOnly), dl.Expected.Format(time.DateOnly), dl.LateDays, dl.Limit, dl.Reason},
						d.ID, dl.Due.Format(time.DateOnly), dl.Expected.Format(time.DateOnly), strconv.Itoa(dl.LateDays), dl.Limit, dl.Reason)
				}
				return t.write(out, f.format)
			}
			t := &table{header: []string{"order", "item", "qty", "priority", "due", "start", "finish", "late_days", "mode"}}
			for _, o := range s.Orders {
				mode := "backward"
				switch {
				case o.Unscheduled != "":
					mode = "unscheduled: " + o.Unscheduled
				case o.Forward:
					mode = "forward"
				}
				t.add(orderJSON{o.ID, o.Item, o.Qty, o.Priority, o.Due.Format(time.DateOnly), o.Start.Format(time.DateOnly), o.Finish.Format(time.DateOnly), o.LateDays, mode, o.Released},
					o.ID, o.Item, strconv.FormatInt(o.Qty, 10), strconv.Itoa(o.Priority), o.Due.Format(time.DateOnly),
					o.Start.Format(time.DateOnly), o.Finish.Format(time.DateOnly), strconv.Itoa(o.LateDays), mode)
			}
			return t.write(out, f.format)
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

// remoteSchedule is mrp schedule over --server (FiniteSchedule).
func remoteSchedule(cmd *cobra.Command, cl *clients, sales bool, format string) error {
	res, err := cl.mrp.FiniteSchedule(cmd.Context(), connect.NewRequest(&mrpv1.FiniteScheduleRequest{}))
	if err != nil {
		return err
	}
	if sales {
		t := &table{header: []string{"sales_order", "due", "expected", "late_days", "limit", "reason"}}
		for _, d := range res.Msg.GetDeliveries() {
			t.add(deliveryJSON{d.GetDemand(), d.GetDueDate(), d.GetExpectedDate(), int(d.GetLateDays()), d.GetLimit(), d.GetReason()},
				d.GetDemand(), d.GetDueDate(), d.GetExpectedDate(), strconv.Itoa(int(d.GetLateDays())), d.GetLimit(), d.GetReason())
		}
		return t.write(cmd.OutOrStdout(), format)
	}
	t := &table{header: []string{"order", "item", "qty", "priority", "due", "start", "finish", "late_days", "mode"}}
	for _, o := range res.Msg.GetOrders() {
		mode := "backward"
		switch {
		case o.GetUnscheduled() != "":
			mode = "unscheduled: " + o.GetUnscheduled()
		case o.GetForward():
			mode = "forward"
		}
		t.add(orderJSON{o.GetOrder(), o.GetItem(), o.GetQty(), int(o.GetPriority()), o.GetDueDate(), o.GetStartDate(), o.GetFinishDate(), int(o.GetLateDays()), mode, false},
			o.GetOrder(), o.GetItem(), strconv.FormatInt(o.GetQty(), 10), strconv.Itoa(int(o.GetPriority())), o.GetDueDate(),
			o.GetStartDate(), o.GetFinishDate(), strconv.Itoa(int(o.GetLateDays())), mode)
	}
	return t.write(cmd.OutOrStdout(), format)
}
