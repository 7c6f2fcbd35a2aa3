package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"connectrpc.com/connect"
	"github.com/spf13/cobra"

	"github.com/ctoplan/ctoplan/configurator"
	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
	"github.com/ctoplan/ctoplan/internal/convert"
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

func (f *localPlan) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.data, "data", "", "plant directory: master data, models, plant data, workcenters.csv, capacity_exceptions.csv and confirmations.csv (this or --server)")
	cmd.Flags().StringVar(&f.date, "date", "", "planning date YYYY-MM-DD (default today in the plant's time zone, --tz)")
	cmd.Flags().StringVar(&f.tz, "tz", "", "the plant's time zone (IANA name; default UTC)")
	cmd.Flags().StringVar(&f.shift, "shift-start", "", "the time the plant's working day starts, HH:MM (default 08:00)")
	cmd.Flags().StringVar(&f.server, "server", "", "URL of a running ctoplan server (e.g. http://127.0.0.1:8080) instead of --data")
	cmd.Flags().StringVar(&f.token, "token", "", "bearer token for --server (default $CTOPLAN_TOKEN)")
	addFormatFlag(cmd, &f.format)
}

// planBackend answers the capacity, scheduling, rush and progress
// commands in mrp's types: the library on a plant directory planned in
// this process, or a running server whose answers internal/convert maps
// back. Each command has one body over it and prints once.
type planBackend interface {
	// load is the capacity load of wc ("" for all) per day or week,
	// from and to bounding the dates (zero: unbounded).
	load(ctx context.Context, wc string, from, to time.Time, week bool) ([]mrp.LoadBucket, error)
	// overloads is the overloaded days with their orders (wc, when set,
	// must name a work center).
	overloads(ctx context.Context, wc string) ([]mrp.Overload, error)
	// schedule gives the finite schedule's orders to page, a page at a
	// time in order (none when deliveriesOnly; page may be nil then), and
	// returns the sales-order lines' delivery dates.
	schedule(ctx context.Context, deliveriesOnly bool, page func(finiteOrders) error) ([]mrp.Delivery, error)
	// whatIf answers a rush line (cfg "char=value;..." for a configurable
	// item); accept books it (a server only).
	whatIf(ctx context.Context, d mrp.Demand, cfg string, accept bool) (*mrp.RushAnswer, error)
	status(ctx context.Context, ids []string) ([]*mrp.OrderStatus, error)
}

// with opens the backend the flags name and runs fn on it.
func (f *localPlan) with(cmd *cobra.Command, fn func(planBackend) error) error {
	if f.remote() {
		if f.data != "" || f.date != "" || f.tz != "" || f.shift != "" {
			return fmt.Errorf("--server asks the server's plan: --data, --date, --tz and --shift-start are for a plant directory planned in this process")
		}
		c := common{backend: backendFlags{server: f.server, token: f.token}, format: f.format}
		return c.run(cmd, func(cl *clients) error { return fn(remotePlan{cl, cmd.ErrOrStderr()}) })
	}
	p, err := f.planDir(cmd)
	if err != nil {
		return err
	}
	return fn(p)
}

// planDir loads and plans the directory, reads its capacity and applies
// its confirmations.csv.
func (f *localPlan) planDir(cmd *cobra.Command) (*dirPlan, error) {
	if f.data == "" {
		return nil, fmt.Errorf("--data DIR or --server URL is required")
	}
	start, err := planDay(f.date, f.tz, 0)
	if err != nil {
		return nil, err
	}
	stop := progress(cmd.ErrOrStderr(), "loading and planning "+f.data)
	in, src, err := mrp.LoadDir(cmd.Context(), f.data, mrp.LoadOptions{Start: start, TimeZone: f.tz, ShiftStart: f.shift})
	var p *mrp.Planner
	if err == nil {
		p, err = mrp.New(in, mrp.DefaultOptions())
	}
	stop()
	if err != nil {
		return nil, err
	}
	pl, err := mrp.ReadPlantAs(f.data, f.data)
	if err != nil {
		return nil, err
	}
	c := pl.Capacity
	if c == nil {
		if c, err = mrp.NewCapacity(nil, nil); err != nil {
			return nil, err
		}
	}
	if len(pl.Confirmations) > 0 {
		if _, err := p.Confirm(pl.Confirmations...); err != nil {
			return nil, fmt.Errorf("%s: %w", filepath.Join(f.data, mrp.ConfirmationsFile), err)
		}
	}
	return &dirPlan{p: p, src: src, c: c}, nil
}

