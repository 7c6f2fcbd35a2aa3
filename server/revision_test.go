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

// getWith sends a Connect GET of msg to path with If-None-Match inm (none
// when ""), as a browser cache revalidates; it returns the status, the
// ETag and the body.
func (e *env) getWith(path, msg, inm string) (int, string, string) {
	e.t.Helper()
	q := url.Values{"connect": {"v1"}, "encoding": {"json"}, "message": {msg}}
	req, err := http.NewRequest(http.MethodGet, e.url+path+"?"+q.Encode(), nil)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+e.token)
	if inm != "" {
		req.Header.Set("If-None-Match", inm)
	}
	resp, err := e.hc.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("ETag"), string(body)
}

// TestConditionalGET: a Connect GET with If-None-Match naming the answer's
// ETag gets 304 Not Modified and no body; any other tag, a change of the
// model or the plan, or a POST gets the answer (200).
func TestConditionalGET(t *testing.T) {
	e := start(t)
	importTinyPlant(t, e, protocols[0])
	putTiny(t, e.configurator(protocols[0]))
	const (
		getModel = "/ctoplan.configurator.v1.ConfiguratorService/GetModel"
		stats    = "/ctoplan.mrp.v1.MRPService/GetPlanStats"
		record   = "/ctoplan.mrp.v1.MRPService/GetRecord"
	)
	st, err := e.mrp(protocols[0]).GetPlanStats(context.Background(), connect.NewRequest(&mrpv1.GetPlanStatsRequest{}))
	if err != nil {
		t.Fatal(err)
	}
	plan := fmt.Sprintf(`"plan-%d"`, st.Msg.GetRevision())
	for _, r := range []struct{ path, msg, etag string }{
		{stats, `{}`, plan},
		{record, `{"item":"STEEL"}`, plan},
		{getModel, `{"name":"tiny"}`, ""}, // the digest's
		{getModel, `{"name":"tiny","view":"MODEL_VIEW_FULL"}`, ""},
	} {
		code, etag, body := e.getWith(r.path, r.msg, "")
		if code != http.StatusOK || etag == "" || (r.etag != "" && etag != r.etag) {
			t.Fatalf("GET %s %s: %d, ETag %q (want %q): %s", r.path, r.msg, code, etag, r.etag, body)
		}
		for _, inm := range []string{etag, "W/" + etag, `"other", ` + etag, "*"} {
			code, got, body := e.getWith(r.path, r.msg, inm)
			if code != http.StatusNotModified || got != etag || body != "" {
				t.Errorf("GET %s %s If-None-Match %s: %d, ETag %q, body %q; want 304, %s, no body", r.path, r.msg, inm, code, got, body, etag)
			}
		}
		if code, _, _ := e.getWith(r.path, r.msg, `"plan-0", "other"`); code != http.StatusOK {
			t.Errorf("GET %s %s with another tag: %d, want 200", r.path, r.msg, code)
		}
		// a POST is never answered 304
		req, _ := http.NewRequest(http.MethodPost, e.url+r.path, strings.NewReader(r.msg))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+e.token)
		req.Header.Set("If-None-Match", etag)
		resp, err := e.hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("POST %s with If-None-Match: %s, want 200", r.path, resp.Status)
		}
	}
	// the two views have different tags
	_, basic, _ := e.getWith(getModel, `{"name":"tiny"}`, "")
	_, full, _ := e.getWith(getModel, `{"name":"tiny","view":"MODEL_VIEW_FULL"}`, "")
	if basic == full {
		t.Errorf("BASIC and FULL views share ETag %s", basic)
	}

	// The plan moves: the old tag no longer matches, the answer comes with the new one.
	dd, err := e.mrp(protocols[0]).DeleteDemands(context.Background(), connect.NewRequest(&mrpv1.DeleteDemandsRequest{Ids: []string{"SP-1"}}))
	if err != nil {
		t.Fatal(err)
	}
	now := fmt.Sprintf(`"plan-%d"`, dd.Msg.GetChange().GetPlanRevision())
	if now == plan {
		t.Fatalf("DeleteDemands left the plan at %s", plan)
	}
	if code, etag, body := e.getWith(stats, `{}`, plan); code != http.StatusOK || etag != now {
		t.Errorf("GET after a change with the old tag %s: %d, ETag %q (want 200, %s): %s", plan, code, etag, now, body)
	}
	// The model is stored again with another text: a new digest, a new tag.
	src := strings.Replace(tinyModel, `version "1"`, `version "2"`, 1)
	if _, err := e.configurator(protocols[0]).PutModel(context.Background(), connect.NewRequest(&configuratorv1.PutModelRequest{Filename: "tiny.ctm", Source: src})); err != nil {
		t.Fatal(err)
	}
	if code, etag, _ := e.getWith(getModel, `{"name":"tiny"}`, basic); code != http.StatusOK || etag == basic {
		t.Errorf("GET of a changed model with its old tag: %d, ETag %q (old %q)", code, etag, basic)
	}

	// A Go client with connect.WithHTTPGet sees the 304 as IsNotModifiedError.
	c := mrpv1connect.NewMRPServiceClient(e.hc, e.url, append(e.writeOpts(protocols[0]), connect.WithHTTPGet())...)
	first, err := c.GetPlanStats(context.Background(), connect.NewRequest(&mrpv1.GetPlanStatsRequest{}))
	if err != nil {
		t.Fatal(err)
	}
	req := connect.NewRequest(&mrpv1.GetPlanStatsRequest{})
	req.Header().Set("If-None-Match", first.Header().Get("ETag"))
	if _, err := c.GetPlanStats(context.Background(), req); !connect.IsNotModifiedError(err) {
		t.Errorf("Go client, GET with the current tag: %v, want a not-modified error", err)
	}
}
