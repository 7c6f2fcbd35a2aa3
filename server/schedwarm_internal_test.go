package server

import (
	"context"
	"io"
	"log/slog"
	"reflect"
	"testing"
	"time"

	"github.com/ctoplan/ctoplan/bom"
	"github.com/ctoplan/ctoplan/kv"
	"github.com/ctoplan/ctoplan/mrp"
)

// warmServer is a server over the forklift master data and plant, with
// its background schedule builds started and quiet spells of 20 ms.
func warmServer(t *testing.T) (*Server, *mrp.Plant) {
	t.Helper()
	ctx := context.Background()
	db := kv.NewMemory()
	t.Cleanup(func() { db.Close() })
	bs, err := bom.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if err := bs.ImportDir(ctx, "../testdata/forklift", ""); err != nil {
		t.Fatal(err)
	}
	pl, err := mrp.ReadPlant("../testdata/forklift")
	if err != nil {
		t.Fatal(err)
	}
	bp, err := mrp.OpenBOMPlan(ctx, db, bs)
	if err != nil {
		t.Fatal(err)
	}
	if err := bp.Rebuild(ctx, pl, mrp.LoadOptions{Start: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	s, err := NewWithStores(ctx, Stores{DB: db, BOM: bs, Plan: bp.Store()}, Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	s.warm.idle, s.warm.idleMax = 20*time.Millisecond, 80*time.Millisecond
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.warmSchedules(runCtx)
	}()
	t.Cleanup(func() { stop(); <-done })
	return s, pl
}

// write changes the quantity of the plan's first sales-order line, as a
// writer of the server does.
func write(t *testing.T, s *Server, qty int64) {
	t.Helper()
	if err := writeErr(s, qty); err != nil {
		t.Fatal(err)
	}
}

// writeErr is write returning its error (for another goroutine).
func writeErr(s *Server, qty int64) error {
	return s.UpdatePlan(context.Background(), func(st *mrp.Store) error {
		d := st.Planner().Input().Demands[0]
		d.Qty = qty
		_, err := st.Apply(context.Background(), mrp.SetDemand{Demand: d})
		return err
	})
}

// made reports whether the current plan's schedule is made.
func made(s *Server) bool {
	s.mrp.mu.RLock()
	defer s.mrp.mu.RUnlock()
	return s.mrp.plan.ScheduleMade()
}

// waitFor polls cond for up to 10 s.
func waitFor(cond func() bool) bool {
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(2 * time.Millisecond) {
		if cond() {
			return true
		}
	}
	return cond()
}

// TestScheduleWarm: while nobody reads schedules, a change of the plan
// makes none in the background; once one has been read, the next change
// has the new version's schedule made after a quiet spell, equal to one
// made from scratch, and a reader then gets that one.
func TestScheduleWarm(t *testing.T) {
	s, _ := warmServer(t)
	write(t, s, 7)
	time.Sleep(100 * time.Millisecond) // five quiet spells
	if made(s) || s.warm.made.Load() != 0 {
		t.Fatal("a schedule made in the background that nobody reads")
	}
	var first *mrp.Schedule
	if err := s.withPlan(context.Background(), func(p *mrp.Planner) error {
		_, sc, err := s.schedule(p)
		first = sc
		return err
	}); err != nil {
		t.Fatal(err)
	}
	write(t, s, 8)
	// the build counts itself just after the schedule is kept: wait for
	// both
	if !waitFor(func() bool { return made(s) && s.warm.made.Load() > 0 }) {
		t.Fatal("the changed plan's schedule was not made in the background")
	}
	if n := s.warm.made.Load(); n != 1 {
		t.Fatalf("%d background builds, want 1", n)
	}
	var got, fresh *mrp.Schedule
	if err := s.withPlan(context.Background(), func(p *mrp.Planner) error {
		c, sc, err := s.schedule(p)
		if err != nil {
			return err
		}
		got = sc
		fresh, err = p.FiniteSchedule(c)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if got == first || !reflect.DeepEqual(got.Orders(), fresh.Orders()) {
		t.Fatal("the schedule made in the background is not the changed plan's")
	}
}

// TestScheduleWarmYields: a writer does not wait for a background build:
// the build (here one that runs until it is cancelled) gives up, the
// writer changes the plan, and the build is tried again after the next
// quiet spell.
func TestScheduleWarmYields(t *testing.T) {
	s, _ := warmServer(t)
	started := make(chan struct{}, 16)
	s.warm.build = func(ctx context.Context, _ *mrp.BOMPlan) error {
		started <- struct{}{}
		<-ctx.Done()
		return ctx.Err()
	}
	s.warm.use()
	write(t, s, 9)
	select {
	case <-started:
	case <-time.After(10 * time.Second):
		t.Fatal("no background build after a change")
	}
	wrote := make(chan error, 1)
	go func() { wrote <- writeErr(s, 10) }()
	select {
	case err := <-wrote:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the writer waited for the background build")
	}
	if !waitFor(func() bool { return s.warm.gaveUp.Load() >= 1 }) {
		t.Fatal("the build did not give up")
	}
	select {
	case <-started: // tried again on the new version
	case <-time.After(10 * time.Second):
		t.Fatal("no new build after the writer's change")
	}
	if s.warm.made.Load() != 0 {
		t.Fatal("a build counted as made")
	}
}