// errAcceptLocal refuses mrp whatif --accept on a plant directory.
var errAcceptLocal = errors.New("--accept needs --server (with --data nothing is stored)")

// dirPlan is a plant directory planned in this process.
type dirPlan struct {
	p   *mrp.Planner
	src *mrp.BOMSource // resolves new configurations
	c   *mrp.Capacity
}

func (d *dirPlan) capacityLoad(wc string) (*mrp.Load, error) {
	l := d.p.CapacityLoad(d.c)
	if wc != "" && !containsString(l.WorkCenters(), wc) {
		return nil, fmt.Errorf("--work-center: unknown work center %q (known: %s)", wc, strings.Join(l.WorkCenters(), ", "))
	}
	return l, nil
}

func (d *dirPlan) load(_ context.Context, wc string, from, to time.Time, week bool) ([]mrp.LoadBucket, error) {
	l, err := d.capacityLoad(wc)
	if err != nil {
		return nil, err
	}
	if week {
		return l.Weeks(wc, from, to), nil
	}
	return l.Days(wc, from, to), nil
}

func (d *dirPlan) overloads(_ context.Context, wc string) ([]mrp.Overload, error) {
	l, err := d.capacityLoad(wc)
	if err != nil {
		return nil, err
	}
	return l.Overloads(), nil
}

func (d *dirPlan) schedule(_ context.Context, deliveriesOnly bool, page func(finiteOrders) error) ([]mrp.Delivery, error) {
	s, err := d.p.FiniteSchedule(d.c)
	if err != nil {
		return nil, err
	}
	var ds []mrp.Delivery
	for _, dm := range d.p.Input().Demands {
		if dm.Forecast {
			continue
		}
		dl, err := s.Delivery(dm.ID)
		if err != nil {
			return nil, err
		}
		ds = append(ds, dl)
	}
	if !deliveriesOnly {
		if err := page(s); err != nil {
			return nil, err
		}
	}
	return ds, nil
}

// schedulePage is how many orders of a finite schedule the CLI asks a
// server for at a time (the server's most).
var schedulePage int32 = 10000

// finiteOrders are a finite schedule's orders by position: a local
// [mrp.Schedule] (millions of orders on a large plant, kept compactly)
// or those a server sent (orderSlice).
type finiteOrders interface {
	Len() int
	// OrderAt sets *o to order n, reusing o.Ops' storage.
	OrderAt(n int, o *mrp.FiniteOrder)
}

// orderSlice is a list of finite orders as finiteOrders.
type orderSlice []mrp.FiniteOrder

func (s orderSlice) Len() int { return len(s) }

func (s orderSlice) OrderAt(n int, o *mrp.FiniteOrder) { *o = s[n] }

func (d *dirPlan) whatIf(ctx context.Context, dm mrp.Demand, cfg string, accept bool) (*mrp.RushAnswer, error) {
	if accept {
		return nil, errAcceptLocal
	}
	rush := mrp.Rush{Demand: dm}
	if cfg != "" {
		conf, err := d.complete(ctx, dm.Item, cfg)
		if err != nil {
			return nil, fmt.Errorf("--config: %w", err)
		}
		v, _, err := d.src.Variant(ctx, dm.Item, conf)
		if err != nil {
			return nil, fmt.Errorf("--config: %w", err)
		}
		rush.Demand.Item, rush.Items = v, d.src.Items()
	}
	return d.p.WhatIf(d.c, nil, rush)
}

// complete reads picks "char=value;char!=value" of a configurable item
// and completes them with its model's defaults, as the server does for a
// rush line's picks.
func (d *dirPlan) complete(ctx context.Context, item, picks string) (configurator.Configuration, error) {
	st := d.src.Store()
	it, err := st.Item(item)
	if err != nil {
		return nil, err
	}
	if it.Model == "" {
		return nil, fmt.Errorf("%s is a standard item: it takes no configuration", item)
	}
	c, err := st.Model(it.Model)
	if err != nil {
		return nil, err
	}
	ps, err := parseModelPicks(c, strings.Split(picks, ";"))
	if err != nil {
		return nil, err
	}
	return c.Complete(ctx, ps)
}

