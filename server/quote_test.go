package server_test

import (
	"context"
	"fmt"
	"runtime"
	"strconv"
	"testing"

	"connectrpc.com/connect"

	bomv1 "github.com/ctoplan/ctoplan/gen/ctoplan/bom/v1"
	"github.com/ctoplan/ctoplan/gen/ctoplan/bom/v1/bomv1connect"
	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
	"github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1/mrpv1connect"
	"github.com/ctoplan/ctoplan/kv"
	"github.com/ctoplan/ctoplan/server"
)

// The box plant: every size n of a box is its own panel (n sheets), so
// every configuration is a new variant with two new nodes (BOX and PANEL).
// SHELF changes its BOM on 2027-06-01: a new effectivity epoch.
var boxImport = &bomv1.ImportRequest{
	Csv: []*bomv1.CSVFile{
		{Name: "items.csv", Text: "item,description,uom,kind,lead_time_days,unit_cost,model\n" +
			"BOX,Box,pc,make,2,0,box\nPANEL,Panel,pc,make,3,1,\nSHEET,Sheet,pc,buy,10,2,\nSHELF,Shelf,pc,make,1,0,\n"},
		{Name: "bom.csv", Text: "parent,component,qty_per,valid_from,valid_to\n" +
			"BOX,PANEL,1,,\nPANEL,SHEET,n,,\nSHELF,SHEET,1,,2027-05-31\nSHELF,SHEET,2,2027-06-01,\n"},
	},
	Models: []*bomv1.ModelSource{{Filename: "box.ctm", Source: "model box {\n  char n int 1..1000 { default 1 }\n}\n"}},
}

var boxPlant = []*mrpv1.CSVFile{
	{Name: "stock.csv", Text: "item,qty\nSHEET,500\n"},
	{Name: "demands.csv", Text: "id,item,qty,due_date,priority,config\nSO-1,BOX,4,2027-01-15,1,n=3\n"},
}

