package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
	"github.com/ctoplan/ctoplan/mrp"
)

// otherDemands names the row of `mrp pegging --order` that sums the part
// of the order serving demands beyond the planner's peg limit.
const otherDemands = "(other demands)"

func newMRPPeggingCmd() *cobra.Command {
	var (
		c      common
		order  string
		levels int
	)
	cmd := &cobra.Command{
		Use:   "pegging DEMAND | --order ORDER",
		Short: "The full supply tree of a demand, or the demands a planned order serves",
		Long: `The full supply tree of a demand, or with --order the demands a planned
order serves: at most the planner's peg limit of them (10 by default), those
due first, and a last row "(other demands)" with the part of the order
serving the others (in json, a share with no demand).

In the tree, qty is what a supply gives its parent (below the top, the
parent's whole order, which may serve other sales orders too), for_demand
the part of it this sales order takes: its share of the parent's order
carried down.

With --levels N only the first N levels of the tree are listed (1: the
supplies of the demanded item), with a column "cut" marking the nodes of the
last level whose supplies below are left out. A deep bill of material with
shared parts can unfold into more nodes than a tree may hold (2^20); its
first levels can still be listed.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if (order == "") == (len(args) == 0) {
				return errUsage(cmd, "give a DEMAND or --order ORDER")
			}
			if levels < 0 || levels > 0 && order != "" {
				return errUsage(cmd, "--levels wants 0 (all) or more, and a DEMAND")
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
				pegs, err := b.pegDemand(ctx, args[0], levels)
				if err != nil {
					if errors.Is(err, mrp.ErrTooLarge) || errorReason(err) == "TREE_TOO_LARGE" {
						// offline or from a server (whose message readable
						// keeps): the way out is a flag here
						err = fmt.Errorf("%w (list its first levels with --levels N)", readable(err))
					}
					return err
				}
				l := &listing{header: []string{"level", "item", "supply", "kind", "date", "qty", "for_demand", "parent"}}
				if levels > 0 {
					l.header = append(l.header, "cut")
				}
				for _, p := range pegs {
					item := p.GetItem()
					if c.format == "table" {
						item = strings.Repeat("  ", int(p.GetLevel())) + item
					}
					supply := p.GetSupply()
					if supply == "" {
						supply = "(stock)"
					}
					row := []string{strconv.Itoa(int(p.GetLevel())), item, supply,
						strings.ToLower(strings.TrimPrefix(p.GetSupplyKind().String(), "SUPPLY_KIND_")), p.GetDate(), fmtNum(float64(p.GetQty())), fmtNum(p.GetDemandQty()), p.GetParent()}
					if levels > 0 {
						row = append(row, strconv.FormatBool(p.GetCut()))
					}
					l.add(p, row...)
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
	cmd.Flags().IntVar(&levels, "levels", 0, "list the first N levels of the supply tree only (0: all)")
	return cmd
}
