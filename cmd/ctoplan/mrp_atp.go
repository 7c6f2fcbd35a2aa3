package main

import (
	"context"
	"strconv"

	"github.com/spf13/cobra"
)

func newMRPATPCmd() *cobra.Command {
	var (
		c     common
		qty   int64
		want  string
		picks []string
	)
	cmd := &cobra.Command{
		Use:   "atp ITEM --qty N [--want YYYY-MM-DD] [--pick char=value ...]",
		Short: "Available/capable to promise: the earliest date N of ITEM (or of a configuration) can be promised",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if qty <= 0 {
				return errUsage(cmd, "--qty must be positive")
			}
			if _, err := parsePicks(picks, noneAlways); err != nil {
				return err
			}
			return c.runPlant(cmd, func(ctx context.Context, b plantBackend) error {
				r, err := b.promise(ctx, args[0], picks, qty, want)
				if err != nil {
					return err
				}
				how := "ctp"
				if r.GetAtp() {
					how = "atp"
				}
				requested := want
				if requested == "" {
					requested = "(planning date)"
				}
				l := &listing{header: []string{"item", "qty", "requested", "promised", "by", "late", "limited_by"}}
				limit := r.GetLimit()
				if wc := r.GetWorkCenter(); wc != "" {
					limit += " (capacity of " + wc + ")"
				}
				l.add(r, r.GetItem(), strconv.FormatInt(qty, 10), requested, r.GetDate(), how, strconv.FormatBool(r.GetLate()), limit)
				return l.write(cmd.OutOrStdout(), c.format)
			})
		},
	}
	c.registerPlan(cmd, true)
	fl := cmd.Flags()
	fl.Int64Var(&qty, "qty", 1, "quantity")
	fl.StringVar(&want, "want", "", "requested date YYYY-MM-DD (default the planning date)")
	fl.StringArrayVar(&picks, "pick", nil, "configure ITEM: char=value (repeatable; completed with the model's defaults)")
	return cmd
}
