package plantgen_test

import (
	"testing"
	"time"

	"github.com/ctoplan/ctoplan/internal/plantgen"
	"github.com/ctoplan/ctoplan/mrp"
)

// TestWorkCenters, worked by hand: a week from Monday (5 working days),
// item A made on WC1 at 1 hour a unit, 16 units due each working day: 80
// hours, 16 a working day (the orders released before the planning date
// load it then, the total the same). At utilization 0.5 that takes 32
// hours a day, 4 units of 8 hours; at 1, 2 units; at 0.85, 16/6.8 = 2.35:
// 3 units. WC2 (item B, never ordered) has no load: one unit.
func TestWorkCenters(t *testing.T) {
	mon := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	in := &mrp.Input{
		Calendar: mrp.Calendar{Start: mon, Horizon: 7},
		Items: []mrp.Item{
			{ID: "A", Kind: mrp.Make, LeadTime: 1, Operations: []mrp.Operation{{Seq: 10, WorkCenter: "WC1", RunHours: 1}}},
			{ID: "B", Kind: mrp.Make, LeadTime: 1, Operations: []mrp.Operation{{Seq: 10, WorkCenter: "WC2", SetupHours: 3}}},
		},
	}
	for d := range 5 {
		in.Demands = append(in.Demands, mrp.Demand{ID: "SO" + string(rune('1'+d)), Item: "A", Qty: 16, Due: mon.AddDate(0, 0, d)})
	}
	for _, tc := range []struct {
		util float64
		wc1  int
	}{{0.5, 4}, {1, 2}, {0.85, 3}} {
		wcs, err := plantgen.WorkCenters(in, tc.util)
		if err != nil {
			t.Fatal(err)
		}
		want := []mrp.WorkCenter{{ID: "WC1", HoursPerDay: 8, Units: tc.wc1}, {ID: "WC2", HoursPerDay: 8, Units: 1}}
		if len(wcs) != 2 || wcs[0] != want[0] || wcs[1] != want[1] {
			t.Errorf("utilization %v: %+v, want %+v", tc.util, wcs, want)
		}
	}
	for _, u := range []float64{0, -1, 1.5} {
		if _, err := plantgen.WorkCenters(in, u); err == nil {
			t.Errorf("utilization %v: no error", u)
		}
	}
}
