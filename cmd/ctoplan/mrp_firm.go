package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"
)

func newMRPFirmCmd() *cobra.Command {
	var (
		c      common
		qty    int64
		due    string
		unfirm bool
	)
	cmd := &cobra.Command{
		Use:   "firm ORDER... [--qty N] [--due YYYY-MM-DD] | ORDER... --unfirm",
		Short: "Firm planned orders: MRP keeps their quantity and date and plans around them",
		Long: `Firm the planned orders named (IDs as mrp run lists them, ITEM#YYYY-MM-DD[.n]):
MRP keeps each one's quantity and due date (--qty and --due change them) and
its ID, plans the rest around it and raises reschedule-out or cancel messages
instead of moving it. --unfirm gives the orders back to MRP. Each order is one
net change; what it touched is printed.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if qty < 0 {
				return errUsage(cmd, "--qty must not be negative")
			}
			if unfirm && (qty != 0 || due != "") {
				return errUsage(cmd, "give --unfirm or --qty/--due, not both")
			}
			return c.runPlant(cmd, func(ctx context.Context, b plantBackend) error {
				for _, id := range args {
					ch, o, err := b.firm(ctx, id, qty, due, unfirm)
					if err != nil {
						return fmt.Errorf("%s: %w", id, err)
					}
					if o != nil {
						fmt.Fprintf(cmd.ErrOrStderr(), "%s firm: %s %s due %s (release %s)\n", o.GetId(), o.GetItem(), fmtNum(o.GetQty()), o.GetDueDate(), o.GetReleaseDate())
					} else {
						fmt.Fprintf(cmd.ErrOrStderr(), "%s is no longer firm\n", id)
					}
					if err := writeNetChange(cmd, c.format, ch); err != nil {
						return err
					}
				}
				return nil
			})
		},
	}
	c.registerWrite(cmd)
	fl := cmd.Flags()
	fl.Int64Var(&qty, "qty", 0, "firm quantity (default: the order's)")
	fl.StringVar(&due, "due", "", "firm due date YYYY-MM-DD (default: the order's)")
	fl.BoolVar(&unfirm, "unfirm", false, "give the orders back to MRP")
	return cmd
}

func newMRPReleaseCmd() *cobra.Command {
	var c common
	cmd := &cobra.Command{
		Use:   "release ORDER...",
		Short: "Release planned orders: each becomes a scheduled receipt with the same ID",
		Long: `Release the planned (or firm planned) orders named: each becomes an open
production order (make item) or purchase order (buy item) with the same ID,
quantity and due date, and the plan is updated by net change.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.runPlant(cmd, func(ctx context.Context, b plantBackend) error {
				for _, id := range args {
					ch, r, err := b.release(ctx, id)
					if err != nil {
						return fmt.Errorf("%s: %w", id, err)
					}
					fmt.Fprintf(cmd.ErrOrStderr(), "%s released: %s order of %s %s due %s\n", r.GetId(), enumWord(r.GetKind().Descriptor(), r.GetKind().Number()), fmtNum(r.GetQty()), r.GetItem(), r.GetDueDate())
					if err := writeNetChange(cmd, c.format, ch); err != nil {
						return err
					}
				}
				return nil
			})
		},
	}
	c.registerWrite(cmd)
	return cmd
}
