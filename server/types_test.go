package server_test

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"

	"connectrpc.com/connect"

	bomv1 "github.com/ctoplan/ctoplan/gen/ctoplan/bom/v1"
	"github.com/ctoplan/ctoplan/gen/ctoplan/bom/v1/bomv1connect"
	"github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1/configuratorv1connect"
	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
	"github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1/mrpv1connect"
	rpcv1 "github.com/ctoplan/ctoplan/gen/ctoplan/rpc/v1"
	"github.com/ctoplan/ctoplan/server"
)

func withCurrency(c string) startOpt { return func(o *server.Options) { o.Currency = c } }

// at follows a path of keys and list indexes into decoded JSON.
func at(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			l, _ := v.([]any)
			if k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

// TestJSONTypes: what a browser client reads over Connect JSON, written
// out by hand from the tiny data (bom_test.go, mrp_test.go): quantities
// are JSON numbers, money is {currencyCode, amount} with an exact decimal
// string, closed sets are enum names.
func TestJSONTypes(t *testing.T) {
	e := start(t, withCurrency("CNY"))
	importTinyPlant(t, e, protocols[0])
	money := func(cur, amount string) map[string]any { return map[string]any{"currencyCode": cur, "amount": amount} }
	for _, tc := range []struct {
		proc, body string
		path       []any
		want       any
	}{
		// CHAIN,Chain,pc,buy,10,12.5: a cost in the server's currency.
		{bomv1connect.BOMServiceGetItemProcedure, `{"id":"CHAIN"}`, []any{"item", "unitCost"}, money("CNY", "12.5")},
		{bomv1connect.BOMServiceGetItemProcedure, `{"id":"CHAIN"}`, []any{"item", "lotPolicy"}, "LOT_POLICY_LOT_FOR_LOT"},
		{bomv1connect.BOMServiceGetItemProcedure, `{"id":"CHAIN"}`, []any{"item", "kind"}, "ITEM_KIND_BUY"},
		// FRAME: steel 120 kg + 5% scrap = 126 kg x 2 = 252; setup 0.5 h
		// x 60 = 30 over a lot of 1; run 1 h x 60 = 60; total 342.
		{bomv1connect.BOMServiceCostRollupProcedure, `{"target":{"item":"FRAME"},"lotSize":1}`, []any{"material"}, money("CNY", "252")},
		{bomv1connect.BOMServiceCostRollupProcedure, `{"target":{"item":"FRAME"},"lotSize":1}`, []any{"setup"}, money("CNY", "30")},
		{bomv1connect.BOMServiceCostRollupProcedure, `{"target":{"item":"FRAME"},"lotSize":1}`, []any{"run"}, money("CNY", "60")},
		{bomv1connect.BOMServiceCostRollupProcedure, `{"target":{"item":"FRAME"},"lotSize":3}`, []any{"total"}, money("CNY", "322")}, // setup 30/3 = 10
		// Prices are in the model's currency (tiny: EUR), not the server's:
		// t25 1800 + triplex 2500 = 4300.
		{configuratorv1connect.ConfiguratorServiceCompleteProcedure, `{"model":"tiny","picks":[{"char":"capacity","value":"t25"},{"char":"mast","value":"triplex"}]}`,
			[]any{"price"}, money("EUR", "4300")},
		// STEEL: 100 on hand (stock.csv), a JSON number, not "100".
		{mrpv1connect.MRPServiceGetRecordProcedure, `{"item":"STEEL"}`, []any{"onHand"}, 100.0},
		// PO-1,CHAIN,20: the record's receipt on 2026-12-20.
		{mrpv1connect.MRPServiceGetRecordProcedure, `{"item":"CHAIN"}`, []any{"days", 0, "receipts"}, 20.0},
		{mrpv1connect.MRPServiceGetPlanStatsProcedure, `{}`, []any{"demands"}, 2.0},
	} {
		code, body := e.postJSON(tc.proc, tc.body, true)
		if got := at(body, tc.path...); code != 200 || !reflect.DeepEqual(got, tc.want) {
			b, _ := json.Marshal(body)
			t.Errorf("%s %s: %v = %#v, want %#v\n%s", tc.proc, tc.body, tc.path, got, tc.want, b)
		}
	}
	// A value's price is Money; a value without one has none.
	_, body := e.postJSON(configuratorv1connect.ConfiguratorServiceGetModelProcedure, `{"name":"tiny"}`, false)
	prices := map[string]any{}
	chars, _ := at(body, "characteristics").([]any)
	for _, ch := range chars {
		values, _ := at(ch, "values").([]any) // none for an int characteristic
		for _, v := range values {
			prices[at(v, "name").(string)] = at(v, "price")
		}
	}
	if !reflect.DeepEqual(prices["t25"], money("EUR", "1800")) || !reflect.DeepEqual(prices["triplex"], money("EUR", "2500")) || prices["duplex"] != nil {
		t.Errorf("GetModel prices %v", prices)
	}
}

// TestTypesRefused: quantities MRP cannot plan and money in another
// currency are InvalidArgument on the field, whatever the protocol.
func TestTypesRefused(t *testing.T) {
	e := start(t)
	importTinyPlant(t, e, protocols[0])
	ctx := context.Background()
	for _, p := range protocols {
		t.Run(p.name, func(t *testing.T) {
			m, b := e.mrp(p), e.bom(p)
			_, err := m.UpsertDemands(ctx, connect.NewRequest(&mrpv1.UpsertDemandsRequest{Demands: []*mrpv1.Demand{{Id: "SP-2", Item: "CHAIN", Qty: 2.5, DueDate: "2027-01-10"}}}))
			wantField(t, err, "demands[0].qty", "2.5 is not a whole number")
			_, err = m.UpsertDemands(ctx, connect.NewRequest(&mrpv1.UpsertDemandsRequest{Demands: []*mrpv1.Demand{{Id: "SP-2", Item: "CHAIN", Qty: 2e12, DueDate: "2027-01-10"}}}))
			wantField(t, err, "demands[0].qty", "2000000000000 not in (0, 1000000000000]")
			_, err = m.SetStock(ctx, connect.NewRequest(&mrpv1.SetStockRequest{Stock: []*mrpv1.Stock{{Item: "CHAIN", Qty: -1}}}))
			wantField(t, err, "stock[0].qty", "-1 not in [0, ")
			_, err = m.Promise(ctx, connect.NewRequest(&mrpv1.PromiseRequest{Item: "CHAIN", Qty: 0.25}))
			wantField(t, err, "qty", "not a whole number")
			_, err = m.UpsertReceipts(ctx, connect.NewRequest(&mrpv1.UpsertReceiptsRequest{Receipts: []*mrpv1.Receipt{{Id: "PO-7", Item: "CHAIN", Qty: 5, DueDate: "2027-01-10", Kind: 7}}}))
			wantField(t, err, "receipts[0].kind", "unknown receipt kind 7")
			_, err = b.Import(ctx, connect.NewRequest(&bomv1.ImportRequest{Items: []*bomv1.Item{{Id: "BOLT", Uom: "pc", Kind: bomv1.ItemKind_ITEM_KIND_BUY,
				UnitCost: &rpcv1.Money{CurrencyCode: "USD", Amount: "0.1"}}}}))
			wantField(t, err, "items[0].unit_cost.currency_code", `"USD": this server's master data is in EUR`)
			_, err = b.Import(ctx, connect.NewRequest(&bomv1.ImportRequest{WorkCenters: []*bomv1.WorkCenter{{Id: "PAINT", RatePerHour: &rpcv1.Money{Amount: "1e3"}}}}))
			wantField(t, err, "work_centers[0].rate_per_hour.amount", `"1e3": want a decimal number`)
			_, err = b.Import(ctx, connect.NewRequest(&bomv1.ImportRequest{Csv: []*bomv1.CSVFile{{Name: "x.csv", Text: "item\n"}}}))
			wantField(t, err, "csv[0].kind", `"x.csv" is not one of items.csv, bom.csv, routings.csv, workcenters.csv`)
			_, err = m.ListExceptions(ctx, connect.NewRequest(&mrpv1.ListExceptionsRequest{Kind: 42}))
			if err == nil {
				// A stream's error comes with its first Receive.
				s, _ := m.ListExceptions(ctx, connect.NewRequest(&mrpv1.ListExceptionsRequest{Kind: 42}))
				for s.Receive() {
				}
				err = s.Err()
			}
			wantField(t, err, "kind", "unknown exception kind 42")
		})
	}
	// A cost in the server's currency, or with no currency code, is taken.
	for _, cur := range []string{"EUR", ""} {
		if _, err := e.bom(protocols[0]).Import(ctx, connect.NewRequest(&bomv1.ImportRequest{Items: []*bomv1.Item{{Id: "BOLT", Uom: "pc", Kind: bomv1.ItemKind_ITEM_KIND_BUY,
			UnitCost: &rpcv1.Money{CurrencyCode: cur, Amount: "0.125"}, LotPolicy: bomv1.LotPolicy_LOT_POLICY_FIXED_QTY, LotQty: 50}}})); err != nil {
			t.Fatalf("currency %q: %v", cur, err)
		}
		it, err := e.bom(protocols[0]).GetItem(ctx, connect.NewRequest(&bomv1.GetItemRequest{Id: "BOLT"}))
		if err != nil {
			t.Fatal(err)
		}
		if uc := it.Msg.GetItem().GetUnitCost(); uc.GetAmount() != "0.125" || uc.GetCurrencyCode() != "EUR" || it.Msg.GetItem().GetLotPolicy() != bomv1.LotPolicy_LOT_POLICY_FIXED_QTY {
			t.Errorf("BOLT read back as %v", it.Msg.GetItem())
		}
	}
}
