package main

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
)

// otherDemands names the row of `mrp pegging --order` that sums the part
// of the order serving demands beyond the planner's peg limit.
const otherDemands = "(other demands)"

func newMRPPeggingCmd() *cobra.Command {
	var (
		c     common
		order string
	)
	cmd := &cobra.Command{
		Use:   "pegging DEMAND | --order ORDER",
		Short: "The full supply tree of a demand, or the demands a planned order serves",
		Long: `The full supply tree of a demand, or with --order the demands a planned
order serves: at most the planner's peg limit of them (10 by default), those
due first, and a last row "(other demands)" with the part of the order
serving the others (in json, a share with no demand).`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if (order == "") == (len(args) == 0) {
				return errUsage(cmd, "give a DEMAND or --order ORDER")
			}
			return c.runPlant(cmd, func(ctx context.Context, b plantBackend) error {
				if order != "" {
					ds, rest, err := b.pegOrder(ctx, order)
					if err != nil {
						return err
					}
					l := &listing{header: []string{"order", "demand", "qty"}}
					for _, d := range ds {
						l.add(d, order, d.GetDemand(), fmtNum(d.GetQty()))
					}
					if rest > 0 {
						// beyond the peg limit: one row, no demand ID in json
						l.add(&mrpv1.DemandShare{Qty: rest}, order, otherDemands, fmtNum(rest))
					}
					return l.write(cmd.OutOrStdout(), c.format)
				}
				pegs, err := b.pegDemand(ctx, args[0])
				if err != nil {
					return err
				}
				l := &listing{header: []string{"level", "item", "supply", "kind", "date", "qty", "parent"}}
				for _, p := range pegs {
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
