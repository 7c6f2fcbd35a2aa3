package mrp_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/ctoplan/ctoplan/internal/plantgen"
	"github.com/ctoplan/ctoplan/mrp"
)

// TestScheduleLinksEqualsTrees: the finite schedule made from one pass
// over the single-level pegging equals the one made by walking every
// line's supply tree, on generated plants with phantoms, scheduled
// production and purchase receipts, lot sizing, dated BOM changes (orders
// of a make item with no component in force), priorities and a priority
// override, capacity tight enough to make lines late: every order's
// priority, days and operations, and every line's delivery.
func TestScheduleLinksEqualsTrees(t *testing.T) {
	seeds := uint64(4)
	if raceEnabled {
		seeds = 1 // the trees' walk under the race detector: 10 s a plant
	}
	for seed := uint64(1); seed <= seeds; seed++ {
		in, c := finitePlant(t, seed)
		p, err := mrp.New(in, mrp.DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		prio := map[string]int{in.Demands[0].ID: 9}
		got, err := mrp.FiniteScheduleBy(t, p, c, prio, false)
		if err != nil {
			t.Fatal(err)
		}
		want, err := mrp.FiniteScheduleBy(t, p, c, prio, true)
		if err != nil {
			t.Fatal(err)
		}
		if got.Len() < 20 {
			t.Fatalf("seed %d: %d orders scheduled: too few", seed, got.Len())
		}
		late, prioritized := 0, 0
		gos, wos := got.Orders(), want.Orders()
		for n := range wos {
			g, w := fmt.Sprintf("%+v", gos[n]), fmt.Sprintf("%+v", wos[n])
			if g != w {
				t.Fatalf("seed %d, order %d:\n got %s\nwant %s", seed, n, g, w)
			}
			if wos[n].Priority > 0 {
				prioritized++
			}
		}
		for _, d := range in.Demands {
			g, err1 := got.Delivery(d.ID)
			w, err2 := want.Delivery(d.ID)
			if fmt.Sprint(g, err1) != fmt.Sprint(w, err2) {
				t.Fatalf("seed %d, line %s:\n got %+v %v\nwant %+v %v", seed, d.ID, g, err1, w, err2)
			}
			if w.LateDays > 0 {
				late++
			}
		}
		if late == 0 || prioritized == 0 {
			t.Errorf("seed %d: %d late lines, %d orders with a priority: the plant tests too little", seed, late, prioritized)
		}
	}
}

// finitePlant is a generated plant of 300 items (seed) with phantoms,
// make items without a routing (a fifth), receipts (a third of the
// production ones released with their routing left), lot sizing, dated
// BOM changes that leave some make orders without components (some of
// them without a routing: purchases to their parents), priorities on a
// tenth of the lines, and work centers of 2 hours a day: tight enough to
// make lines late.
func finitePlant(t *testing.T, seed uint64) (*mrp.Input, *mrp.Capacity) {
	t.Helper()
	cf := plantgen.Default(300)
	cf.Seed, cf.Demands, cf.Days = seed, 300, 120
	cf.PhantomShare, cf.ReceiptShare, cf.LotShare = 0.1, 0.2, 0.2
	in, err := plantgen.Generate(cf)
	if err != nil {
		t.Fatal(err)
	}
	kind := map[string]mrp.Kind{}
	for j := range in.Items {
		it := &in.Items[j]
		kind[it.ID] = it.Kind
		if it.Kind != mrp.Make || len(it.Components) == 0 {
			continue
		}
		if j%5 == 1 {
			// no routing: its orders take no capacity, their components
			// wait for the nearest orders above that do
			it.Operations = nil
		}
		switch {
		case j%10 == 1:
			// from day 1 on, no components at all: orders without a
			// routing and without components, which arrive as purchases
			// do (an early one only its lead time from today)
			it.BOMChanges = []mrp.BOMChange{{From: in.Calendar.Start.AddDate(0, 0, 1), Components: []mrp.Component{}}}
			it.LeadTime = 15
		case j%7 == 3:
			// from day 40 on
			it.BOMChanges = []mrp.BOMChange{{From: in.Calendar.Start.AddDate(0, 0, 40), Components: []mrp.Component{}}}
		}
	}
	for k := range in.Receipts {
		if r := &in.Receipts[k]; kind[r.Item] == mrp.Make && k%3 == 0 {
			r.Kind = mrp.ProductionOrder
		}
	}
	for k := range in.Demands {
		if k%10 == 0 {
			in.Demands[k].Priority = 1 + k%4
		}
	}
	return in, plantCapacity(t, in, 2)
}

// plantCapacity is the capacity of the work centers in's operations
// name, each of hoursPerDay a working day (0: 8).
func plantCapacity(tb testing.TB, in *mrp.Input, hoursPerDay float64) *mrp.Capacity {
	tb.Helper()
	seen := map[string]bool{}
	var wcs []mrp.WorkCenter
	for _, it := range in.Items {
		for _, op := range it.Operations {
			if !seen[op.WorkCenter] {
				seen[op.WorkCenter] = true
				wcs = append(wcs, mrp.WorkCenter{ID: op.WorkCenter, HoursPerDay: hoursPerDay})
			}
		}
	}
	c, err := mrp.NewCapacity(wcs, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// TestFiniteScheduleThroughOrders, worked by hand: orders of make items
// without a routing take no capacity and pass their components on to the
// nearest order above that does (or to the line).
//
// A (routing: 1 h on WC1, lead time 1) needs 1 M; M (make, no routing,
// lead time 10) needed 1 R before day -20 and nothing since (a BOM change
// in force on every day of the plan); R is bought. SO1: 1 A due day 4
// (Friday). A's order is due day 4, released day 3; M's order is due day
// 3 and has no components: it is a leaf, which should have been released
// ten working days before: it arrives 10 working days from today, day 14
// (Monday + 2 weeks). So A waits for it: Earliest 14, A placed forwards
// on day 14, SO1 expected day 14, 10 days late, limited by A's order.
//
// SO2: 1 M due day 9: M's order (day 9, no components) is at the top of
// SO2's tree, no job: it arrives on day 14 as well (released too late),
// SO2 is 5 days late, limited by the purchase M#...
func TestFiniteScheduleThroughOrders(t *testing.T) {
	p := plan(t, &mrp.Input{
		Items: []mrp.Item{
			{ID: "A", Kind: mrp.Make, LeadTime: 1, Components: []mrp.Component{{Item: "M", QtyPer: 1}},
				Operations: []mrp.Operation{{Seq: 10, WorkCenter: "WC1", RunHours: 1}}},
			{ID: "M", Kind: mrp.Make, LeadTime: 10, Components: []mrp.Component{{Item: "R", QtyPer: 1}},
				BOMChanges: []mrp.BOMChange{{From: day(-20), Components: []mrp.Component{}}}},
			{ID: "R", Kind: mrp.Buy, LeadTime: 2},
		},
		Demands:  []mrp.Demand{dem("SO1", "A", 1, 4), dem("SO2", "M", 1, 9)},
		Calendar: mrp.Calendar{Start: monday, Horizon: 30},
	})
	c, err := mrp.NewCapacity([]mrp.WorkCenter{{ID: "WC1"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, byTrees := range []bool{false, true} {
		s, err := mrp.FiniteScheduleBy(t, p, c, nil, byTrees)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := finiteLines(s), "A#"+day(4).Format(time.DateOnly)+" 14-14 late 10 forward 10@WC1[14:1]"; got != want {
			t.Errorf("trees %v: schedule\n got %s\nwant %s", byTrees, got, want)
		}
		d, err := s.Delivery("SO1")
		if err != nil || d.ExpectedDay != 14 || d.LateDays != 10 || d.Limit != "A#"+day(4).Format(time.DateOnly) {
			t.Errorf("trees %v: SO1 %+v %v", byTrees, d, err)
		}
		d, err = s.Delivery("SO2")
		if err != nil || d.ExpectedDay != 14 || d.LateDays != 5 || d.Limit != "M#"+day(9).Format(time.DateOnly) {
			t.Errorf("trees %v: SO2 %+v %v", byTrees, d, err)
		}
	}
}

// TestFiniteSchedulePurchaseTie, worked by hand: of two purchases at the
// top of a line arriving on the same day, the one with the smaller ID
// names the line's limit, whatever the order the pegging reaches them in.
//
// M (make, no routing, lead time 1) needs 1 R1 and 1 R2 (bought, lead
// time 5); SO1: 10 M due day 1 (Tuesday). M's order is due day 1,
// released day 0, no job: it passes its components on to the line. R1's
// and R2's orders are due day 0 and should have been released five
// working days before: each arrives five working days from today, day 7
// (the next Monday). SO1 is expected on day 7, 6 days late, limited by
// R1#<day 0>, with M's BOM listing R2 first or R1 first.
func TestFiniteSchedulePurchaseTie(t *testing.T) {
	for _, comps := range [][]string{{"R2", "R1"}, {"R1", "R2"}} {
		p := plan(t, &mrp.Input{
			Items: []mrp.Item{
				{ID: "M", Kind: mrp.Make, LeadTime: 1, Components: []mrp.Component{{Item: comps[0], QtyPer: 1}, {Item: comps[1], QtyPer: 1}}},
				{ID: "R1", Kind: mrp.Buy, LeadTime: 5},
				{ID: "R2", Kind: mrp.Buy, LeadTime: 5},
			},
			Demands:  []mrp.Demand{dem("SO1", "M", 10, 1)},
			Calendar: mrp.Calendar{Start: monday, Horizon: 30},
		})
		c, err := mrp.NewCapacity(nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		s, err := p.FiniteSchedule(c)
		if err != nil {
			t.Fatal(err)
		}
		d, err := s.Delivery("SO1")
		if want := "R1#" + day(0).Format(time.DateOnly); err != nil || d.ExpectedDay != 7 || d.LateDays != 6 || d.Limit != want {
			t.Errorf("BOM %v: SO1 %+v %v, want day 7, 6 days late, limit %s", comps, d, err, want)
		}
	}
}
