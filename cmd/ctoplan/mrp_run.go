package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"connectrpc.com/connect"
	"github.com/spf13/cobra"

	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
	"github.com/ctoplan/ctoplan/internal/mrprun"
	"github.com/ctoplan/ctoplan/mrp"
)

func newMRPRunCmd() *cobra.Command {
	var (
		c      common
		item   string
		demand string
		noPeg  bool
		limit  int
		pages  = pageFlags{all: true}
	)
	cmd := &cobra.Command{
		Use:   "run [--data DIR] [--date YYYY-MM-DD]",
		Short: "Plan (regenerative) and print the planned orders: id,item,kind,qty,release_date,due_date,firm,pegged_to,pegged_rest",
		Long: `Plan (regenerative) and print the planned orders: id, item, kind, qty,
release date, due date, whether it is a firm planned order (firm, true or
false) and the demands each order serves (pegged_to, demand:qty;demand:qty:
split at ';', then each at its last ':'; a demand ID has no ';').
pegged_to lists at most --peg-limit demands an order, those due first (then
by ID), in ID order; pegged_rest is the part of the order serving the others
(empty when all are listed). On a deep plant a common part's daily order
serves hundreds of sales orders: listing them all grows with depth times
demands. --no-pegging leaves both empty.

With --data DIR and neither --server nor --store, the plant is planned in
this process and the orders are written as they are listed.
Otherwise they are listed as the MRP service's records: offline from the
plan of --store (replanned first) or of --data, with --server by the
service (--page-size and --page-token page a server's answer).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if c.data != "" && c.backend.server == "" && c.backend.store == "" && item == "" && demand == "" && pages == (pageFlags{all: true}) &&
				(c.format == "csv" || c.format == "table" || c.format == "json") && hasPlantFile(c.data) {
				return runLocal(cmd, c.data, c.date, c.tz, c.shift, c.horizon, c.format, !noPeg, limit)
			}
			setLimit := cmd.Flags().Changed("peg-limit")
			if setLimit && c.backend.server != "" {
				return errUsage(cmd, "--peg-limit applies to a plan in this process (--data, --store); a server lists with its own (serve --peg-limit)")
			}
			if setLimit && limit == 0 {
				return errors.New("--peg-limit 0: give the most demands to list (-1: all)")
			}
			return c.runPlant(cmd, func(ctx context.Context, b plantBackend) error {
				if c.data == "" && pages.token == "" {
					// A stored plant: replan it (not when the listing goes
					// on from a page token: that names the plan it lists).
					stop := progress(cmd.ErrOrStderr(), "planning")
					r, err := b.replan(ctx, c.date)
					stop()
					if err != nil {
						return err
					}
					fmt.Fprintf(cmd.ErrOrStderr(), "planned %d items on %s: %d orders, %d exceptions in %.1f ms\n",
						r.GetItems(), r.GetDate(), r.GetPlannedOrders(), r.GetExceptions(), r.GetElapsedMs())
				}
				if lp, ok := b.(*localPlant); ok && setLimit {
					// for this listing: a store keeps the limit it was
					// written with
					lp.p.SetPegLimit(limit)
				}
				if lp, ok := b.(*localPlant); ok && item == "" && demand == "" && pages == (pageFlags{all: true}) && (c.format == "csv" || c.format == "table") {
					// the whole listing of a plan in this process: rows
					// written from the planner as they are made, as
					// runLocal does, not millions of messages held first
					return mrprun.WriteOrders(cmd.OutOrStdout(), lp.planner(), c.format, !noPeg, nil)
				}
				if lp, ok := b.(*localPlant); ok && item == "" && demand == "" && pages == (pageFlags{all: true}) && c.format == "json" {
					return writeOrdersJSON(cmd.OutOrStdout(), lp.planner(), !noPeg)
				}
				ow := newOrderWriter(c.format)
				ow.spool()
				defer ow.close()
				err := b.orders(ctx, &mrpv1.ListPlannedOrdersRequest{Item: item, Demand: demand, WithPegging: !noPeg}, pages, cmd.ErrOrStderr(), ow.add, ow.reset)
				if err != nil {
					return err
				}
				return ow.writeTo(cmd.OutOrStdout())
			})
		},
	}
	c.registerPlan(cmd, true)
	fl := cmd.Flags()
	fl.StringVar(&item, "item", "", "only this item's orders")
	fl.StringVar(&demand, "demand", "", "only the orders serving this demand (its supply tree)")
	fl.BoolVar(&noPeg, "no-pegging", false, "leave pegged_to empty (for planners who only want the orders)")
	fl.IntVar(&limit, "peg-limit", mrp.DefaultPegLimit, "the most demands pegged_to lists an order, those due first (-1: all; not with --server, whose serve --peg-limit sets it)")
	pages.register(cmd, "orders")
	return cmd
}

// listOrderPages passes the planned orders req selects to each as they
// arrive, page by page as pf says; restart is called before the listing
// starts again from the first page.
func listOrderPages(ctx context.Context, cl *clients, req *mrpv1.ListPlannedOrdersRequest, pf pageFlags, stderr io.Writer, each func(*mrpv1.PlannedOrder) error, restart func()) error {
	return pf.follow(stderr, func(size int32, token string) (string, error) {
		req.PageSize, req.PageToken = size, token
		s, err := cl.mrp.ListPlannedOrders(ctx, connect.NewRequest(req))
		if err != nil {
			return "", err
		}
		defer s.Close()
		next := ""
		for s.Receive() {
			for _, o := range s.Msg().GetOrders() {
				if err := each(o); err != nil {
					return "", err
				}
			}
			next = s.Msg().GetNextPageToken()
		}
		return next, s.Err()
	}, restart)
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
func runLocal(cmd *cobra.Command, dir, date, tz, shift string, horizon int, format string, peg bool, limit int) error {
	ctx := cmd.Context()
	start, err := planDay(date, tz, horizon)
	if err != nil {
		return err
	}
	log := cmd.ErrOrStderr()
	stop := progress(log, "loading and planning "+dir)
	t0 := time.Now()
	var ph mrprun.Phases
	po := mrp.DefaultOptions()
	po.PegLimit = limit
	if limit == 0 {
		return errors.New("--peg-limit 0: give the most demands to list (-1: all)")
	}
	p, in, err := mrprun.PlanDir(ctx, dir, mrp.LoadOptions{Start: start, Horizon: horizon, TimeZone: tz, ShiftStart: shift}, po, &ph)
	stop()
	if err != nil {
		return err
	}
	st := p.Stats()
	fmt.Fprintf(log, "plant data from %s: %d items, %d demands, %d receipts, %d stock records; planned on %s: %d orders in %.1f ms\n",
		dir, st.Items, len(in.Demands), len(in.Receipts), len(in.Stock), start.Format(time.DateOnly), st.Orders, ms(time.Since(t0)))
	if st.PastHorizon > 0 {
		fmt.Fprintf(log, "%d demand lines due on or after %s, past the %d-day horizon, are not planned (--horizon sets it)\n",
			st.PastHorizon, p.Date(p.Horizon()).Format(time.DateOnly), p.Horizon())
	}
	if format == "json" {
		if peg {
			// the whole plan's pegging on all cores first, as WriteOrders
			// does (each order's is then read, not computed)
			err := mrprun.Timed(&ph.Peg, func() error { return p.EachOrderOf(0, 0, false, true, func(*mrp.OrderLine) error { return nil }) })
			if err != nil {
				return err
			}
		}
		if err := mrprun.Timed(&ph.Write, func() error { return writeOrdersJSON(cmd.OutOrStdout(), p, peg) }); err != nil {
			return err
		}
	} else if err := mrprun.WriteOrders(cmd.OutOrStdout(), p, format, peg, &ph); err != nil {
		return err
	}
	fmt.Fprintf(log, "phases: %s\n", &ph)
	return nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
