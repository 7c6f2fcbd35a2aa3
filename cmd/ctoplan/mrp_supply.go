package main

import (
	"fmt"
	"strconv"
	"strings"

	"connectrpc.com/connect"
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
			rk := mrpv1.ReceiptKind_RECEIPT_KIND_PURCHASE
			if k, err := mrp.ParseReceiptKind(kind); err != nil {
				return errUsage(cmd, fmt.Sprintf("--kind %q: want purchase or production", kind))
			} else if k == mrp.ProductionOrder {
				rk = mrpv1.ReceiptKind_RECEIPT_KIND_PRODUCTION
			}
			return c.run(cmd, func(cl *clients) error {
				if delete {
					res, err := cl.mrp.DeleteReceipts(cmd.Context(), connect.NewRequest(&mrpv1.DeleteReceiptsRequest{Ids: args}))
					if err != nil {
						return err
					}
					return writeNetChange(cmd, c.format, res.Msg.GetChange())
				}
				res, err := cl.mrp.UpsertReceipts(cmd.Context(), connect.NewRequest(&mrpv1.UpsertReceiptsRequest{Receipts: []*mrpv1.Receipt{{
					Id: args[0], Item: item, Qty: float64(qty), DueDate: due, Kind: rk}}}))
				if err != nil {
					return err
				}
				return writeNetChange(cmd, c.format, res.Msg.GetChange())
			})
		},
	}
	c.registerPlan(cmd, true)
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
			req := &mrpv1.SetStockRequest{}
			for _, a := range args {
				item, q, ok := strings.Cut(a, "=")
				n, err := strconv.ParseInt(q, 10, 64)
				if !ok || item == "" || err != nil || n < 0 {
					return errUsage(cmd, fmt.Sprintf("%q: want ITEM=QTY with a whole quantity >= 0", a))
				}
				req.Stock = append(req.Stock, &mrpv1.Stock{Item: item, Qty: float64(n)})
			}
			return c.run(cmd, func(cl *clients) error {
				res, err := cl.mrp.SetStock(cmd.Context(), connect.NewRequest(req))
				if err != nil {
					return err
				}
				return writeNetChange(cmd, c.format, res.Msg.GetChange())
			})
		},
	}
	c.registerPlan(cmd, true)
	return cmd
}
