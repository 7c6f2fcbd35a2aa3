package server_test

import (
	"context"
	"testing"
	"time"

	"connectrpc.com/connect"

	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
	"github.com/ctoplan/ctoplan/kv"
	"github.com/ctoplan/ctoplan/mrp"
)

// TestServerPlansThroughStore: a plan an embedder wrote with
// mrp.CreateStore is the one the server's MRP calls answer from, and a
// change through the server is one more journal entry the library reads.
func TestServerPlansThroughStore(t *testing.T) {
	ctx := context.Background()
	db := kv.NewMemory()
	in, _, err := mrp.LoadDir(ctx, "../testdata/forklift", mrp.LoadOptions{Start: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	st, err := mrp.CreateStore(ctx, db, in, mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	want := st.Planner().Stats()
	demand := in.Demands[0].ID

	e := startOn(t, db, false)
	c := e.mrp(protocols[1])
	ps, err := c.GetPlanStats(ctx, connect.NewRequest(&mrpv1.GetPlanStatsRequest{}))
	if err != nil {
		t.Fatal(err)
	}
	if int(ps.Msg.GetPlannedOrders()) != want.Orders || int(ps.Msg.GetItems()) != want.Items || int(ps.Msg.GetDemands()) != len(in.Demands) {
		t.Fatalf("server sees %d orders %d items %d demands, the library wrote %d %d %d",
			ps.Msg.GetPlannedOrders(), ps.Msg.GetItems(), ps.Msg.GetDemands(), want.Orders, want.Items, len(in.Demands))
	}
	if _, err := c.DeleteDemands(ctx, connect.NewRequest(&mrpv1.DeleteDemandsRequest{Ids: []string{demand}})); err != nil {
		t.Fatal(err)
	}
	if err := e.stop(); err != nil {
		t.Fatal(err)
	}
	re, err := mrp.OpenStore(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := re.Planner().Demand(demand); ok {
		t.Errorf("the library still sees demand %s the server deleted", demand)
	}
	if re.Revision() != st.Revision()+1 {
		t.Errorf("revision %d after one server change, want %d", re.Revision(), st.Revision()+1)
	}
}

// TestMigratePlantKeys: plant data an earlier server stored one record per
// key (server/plant/...) is planned into the mrp store on start, with the
// configured demand's configuration, and the old keys are removed.
func TestMigratePlantKeys(t *testing.T) {
	ctx := context.Background()
	db := kv.NewMemory()
	e := startOn(t, db, false)
	importTiny(t, e, protocols[1])
	if err := e.stop(); err != nil {
		t.Fatal(err)
	}
	legacy := map[string]string{
		"server/plant/meta":         `{"start":"2026-12-01T00:00:00Z","horizon":0}`,
		"server/plant/calendar":     `{}`,
		"server/plant/demand/SO-1":  `{"ID":"SO-1","Item":"TRUCK","Qty":10,"Due":"2027-01-15T00:00:00Z","Priority":1,"Forecast":false,"config":{"mast":["triplex"],"capacity":["t25"],"lift_height":["2000"]}}`,
		"server/plant/demand/SP-1":  `{"ID":"SP-1","Item":"CHAIN","Qty":5,"Due":"2027-01-20T00:00:00Z","Priority":0,"Forecast":false}`,
		"server/plant/receipt/PO-1": `{"ID":"PO-1","Item":"CHAIN","Qty":20,"Due":"2026-12-20T00:00:00Z","Kind":0}`,
		"server/plant/stock/STEEL":  `100`,
	}
	if err := db.Update(ctx, func(txn kv.Txn) error {
		for k, v := range legacy {
			if err := txn.Set([]byte(k), []byte(v)); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	e = startOn(t, db, true)
	ps, err := e.mrp(protocols[1]).GetPlanStats(ctx, connect.NewRequest(&mrpv1.GetPlanStatsRequest{}))
	if err != nil {
		t.Fatal(err)
	}
	if ps.Msg.GetDemands() != 2 || ps.Msg.GetReceipts() != 1 || ps.Msg.GetPlannedOrders() == 0 || ps.Msg.GetDate() != "2026-12-01" {
		t.Fatalf("after migration: %v", ps.Msg)
	}
	n := 0
	if err := db.View(ctx, func(txn kv.Txn) error {
		return kv.ScanPrefix(txn, []byte("server/plant/"), func(_, _ []byte) error { n++; return nil })
	}); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d keys of the old layout left", n)
	}
	st, err := mrp.OpenStore(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	d, ok := st.Planner().Demand("SO-1")
	if !ok || d.Product != "TRUCK" || d.Config["mast"][0] != "triplex" {
		t.Errorf("migrated SO-1: %+v", d)
	}
}
