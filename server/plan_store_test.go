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
