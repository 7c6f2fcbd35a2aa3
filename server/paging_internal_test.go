package server

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
	"github.com/ctoplan/ctoplan/internal/convert"
	"github.com/ctoplan/ctoplan/internal/plantgen"
	"github.com/ctoplan/ctoplan/mrp"
	"google.golang.org/protobuf/proto"
)

// pagingPlan plans a generated plant with lot sizing, phantoms, receipts,
// safety stock and demands early enough to be late: every kind of order
// and most kinds of exception message.
func pagingPlan(t testing.TB, items, demands int, seed uint64) *mrp.Planner {
	t.Helper()
	c := plantgen.Default(items)
	c.Seed, c.Demands, c.Days = seed, demands, 120
	c.PhantomShare, c.ReceiptShare, c.LotShare = 0.1, 0.2, 0.3
	in, err := plantgen.Generate(c)
	if err != nil {
		t.Fatal(err)
	}
	p, err := mrp.New(in, mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestKeysetPagingMatchesList pages planned orders and exception messages
// to the end with the position tokens, for filters and page sizes, and
// compares the pages, concatenated, with the unpaged list built the slow
// obvious way: AllOrders (or Orders of the item) and Exceptions, filtered
// by the request's definition.
func TestKeysetPagingMatchesList(t *testing.T) {
	const rev = 7
	seeds := uint64(3)
	if raceEnabled {
		seeds = 1 // 8 s a plant under the race detector
	}
	for seed := uint64(1); seed <= seeds; seed++ {
		p := pagingPlan(t, 200, 300, seed)
		rng := rand.New(rand.NewPCG(seed, 99))
		all := p.AllOrders()
		ex := p.Exceptions()
		if len(all) < 100 || len(ex) < 10 {
			t.Fatalf("seed %d: %d orders, %d exceptions: too few to page", seed, len(all), len(ex))
		}
		var kinds []mrp.ExceptionKind
		for _, e := range ex {
			if !slices.Contains(kinds, e.Kind) {
				kinds = append(kinds, e.Kind)
			}
		}
		if !slices.Contains(kinds, mrp.Late) || len(kinds) < 3 {
			t.Fatalf("seed %d: exception kinds %v: want late demands and two more kinds", seed, kinds)
		}
		items := []string{all[rng.IntN(len(all))].Item, all[rng.IntN(len(all))].Item, ex[rng.IntN(len(ex))].Item, "NO-SUCH-ITEM"}
		var phantom string
		for _, it := range p.Input().Items {
			if it.Kind == mrp.Phantom {
				if os, _ := p.Orders(it.ID); len(os) > 0 {
					phantom = it.ID
					break
				}
			}
		}
		if phantom == "" {
			t.Fatalf("seed %d: no phantom with orders", seed)
		}
		items = append(items, phantom)

		// planned orders
		var reqs []*mrpv1.ListPlannedOrdersRequest
		reqs = append(reqs, &mrpv1.ListPlannedOrdersRequest{}, &mrpv1.ListPlannedOrdersRequest{Phantoms: true},
			&mrpv1.ListPlannedOrdersRequest{Kind: mrpv1.OrderKind_ORDER_KIND_PURCHASE},
			&mrpv1.ListPlannedOrdersRequest{Kind: mrpv1.OrderKind_ORDER_KIND_PRODUCTION, DueFrom: "2026-02-01", DueTo: "2026-03-15"})
		for _, it := range items {
			reqs = append(reqs, &mrpv1.ListPlannedOrdersRequest{Item: it}, &mrpv1.ListPlannedOrdersRequest{Item: it, Phantoms: true, DueFrom: "2026-02-01"})
		}
		for _, req := range reqs {
			from, to, err := dayRange("due_from", req.GetDueFrom(), "due_to", req.GetDueTo())
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			list := all
			if req.GetItem() != "" {
				list, _ = p.Orders(req.GetItem())
			}
			for _, o := range list {
				if (o.Kind != mrp.PhantomOrder || req.GetPhantoms()) && inRange(o.Due, from, to) &&
					(req.GetKind() == mrpv1.OrderKind_ORDER_KIND_UNSPECIFIED || convert.OrderKindToProto[o.Kind] == req.GetKind()) {
					want = append(want, fmt.Sprintf("%s %d %s", o.ID, o.Qty, o.Due.Format(time.DateOnly)))
				}
			}
			for _, size := range []int32{0, 1, 7, 64, 1000} {
				r := proto.Clone(req).(*mrpv1.ListPlannedOrdersRequest)
				r.PageSize = size
				var got []string
				for pages := 0; ; pages++ {
					msgs, next, err := plannedOrders(p, r, rev, 0)
					if req.GetItem() == "NO-SUCH-ITEM" {
						if err == nil {
							t.Errorf("seed %d, %v: no error for an unknown item", seed, req)
						}
						break
					}
					if err != nil {
						t.Fatalf("seed %d, %v, size %d, page %d: %v", seed, req, size, pages, err)
					}
					if (size > 0 && len(msgs) > int(size)) || (next != "" && len(msgs) != int(size)) || pages > len(want)+1 {
						t.Fatalf("seed %d, %v, size %d, page %d: %d orders, next %q", seed, req, size, pages, len(msgs), next)
					}
					for _, m := range msgs {
						got = append(got, fmt.Sprintf("%s %d %s", m.GetId(), int64(m.GetQty()), m.GetDueDate()))
					}
					if next == "" {
						break
					}
					r.PageToken = next
				}
				if req.GetItem() != "NO-SUCH-ITEM" && !slices.Equal(got, want) {
					t.Errorf("seed %d, %v, size %d: %d orders paged, %d listed\npaged  %.300v\nlisted %.300v", seed, req, size, len(got), len(want), got, want)
				}
			}
		}

		// exception messages
		exReqs := []*mrpv1.ListExceptionsRequest{{}, {Kind: mrpv1.ExceptionKind_EXCEPTION_KIND_LATE}, {DateFrom: "2026-01-20", DateTo: "2026-04-01"}}
		for _, k := range kinds {
			exReqs = append(exReqs, &mrpv1.ListExceptionsRequest{Kind: convert.ExceptionKindToProto[k]})
		}
		for _, it := range items {
			exReqs = append(exReqs, &mrpv1.ListExceptionsRequest{Item: it})
		}
		for _, req := range exReqs {
			from, to, err := dayRange("date_from", req.GetDateFrom(), "date_to", req.GetDateTo())
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, e := range ex {
				if (req.GetItem() == "" || e.Item == req.GetItem()) && inRange(e.Date, from, to) &&
					(req.GetKind() == mrpv1.ExceptionKind_EXCEPTION_KIND_UNSPECIFIED || convert.ExceptionKindToProto[e.Kind] == req.GetKind()) {
					want = append(want, e.String())
				}
			}
			for _, size := range []int32{0, 1, 5, 1000} {
				r := proto.Clone(req).(*mrpv1.ListExceptionsRequest)
				r.PageSize = size
				var got []string
				for pages := 0; ; pages++ {
					page, next, err := exceptionsPage(p, r, rev, from, to, nil)
					if err != nil {
						t.Fatalf("seed %d, %v, size %d, page %d: %v", seed, req, size, pages, err)
					}
					if (size > 0 && len(page) > int(size)) || (next != "" && len(page) != int(size)) || pages > len(want)+1 {
						t.Fatalf("seed %d, %v, size %d, page %d: %d messages, next %q", seed, req, size, pages, len(page), next)
					}
					for _, e := range page {
						got = append(got, e.String())
					}
					if next == "" {
						break
					}
					r.PageToken = next
				}
				if !slices.Equal(got, want) {
					t.Errorf("seed %d, %v, size %d: %d messages paged, %d listed\npaged  %.300v\nlisted %.300v", seed, req, size, len(got), len(want), got, want)
				}
			}
		}
	}
}

// TestPageTokenPosition: a token holds the position of the next entry and
// is refused for another revision or other filters; a hand-made token
// starts the page at its position.
func TestPageTokenPosition(t *testing.T) {
	p := pagingPlan(t, 120, 150, 1)
	all := p.AllOrders()
	req := &mrpv1.ListPlannedOrdersRequest{PageSize: 3}
	first, next, err := plannedOrders(p, req, 5, 0)
	if err != nil || len(first) != 3 || next == "" {
		t.Fatalf("first page: %d orders, next %q, %v", len(first), next, err)
	}
	pg, err := readPage(3, next, 5, filterKey("", "", "false", "", "", mrpv1.OrderKind_ORDER_KIND_UNSPECIFIED.String()))
	if err != nil {
		t.Fatal(err)
	}
	// the position of all[3]: its item's index and its rank among the
	// item's orders (items in input order)
	var at mrp.Pos
	for i, it := range p.Input().Items {
		if it.ID == all[3].Item {
			os, _ := p.Orders(it.ID)
			k := slices.IndexFunc(os, func(o mrp.PlannedOrder) bool { return o.ID == all[3].ID })
			at = mrp.Pos{Item: i, K: k}
		}
	}
	if pg.pos != at {
		t.Errorf("token position %+v, want %+v (order %s)", pg.pos, at, all[3].ID)
	}
	if _, _, err := plannedOrders(p, &mrpv1.ListPlannedOrdersRequest{PageSize: 3, PageToken: next}, 6, 0); err == nil {
		t.Error("token of revision 5 taken at revision 6")
	}
	if _, _, err := plannedOrders(p, &mrpv1.ListPlannedOrdersRequest{PageSize: 3, PageToken: next, Phantoms: true}, 5, 0); err == nil {
		t.Error("token taken with other filters")
	}
	// a page from the position of all[10]
	var at10 mrp.Pos
	err = p.ScanOrders(mrp.Pos{}, "", nil, func(x mrp.Pos, o mrp.PlannedOrder) bool {
		if o.ID == all[10].ID {
			at10 = x
			return false
		}
		return true
	})
	if err != nil {
		t.Fatal(err)
	}
	tok := listPage{rev: 5, filter: pg.filter}.token(at10)
	got, _, err := plannedOrders(p, &mrpv1.ListPlannedOrdersRequest{PageSize: 2, PageToken: tok}, 5, 0)
	if err != nil || len(got) != 2 || got[0].GetId() != all[10].ID || got[1].GetId() != all[11].ID {
		t.Errorf("page at %+v: %v %v, want %s %s", at10, got, err, all[10].ID, all[11].ID)
	}
}

// TestLateCacheFollowsThePlan: the kept late demands are those of the plan
// version asked for: kept for the same planner and revision, found again
// after a net change (a new revision) and for another planner.
func TestLateCacheFollowsThePlan(t *testing.T) {
	p := pagingPlan(t, 120, 150, 2)
	var c lateCache
	first := c.get(p, 1)
	if len(first) == 0 {
		t.Fatal("no late demands to keep")
	}
	if again := c.get(p, 1); &again[0] != &first[0] {
		t.Error("same plan version: the late demands were found again")
	}
	// a rush demand due on the first day for an end item: late
	top := p.Input().Items[0].ID
	if _, err := p.Apply(mrp.SetDemand{Demand: mrp.Demand{ID: "RUSH", Item: top, Qty: 1000, Due: p.Calendar().Start}}); err != nil {
		t.Fatal(err)
	}
	after := c.get(p, 2)
	if !slices.ContainsFunc(after, func(e mrp.Exception) bool { return e.Ref == "RUSH" }) {
		t.Errorf("after the change: %d late demands, none of RUSH", len(after))
	}
	if !slices.EqualFunc(after, p.LateDemands(), func(a, b mrp.Exception) bool { return a.String() == b.String() }) {
		t.Error("after the change: kept late demands differ from the plan's")
	}
	q := pagingPlan(t, 120, 150, 3)
	if other := c.get(q, 2); !slices.EqualFunc(other, q.LateDemands(), func(a, b mrp.Exception) bool { return a.String() == b.String() }) {
		t.Error("another planner at the same revision: the first planner's late demands")
	}
}

// TestStreamOrdersBatches: the whole list (page_size 0) sent batch orders
// at a time equals AllOrders with each order's pegging, in messages of at
// most pegBatch orders all of one revision; a change of the plan between
// two batches ends the stream with errPlanChanged after the first batch's
// orders, never sending an order of the new plan; a page and a demand's
// supply tree are read in one go.
func TestStreamOrdersBatches(t *testing.T) {
	items, demands := 200, 300
	if raceEnabled {
		items, demands = 80, 100 // still thousands of orders
	}
	p := pagingPlan(t, items, demands, 2)
	all := p.AllOrders()
	if len(all) < 1000 {
		t.Fatalf("%d orders: too few to stream in batches", len(all))
	}
	var want []string
	for _, o := range all {
		po := convert.OrderToProto(o)
		sh, rest, err := p.PeggedDemands(o.ID)
		if err != nil {
			t.Fatal(err)
		}
		po.PeggedTo, po.PeggedRest = convert.DemandSharesToProto(sh), rest
		want = append(want, po.String())
	}
	rev := uint64(3)
	reads := 0
	read := func(fn func(*mrp.Planner, uint64) error) error { reads++; return fn(p, rev) }
	for _, batch := range []int{7, pegBatch, len(all), 10 * len(all)} {
		reads = 0
		var got []string
		sends := 0
		err := streamOrders(&mrpv1.ListPlannedOrdersRequest{WithPegging: true}, batch, read, func(out *mrpv1.ListPlannedOrdersResponse, first bool) error {
			if first != (sends == 0) || out.GetPlanRevision() != rev || len(out.GetOrders()) > pegBatch || out.GetNextPageToken() != "" {
				t.Fatalf("batch %d, message %d: first %v, revision %d, %d orders, token %q", batch, sends, first, out.GetPlanRevision(), len(out.GetOrders()), out.GetNextPageToken())
			}
			sends++
			for _, o := range out.GetOrders() {
				got = append(got, o.String())
			}
			return nil
		})
		if err != nil || !slices.Equal(got, want) {
			t.Fatalf("batch %d: %v; %d orders, want %d", batch, err, len(got), len(want))
		}
		if wantReads := (len(all) + batch - 1) / batch; reads != wantReads && !(batch == len(all) && reads == 1) {
			t.Errorf("batch %d: %d reads, want %d", batch, reads, wantReads)
		}
	}
	// the plan changes (revision 4) while the first batch is sent: the
	// batches read before (the next one may be read meanwhile) are sent,
	// then the stream ends
	var got int
	var mu sync.Mutex
	lockedRead := func(fn func(*mrp.Planner, uint64) error) error {
		mu.Lock()
		defer mu.Unlock()
		return fn(p, rev)
	}
	err := streamOrders(&mrpv1.ListPlannedOrdersRequest{}, 50, lockedRead, func(out *mrpv1.ListPlannedOrdersResponse, first bool) error {
		if out.GetPlanRevision() != 3 {
			t.Fatalf("an order of revision %d sent", out.GetPlanRevision())
		}
		got += len(out.GetOrders())
		mu.Lock()
		rev = 4
		mu.Unlock()
		return nil
	})
	if !errors.Is(err, errPlanChanged) || got%50 != 0 || got < 50 || got > 150 {
		t.Fatalf("changed between batches: %v after %d orders, want errPlanChanged after 50-150", err, got)
	}
	// a send that fails ends the stream with its error
	boom := errors.New("client gone")
	if err := streamOrders(&mrpv1.ListPlannedOrdersRequest{}, 50, read, func(*mrpv1.ListPlannedOrdersResponse, bool) error { return boom }); !errors.Is(err, boom) {
		t.Errorf("failed send: %v", err)
	}
	// a page and a supply tree: one read each
	rev, reads = 4, 0
	pages := 0
	if err := streamOrders(&mrpv1.ListPlannedOrdersRequest{PageSize: 30}, 7, read, func(out *mrpv1.ListPlannedOrdersResponse, _ bool) error {
		pages++
		if len(out.GetOrders()) != 30 || out.GetNextPageToken() == "" {
			t.Errorf("page: %d orders, token %q", len(out.GetOrders()), out.GetNextPageToken())
		}
		return nil
	}); err != nil || reads != 1 || pages != 1 {
		t.Errorf("page: %v, %d reads, %d messages", err, reads, pages)
	}
	d := p.Input().Demands[0].ID
	tree, err := p.DemandOrders(d)
	if err != nil {
		t.Fatal(err)
	}
	// phantoms' orders only on request
	tree = slices.DeleteFunc(tree, func(o mrp.PlannedOrder) bool { return o.Kind == mrp.PhantomOrder })
	n := 0
	reads = 0
	if err := streamOrders(&mrpv1.ListPlannedOrdersRequest{Demand: d}, 7, read, func(out *mrpv1.ListPlannedOrdersResponse, _ bool) error {
		n += len(out.GetOrders())
		return nil
	}); err != nil || reads != 1 || n != len(tree) {
		t.Errorf("supply tree of %s: %v, %d reads, %d orders, want %d", d, err, reads, n, len(tree))
	}
}
