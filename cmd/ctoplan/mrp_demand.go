package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
)

func newMRPDemandCmd() *cobra.Command {
	var (
		c      common
		item   string
		qty    int64
		due    string
		picks  []string
		prio   int32
		delete bool
	)
	cmd := &cobra.Command{
		Use:   "demand ID --item ITEM --qty N --due YYYY-MM-DD [--pick char=value ...] | ID --delete",
		Short: "Add, change or delete a demand (sales-order line) and replan by net change",
		Long: `Add or replace the demand ID (a configured item is resolved to its BOM
variant first) or delete it, replan only what the change touches, and print
what the net change touched.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := parsePicks(picks, noneAlways); err != nil {
				return err
			}
			switch {
			case delete:
			case item == "" || !cmd.Flags().Changed("qty") || due == "":
				return errUsage(cmd, "give --item, --qty and --due (or --delete)")
			case qty <= 0:
				return errUsage(cmd, fmt.Sprintf("--qty %d: a demand is of a positive quantity (to cancel it, --delete)", qty))
			}
			return c.runPlant(cmd, func(ctx context.Context, b plantBackend) error {
				var ch *mrpv1.NetChange
				if delete {
					var err error
					if ch, err = b.deleteDemands(ctx, args); err != nil {
						return err
					}
				} else {
					var (
						items []*mrpv1.PlanningItem
						err   error
					)
					ch, items, err = b.upsertDemand(ctx, &mrpv1.Demand{Id: args[0], Item: item, Qty: float64(qty), DueDate: due, Priority: prio}, picks)
					if err != nil {
						return err
					}
					for _, it := range items {
						if it.GetPastHorizon() {
							fmt.Fprintf(cmd.ErrOrStderr(), "%s is due %s, past the plan's horizon: kept, but not planned (plan again with a longer --horizon)\n", it.GetDemand(), due)
							continue
						}
						fmt.Fprintf(cmd.ErrOrStderr(), "%s planned as %s\n", it.GetDemand(), it.GetItem())
					}
				}
				return writeNetChange(cmd, c.format, ch)
			})
		},
	}
	c.registerWrite(cmd)
	fl := cmd.Flags()
	fl.StringVar(&item, "item", "", "item (a configurable one takes --pick)")
	fl.Int64Var(&qty, "qty", 0, "quantity")
	fl.StringVar(&due, "due", "", "due date YYYY-MM-DD")
	fl.StringArrayVar(&picks, "pick", nil, "configure ITEM: char=value (repeatable; completed with the model's defaults)")
	fl.Int32Var(&prio, "priority", 0, "priority (higher is served first within a day)")
	fl.BoolVar(&delete, "delete", false, "delete the demand")
	return cmd
}

// writeNetChange prints what a net change touched.
func writeNetChange(cmd *cobra.Command, format string, ch *mrpv1.NetChange) error {
	if ch == nil {
		return errors.New("no net change reported")
	}
	l := &listing{header: []string{"touched", "changed", "items", "planned_orders", "exceptions", "elapsed_ms", "touched_items"}}
	l.add(ch, fmt.Sprint(netChangeCount(ch.GetTouchedCount(), ch.GetTouched())), fmt.Sprint(netChangeCount(ch.GetChangedCount(), ch.GetChanged())), fmt.Sprint(ch.GetItems()),
		fmt.Sprint(ch.GetPlannedOrders()), fmt.Sprint(ch.GetExceptions()), fmt.Sprintf("%.2f", ch.GetElapsedMs()), touchedCell(ch.GetTouched(), format))
	return l.write(cmd.OutOrStdout(), format)
}

// tableTouchedIDs is how many touched items' IDs a net change's table row
// lists: one sales-order line of a 50,000-item plant touches ~17,000
// items, a line of ~200 KB on a terminal. csv and json list them all.
const tableTouchedIDs = 20

// touchedCell is the touched_items cell of a net change's row in format:
// every ID (csv, json), or in a table the first tableTouchedIDs and how
// many more there are.
func touchedCell(ids []string, format string) string {
	if format != "table" || len(ids) <= tableTouchedIDs {
		return strings.Join(ids, " ")
	}
	return fmt.Sprintf("%s ... (%d more: --format csv or json lists all)", strings.Join(ids[:tableTouchedIDs], " "), len(ids)-tableTouchedIDs)
}

// netChangeCount is a count of a net change's items: n, or the length of
// the list ids from a server that does not send the count.
func netChangeCount(n int32, ids []string) int {
	return max(int(n), len(ids))
}
