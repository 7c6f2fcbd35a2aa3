package mrp_test

import (
	"context"
	"reflect"
	"sync"
	"testing"

	"github.com/ctoplan/ctoplan/kv"
	"github.com/ctoplan/ctoplan/mrp"
)

// TestBOMPlanSchedule: the finite schedule of a BOMPlan is made once per
// plan and master-data revision and shared (the same schedule to every
// caller, also to callers at once), equal to a schedule made from scratch
// on the plan's capacity (the oracle), and made again after a net change
// and after a master-data change.
func TestBOMPlanSchedule(t *testing.T) {
	ctx := context.Background()
	p, bs, pl, o := forkliftBOMPlan(t, kv.NewMemory())
	if _, _, err := p.Schedule(); err == nil {
		t.Fatal("a schedule without a plan")
	}
	if err := p.Rebuild(ctx, pl, o); err != nil {
		t.Fatal(err)
	}
	fresh := func() *mrp.Schedule {
		t.Helper()
		c, err := p.Capacity()
		if err != nil {
			t.Fatal(err)
		}
		s, err := p.Store().Planner().FiniteSchedule(c)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	// four readers at once: one schedule
	var wg sync.WaitGroup
	got := make([]*mrp.Schedule, 4)
	for k := range got {
		wg.Go(func() {
			_, s, err := p.Schedule()
			if err != nil {
				t.Error(err)
			}
			got[k] = s
		})
	}
	wg.Wait()
	for k := range got {
		if got[k] != got[0] {
			t.Fatalf("reader %d got another schedule", k)
		}
	}
	s1 := got[0]
	if s1.Len() == 0 || !reflect.DeepEqual(s1.Orders(), fresh().Orders()) {
		t.Fatalf("shared schedule (%d orders) differs from one made from scratch", s1.Len())
	}
	if _, s, _ := p.Schedule(); s != s1 {
		t.Fatal("the same plan version scheduled twice")
	}

	d := standardDemand(t, pl)
	d.Qty += 3
	if _, err := p.Store().Apply(ctx, mrp.SetDemand{Demand: d}); err != nil {
		t.Fatal(err)
	}
	_, s2, err := p.Schedule()
	if err != nil {
		t.Fatal(err)
	}
	if s2 == s1 || !reflect.DeepEqual(s2.Orders(), fresh().Orders()) {
		t.Fatalf("after a net change: same schedule %v, or not equal to one from scratch", s2 == s1)
	}

	touchMasterData(t, bs)
	if err := p.Ensure(ctx); err != nil {
		t.Fatal(err)
	}
	if _, s3, err := p.Schedule(); err != nil || s3 == s2 {
		t.Fatalf("after a master-data change: %v, same schedule %v", err, s3 == s2)
	}
}
