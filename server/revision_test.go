package server_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"connectrpc.com/connect"

	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
	"github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1/mrpv1connect"
)

// planReads reads the plan every way a client can and returns, per read,
// the plan_revision of every message and the ETag header; an empty list
// still answers with one message carrying the revision.
func planReads(t *testing.T, c mrpv1connect.MRPServiceClient) map[string][]string {
	t.Helper()
	ctx := context.Background()
	got := map[string][]string{}
	add := func(name string, h http.Header, revs ...uint64) {
		got[name] = append(got[name], "etag="+h.Get("ETag"))
		for _, r := range revs {
			got[name] = append(got[name], fmt.Sprint(r))
		}
	}
	lo, err := c.ListPlannedOrders(ctx, connect.NewRequest(&mrpv1.ListPlannedOrdersRequest{}))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range collect(t, lo) {
		add("ListPlannedOrders", lo.ResponseHeader(), m.GetPlanRevision())
	}
	none, err := c.ListPlannedOrders(ctx, connect.NewRequest(&mrpv1.ListPlannedOrdersRequest{Item: "MAST-D"}))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range collect(t, none) {
		if len(m.GetOrders()) != 0 {
			t.Fatalf("MAST-D has orders: %v", m.GetOrders())
		}
		add("ListPlannedOrders(empty)", none.ResponseHeader(), m.GetPlanRevision())
	}
	pd, err := c.PegDemand(ctx, connect.NewRequest(&mrpv1.PegDemandRequest{Demand: "SO-1"}))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range collect(t, pd) {
		add("PegDemand", pd.ResponseHeader(), m.GetPlanRevision())
	}
	ex, err := c.ListExceptions(ctx, connect.NewRequest(&mrpv1.ListExceptionsRequest{Item: "no-such-item"}))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range collect(t, ex) {
		add("ListExceptions", ex.ResponseHeader(), m.GetPlanRevision())
	}
	steel := orders(t, c, &mrpv1.ListPlannedOrdersRequest{Item: "STEEL"})
	if len(steel) == 0 {
		t.Fatal("no steel order")
	}
	po, err := c.PegOrder(ctx, connect.NewRequest(&mrpv1.PegOrderRequest{Order: steel[0].GetId()}))
	if err != nil {
		t.Fatal(err)
	}
	add("PegOrder", po.Header(), po.Msg.GetPlanRevision())
	rec, err := c.GetRecord(ctx, connect.NewRequest(&mrpv1.GetRecordRequest{Item: "CHAIN"}))
	if err != nil {
		t.Fatal(err)
	}
	add("GetRecord", rec.Header(), rec.Msg.GetPlanRevision())
	st, err := c.GetPlanStats(ctx, connect.NewRequest(&mrpv1.GetPlanStatsRequest{}))
	if err != nil {
		t.Fatal(err)
	}
	add("GetPlanStats", st.Header())
	return got
}

// TestPlanRevision: every plan read says the plan revision it was read
// from, in its messages and as its ETag; a net change moves it, and every
// read after the change says the new one.
func TestPlanRevision(t *testing.T) {
	for _, p := range protocols[:2] {
		t.Run(p.name, func(t *testing.T) {
			e := start(t)
			imp := importTinyPlant(t, e, p)
			c := e.mrp(p)
			rev := imp.GetRun().GetPlanRevision()
			if rev == 0 {
				t.Fatalf("ImportPlant: no plan revision: %v", imp.GetRun())
			}
			check := func(rev uint64) {
				t.Helper()
				want := fmt.Sprint(rev)
				etag := fmt.Sprintf(`etag="plan-%d"`, rev)
				reads := planReads(t, c)
				if len(reads) != 7 {
					t.Errorf("%d kinds of read answered, want 7: %v", len(reads), reads)
				}
				for name, vs := range reads {
					if len(vs) < 1 || vs[0] != etag {
						t.Errorf("%s at revision %d: %v", name, rev, vs)
					}
					for _, v := range vs[1:] {
						if v != want && v != etag {
							t.Errorf("%s at revision %d: %v", name, rev, vs)
						}
					}
				}
			}
			check(rev)
			check(rev) // reading does not move it
			up, err := c.SetStock(context.Background(), connect.NewRequest(&mrpv1.SetStockRequest{Stock: []*mrpv1.Stock{{Item: "CHAIN", Qty: 7}}}))
			if err != nil {
				t.Fatal(err)
			}
			next := up.Msg.GetChange().GetPlanRevision()
			if next <= rev {
				t.Fatalf("SetStock: plan revision %d after %d", next, rev)
			}
			check(next)
		})
	}
}
