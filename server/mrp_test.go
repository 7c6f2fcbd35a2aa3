package server_test

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"connectrpc.com/connect"

	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
	"github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1/mrpv1connect"
	rpcv1 "github.com/ctoplan/ctoplan/gen/ctoplan/rpc/v1"
	"github.com/ctoplan/ctoplan/kv"
	"github.com/ctoplan/ctoplan/mrp"
)

// The tiny plant: ten triplex trucks due mid-January, five service chains,
// some steel on hand and an open chain purchase order.
var tinyPlant = []*mrpv1.CSVFile{
	{Name: "stock.csv", Text: "item,qty\nSTEEL,100\n"},
	{Name: "demands.csv", Text: "id,item,qty,due_date,priority,config\n" +
		"SO-1,TRUCK,10,2027-01-15,1,mast=triplex;capacity=t25;lift_height=2000\n" +
		"SP-1,CHAIN,5,2027-01-20,,\n"},
	{Name: "receipts.csv", Text: "id,item,qty,due_date,kind\nPO-1,CHAIN,20,2026-12-20,purchase\n"},
}

func (e *env) mrp(p protocol) mrpv1connect.MRPServiceClient {
	return mrpv1connect.NewMRPServiceClient(e.client(p), e.url, e.writeOpts(p)...)
}

func importTinyPlant(t *testing.T, e *env, p protocol) *mrpv1.ImportPlantResponse {
	t.Helper()
	importTiny(t, e, p)
	res, err := e.mrp(p).ImportPlant(context.Background(), connect.NewRequest(&mrpv1.ImportPlantRequest{Csv: tinyPlant, Date: "2026-12-01"}))
	if err != nil {
		t.Fatal(err)
	}
	return res.Msg
}

func orders(t *testing.T, c mrpv1connect.MRPServiceClient, req *mrpv1.ListPlannedOrdersRequest) []*mrpv1.PlannedOrder {
	t.Helper()
	s, err := c.ListPlannedOrders(context.Background(), connect.NewRequest(req))
	if err != nil {
		t.Fatal(err)
	}
	var out []*mrpv1.PlannedOrder
	for _, b := range collect(t, s) {
		out = append(out, b.GetOrders()...)
	}
	return out
}

