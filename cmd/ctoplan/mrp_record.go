package main

import (
	"fmt"

	"connectrpc.com/connect"
	"github.com/spf13/cobra"

	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
)

func newMRPRecordCmd() *cobra.Command {
	var c common
	cmd := &cobra.Command{
		Use:   "record ITEM",
		Short: "The time-phased record of an item: gross requirements, receipts, planned orders, projected balance",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.run(cmd, func(cl *clients) error {
				res, err := cl.mrp.GetRecord(cmd.Context(), connect.NewRequest(&mrpv1.GetRecordRequest{Item: args[0]}))
				if err != nil {
					return err
				}
				r := res.Msg
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
