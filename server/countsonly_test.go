package server_test

import (
	"context"
	"testing"

	"connectrpc.com/connect"

	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
)

// TestNetChangeCountsOnly: a write that asks for counts only answers
// without the touched and changed items' IDs, with the same counts as the
// same write answered in full. Each write is made from the same plan
// twice: once listed, put back, then once counted (a net change from one
// state touches the same items whatever the answer lists).
func TestNetChangeCountsOnly(t *testing.T) {
	for _, p := range protocols {
		t.Run(p.name, func(t *testing.T) {
			e := start(t)
			importTinyPlant(t, e, p)
			c := e.mrp(p)
			ctx := context.Background()
			demand := func(qty float64, counts bool) *mrpv1.NetChange {
				t.Helper()
				r, err := c.UpsertDemands(ctx, connect.NewRequest(&mrpv1.UpsertDemandsRequest{Demands: []*mrpv1.Demand{{
					Id: "SP-1", Item: "CHAIN", Qty: qty, DueDate: "2027-01-20"}}, CountsOnly: counts}))
				if err != nil {
					t.Fatal(err)
				}
				return r.Msg.GetChange()
			}
			stock := func(qty float64, counts bool) *mrpv1.NetChange {
				t.Helper()
				r, err := c.SetStock(ctx, connect.NewRequest(&mrpv1.SetStockRequest{Stock: []*mrpv1.Stock{{Item: "STEEL", Qty: qty}}, CountsOnly: counts}))
				if err != nil {
					t.Fatal(err)
				}
				return r.Msg.GetChange()
			}
			receipt := func(qty float64, counts bool) *mrpv1.NetChange {
				t.Helper()
				r, err := c.UpsertReceipts(ctx, connect.NewRequest(&mrpv1.UpsertReceiptsRequest{Receipts: []*mrpv1.Receipt{{
					Id: "PO-1", Item: "CHAIN", Qty: qty, DueDate: "2026-12-20", Kind: mrpv1.ReceiptKind_RECEIPT_KIND_PURCHASE}}, CountsOnly: counts}))
				if err != nil {
					t.Fatal(err)
				}
				return r.Msg.GetChange()
			}
			for _, w := range []struct {
				name     string
				write    func(float64, bool) *mrpv1.NetChange
				from, to float64
			}{
				{"UpsertDemands", demand, 5, 45},
				{"SetStock", stock, 100, 2000},
				{"UpsertReceipts", receipt, 20, 1},
			} {
				full := w.write(w.to, false)
				if len(full.GetTouched()) == 0 || len(full.GetChanged()) == 0 {
					t.Fatalf("%s: nothing touched or changed: %v", w.name, full)
				}
				if int(full.GetTouchedCount()) != len(full.GetTouched()) || int(full.GetChangedCount()) != len(full.GetChanged()) {
					t.Errorf("%s: counts %d/%d, lists %d/%d", w.name, full.GetTouchedCount(), full.GetChangedCount(), len(full.GetTouched()), len(full.GetChanged()))
				}
				back := w.write(w.from, true)
				if len(back.GetTouched())+len(back.GetChanged()) != 0 || back.GetTouchedCount() == 0 {
					t.Errorf("%s back, counts only: %v", w.name, back)
				}
				counted := w.write(w.to, true)
				if len(counted.GetTouched())+len(counted.GetChanged()) != 0 {
					t.Errorf("%s, counts only: IDs listed: %v", w.name, counted)
				}
				if counted.GetTouchedCount() != full.GetTouchedCount() || counted.GetChangedCount() != full.GetChangedCount() ||
					counted.GetPlannedOrders() != full.GetPlannedOrders() || counted.GetExceptions() != full.GetExceptions() {
					t.Errorf("%s: counted %v, listed %v", w.name, counted, full)
				}
				w.write(w.from, true)
			}
		})
	}
}
