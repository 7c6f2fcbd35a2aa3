package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
	"github.com/ctoplan/ctoplan/mrp"
)

func newMRPReceiptCmd() *cobra.Command {
	var (
		c      common
		item   string
		qty    int64
		due    string
		kind   string
		delete bool
	)
	cmd := &cobra.Command{
		Use:   "receipt ID --item ITEM --qty N --due YYYY-MM-DD [--kind purchase|production] | ID --delete",
		Short: "Add, change or delete a scheduled receipt (open purchase or production order) and replan by net change",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !delete && (item == "" || qty <= 0 || due == "") {
				return errUsage(cmd, "give --item, --qty and --due (or --delete)")
			}
			rk, err := mrp.ParseReceiptKind(kind)
			if err != nil {
				return errUsage(cmd, fmt.Sprintf("--kind %q: want purchase or production", kind))
			}
			var day time.Time
			if !delete {
				if day, err = wireDay("due_date", due); err != nil {
					return err
				}
			}
			return c.runPlant(cmd, func(ctx context.Context, b plantBackend) error {
				var (
					ch  *mrpv1.NetChange
					err error
				)
				if delete {
					ch, err = b.deleteReceipts(ctx, args)
				} else {
					ch, err = b.upsertReceipt(ctx, mrp.Receipt{ID: args[0], Item: item, Qty: qty, Due: day, Kind: rk})
				}
				if err != nil {
					return err
				}
				return writeNetChange(cmd, c.format, ch)
			})
		},
	}
	c.registerWrite(cmd)
	fl := cmd.Flags()
	fl.StringVar(&item, "item", "", "item")
	fl.Int64Var(&qty, "qty", 0, "quantity")
	fl.StringVar(&due, "due", "", "due date YYYY-MM-DD")
	fl.StringVar(&kind, "kind", "purchase", "purchase or production")
	fl.BoolVar(&delete, "delete", false, "delete the receipt")
	return cmd
}

func newMRPStockCmd() *cobra.Command {
	var c common
	cmd := &cobra.Command{
		Use:   "stock ITEM=QTY ...",
		Short: "Set on-hand quantities and replan by net change",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var stock []mrp.SetStock
			for _, a := range args {
				item, q, ok := strings.Cut(a, "=")
				n, err := strconv.ParseInt(q, 10, 64)
				if !ok || item == "" || err != nil || n < 0 {
					return errUsage(cmd, fmt.Sprintf("%q: want ITEM=QTY with a whole quantity >= 0", a))
				}
				stock = append(stock, mrp.SetStock{Item: item, Qty: n})
			}
			return c.runPlant(cmd, func(ctx context.Context, b plantBackend) error {
				ch, err := b.setStock(ctx, stock)
				if err != nil {
					return err
				}
				return writeNetChange(cmd, c.format, ch)
			})
		},
	}
	c.registerWrite(cmd)
	return cmd
}
