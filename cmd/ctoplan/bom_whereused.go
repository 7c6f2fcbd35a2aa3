package main

import (
	"context"
	"github.com/spf13/cobra"

	bomv1 "github.com/ctoplan/ctoplan/gen/ctoplan/bom/v1"
)

func newBOMWhereUsedCmd() *cobra.Command {
	var (
		c   common
		top bool
	)
	cmd := &cobra.Command{
		Use:   "where-used ITEM",
		Short: "The super BOM lines that use ITEM (one level), or the top items containing it (--top)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.runBOM(cmd, func(ctx context.Context, b bomBackend) error {
				res, err := b.whereUsed(ctx, args[0])
				if err != nil {
					return err
				}
				if top {
					l := &listing{header: []string{"top_item"}}
					for _, t := range res.GetTop() {
						l.add(&bomv1.GetItemRequest{Id: t}, t)
					}
					return l.write(cmd.OutOrStdout(), c.format)
				}
				l := &listing{header: []string{"parent", "component", "qty_per", "scrap_pct", "position", "valid_from", "valid_to", "condition"}}
				for _, x := range res.GetLines() {
					q := fmtNum(x.GetQty())
					if x.GetQtyExpr() != "" {
						q = x.GetQtyExpr()
					}
					l.add(x, x.GetParent(), x.GetComponent(), q, fmtNum(x.GetScrapPct()), x.GetPosition(), x.GetValidFrom(), x.GetValidTo(), x.GetCondition())
				}
				return l.write(cmd.OutOrStdout(), c.format)
			})
		},
	}
	c.register(cmd, true)
	cmd.Flags().BoolVar(&top, "top", false, "list the top-level items that contain ITEM at any depth")
	return cmd
}
