package main

import (
	"strings"

	"connectrpc.com/connect"
	"github.com/spf13/cobra"

	bomv1 "github.com/ctoplan/ctoplan/gen/ctoplan/bom/v1"
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
			return t.runOn(&c, cmd, args, func(cl *clients, tg *bomv1.Target) error {
				res, err := cl.bom.LeadTime(cmd.Context(), connect.NewRequest(&bomv1.LeadTimeRequest{Target: tg}))
				if err != nil {
					return err
				}
				m := res.Msg
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