// storeSize counts the keys and bytes of the whole store.
func storeSize(t *testing.T, db kv.DB) (keys, bytes int) {
	t.Helper()
	err := db.View(context.Background(), func(txn kv.Txn) error {
		return txn.Scan(nil, nil, func(k, v []byte) error {
			keys++
			bytes += len(k) + len(v)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return keys, bytes
}

func heapAlloc() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestReadsNeverWrite: 300 anonymous Promises of new configurations (some
// as Connect GETs, which a web page can trigger) and cost and lead-time
// reads on a new effectivity date leave the store exactly as it was (keys
// and bytes), the variant and node counts unchanged, the plan's items and
// the heap bounded; a quote answers the same before and after the plan
// dropped its quote items; the write that orders a configuration stores it.
func TestReadsNeverWrite(t *testing.T) {
	const maxQuoteItems = 20
	e := start(t, func(o *server.Options) { o.MaxQuoteItems = maxQuoteItems })
	ctx := context.Background()
	admin := e.bom(protocols[1])
	if _, err := admin.Import(ctx, connect.NewRequest(boxImport)); err != nil {
		t.Fatal(err)
	}
	if _, err := e.mrp(protocols[1]).ImportPlant(ctx, connect.NewRequest(&mrpv1.ImportPlantRequest{Csv: boxPlant, Date: "2026-12-01"})); err != nil {
		t.Fatal(err)
	}
	anonMRP := mrpv1connect.NewMRPServiceClient(e.hc, e.url)
	anonGET := mrpv1connect.NewMRPServiceClient(e.hc, e.url, connect.WithHTTPGet(), connect.WithProtoJSON())
	anonBOM := bomv1connect.NewBOMServiceClient(e.hc, e.url)
	promise := func(c mrpv1connect.MRPServiceClient, n int) *mrpv1.PromiseResponse {
		t.Helper()
		res, err := c.Promise(ctx, connect.NewRequest(&mrpv1.PromiseRequest{Item: "BOX", Qty: 2, Date: "2026-12-02",
			Configuration: []*configuratorv1.Assignment{{Char: "n", Values: []string{strconv.Itoa(n)}}}}))
		if err != nil {
			t.Fatalf("Promise n=%d: %v", n, err)
		}
		return res.Msg
	}
	stats := func() (*bomv1.GetStatsResponse, *mrpv1.GetPlanStatsResponse) {
		t.Helper()
		bs, err := anonBOM.GetStats(ctx, connect.NewRequest(&bomv1.GetStatsRequest{}))
		if err != nil {
			t.Fatal(err)
		}
		ps, err := anonMRP.GetPlanStats(ctx, connect.NewRequest(&mrpv1.GetPlanStatsRequest{}))
		if err != nil {
			t.Fatal(err)
		}
		return bs.Msg, ps.Msg
	}
	keys0, bytes0 := storeSize(t, e.db)
	bom0, plan0 := stats()
	heap0 := heapAlloc()

	first := promise(anonMRP, 500)
	maxItems := plan0.GetItems()
	for i := range 300 {
		c := anonMRP
		if i%3 == 0 {
			c = anonGET
		}
		promise(c, 100+i)
		_, ps := stats()
		maxItems = max(maxItems, ps.GetItems())
	}
	for _, target := range []*bomv1.Target{{Item: "SHELF", Date: "2027-07-01"}, {Item: "SHELF", Date: "2026-12-24"}} {
		cr, err := anonBOM.CostRollup(ctx, connect.NewRequest(&bomv1.CostRollupRequest{Target: target}))
		if err != nil {
			t.Fatal(err)
		}
		// SHELF: 1 sheet at 2.00 until 2027-05-31, 2 sheets from 2027-06-01.
		want := map[string]string{"2027-07-01": "4", "2026-12-24": "2"}[target.GetDate()]
		if cr.Msg.GetMaterial().GetAmount() != want {
			t.Errorf("CostRollup SHELF on %s: material %v, want %v", target.GetDate(), cr.Msg.GetMaterial(), want)
		}
		if _, err := anonBOM.LeadTime(ctx, connect.NewRequest(&bomv1.LeadTimeRequest{Target: target})); err != nil {
			t.Fatal(err)
		}
	}
	again := promise(anonMRP, 500)
	heap1 := heapAlloc()

	keys1, bytes1 := storeSize(t, e.db)
	if keys1 != keys0 || bytes1 != bytes0 {
		t.Errorf("anonymous reads changed the store: %d keys %d bytes -> %d keys %d bytes", keys0, bytes0, keys1, bytes1)
	}
	bom1, plan1 := stats()
	if bom1.GetVariants() != bom0.GetVariants() || bom1.GetNodes() != bom0.GetNodes() {
		t.Errorf("variants %d -> %d, nodes %d -> %d", bom0.GetVariants(), bom1.GetVariants(), bom0.GetNodes(), bom1.GetNodes())
	}
	maxItems = max(maxItems, plan1.GetItems())
	// At most MaxQuoteItems gathered, plus the two of the quote that
	// crossed the bound.
	if limit := plan0.GetItems() + maxQuoteItems + 2; maxItems > limit {
		t.Errorf("the plan grew to %d items (from %d; bound %d)", maxItems, plan0.GetItems(), limit)
	}
	// ... and they did gather up to the bound: the drop was exercised.
	if maxItems < plan0.GetItems()+maxQuoteItems {
		t.Errorf("the plan had at most %d items (from %d): quotes did not reach the bound %d", maxItems, plan0.GetItems(), maxQuoteItems)
	}
	if plan1.GetPlannedOrders() != plan0.GetPlannedOrders() {
		t.Errorf("quotes changed the plan: %d -> %d planned orders", plan0.GetPlannedOrders(), plan1.GetPlannedOrders())
	}
	if fmt.Sprint(first) != fmt.Sprint(again) {
		t.Errorf("the same quote answers differently after the plan dropped its quote items:\n%v\n%v", first, again)
	}
	// The heap of this process (server and client): 300 quotes of new
	// variants keep nothing that grows with their number.
	t.Logf("300 quotes: store %d keys %d bytes before and after; plan items %d, at most %d, %d after; heap %d -> %d bytes",
		keys0, bytes0, plan0.GetItems(), maxItems, plan1.GetItems(), heap0, heap1)
	if heap1 > heap0+8<<20 {
		t.Errorf("heap grew from %d to %d bytes over 300 quotes", heap0, heap1)
	}

	// Ordering a quoted configuration is the write that stores it.
	up, err := e.mrp(protocols[1]).UpsertDemands(ctx, connect.NewRequest(&mrpv1.UpsertDemandsRequest{Demands: []*mrpv1.Demand{
		{Id: "SO-2", Item: "BOX", Qty: 2, DueDate: "2027-02-01", Configuration: []*configuratorv1.Assignment{{Char: "n", Values: []string{"500"}}}}}}))
	if err != nil {
		t.Fatal(err)
	}
	if up.Msg.GetItems()[0].GetItem() != first.GetItem() {
		t.Errorf("demand planned on %s, the quote on %s", up.Msg.GetItems()[0].GetItem(), first.GetItem())
	}
	// The planning item is an ID Promise takes too (the one it answers
	// with), without the configuration: the same answer.
	byID, err := e.mrp(protocols[1]).Promise(ctx, connect.NewRequest(&mrpv1.PromiseRequest{Item: first.GetItem(), Qty: 1, Date: "2027-03-01"}))
	if err != nil {
		t.Fatalf("Promise of the planning item %s: %v", first.GetItem(), err)
	}
	byCfg, err := e.mrp(protocols[1]).Promise(ctx, connect.NewRequest(&mrpv1.PromiseRequest{Item: "BOX", Qty: 1, Date: "2027-03-01",
		Configuration: []*configuratorv1.Assignment{{Char: "n", Values: []string{"500"}}}}))
	if err != nil {
		t.Fatal(err)
	}
	if byID.Msg.GetItem() != byCfg.Msg.GetItem() || byID.Msg.GetDate() != byCfg.Msg.GetDate() || byID.Msg.GetAtp() != byCfg.Msg.GetAtp() {
		t.Errorf("Promise of %s: %v; of its configuration: %v", first.GetItem(), byID.Msg, byCfg.Msg)
	}
	// MRP explodes BOMs by date, so an order's configuration is resolved
	// once per effectivity epoch of the planning window: SHELF's change on
	// 2027-06-01 makes two, with the same two new nodes (BOX's, PANEL's).
	bom2, _ := stats()
	if bom2.GetVariants() != bom0.GetVariants()+2 || bom2.GetNodes() != bom0.GetNodes()+2 {
		t.Errorf("after ordering: variants %d -> %d, nodes %d -> %d, want +2 (one per epoch) and +2", bom0.GetVariants(), bom2.GetVariants(), bom0.GetNodes(), bom2.GetNodes())
	}
}
