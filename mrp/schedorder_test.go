package mrp_test

import (
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/ctoplan/ctoplan/internal/plantgen"
	"github.com/ctoplan/ctoplan/mrp"
)

// TestScheduleOrderAt holds a schedule's three ways of reading its orders
// to each other on a plant whose work centers carry from half to ten
// times their load (orders placed backwards, forwards and not at all):
// OrderAt into one reused FiniteOrder, in random order, gives what Orders
// gives, without writing into an earlier answer; Order(id) gives the last
// order of that ID.
func TestScheduleOrderAt(t *testing.T) {
	for _, util := range []float64{0.5, 3, 10} {
		in, p := plannedPlant(t, plantgen.Default(300))
		wcs, err := plantgen.WorkCenters(in, min(util, 1))
		if err != nil {
			t.Fatal(err)
		}
		for k := range wcs {
			// past full load: the available hours cut
			wcs[k].Efficiency = max(wcs[k].Efficiency, 1) / max(util, 1)
		}
		c, err := mrp.NewCapacity(wcs, nil)
		if err != nil {
			t.Fatal(err)
		}
		s, err := p.FiniteSchedule(c)
		if err != nil {
			t.Fatal(err)
		}
		all := s.Orders()
		if len(all) != s.Len() || s.Len() == 0 {
			t.Fatalf("util %v: Orders %d, Len %d", util, len(all), s.Len())
		}
		again := s.Orders()
		var o mrp.FiniteOrder
		last := map[string]int{}
		kinds := map[string]int{}
		r := rand.New(rand.NewPCG(1, uint64(util*10)))
		for _, n := range r.Perm(s.Len()) {
			s.OrderAt(n, &o)
			if !reflect.DeepEqual(o, all[n]) {
				t.Fatalf("util %v: OrderAt(%d) = %+v, Orders()[%d] = %+v", util, n, o, n, all[n])
			}
			checkFiniteDates(t, in.Calendar.Start, &o)
			if n >= last[o.ID] {
				last[o.ID] = n
			}
			switch {
			case o.Unscheduled != "":
				kinds["unscheduled"]++
			case o.Forward:
				kinds["forward"]++
			default:
				kinds["backward"]++
			}
		}
		if !reflect.DeepEqual(all, again) {
			t.Fatalf("util %v: OrderAt wrote into an earlier Orders()", util)
		}
		for id, n := range last {
			got, ok := s.Order(id)
			if !ok || !reflect.DeepEqual(got, all[n]) {
				t.Fatalf("util %v: Order(%s) = %+v, %v; want order %d %+v", util, id, got, ok, n, all[n])
			}
		}
		if _, ok := s.Order("no such order"); ok {
			t.Fatal("an order that is not in the schedule found")
		}
		t.Logf("util %v: %d orders %v", util, s.Len(), kinds)
		if util == 10 && (kinds["unscheduled"] == 0 || kinds["forward"] == 0 || kinds["backward"] == 0) {
			t.Fatalf("util %v: not every way of placing an order seen: %v", util, kinds)
		}
	}
}

// checkFiniteDates checks o's dates by their definition: days counted
// from the planning date start, none where the order was not placed.
func checkFiniteDates(t *testing.T, start time.Time, o *mrp.FiniteOrder) {
	t.Helper()
	date := func(d int) time.Time { return start.AddDate(0, 0, d) }
	if !o.Due.Equal(date(o.DueDay)) {
		t.Fatalf("%s: due %v, day %d", o.ID, o.Due, o.DueDay)
	}
	placed := o.Unscheduled == ""
	ok := func(t time.Time, d int) bool {
		if !placed {
			return t.IsZero() && d == 0
		}
		return t.Equal(date(d))
	}
	if !ok(o.Start, o.StartDay) || !ok(o.Finish, o.FinishDay) {
		t.Fatalf("%s (placed %v): start %v day %d, finish %v day %d", o.ID, placed, o.Start, o.StartDay, o.Finish, o.FinishDay)
	}
	for _, op := range o.Ops {
		if !ok(op.Start, op.StartDay) || !ok(op.Finish, op.FinishDay) || !placed && op.Days != nil {
			t.Fatalf("%s op %d (placed %v): start %v day %d, finish %v day %d, %d days", o.ID, op.Seq, placed, op.Start, op.StartDay, op.Finish, op.FinishDay, len(op.Days))
		}
	}
}
