package server_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"connectrpc.com/connect"

	bomv1 "github.com/ctoplan/ctoplan/gen/ctoplan/bom/v1"
	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
)

// TestConcurrentCalls mixes reads and writes of all three services from
// several clients at once (run it with -race); afterwards the plan equals a
// regenerative run on the same inputs.
func TestConcurrentCalls(t *testing.T) {
	p := protocols[1]
	e := start(t, withQueries(2))
	importTinyPlant(t, e, p)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			conf, bom, plan := e.configurator(p), e.bom(p), e.mrp(p)
			for i := range 5 {
				mast := []string{"duplex", "triplex"}[(w+i)%2]
				if _, err := conf.Propagate(ctx, connect.NewRequest(&configuratorv1.PropagateRequest{Model: "tiny",
					Picks: []*configuratorv1.Pick{pick("mast", mast)}})); err != nil {
					errs <- err
					return
				}
				if _, err := bom.Resolve(ctx, connect.NewRequest(&bomv1.ResolveRequest{Item: "TRUCK", Date: "2026-12-01",
					Picks: []*configuratorv1.Pick{pick("mast", mast)}})); err != nil {
					errs <- err
					return
				}
				if _, err := plan.UpsertDemands(ctx, connect.NewRequest(&mrpv1.UpsertDemandsRequest{Demands: []*mrpv1.Demand{{
					Id: fmt.Sprintf("SO-%d-%d", w, i), Item: "TRUCK", Qty: float64(1 + i), DueDate: fmt.Sprintf("2027-02-%02d", 1+w+i),
					Picks: []*configuratorv1.Pick{pick("mast", mast)}}}})); err != nil {
					errs <- err
					return
				}
				s, err := plan.ListPlannedOrders(ctx, connect.NewRequest(&mrpv1.ListPlannedOrdersRequest{WithPegging: true}))
				if err != nil {
					errs <- err
					return
				}
				for s.Receive() {
				}
				if err := s.Err(); err != nil {
					errs <- err
					return
				}
				s.Close()
				if _, err := plan.Promise(ctx, connect.NewRequest(&mrpv1.PromiseRequest{Item: "CHAIN", Qty: 3, Date: "2027-01-10"})); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	before := orders(t, e.mrp(p), &mrpv1.ListPlannedOrdersRequest{})
	if _, err := e.mrp(p).Run(ctx, connect.NewRequest(&mrpv1.RunRequest{})); err != nil {
		t.Fatal(err)
	}
	after := orders(t, e.mrp(p), &mrpv1.ListPlannedOrdersRequest{})
	if len(before) != len(after) {
		t.Fatalf("net changes gave %d orders, a regenerative run %d", len(before), len(after))
	}
	for i := range before {
		if before[i].String() != after[i].String() {
			t.Errorf("order %d: net change %v, regenerative %v", i, before[i], after[i])
		}
	}
	st, err := e.mrp(p).GetPlanStats(ctx, connect.NewRequest(&mrpv1.GetPlanStatsRequest{}))
	if err != nil || st.Msg.GetDemands() != 2+8*5 {
		t.Errorf("demands: %v %v", st, err)
	}
}

// TestListPlannedOrdersWhileChanging lists orders with their pegging while
// stock changes make CHAIN's 150 orders vanish and come back: every
// listing must come from one plan version (no order of one version pegged
// from another, no "order not found"), and every lot-for-lot CHAIN order
// listed must be pegged in full to the demands of that version.
func TestListPlannedOrdersWhileChanging(t *testing.T) {
	p := protocols[1]
	e := start(t)
	importTinyPlant(t, e, p)
	ctx := context.Background()
	plan := e.mrp(p)
	var ds []*mrpv1.Demand
	for k := range 150 {
		ds = append(ds, &mrpv1.Demand{Id: fmt.Sprintf("C-%03d", k), Item: "CHAIN", Qty: 2, DueDate: fmt.Sprintf("2027-%02d-%02d", 1+k/28, 1+k%28)})
	}
	if _, err := plan.UpsertDemands(ctx, connect.NewRequest(&mrpv1.UpsertDemandsRequest{Demands: ds})); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for k := range 40 {
			q := 0.0
			if k%2 == 0 {
				q = 100000
			}
			if _, err := plan.SetStock(ctx, connect.NewRequest(&mrpv1.SetStockRequest{Stock: []*mrpv1.Stock{{Item: "CHAIN", Qty: q}}})); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	for range 40 {
		s, err := plan.ListPlannedOrders(ctx, connect.NewRequest(&mrpv1.ListPlannedOrdersRequest{WithPegging: true}))
		if err != nil {
			t.Fatal(err)
		}
		for s.Receive() {
			for _, o := range s.Msg().GetOrders() {
				if o.GetItem() != "CHAIN" {
					continue
				}
				var sum float64
				for _, x := range o.GetPeggedTo() {
					sum += x.GetQty()
				}
				if sum != float64(o.GetQty()) {
					t.Errorf("%s of %v pegged %v", o.GetId(), o.GetQty(), o.GetPeggedTo())
				}
			}
		}
		if err := s.Err(); err != nil {
			t.Fatal(err)
		}
		s.Close()
	}
	wg.Wait()
}
