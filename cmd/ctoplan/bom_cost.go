package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/ctoplan/ctoplan/internal/convert"
)

func newBOMCostCmd() *cobra.Command {
	var (
		c   common
		t   targetFlags
		lot float64
	)
	cmd := &cobra.Command{
		Use:   "cost [ITEM] [--pick char=value ...] [--variant ID]",
		Short: "Standard cost roll-up: material, setup (spread over --lot) and run at work-center rates",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return t.runOn(&c, cmd, args, func(ctx context.Context, b bomBackend, tg bomTarget) error {
				if msg := convert.LotProblem(lot); msg != "" {
					return fmt.Errorf("--lot: %s", msg)
				}
				m, err := b.cost(ctx, tg, lot)
				if err != nil {
					return err
				}
				l := &listing{header: []string{"material", "setup", "run", "total"}}
				l.add(m, amount(m.GetMaterial()), amount(m.GetSetup()), amount(m.GetRun()), amount(m.GetTotal()))
				return l.write(cmd.OutOrStdout(), c.format)
			})
		},
	}
	c.register(cmd, true)
	t.register(cmd)
	cmd.Flags().Float64Var(&lot, "lot", 1, "spread setup cost over this lot size, a whole number (0: each item's own lot size)")
	return cmd
}
