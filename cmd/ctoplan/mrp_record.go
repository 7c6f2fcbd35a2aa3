package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"
)

func newMRPRecordCmd() *cobra.Command {
	var c common
	cmd := &cobra.Command{
		Use:   "record ITEM",
		Short: "The time-phased record of an item: gross requirements, receipts, planned orders, projected balance",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.runPlant(cmd, func(ctx context.Context, b plantBackend) error {
				r, err := b.record(ctx, args[0])
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "%s: on hand %s, safety stock %s\n", r.GetItem(), fmtNum(r.GetOnHand()), fmtNum(r.GetSafetyStock()))
				l := &listing{header: []string{"date", "gross", "receipts", "planned", "balance"}}
				for _, d := range r.GetDays() {
					l.add(d, d.GetDate(), fmtNum(float64(d.GetGross())), fmtNum(float64(d.GetReceipts())), fmtNum(float64(d.GetPlanned())), fmtNum(float64(d.GetBalance())))
				}
				return l.write(cmd.OutOrStdout(), c.format)
			})
		},
	}
	c.registerPlan(cmd, true)
	return cmd
}
