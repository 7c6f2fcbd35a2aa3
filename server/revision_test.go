package server_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"connectrpc.com/connect"

	bomv1 "github.com/ctoplan/ctoplan/gen/ctoplan/bom/v1"
	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
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

// TestOneTruckID: a configured truck has one ID on the wire: the planning
// item Resolve names is the item UpsertDemands places the order on, that
// Promise promises, that the order's planned orders and pegs carry, and
// that GetItem answers for.
func TestOneTruckID(t *testing.T) {
	p := protocols[0]
	e := start(t)
	importTinyPlant(t, e, p)
	ctx := context.Background()
	c, b := e.mrp(p), e.bom(p)
	picks := []*configuratorv1.Pick{pick("mast", "duplex")}

	res, err := b.Resolve(ctx, connect.NewRequest(&bomv1.ResolveRequest{Item: "TRUCK", Picks: picks, Date: "2026-12-01"}))
	if err != nil {
		t.Fatal(err)
	}
	id := res.Msg.GetPlanningItem()
	if !strings.HasPrefix(id, "TRUCK@") {
		t.Fatalf("Resolve: planning item %q", id)
	}
	// a quote before any order
	pr, err := c.Promise(ctx, connect.NewRequest(&mrpv1.PromiseRequest{Item: "TRUCK", Picks: picks, Qty: 1}))
	if err != nil {
		t.Fatal(err)
	}
	if pr.Msg.GetItem() != id {
		t.Errorf("Promise names %s, Resolve %s", pr.Msg.GetItem(), id)
	}
	up, err := c.UpsertDemands(ctx, connect.NewRequest(&mrpv1.UpsertDemandsRequest{Demands: []*mrpv1.Demand{{
		Id: "SO-9", Item: "TRUCK", Qty: 2, DueDate: "2027-02-01", Picks: picks}}}))
	if err != nil {
		t.Fatal(err)
	}
	if got := up.Msg.GetItems()[0].GetItem(); got != id {
		t.Errorf("UpsertDemands names %s, Resolve %s", got, id)
	}
	os := orders(t, c, &mrpv1.ListPlannedOrdersRequest{Demand: "SO-9"})
	if !slices.ContainsFunc(os, func(o *mrpv1.PlannedOrder) bool { return o.GetItem() == id }) {
		t.Errorf("SO-9's orders have no order of %s: %v", id, os)
	}
	pd, err := c.PegDemand(ctx, connect.NewRequest(&mrpv1.PegDemandRequest{Demand: "SO-9"}))
	if err != nil {
		t.Fatal(err)
	}
	if pegs := collect(t, pd)[0].GetPegs(); len(pegs) == 0 || pegs[0].GetItem() != id {
		t.Errorf("SO-9's pegs: %v", pegs)
	}
	// GetItem answers for the planning item and for the configured
	// sub-assemblies the orders name.
	for _, o := range os {
		it, err := b.GetItem(ctx, connect.NewRequest(&bomv1.GetItemRequest{Id: o.GetItem()}))
		if err != nil {
			t.Errorf("GetItem %s: %v", o.GetItem(), err)
			continue
		}
		base, _, _ := strings.Cut(o.GetItem(), "@")
		if it.Msg.GetItem().GetId() != o.GetItem() || (strings.Contains(o.GetItem(), "@") && it.Msg.GetBaseItem() != base) {
			t.Errorf("GetItem %s: %v", o.GetItem(), it.Msg)
		}
	}
	_, err = b.GetItem(ctx, connect.NewRequest(&bomv1.GetItemRequest{Id: "TRUCK@0123456789abcdef"}))
	if connect.CodeOf(err) != connect.CodeNotFound {
		t.Errorf("GetItem of a planning item not in the plan: %v", err)
	}
}

// TestPlanReadGET: a read-only call works as a plain HTTP GET (Connect
// GET, as curl or a browser cache sends it) and carries the plan's ETag.
func TestPlanReadGET(t *testing.T) {
	e := start(t)
	imp := importTinyPlant(t, e, protocols[0])
	for path, msg := range map[string]string{"/ctoplan.mrp.v1.MRPService/GetRecord": `{"item":"STEEL"}`, "/ctoplan.mrp.v1.MRPService/GetPlanStats": `{}`} {
		q := url.Values{"connect": {"v1"}, "encoding": {"json"}, "message": {msg}}
		req, err := http.NewRequest(http.MethodGet, e.url+path+"?"+q.Encode(), nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+e.token)
		resp, err := e.hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		want := fmt.Sprintf(`"plan-%d"`, imp.GetRun().GetPlanRevision())
		if resp.StatusCode != http.StatusOK || resp.Header.Get("ETag") != want {
			t.Errorf("GET %s: %s, ETag %q (want %s): %s", path, resp.Status, resp.Header.Get("ETag"), want, body)
		}
	}
}
