package main

import (
	"context"
	"fmt"

	"connectrpc.com/connect"
	"github.com/spf13/cobra"

	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
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
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
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
	fl.BoolVar(&noPeg, "no-pegging", false, "leave pegged_to empty (faster on large plans)")
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