func (d *dirPlan) status(_ context.Context, ids []string) ([]*mrp.OrderStatus, error) {
	s, err := d.p.FiniteSchedule(d.c)
	if err != nil {
		return nil, err
	}
	out := make([]*mrp.OrderStatus, 0, len(ids))
	for _, id := range ids {
		st, err := d.p.Status(s, id)
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}

// remotePlan is a running server's plan; log receives what an accepted
// rush changed.
type remotePlan struct {
	cl  *clients
	log io.Writer
}

func (r remotePlan) load(ctx context.Context, wc string, from, to time.Time, week bool) ([]mrp.LoadBucket, error) {
	res, err := r.cl.mrp.CapacityLoad(ctx, connect.NewRequest(&mrpv1.CapacityLoadRequest{WorkCenter: wc, From: convert.Date(from), To: convert.Date(to), Week: week}))
	if err != nil {
		return nil, err
	}
	out := make([]mrp.LoadBucket, len(res.Msg.GetBuckets()))
	for i, b := range res.Msg.GetBuckets() {
		if out[i], err = convert.LoadBucketFromProto(b); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (r remotePlan) overloads(ctx context.Context, wc string) ([]mrp.Overload, error) {
	res, err := r.cl.mrp.CapacityLoad(ctx, connect.NewRequest(&mrpv1.CapacityLoadRequest{WorkCenter: wc, Overloads: true}))
	if err != nil {
		return nil, err
	}
	out := make([]mrp.Overload, len(res.Msg.GetOverloads()))
	for i, o := range res.Msg.GetOverloads() {
		if out[i], err = convert.OverloadFromProto(o); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (r remotePlan) schedule(ctx context.Context, deliveriesOnly bool, page func(finiteOrders) error) ([]mrp.Delivery, error) {
	// page by page: a large plant's schedule is millions of orders, one
	// message of hundreds of MB unpaged
	var (
		ds    []mrp.Delivery
		token string
	)
	for {
		res, err := r.cl.mrp.FiniteSchedule(ctx, connect.NewRequest(&mrpv1.FiniteScheduleRequest{
			DeliveriesOnly: deliveriesOnly, PageSize: schedulePage, PageToken: token}))
		if err != nil {
			return nil, err
		}
		for _, d := range res.Msg.GetDeliveries() {
			dl, err := convert.DeliveryFromProto(d)
			if err != nil {
				return nil, err
			}
			ds = append(ds, dl)
		}
		if !deliveriesOnly {
			os := make(orderSlice, len(res.Msg.GetOrders()))
			for i, o := range res.Msg.GetOrders() {
				if os[i], err = convert.FiniteOrderFromProto(o); err != nil {
					return nil, err
				}
			}
			if err := page(os); err != nil {
				return nil, err
			}
		}
		if token = res.Msg.GetNextPageToken(); token == "" {
			return ds, nil
		}
	}
}

func (r remotePlan) whatIf(ctx context.Context, dm mrp.Demand, cfg string, accept bool) (*mrp.RushAnswer, error) {
	d := &mrpv1.Demand{Id: dm.ID, Item: dm.Item, Qty: float64(dm.Qty), DueDate: convert.Date(dm.Due), Priority: int32(dm.Priority)}
	if cfg != "" {
		// the server completes picks with the model's defaults
		ps, err := wirePicks(strings.Split(cfg, ";"))
		if err != nil {
			return nil, fmt.Errorf("--config: %w", err)
		}
		d.Picks = ps
	}
	if !accept {
		res, err := r.cl.mrp.WhatIfRush(ctx, connect.NewRequest(&mrpv1.WhatIfRushRequest{Rush: d}))
		if err != nil {
			return nil, err
		}
		return convert.RushAnswerFromProto(res.Msg)
	}
	res, err := r.cl.mrp.AcceptRush(ctx, connect.NewRequest(&mrpv1.AcceptRushRequest{Rush: d, CountsOnly: true}))
	if err != nil {
		return nil, err
	}
	ch := res.Msg.GetChange()
	fmt.Fprintf(r.log, "accepted: net change replanned %d items\n", netChangeCount(ch.GetTouchedCount(), ch.GetTouched()))
	return convert.RushAnswerFromProto(res.Msg.GetAnswer())
}

func (r remotePlan) status(ctx context.Context, ids []string) ([]*mrp.OrderStatus, error) {
	res, err := r.cl.mrp.SalesOrderStatus(ctx, connect.NewRequest(&mrpv1.SalesOrderStatusRequest{Demands: ids}))
	if err != nil {
		return nil, err
	}
	out := make([]*mrp.OrderStatus, len(res.Msg.GetStatuses()))
	for i, st := range res.Msg.GetStatuses() {
		if out[i], err = convert.OrderStatusFromProto(st); err != nil {
			return nil, err
		}
	}
	return out, nil
}