func TestMRPService(t *testing.T) {
	for _, p := range protocols {
		t.Run(p.name, func(t *testing.T) {
			e := start(t)
			ctx := context.Background()
			imp := importTinyPlant(t, e, p)
			if imp.GetDemands() != 2 || imp.GetReceipts() != 1 || imp.GetStock() != 1 || imp.GetRun().GetPlannedOrders() == 0 || imp.GetRun().GetDate() != "2026-12-01" {
				t.Fatalf("ImportPlant: %v", imp)
			}
			c := e.mrp(p)

			// The order's supply tree: a production order for the configured
			// truck, its frame and triplex mast, purchase requisitions for
			// chain and steel; every one pegged to SO-1.
			os := orders(t, c, &mrpv1.ListPlannedOrdersRequest{Demand: "SO-1", WithPegging: true})
			kinds := map[string]mrpv1.OrderKind{}
			var truck *mrpv1.PlannedOrder
			for _, o := range os {
				base, _, _ := strings.Cut(o.GetItem(), "@")
				kinds[base] = o.GetKind()
				if base == "TRUCK" {
					truck = o
				}
				if !slices.ContainsFunc(o.GetPeggedTo(), func(d *mrpv1.DemandShare) bool { return d.GetDemand() == "SO-1" }) {
					t.Errorf("order %s in SO-1's tree is not pegged to it: %v", o.GetId(), o.GetPeggedTo())
				}
			}
			if kinds["TRUCK"] != mrpv1.OrderKind_ORDER_KIND_PRODUCTION || kinds["MAST-T"] != mrpv1.OrderKind_ORDER_KIND_PRODUCTION ||
				kinds["STEEL"] != mrpv1.OrderKind_ORDER_KIND_PURCHASE || kinds["MAST-D"] != 0 {
				t.Fatalf("SO-1's orders: %v", kinds)
			}
			if truck.GetQty() != 10 || truck.GetDueDate() != "2027-01-15" || len(truck.GetOperations()) != 1 {
				t.Errorf("truck order: %v", truck)
			}
			all := orders(t, c, &mrpv1.ListPlannedOrdersRequest{})
			if len(all) < len(os) {
				t.Errorf("all orders %d < SO-1's %d", len(all), len(os))
			}
			steel := orders(t, c, &mrpv1.ListPlannedOrdersRequest{Item: "STEEL"})
			// 10 frames x 120 kg x 1.05 = 1260 kg, 100 on hand.
			if len(steel) != 1 || steel[0].GetQty() != 1160 {
				t.Errorf("steel orders: %v", steel)
			}

			ps, err := c.PegOrder(ctx, connect.NewRequest(&mrpv1.PegOrderRequest{Order: steel[0].GetId()}))
			if err != nil || len(ps.Msg.GetDemands()) != 1 || ps.Msg.GetDemands()[0].GetDemand() != "SO-1" {
				t.Errorf("PegOrder: %v %v", ps, err)
			}

			stream, err := c.PegDemand(ctx, connect.NewRequest(&mrpv1.PegDemandRequest{Demand: "SO-1"}))
			if err != nil {
				t.Fatal(err)
			}
			var pegs []*mrpv1.Peg
			for _, b := range collect(t, stream) {
				pegs = append(pegs, b.GetPegs()...)
			}
			if len(pegs) < 5 || pegs[0].GetLevel() != 0 || pegs[0].GetQty() != 10 || !strings.HasPrefix(pegs[0].GetItem(), "TRUCK@") {
				t.Errorf("PegDemand: %v", pegs)
			}
			// Steel: 100 from stock, 1160 planned.
			var fromStock, planned float64
			for _, pg := range pegs {
				if pg.GetItem() == "STEEL" {
					switch pg.GetSupplyKind() {
					case mrpv1.SupplyKind_SUPPLY_KIND_STOCK:
						fromStock += pg.GetQty()
					case mrpv1.SupplyKind_SUPPLY_KIND_PLANNED:
						planned += pg.GetQty()
					}
				}
			}
			if fromStock != 100 || planned != 1160 {
				t.Errorf("steel pegged: %v from stock, %v planned", fromStock, planned)
			}
			// The first two levels only: the whole tree's nodes of levels
			// 0 and 1 in its order, those of level 1 with supplies below
			// them cut (the frame and the mast are made of steel and
			// chain), nothing else cut.
			stream, err = c.PegDemand(ctx, connect.NewRequest(&mrpv1.PegDemandRequest{Demand: "SO-1", Levels: 2}))
			if err != nil {
				t.Fatal(err)
			}
			var two []*mrpv1.Peg
			for _, b := range collect(t, stream) {
				two = append(two, b.GetPegs()...)
			}
			var want []string
			for k, pg := range pegs {
				if pg.GetLevel() < 2 {
					below := k+1 < len(pegs) && pegs[k+1].GetLevel() > pg.GetLevel()
					want = append(want, fmt.Sprintf("%d %s %s %v %v", pg.GetLevel(), pg.GetItem(), pg.GetSupply(), pg.GetQty(), pg.GetLevel() == 1 && below))
				}
			}
			var got []string
			cut := 0
			for _, pg := range two {
				got = append(got, fmt.Sprintf("%d %s %s %v %v", pg.GetLevel(), pg.GetItem(), pg.GetSupply(), pg.GetQty(), pg.GetCut()))
				if pg.GetCut() {
					cut++
				}
			}
			if !slices.Equal(got, want) || cut == 0 || len(two) >= len(pegs) {
				t.Errorf("PegDemand, 2 levels:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			stream, err = c.PegDemand(ctx, connect.NewRequest(&mrpv1.PegDemandRequest{Demand: "SO-1", Levels: -1}))
			if err == nil {
				for stream.Receive() {
				}
				err = stream.Err()
			}
			if connect.CodeOf(err) != connect.CodeInvalidArgument || !strings.Contains(err.Error(), "levels") {
				t.Errorf("PegDemand, -1 levels: %v, want InvalidArgument naming levels", err)
			}

			rec, err := c.GetRecord(ctx, connect.NewRequest(&mrpv1.GetRecordRequest{Item: "CHAIN"}))
			if err != nil || len(rec.Msg.GetDays()) == 0 || rec.Msg.GetDays()[0].GetReceipts() != 20 {
				t.Errorf("GetRecord CHAIN: %v %v", rec, err)
			}

			// Net change: a rush order due within the lead time, with picks.
			up, err := c.UpsertDemands(ctx, connect.NewRequest(&mrpv1.UpsertDemandsRequest{Demands: []*mrpv1.Demand{{
				Id: "SO-2", Item: "TRUCK", Qty: 2, DueDate: "2026-12-04", Picks: []*configuratorv1.Pick{pick("mast", "duplex")}}}}))
			if err != nil {
				t.Fatal(err)
			}
			ch := up.Msg.GetChange()
			if len(ch.GetTouched()) == 0 || int(ch.GetItems()) <= len(ch.GetTouched()) || !slices.Contains(ch.GetTouched(), "MAST-D") {
				t.Errorf("UpsertDemands: %v", ch)
			}
			if it := up.Msg.GetItems(); len(it) != 1 || !strings.HasPrefix(it[0].GetItem(), "TRUCK@") || len(it[0].GetVariant()) != 64 {
				t.Errorf("planning items: %v", it)
			}
			exs, err := c.ListExceptions(ctx, connect.NewRequest(&mrpv1.ListExceptionsRequest{}))
			if err != nil {
				t.Fatal(err)
			}
			var late bool
			for _, b := range collect(t, exs) {
				for _, x := range b.GetExceptions() {
					late = late || (x.GetKind() == mrpv1.ExceptionKind_EXCEPTION_KIND_LATE && x.GetRef() == "SO-2")
				}
			}
			if !late {
				t.Error("no late exception for SO-2, due within its lead time")
			}

			pr, err := c.Promise(ctx, connect.NewRequest(&mrpv1.PromiseRequest{Item: "TRUCK", Qty: 3, Date: "2026-12-02",
				Picks: []*configuratorv1.Pick{pick("mast", "triplex")}}))
			if err != nil {
				t.Fatal(err)
			}
			if !pr.Msg.GetLate() || pr.Msg.GetDate() <= "2026-12-02" || pr.Msg.GetLimit() == "" {
				t.Errorf("Promise: %v", pr.Msg)
			}

			if _, err := c.UpsertReceipts(ctx, connect.NewRequest(&mrpv1.UpsertReceiptsRequest{Receipts: []*mrpv1.Receipt{
				{Id: "PO-2", Item: "STEEL", Qty: 500, DueDate: "2026-12-10", Kind: mrpv1.ReceiptKind_RECEIPT_KIND_PURCHASE}}})); err != nil {
				t.Fatal(err)
			}
			if _, err := c.SetStock(ctx, connect.NewRequest(&mrpv1.SetStockRequest{Stock: []*mrpv1.Stock{{Item: "CHAIN", Qty: 7}}})); err != nil {
				t.Fatal(err)
			}
			if _, err := c.DeleteReceipts(ctx, connect.NewRequest(&mrpv1.DeleteReceiptsRequest{Ids: []string{"PO-1"}})); err != nil {
				t.Fatal(err)
			}
			if _, err := c.DeleteDemands(ctx, connect.NewRequest(&mrpv1.DeleteDemandsRequest{Ids: []string{"SO-2"}})); err != nil {
				t.Fatal(err)
			}
			st, err := c.GetPlanStats(ctx, connect.NewRequest(&mrpv1.GetPlanStatsRequest{}))
			if err != nil || st.Msg.GetDemands() != 2 || st.Msg.GetReceipts() != 1 || st.Msg.GetDate() != "2026-12-01" {
				t.Errorf("GetPlanStats: %v %v", st, err)
			}
			run, err := c.Run(ctx, connect.NewRequest(&mrpv1.RunRequest{}))
			if err != nil || run.Msg.GetPlannedOrders() != st.Msg.GetPlannedOrders() {
				t.Errorf("Run after the net changes plans differently: %v vs %v (%v)", run, st, err)
			}

			bs, err := c.Backup(ctx, connect.NewRequest(&mrpv1.BackupRequest{}))
			if err != nil {
				t.Fatal(err)
			}
			var backup []byte
			for _, b := range collect(t, bs) {
				backup = append(backup, b.GetChunk()...)
			}
			if !bytes.HasPrefix(backup, []byte("ctoplan-kv-backup 1\n")) {
				t.Errorf("backup starts %q", backup[:min(len(backup), 30)])
			}
			restored := kv.NewMemory()
			if err := kv.Restore(ctx, restored, bytes.NewReader(backup), 0); err != nil {
				t.Errorf("backup does not restore: %v", err)
			}
		})
	}
}

// TestMRPRestart: plant data survives a restart and gives the same plan.
func TestMRPRestart(t *testing.T) {
	p := protocols[1]
	db := kv.NewMemory()
	defer db.Close()
	e := startOn(t, db, false)
	importTinyPlant(t, e, p)
	if _, err := e.mrp(p).UpsertDemands(context.Background(), connect.NewRequest(&mrpv1.UpsertDemandsRequest{Demands: []*mrpv1.Demand{{
		Id: "SO-2", Item: "TRUCK", Qty: 2, DueDate: "2027-02-04", Picks: []*configuratorv1.Pick{pick("mast", "duplex")}}}})); err != nil {
		t.Fatal(err)
	}
	before := orders(t, e.mrp(p), &mrpv1.ListPlannedOrdersRequest{})
	if err := e.stop(); err != nil {
		t.Fatal(err)
	}
	e = startOn(t, db, false)
	after := orders(t, e.mrp(p), &mrpv1.ListPlannedOrdersRequest{})
	if len(before) == 0 || len(after) != len(before) {
		t.Fatalf("%d orders before the restart, %d after", len(before), len(after))
	}
	for i := range before {
		if before[i].String() != after[i].String() {
			t.Errorf("order %d: %v before, %v after", i, before[i], after[i])
		}
	}

	// A net change after the restart plans as one without the restart.
	so3 := connect.NewRequest(&mrpv1.UpsertDemandsRequest{Demands: []*mrpv1.Demand{{
		Id: "SO-3", Item: "TRUCK", Qty: 7, DueDate: "2027-01-08", Picks: []*configuratorv1.Pick{pick("mast", "triplex")}}}})
	if _, err := e.mrp(p).UpsertDemands(context.Background(), so3); err != nil {
		t.Fatal(err)
	}
	restarted := orders(t, e.mrp(p), &mrpv1.ListPlannedOrdersRequest{})
	o := start(t)
	importTinyPlant(t, o, p)
	for _, d := range []*mrpv1.Demand{
		{Id: "SO-2", Item: "TRUCK", Qty: 2, DueDate: "2027-02-04", Picks: []*configuratorv1.Pick{pick("mast", "duplex")}},
		{Id: "SO-3", Item: "TRUCK", Qty: 7, DueDate: "2027-01-08", Picks: []*configuratorv1.Pick{pick("mast", "triplex")}},
	} {
		if _, err := o.mrp(p).UpsertDemands(context.Background(), connect.NewRequest(&mrpv1.UpsertDemandsRequest{Demands: []*mrpv1.Demand{d}})); err != nil {
			t.Fatal(err)
		}
	}
	never := orders(t, o.mrp(p), &mrpv1.ListPlannedOrdersRequest{})
	if len(never) != len(restarted) {
		t.Fatalf("%d orders with a restart, %d without", len(restarted), len(never))
	}
	for i := range never {
		if never[i].String() != restarted[i].String() {
			t.Errorf("order %d: %v with a restart, %v without", i, restarted[i], never[i])
		}
	}
}

func TestMRPErrors(t *testing.T) {
	p := protocols[1]
	e := start(t)
	ctx := context.Background()
	c := e.mrp(p)
	_, err := c.GetPlanStats(ctx, connect.NewRequest(&mrpv1.GetPlanStatsRequest{}))
	wantCode(t, err, connect.CodeFailedPrecondition)

	importTinyPlant(t, e, p)
	before := orders(t, c, &mrpv1.ListPlannedOrdersRequest{})

	// Bad rows in two files: all reported, nothing changes.
	_, err = c.ImportPlant(ctx, connect.NewRequest(&mrpv1.ImportPlantRequest{Date: "2026-12-01", Csv: []*mrpv1.CSVFile{
		{Name: "stock.csv", Text: "item,qty\nSTEEL,lots\n"},
		{Name: "demands.csv", Text: "id,item,qty,due_date\nSO-9,TRUCK,1,2027-13-01\n"},
	}}))
	se := detail[*rpcv1.SourceErrors](t, wantCode(t, err, connect.CodeInvalidArgument))
	if len(se.GetErrors()) != 2 || se.GetErrors()[0].GetFile() != "stock.csv" || se.GetErrors()[0].GetLine() != 2 || se.GetErrors()[0].GetColumn() != "qty" ||
		se.GetErrors()[1].GetColumn() != "due_date" {
		t.Errorf("bad rows: %v", se)
	}
	// An invalid configuration in demands.csv names the row.
	_, err = c.ImportPlant(ctx, connect.NewRequest(&mrpv1.ImportPlantRequest{Date: "2026-12-01", Csv: []*mrpv1.CSVFile{
		{Name: "demands.csv", Text: "id,item,qty,due_date,config\nSO-9,TRUCK,1,2027-01-01,mast=triplex;capacity=t15;lift_height=2000\n"},
	}}))
	se = detail[*rpcv1.SourceErrors](t, wantCode(t, err, connect.CodeInvalidArgument))
	if len(se.GetErrors()) != 1 || se.GetErrors()[0].GetLine() != 2 || se.GetErrors()[0].GetColumn() != "config" {
		t.Errorf("invalid configuration row: %v", se)
	}
	if after := orders(t, c, &mrpv1.ListPlannedOrdersRequest{}); len(after) != len(before) {
		t.Errorf("a failed import changed the plan: %d -> %d orders", len(before), len(after))
	}

	for _, tc := range []struct {
		name string
		call func() error
		code connect.Code
	}{
		{"unknown demand", func() error {
			_, err := c.DeleteDemands(ctx, connect.NewRequest(&mrpv1.DeleteDemandsRequest{Ids: []string{"SO-404"}}))
			return err
		}, connect.CodeNotFound},
		{"unknown item", func() error {
			_, err := c.GetRecord(ctx, connect.NewRequest(&mrpv1.GetRecordRequest{Item: "NOPE"}))
			return err
		}, connect.CodeNotFound},
		{"unknown order", func() error {
			_, err := c.PegOrder(ctx, connect.NewRequest(&mrpv1.PegOrderRequest{Order: "NOPE#1"}))
			return err
		}, connect.CodeNotFound},
		{"invalid configuration", func() error {
			_, err := c.UpsertDemands(ctx, connect.NewRequest(&mrpv1.UpsertDemandsRequest{Demands: []*mrpv1.Demand{{
				Id: "SO-3", Item: "TRUCK", Qty: 1, DueDate: "2027-02-01", Picks: []*configuratorv1.Pick{pick("mast", "triplex"), pick("capacity", "t15")}}}}))
			return err
		}, connect.CodeFailedPrecondition},
		{"bad date", func() error {
			_, err := c.UpsertDemands(ctx, connect.NewRequest(&mrpv1.UpsertDemandsRequest{Demands: []*mrpv1.Demand{{Id: "SP-2", Item: "CHAIN", Qty: 1, DueDate: "soon"}}}))
			return err
		}, connect.CodeInvalidArgument},
		// "0001-01-01" is no day to plan: it read as the zero time, "no date"
		{"year 1", func() error {
			_, err := c.UpsertDemands(ctx, connect.NewRequest(&mrpv1.UpsertDemandsRequest{Demands: []*mrpv1.Demand{{Id: "SP-2", Item: "CHAIN", Qty: 1, DueDate: "0001-01-01"}}}))
			if err == nil || !strings.Contains(err.Error(), "demands[0].due_date") {
				t.Errorf("due date 0001-01-01: %v, want the field named", err)
			}
			return err
		}, connect.CodeInvalidArgument},
		{"promise in year 0", func() error {
			_, err := c.Promise(ctx, connect.NewRequest(&mrpv1.PromiseRequest{Item: "CHAIN", Qty: 1, Date: "0000-01-01"}))
			return err
		}, connect.CodeInvalidArgument},
		{"firm due in year 1", func() error {
			_, err := c.FirmOrder(ctx, connect.NewRequest(&mrpv1.FirmOrderRequest{Order: "NOPE#1", DueDate: "0001-01-01"}))
			return err
		}, connect.CodeInvalidArgument},
		{"an empty date range", func() error {
			_, err := c.CapacityLoad(ctx, connect.NewRequest(&mrpv1.CapacityLoadRequest{From: "2027-03-01", To: "2027-02-01"}))
			if err == nil || !strings.Contains(err.Error(), "to: 2027-02-01 is before from 2027-03-01") {
				t.Errorf("to before from: %v", err)
			}
			return err
		}, connect.CodeInvalidArgument},
		{"zero quantity", func() error {
			_, err := c.Promise(ctx, connect.NewRequest(&mrpv1.PromiseRequest{Item: "CHAIN"}))
			return err
		}, connect.CodeInvalidArgument},
		// one request, two entries for one record: which one wins? an
		// input error, naming both (before: accepted, or "not found")
		{"a demand twice", func() error {
			_, err := c.UpsertDemands(ctx, connect.NewRequest(&mrpv1.UpsertDemandsRequest{Demands: []*mrpv1.Demand{
				{Id: "SP-2", Item: "CHAIN", Qty: 1, DueDate: "2027-02-01"}, {Id: "SP-2", Item: "CHAIN", Qty: 2, DueDate: "2027-02-01"}}}))
			if err == nil || !strings.Contains(err.Error(), `demands[1].id: "SP-2" given again (first at demands[0])`) {
				t.Errorf("a demand twice: %v", err)
			}
			return err
		}, connect.CodeInvalidArgument},
		{"a demand deleted twice", func() error {
			_, err := c.DeleteDemands(ctx, connect.NewRequest(&mrpv1.DeleteDemandsRequest{Ids: []string{"SO-1", "SO-1"}}))
			return err
		}, connect.CodeInvalidArgument},
		{"stock of an item twice", func() error {
			_, err := c.SetStock(ctx, connect.NewRequest(&mrpv1.SetStockRequest{Stock: []*mrpv1.Stock{{Item: "CHAIN", Qty: 1}, {Item: "CHAIN", Qty: 5}}}))
			return err
		}, connect.CodeInvalidArgument},
		{"a receipt twice", func() error {
			_, err := c.UpsertReceipts(ctx, connect.NewRequest(&mrpv1.UpsertReceiptsRequest{Receipts: []*mrpv1.Receipt{
				{Id: "PO-9", Item: "CHAIN", Qty: 1, DueDate: "2027-02-01"}, {Id: "PO-9", Item: "CHAIN", Qty: 2, DueDate: "2027-02-01"}}}))
			return err
		}, connect.CodeInvalidArgument},
		{"configured standard item", func() error {
			_, err := c.Promise(ctx, connect.NewRequest(&mrpv1.PromiseRequest{Item: "CHAIN", Qty: 1, Picks: []*configuratorv1.Pick{pick("mast", "triplex")}}))
			return err
		}, connect.CodeInvalidArgument},
	} {
		wantCode(t, tc.call(), tc.code)
	}
	if after := orders(t, c, &mrpv1.ListPlannedOrdersRequest{}); len(after) != len(before) {
		t.Errorf("failed changes changed the plan: %d -> %d orders", len(before), len(after))
	}
}

// TestPegLimitOverRPC: an order serving more demands than the planner's
// peg limit (mrp.DefaultPegLimit) lists that many in pegged_to, in ID
// order, and the part serving the others in pegged_rest, in the listing
// and in PegOrder alike; listed and rest add up to the order.
func TestPegLimitOverRPC(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	importTinyPlant(t, e, protocols[0])
	c := e.mrp(protocols[0])
	var ds []*mrpv1.Demand
	for k := range mrp.DefaultPegLimit + 6 {
		ds = append(ds, &mrpv1.Demand{Id: fmt.Sprintf("R-%02d", k), Item: "CHAIN", Qty: 3, DueDate: "2027-03-01"})
	}
	if _, err := c.UpsertDemands(ctx, connect.NewRequest(&mrpv1.UpsertDemandsRequest{Demands: ds})); err != nil {
		t.Fatal(err)
	}
	var order *mrpv1.PlannedOrder
	for _, o := range orders(t, c, &mrpv1.ListPlannedOrdersRequest{Item: "CHAIN", WithPegging: true}) {
		if o.GetDueDate() == "2027-03-01" {
			order = o
		}
	}
	if order == nil {
		t.Fatal("no CHAIN order due 2027-03-01")
	}
	check := func(how string, sh []*mrpv1.DemandShare, rest float64) {
		t.Helper()
		sum := rest
		for k, d := range sh {
			sum += d.GetQty()
			if k > 0 && d.GetDemand() <= sh[k-1].GetDemand() {
				t.Errorf("%s: not in ID order: %v", how, sh)
			}
		}
		if len(sh) != mrp.DefaultPegLimit || rest <= 0 || math.Abs(sum-order.GetQty()) > 1e-9 {
			t.Errorf("%s: %d demands listed, rest %g, sum %g, order %g: %v", how, len(sh), rest, sum, order.GetQty(), sh)
		}
	}
	check("listing", order.GetPeggedTo(), order.GetPeggedRest())
	res, err := c.PegOrder(ctx, connect.NewRequest(&mrpv1.PegOrderRequest{Order: order.GetId()}))
	if err != nil {
		t.Fatal(err)
	}
	check("PegOrder", res.Msg.GetDemands(), res.Msg.GetRest())
}

// TestPastHorizonOverRPC: GetPlanStats counts the demand lines due past
// the horizon (not planned); a longer horizon plans them.
func TestPastHorizonOverRPC(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	importTinyPlant(t, e, protocols[0])
	c := e.mrp(protocols[0])
	stats := func() *mrpv1.GetPlanStatsResponse {
		t.Helper()
		s, err := c.GetPlanStats(ctx, connect.NewRequest(&mrpv1.GetPlanStatsRequest{}))
		if err != nil {
			t.Fatal(err)
		}
		return s.Msg
	}
	if s := stats(); s.GetPastHorizon() != 0 || s.GetHorizon() != 365 {
		t.Fatalf("before: %v", s)
	}
	// the plan starts 2026-12-01: 2028-06-01 is past 365 days, and the
	// answer says so line by line (a write that plans nothing said
	// nothing); 2027-06-01 is within it
	up, err := c.UpsertDemands(ctx, connect.NewRequest(&mrpv1.UpsertDemandsRequest{Demands: []*mrpv1.Demand{
		{Id: "FAR-1", Item: "CHAIN", Qty: 4, DueDate: "2028-06-01"}, {Id: "NEAR-1", Item: "CHAIN", Qty: 4, DueDate: "2027-06-01"}}}))
	if err != nil {
		t.Fatal(err)
	}
	if it := up.Msg.GetItems(); len(it) != 2 || !it[0].GetPastHorizon() || it[1].GetPastHorizon() {
		t.Errorf("planning items %v: want FAR-1 past the horizon, NEAR-1 not", it)
	}
	if s := stats(); s.GetPastHorizon() != 1 {
		t.Fatalf("a line due 2028-06-01: %d past the horizon", s.GetPastHorizon())
	}
	if _, err := c.Run(ctx, connect.NewRequest(&mrpv1.RunRequest{Horizon: 800})); err != nil {
		t.Fatal(err)
	}
	if s := stats(); s.GetPastHorizon() != 0 || s.GetHorizon() != 800 {
		t.Fatalf("horizon 800: %v", s)
	}
}
