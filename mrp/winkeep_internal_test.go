package mrp

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

// TestWindowKeptDroppedByTakeOver checks that a plan taken over (a store
// reloading its planner after a failed commit) drops netWindow's kept
// sums: they were summed from the old plan's orders, and the plan taken
// over writes its own without notes. The item and the arithmetic are
// TestNetChangeWindowKeptSumsHand's (fixed lots of 10, 5 on hand,
// requirements 8, 4, 7, 6, 9 on days 2, 4, 6, 8, 10).
//
// p: day 8 raised to 9 keeps (jo 1, g 2, 10 - (8+4) = -2). It takes over
// q, whose day 2 is 10 instead (orders on days 2, 6, 8, 10: step 3 of
// that test). Day 10 raised to 12 then starts the window at o = day 8 (jo
// 2, g 3): 20 - (10+4+7) = -1 from the start, surplus 4: day 8 (6) needs
// 2 -> 10, day 10 (12) needs 4 -> 10, orders on days 2, 6, 8, 10. From
// p's kept sums it would be -2 + 10 - 7 = 1, surplus 6: no order on day 8.
func TestWindowKeptDroppedByTakeOver(t *testing.T) {
	start := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	input := func(day2 int64) *Input {
		in := &Input{
			Items:    []Item{{ID: "F", Kind: Buy, LeadTime: 1, Lot: LotSizing{Policy: FixedQty, Qty: 10}}},
			Stock:    map[string]int64{"F": 5},
			Calendar: Calendar{Start: start, Horizon: 40, Weekend: []time.Weekday{}},
		}
		for k, q := range []int64{day2, 4, 7, 6, 9} {
			in.Demands = append(in.Demands, Demand{ID: fmt.Sprintf("F%d", k), Item: "F", Qty: q, Due: start.AddDate(0, 0, 2+2*k)})
		}
		return in
	}
	set := func(p *Planner, id string, qty int64, d int) {
		t.Helper()
		if _, err := p.Apply(SetDemand{Demand: Demand{ID: id, Item: "F", Qty: qty, Due: start.AddDate(0, 0, d)}}); err != nil {
			t.Fatal(err)
		}
	}
	p, err := New(input(8), DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	set(p, "F3", 9, 8)
	if k := p.wk[0]; !p.wkHeld[0] || k != (winKeep{1, 2, -2}) {
		t.Fatalf("kept %v (held %v), want {1 2 -2}", k, p.wkHeld[0])
	}
	q, err := New(input(10), DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	p.takeOver(q)
	set(p, "F4", 12, 10)
	it := &p.items[0]
	if want := []int32{2, 6, 8, 10}; !slices.Equal(it.due, want) || !slices.Equal(it.qty, []int64{10, 10, 10, 10}) {
		t.Errorf("orders due %v qty %v, want due %v, 10 each", it.due, it.qty, want)
	}
	if k := p.wk[0]; k != (winKeep{2, 3, -1}) {
		t.Errorf("kept %v, want {2 3 -1}", k)
	}
}
