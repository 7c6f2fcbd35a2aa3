package mrp

import (
	"testing"
	"time"
)

// TestDueEndsByHand: an item's due0 and dueN (the first and last order's
// days, which net change guesses order positions from) follow its orders
// through each way they are written. Item A, bought, lot-for-lot, lead
// time 0, no stock, every day a working day:
//
//   - demands d1 of 5 on day 3 and d2 of 4 on day 9: orders 5@3 and 4@9,
//     ends 3 and 9 (a regenerative plan: keep);
//   - d2 removed: 5@3 alone, ends 3 and 3 (net change: store, in place);
//   - d1 removed: no orders, ends 0 and 0 (store, none);
//   - d3 of 2 on day 12, d4 of 1 on day 20, d5 of 7 on day 1, d6 of 1 on
//     day 25 added: 7@1 2@12 1@20 1@25, ends 1 and 25 (store, grown: the
//     list is empty);
//   - d7 of 3 on day 12: 7@1 5@12 1@20 1@25, ends as they were (by delta);
//   - the plan encoded and decoded into a blank item: ends 1 and 25
//     (decodePlan, a checkpoint's load).
func TestDueEndsByHand(t *testing.T) {
	start := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	on := func(d int) time.Time { return start.AddDate(0, 0, d) }
	dem := func(id string, q int64, d int) Demand { return Demand{ID: id, Item: "A", Qty: q, Due: on(d)} }
	in := &Input{
		Items:    []Item{{ID: "A", Kind: Buy}},
		Demands:  []Demand{dem("d1", 5, 3), dem("d2", 4, 9)},
		Calendar: Calendar{Start: start, Horizon: 40, Weekend: []time.Weekday{}},
	}
	p, err := New(in, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	it := &p.items[p.index["A"]]
	check := func(step string, f, l int32) {
		t.Helper()
		if it.due0 != f || it.dueN != l {
			t.Errorf("%s: ends %d, %d (orders due %v), want %d, %d", step, it.due0, it.dueN, it.due, f, l)
		}
		if msg := endsDiff(it); msg != "" {
			t.Errorf("%s: %s", step, msg)
		}
	}
	apply := func(cs ...Change) {
		t.Helper()
		if _, err := p.Apply(cs...); err != nil {
			t.Fatal(err)
		}
	}
	check("planned", 3, 9)
	apply(RemoveDemand{ID: "d2"})
	check("d2 removed", 3, 3)
	apply(RemoveDemand{ID: "d1"})
	check("d1 removed", 0, 0)
	apply(SetDemand{dem("d3", 2, 12)}, SetDemand{dem("d4", 1, 20)}, SetDemand{dem("d5", 7, 1)}, SetDemand{dem("d6", 1, 25)})
	check("d3 to d6 added", 1, 25)
	apply(SetDemand{dem("d7", 3, 12)})
	check("d7 added", 1, 25)
	if got := it.qty; len(got) != 4 || got[1] != 5 {
		t.Errorf("orders %v due %v, want 7@1 5@12 1@20 1@25", it.qty, it.due)
	}
	b := p.encodePlan(p.index["A"])
	*it = item{in: it.in}
	if err := p.decodePlan(p.index["A"], b); err != nil {
		t.Fatal(err)
	}
	check("decoded", 1, 25)
}
