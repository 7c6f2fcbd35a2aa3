package main

import (
	"context"
	"strings"

	"github.com/spf13/cobra"
)

func newBOMLeadTimeCmd() *cobra.Command {
	var (
		c common
		t targetFlags
	)
	cmd := &cobra.Command{
		Use:   "leadtime [ITEM] [--pick char=value ...] [--variant ID]",
		Short: "Cumulative lead time (working days) along the critical path",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return t.runOn(&c, cmd, args, func(ctx context.Context, b bomBackend, tg bomTarget) error {
				m, err := b.leadTime(ctx, tg)
				if err != nil {
					return err
				}
				l := &listing{header: []string{"days", "critical_path"}}
				l.add(m, fmtNum(m.GetDays()), strings.Join(m.GetCriticalPath(), " > "))
				return l.write(cmd.OutOrStdout(), c.format)
			})
		},
	}
	c.register(cmd, true)
	t.register(cmd)
	return cmd
}
