package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/ctoplan/ctoplan/cmd/ctoplan/internal/wire"
	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
)

func newMRPExceptionsCmd() *cobra.Command {
	var (
		c    common
		item string
	)
	cmd := &cobra.Command{
		Use:   "exceptions",
		Short: "Exception messages: reschedule in/out, cancel, release past due, below safety stock, late demand",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return c.run(cmd, func(cl *clients) error {
				ex, err := listExceptions(cmd.Context(), cl, item)
				if err != nil {
					return err
				}
				l := &listing{header: []string{"kind", "item", "ref", "date", "to", "qty", "limit"}}
				for _, x := range ex {
					l.add(x, x.GetKind(), x.GetItem(), x.GetRef(), x.GetDate(), x.GetTo(), fmtNum(float64(x.GetQty())), x.GetLimit())
				}
				return l.write(cmd.OutOrStdout(), c.format)
			})
		},
	}
	c.registerPlan(cmd, true)
	cmd.Flags().StringVar(&item, "item", "", "only this item's exceptions")
	return cmd
}

func listExceptions(ctx context.Context, cl *clients, item string) ([]*mrpv1.Exception, error) {
	return wire.ListExceptions(ctx, cl.mrp, item)
}
