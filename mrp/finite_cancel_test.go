package mrp_test

import (
	"context"
	"errors"
	"reflect"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ctoplan/ctoplan/internal/plantgen"
	"github.com/ctoplan/ctoplan/kv"
	"github.com/ctoplan/ctoplan/mrp"
)

// countCtx is a context that ends after its Err has been asked after
// times (a negative after: never), counting how often it was asked.
type countCtx struct {
	context.Context
	after int64
	asked atomic.Int64
}

func (c *countCtx) Err() error {
	if n := c.asked.Add(1); c.after >= 0 && n > c.after {
		return context.Canceled
	}
	return nil
}

// TestFiniteScheduleCancel ends FiniteScheduleContext's context at its
// looks at it, from the first to the last (a default plant of 300 items
// with work centers sized to their load): every run either gives up with
// the context's error or returns the whole schedule, equal to
// FiniteSchedule's, never part of one; and the planner schedules as
// before afterwards.
func TestFiniteScheduleCancel(t *testing.T) {
	in, err := plantgen.Generate(plantgen.Default(300))
	if err != nil {
		t.Fatal(err)
	}
	p, err := mrp.New(in, mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	wcs, err := plantgen.WorkCenters(in, plantgen.Utilization)
	if err != nil {
		t.Fatal(err)
	}
	c, err := mrp.NewCapacity(wcs, nil)
	if err != nil {
		t.Fatal(err)
	}
	want, err := p.FiniteSchedule(c)
	if err != nil {
		t.Fatal(err)
	}
	if want.Len() < 4*1024 {
		t.Fatalf("%d orders: too few for every phase to look at its context twice", want.Len())
	}
	all := &countCtx{Context: context.Background(), after: -1}
	if _, err := p.FiniteScheduleContext(all, c); err != nil {
		t.Fatal(err)
	}
	looks := all.asked.Load()
	if looks < 10 {
		t.Fatalf("a schedule of %d orders looked at its context %d times", want.Len(), looks)
	}
	step := max(1, looks/25)
	gaveUp := 0
	for after := int64(0); after <= looks; after += step {
		ctx := &countCtx{Context: context.Background(), after: after}
		s, err := p.FiniteScheduleContext(ctx, c)
		switch {
		case errors.Is(err, context.Canceled):
			if s != nil {
				t.Fatalf("ended after %d looks: a schedule with the error", after)
			}
			gaveUp++
		case err != nil:
			t.Fatalf("ended after %d looks: %v", after, err)
		case after < looks:
			t.Fatalf("ended after %d of %d looks: a schedule", after, looks)
		case !reflect.DeepEqual(s.Orders(), want.Orders()):
			t.Fatal("a schedule made to the end differs from FiniteSchedule's")
		}
	}
	if gaveUp == 0 {
		t.Fatal("no run gave up")
	}
	again, err := p.FiniteSchedule(c)
	if err != nil || !reflect.DeepEqual(again.Orders(), want.Orders()) {
		t.Fatalf("after the cancelled runs: %v, or another schedule", err)
	}
}

// TestBOMPlanScheduleCancel: a BOMPlan's schedule given up keeps no
// schedule (ScheduleMade false); the next Schedule makes it, and it is
// then made.
func TestBOMPlanScheduleCancel(t *testing.T) {
	ctx := context.Background()
	p, _, pl, o := forkliftBOMPlan(t, kv.NewMemory())
	if p.ScheduleMade() {
		t.Fatal("a schedule made without a plan")
	}
	if err := p.Rebuild(ctx, pl, o); err != nil {
		t.Fatal(err)
	}
	done, cancel := context.WithCancel(ctx)
	cancel()
	if _, s, err := p.ScheduleContext(done); !errors.Is(err, context.Canceled) || s != nil {
		t.Fatalf("ScheduleContext on an ended context: %v, %v", s, err)
	}
	if p.ScheduleMade() {
		t.Fatal("made after giving up")
	}
	timed, stop := context.WithTimeout(ctx, time.Minute)
	defer stop()
	_, s, err := p.ScheduleContext(timed)
	if err != nil || s == nil {
		t.Fatal(err)
	}
	if !p.ScheduleMade() {
		t.Fatal("not made after ScheduleContext")
	}
	if _, s2, err := p.Schedule(); err != nil || s2 != s {
		t.Fatalf("Schedule after ScheduleContext: another schedule (%v)", err)
	}
}
