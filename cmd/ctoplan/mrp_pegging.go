package main

import (
	"errors"
	"strconv"
	"strings"

	"connectrpc.com/connect"
	"github.com/spf13/cobra"

	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
)

func newMRPPeggingCmd() *cobra.Command {
	var (
		c     common
		order string
	)
	cmd := &cobra.Command{
		Use:   "pegging DEMAND | --order ORDER",
		Short: "The full supply tree of a demand, or the demands a planned order serves",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if (order == "") == (len(args) == 0) {
				return errUsage(cmd, "give a DEMAND or --order ORDER")
			}
			return c.run(cmd, func(cl *clients) error {
				ctx := cmd.Context()
				if order != "" {
					res, err := cl.mrp.PegOrder(ctx, connect.NewRequest(&mrpv1.PegOrderRequest{Order: order}))
					if err != nil {
						return err
					}
					l := &listing{header: []string{"order", "demand", "qty"}}
					for _, d := range res.Msg.GetDemands() {
						l.add(d, order, d.GetDemand(), fmtNum(d.GetQty()))
					}
					return l.write(cmd.OutOrStdout(), c.format)
				}
				s, err := cl.mrp.PegDemand(ctx, connect.NewRequest(&mrpv1.PegDemandRequest{Demand: args[0]}))
				if err != nil {
					return err
				}
				defer s.Close()
				l := &listing{header: []string{"level", "item", "supply", "kind", "date", "qty", "parent"}}
				for s.Receive() {
					for _, p := range s.Msg().GetPegs() {
						item := p.GetItem()
						if c.format == "table" {
							item = strings.Repeat("  ", int(p.GetLevel())) + item
						}
						supply := p.GetSupply()
						if supply == "" {
							supply = "(stock)"
						}
						l.add(p, strconv.Itoa(int(p.GetLevel())), item, supply,
							strings.ToLower(strings.TrimPrefix(p.GetSupplyKind().String(), "SUPPLY_KIND_")), p.GetDate(), fmtNum(float64(p.GetQty())), p.GetParent())
					}
				}
				if err := s.Err(); err != nil {
					return err
				}
				if len(l.rows) == 0 {
					return errors.New("the demand has no supply in the plan")
				}
				return l.write(cmd.OutOrStdout(), c.format)
			})
		},
	}
	c.registerPlan(cmd, true)
	cmd.Flags().StringVar(&order, "order", "", "a planned order id (ITEM#YYYY-MM-DD[.n]): list the demands it serves")
	return cmd
}
