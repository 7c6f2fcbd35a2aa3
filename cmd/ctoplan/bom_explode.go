package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ctoplan/ctoplan/internal/convert"
)

func newBOMExplodeCmd() *cobra.Command {
	var (
		c       common
		t       targetFlags
		qty     float64
		summary bool
	)
	cmd := &cobra.Command{
		Use:   "explode [ITEM] [--pick char=value ...] [--variant ID]",
		Short: "Indented (or summarised) explosion of a variant or a standard item, scrap applied",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return t.runOn(&c, cmd, args, func(ctx context.Context, b bomBackend, tg bomTarget) error {
				if msg := convert.AmountProblem(qty); msg != "" {
					return fmt.Errorf("--qty: %s", msg)
				}
				lines, err := b.explode(ctx, tg, qty, summary)
				if err != nil {
					return err
				}
				l := &listing{header: []string{"level", "position", "item", "description", "kind", "qty_per", "scrap_pct", "qty", "uom"}}
				if summary {
					l.header = []string{"item", "description", "kind", "qty", "uom"}
				}
				for _, x := range lines {
					kind := strings.ToLower(strings.TrimPrefix(x.GetKind().String(), "ITEM_KIND_"))
					if summary {
						l.add(x, x.GetItem(), x.GetDescription(), kind, fmtNum(x.GetQty()), x.GetUom())
						continue
					}
					item := strings.Repeat("  ", int(x.GetLevel())) + x.GetItem()
					if c.format != "table" {
						item = x.GetItem()
					}
					l.add(x, strconv.Itoa(int(x.GetLevel())), x.GetPosition(), item, x.GetDescription(), kind,
						fmtNum(x.GetQtyPer()), fmtNum(x.GetScrapPct()), fmtNum(x.GetQty()), x.GetUom())
				}
				return l.write(cmd.OutOrStdout(), c.format)
			})
		},
	}
	c.register(cmd, true)
	t.register(cmd)
	cmd.Flags().Float64Var(&qty, "qty", 1, "quantity of the top item")
	cmd.Flags().BoolVar(&summary, "summary", false, "one line per item with its total quantity")
	return cmd
}
