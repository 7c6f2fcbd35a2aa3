package mrp_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"github.com/ctoplan/ctoplan/mrp"
)

// receiptPlant is smallPlant with one to three scheduled receipts on
// most items, spread over the first weeks, where they meet the planned
// orders, and every item but the phantoms lot-for-lot (lots false) or
// lot-sized (fixed, period, rounded, Wagner-Whitin lots; one in five as
// generated): the
// plants on which net change adjusts items with receipts by delta before
// their last receipt (tryDelta), or by window (netWindow).
func receiptPlant(t testing.TB, seed uint64, lots bool) *mrp.Input {
	in := smallPlant(t, seed, 20+int(seed*11%30))
	r := rand.New(rand.NewPCG(seed, 1401))
	start := in.Calendar.Start
	for k := range in.Items {
		it := &in.Items[k]
		if it.Kind == mrp.Phantom {
			continue
		}
		switch {
		case r.IntN(5) == 0:
			// as generated
		case !lots:
			it.Lot = mrp.LotSizing{}
		default:
			it.Lot = []mrp.LotSizing{{Policy: mrp.FixedQty, Qty: int64(5 + r.IntN(40))}, {Policy: mrp.PeriodQty, Periods: 1 + r.IntN(5)},
				{Min: int64(r.IntN(30)), Multiple: int64(1 + r.IntN(8))}, {Max: int64(8 + r.IntN(30))},
				{Policy: mrp.PeriodQty, Periods: 2 + r.IntN(4), Min: int64(r.IntN(20)), Multiple: int64(1 + r.IntN(6))},
				{Policy: mrp.WagnerWhitin, SetupCost: float64(20 + r.IntN(300)), HoldingCost: 0.05 + r.Float64()}}[r.IntN(6)]
		}
		for j := range r.IntN(4) {
			in.Receipts = append(in.Receipts, mrp.Receipt{ID: fmt.Sprintf("YR%d.%d", k, j), Item: it.ID,
				Qty: int64(1 + r.IntN(40)), Due: start.AddDate(0, 0, r.IntN(40)-2)})
		}
	}
	return in
}

// pegLines renders the single-level pegging of every item.
func pegLines(t testing.TB, p *mrp.Planner) string {
	// every field of Requirement and Supply, with strconv (fmt's %v of the
	// two structs was 40% of the receipt tests)
	var s []byte
	str := func(v string) { s = append(append(s, ' '), v...) }
	num := func(n int64) { s = strconv.AppendInt(append(s, ' '), n, 10) }
	for _, id := range p.Items() {
		pegs, err := p.Pegging(id)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range pegs {
			r, u := g.Req, g.Supply
			s = append(s, id...)
			str(r.Demand)
			str(r.ParentOrder)
			num(int64(r.Day))
			num(r.Qty)
			num(int64(u.Kind))
			str(u.ID)
			num(int64(u.Day))
			num(u.Qty)
			num(g.Qty)
			s = append(s, '\n')
		}
	}
	return string(s)
}

// TestNetChangeReceiptsDelta is the property test of tryDelta's rule for
// items with scheduled receipts (in place wherever every change falls on
// a day with an order that stays, before the last receipt too): see
// receiptChains. It requires the path: items with receipts adjusted by
// delta with a change on or before their last receipt's day.
func TestNetChangeReceiptsDelta(t *testing.T) {
	deltaRec, early, _, _ := receiptChains(t, false)
	if early < deltaRec/4 || early == 0 {
		t.Errorf("only %d of %d items with receipts by delta had a change on or before their last receipt's day: the test does not reach the path", early, deltaRec)
	}
}

// TestNetChangeReceiptsWindow is the property test of netWindow for
// lot-sized items with scheduled receipts (receiptsBefore): see
// receiptChains. It requires the path: items with receipts replanned by
// window.
func TestNetChangeReceiptsWindow(t *testing.T) {
	_, _, win, ww := receiptChains(t, true)
	want, wantWW := 100, 20
	switch {
	case raceEnabled:
		want, wantWW = 10, 1
	case testing.Short():
		want, wantWW = 40, 5
	}
	if win < want || ww < wantWW {
		t.Errorf("only %d items with receipts replanned by window, %d of them Wagner-Whitin: the test does not reach the path", win, ww)
	}
}

// receiptChains runs chains of random net changes, mostly to sales-order
// lines, on random plants with scheduled receipts (receiptPlant, with
// lots or not; safety stock, firm orders, reschedule windows 0-9); after
// each, the plan, every message (against the message oracle, from their
// definition, too), the pegging and a supply tree equal those of a fresh
// plan of the same inputs. It returns how many items with receipts net
// change adjusted by delta, how many of them with a change on or before
// their last receipt's day, and how many it replanned by window (and of
// them by wwWindow).
func receiptChains(t *testing.T, lots bool) (deltaRec, early, win, ww int) {
	plants, steps := 10, 120
	if lots {
		plants, steps = 6, 60 // more orders: the oracles take longer
	}
	switch {
	case raceEnabled:
		plants, steps = 2, 20 // the plain run of CI does them all
	case testing.Short():
		plants, steps = 4, 40
	}
	kinds := map[string]int{}
	for seed := uint64(1); seed <= uint64(plants); seed++ {
		in := receiptPlant(t, seed, lots)
		opts := mrp.DefaultOptions()
		opts.RescheduleWindow = int(seed*7) % 10
		p, err := mrp.New(in, opts)
		if err != nil {
			t.Fatal(err)
		}
		if seed%3 == 1 {
			mrp.SetNetChangeParallelMin(p, 2)
		}
		mrp.CountNetChangeRecEarly(p)
		r := rand.New(rand.NewPCG(seed, 1402))
		start := in.Calendar.Start
		for step := range steps {
			cur := p.Input()
			var cs []mrp.Change
			for n := 1 + r.IntN(4)/3; len(cs) < n; {
				switch k := r.IntN(20); {
				case k < 8 && len(cur.Demands) > 0: // a line's quantity, up or down
					d := cur.Demands[r.IntN(len(cur.Demands))]
					d.Qty = max(1, d.Qty+int64(r.IntN(25)-12))
					cs = append(cs, mrp.SetDemand{Demand: d})
				case k < 15: // a new line, usually on a top item
					item := cur.Items[r.IntN(min(4, len(cur.Items)))].ID
					if r.IntN(3) == 0 {
						item = cur.Items[r.IntN(len(cur.Items))].ID
					}
					cs = append(cs, mrp.SetDemand{Demand: mrp.Demand{ID: fmt.Sprintf("Y%d-%d", step, len(cs)), Item: item,
						Qty: int64(1 + r.IntN(30)), Due: start.AddDate(0, 0, r.IntN(50)-2)}})
				case k < 17 && len(cs) == 0 && len(cur.Demands) > 0:
					cs = append(cs, mrp.RemoveDemand{ID: cur.Demands[r.IntN(len(cur.Demands))].ID})
				default:
					cs = append(cs, randomChange(r, cur, step))
				}
			}
			if _, err := p.Apply(cs...); err != nil {
				t.Fatalf("seed %d step %d: %v", seed, step, err)
			}
			what := fmt.Sprintf("seed %d step %d after %#v", seed, step, cs)
			q, err := mrp.New(p.Input(), opts)
			if err != nil {
				t.Fatal(err)
			}
			if a, b := fingerprint(t, p), fingerprint(t, q); a != b {
				t.Fatalf("%s: net change differs from regenerative\n%s", what, diff(a, b))
			}
			checkExceptionOracle(t, p, opts.RescheduleWindow, what, kinds)
			if a, b := pegLines(t, p), pegLines(t, q); a != b {
				t.Fatalf("%s: pegging differs from regenerative\n%s", what, diff(a, b))
			}
			if ds := p.Input().Demands; len(ds) > 0 {
				d := ds[r.IntN(len(ds))].ID
				if x, y := treeOf(t, p.SupplyTree, d), treeOf(t, q.SupplyTree, d); x != y {
					t.Fatalf("%s: supply tree of %s:\n%s\nregenerative:\n%s", what, d, x, y)
				}
			}
		}
		early += mrp.NetChangeRecEarly(p)
		_, dr, _ := mrp.NetChangePaths(p)
		deltaRec += dr
		a, b := mrp.NetChangeWindowedWithReceipts(p)
		win, ww = win+a, ww+b
	}
	t.Logf("%d items with receipts adjusted by delta, %d of them with a change on or before their last receipt's day; %d replanned by window (%d Wagner-Whitin); messages %v", deltaRec, early, win, ww, kinds)
	for _, k := range []string{"reschedule-in", "reschedule-out", "cancel", "below-safety-stock"} {
		if kinds[k] == 0 {
			t.Errorf("no %s message: the comparison proves nothing about it", k)
		}
	}
	return deltaRec, early, win, ww
}

// TestNetChangeReceiptsDeltaHand adjusts an item with scheduled receipts
// by delta on days before its last receipt, where its receipt messages
// stay, and replans it in full on a day without an order, where one goes.
func TestNetChangeReceiptsDeltaHand(t *testing.T) {
	// X: bought, lead time 0, no stock, no safety stock, lot-for-lot;
	// reschedule window 1 day. Demands 10 on days 1, 2, 3, 4, 8 and 10;
	// receipts R1 15 due day 2, R2 8 due 4, R3 6 due 6, R4 30 due 14.
	// Netting: day 1 is 10 short, R1 (due the next day) is pulled in:
	// 5 left. Day 2: 5 short, R2 is 2 days away: an order of 5. Day 3:
	// 10 short, R2 pulled in, still 2 short: an order of 2. Day 4: an
	// order of 10. Day 6: R3 arrives, 6. Day 8: 4 short: an order of 4.
	// Day 10: an order of 10. Day 14: R4 arrives, 30 left at the end.
	// The supply sequence (by day, receipts first): R1 (day 1), the
	// order of day 2, R2 (day 3), the orders of days 3 and 4, R3 (day
	// 6), the orders of days 8 and 10, R4 (day 14). R3 has 40 ahead of
	// it (15 + 5 + 8 + 2 + 10) against 40 required by day 6 and 7, 50
	// by day 8: needed on day 8, rescheduled out. R4 has 60 ahead, and
	// 60 is all that is required: cancelled.
	in := &mrp.Input{
		Items: []mrp.Item{{ID: "X", Kind: mrp.Buy}},
		Demands: []mrp.Demand{dem("D1", "X", 10, 1), dem("D2", "X", 10, 2), dem("D3", "X", 10, 3),
			dem("D4", "X", 10, 4), dem("D8", "X", 10, 8), dem("D10", "X", 10, 10)},
		Receipts: []mrp.Receipt{{ID: "R1", Item: "X", Qty: 15, Due: day(2)}, {ID: "R2", Item: "X", Qty: 8, Due: day(4)},
			{ID: "R3", Item: "X", Qty: 6, Due: day(6)}, {ID: "R4", Item: "X", Qty: 30, Due: day(14)}},
		Calendar: everyDay(30),
	}
	p, opts := planWindow(t, in, 1)
	mrp.CountNetChangeRecEarly(p)
	msgs := []string{
		"reschedule-in X R1 2026-12-02 qty 15 -> 2026-12-01",
		"reschedule-in X R2 2026-12-04 qty 8 -> 2026-12-03",
		"reschedule-out X R3 2026-12-06 qty 6 -> 2026-12-08",
		"cancel X R4 2026-12-14 qty 30",
	}
	check := func(what, orders string, delta, early int) {
		t.Helper()
		want(t, p, "X", orders)
		if got := messages(p); !slices.Equal(got, msgs) {
			t.Errorf("%s: messages\n got  %q\n want %q", what, got, msgs)
		}
		if _, dr, _ := mrp.NetChangePaths(p); dr != delta || mrp.NetChangeRecEarly(p) != early {
			t.Errorf("%s: %d items with receipts by delta, %d before the last receipt; want %d, %d", what, dr, mrp.NetChangeRecEarly(p), delta, early)
		}
		q, err := mrp.New(p.Input(), opts)
		if err != nil {
			t.Fatal(err)
		}
		if a, b := fingerprint(t, p), fingerprint(t, q); a != b {
			t.Fatalf("%s: net change differs from regenerative\n%s", what, diff(a, b))
		}
	}
	check("regenerated", "5@2/2 2@3/3 10@4/4 4@8/8 10@10/10", 0, 0)
	// Day 3 +3, before R3's day (and R4's, the last): the order of day 3
	// becomes 5 (R2 is pulled in as before: still short). R3 has 3 more
	// ahead and 3 more required from day 3 on: needed on day 8 as before;
	// R4 likewise. By delta.
	if _, err := p.Apply(mrp.SetDemand{Demand: dem("D3", "X", 13, 3)}); err != nil {
		t.Fatal(err)
	}
	check("day 3 +3", "5@2/2 5@3/3 10@4/4 4@8/8 10@10/10", 1, 1)
	// Day 8 -3, R3's need day: the order of day 8 becomes 1. R3's supply
	// ahead is as before (the order comes after it), the requirements
	// 3 less from day 8 on: 43 ahead against 43 by day 7, 47 by day 8:
	// needed on day 8 still. R4 has 3 less ahead and 3 less required. By
	// delta.
	if _, err := p.Apply(mrp.SetDemand{Demand: dem("D8", "X", 7, 8)}); err != nil {
		t.Fatal(err)
	}
	check("day 8 -3", "5@2/2 5@3/3 10@4/4 1@8/8 10@10/10", 2, 2)
	// A new demand of 3 on day 6, a day without an order: R3 arrives on
	// day 6 into 3 required (46 by day 6 against 43 ahead): needed on its
	// due day, no message; day 8 is then 4 short. Replanned in full.
	if _, err := p.Apply(mrp.SetDemand{Demand: dem("D6", "X", 3, 6)}); err != nil {
		t.Fatal(err)
	}
	msgs = slices.Delete(msgs, 2, 3)
	check("day 6 +3", "5@2/2 5@3/3 10@4/4 4@8/8 10@10/10", 2, 2)
}

// TestNetChangeReceiptsWindowHand replans a lot-sized item with scheduled
// receipts from its last order before a change on (netWindow with
// receiptsBefore), its receipt messages kept.
func TestNetChangeReceiptsWindowHand(t *testing.T) {
	// L: bought, lead time 0, no stock, no safety stock, fixed lots of
	// 10; demands 6 on days 1 to 8; receipts R0 20 due day 0, R 5 due
	// day 2 (no reschedule window: nothing pulled in). Netting: the
	// balance is 20, 14, 13 (R), 7, 1 on days 0-4, short 5 on day 5,
	// then 6 on days 6, 7, 8. Lots: day 5 needs 5 -> 10 (surplus 5);
	// day 6 needs 1 -> 10 (surplus 9); day 7 from surplus (3 left); day
	// 8 needs 3 -> 10. The supply sequence: R0 (day 0), R (day 2), the
	// orders. R0 has nothing ahead of it: needed on day 1 (6 required),
	// rescheduled out; R has 20 ahead: 18 required by day 3, 24 by day
	// 4: needed on day 4, rescheduled out.
	var ds []mrp.Demand
	for d := 1; d <= 8; d++ {
		ds = append(ds, dem(fmt.Sprintf("D%d", d), "L", 6, d))
	}
	in := &mrp.Input{
		Items:    []mrp.Item{{ID: "L", Kind: mrp.Buy, Lot: mrp.LotSizing{Policy: mrp.FixedQty, Qty: 10}}},
		Demands:  ds,
		Receipts: []mrp.Receipt{{ID: "R0", Item: "L", Qty: 20, Due: day(0)}, {ID: "R", Item: "L", Qty: 5, Due: day(2)}},
		Calendar: everyDay(30),
	}
	p, opts := planWindow(t, in, 0)
	msgs := []string{
		"reschedule-out L R0 2026-11-30 qty 20 -> 2026-12-01",
		"reschedule-out L R 2026-12-02 qty 5 -> 2026-12-04",
	}
	check := func(what, orders string, win int) {
		t.Helper()
		want(t, p, "L", orders)
		if got := messages(p); !slices.Equal(got, msgs) {
			t.Errorf("%s: messages\n got  %q\n want %q", what, got, msgs)
		}
		if n, _ := mrp.NetChangeWindowedWithReceipts(p); n != win {
			t.Errorf("%s: %d items with receipts replanned by window, want %d", what, n, win)
		}
		q, err := mrp.New(p.Input(), opts)
		if err != nil {
			t.Fatal(err)
		}
		if a, b := fingerprint(t, p), fingerprint(t, q); a != b {
			t.Fatalf("%s: net change differs from regenerative\n%s", what, diff(a, b))
		}
	}
	check("regenerated", "10@5/5 10@6/6 10@8/8", 0)
	// Day 7 becomes 11 (+5). The window starts at day 6, the last order
	// day before 7: the order before it (day 5) is due after the last
	// receipt (day 2), and both receipts are needed before day 7. The
	// surplus at day 6: ordered before it 10, less the net requirements
	// before it, gross 30 + safety stock 0 - stock 0 - receipts 25 = 5:
	// 5. Day 6 needs 1 -> 10 (surplus 9); day 7 needs 2 -> 10 (surplus
	// 8); day 8 from surplus. The messages stay.
	if _, err := p.Apply(mrp.SetDemand{Demand: dem("D7", "L", 11, 7)}); err != nil {
		t.Fatal(err)
	}
	check("day 7 +5", "10@5/5 10@6/6 10@7/7", 1)
	// Day 5 +4 (10): no order is due before day 5: replanned in full
	// (no window). Netting: short 9 on day 5, then 6,
	// 11, 6. Day 5 -> 10 (surplus 1); day 6 needs 5 -> 10 (surplus 4);
	// day 7 needs 7 -> 10 (surplus 3); day 8 needs 3 -> 10.
	if _, err := p.Apply(mrp.SetDemand{Demand: dem("D5", "L", 10, 5)}); err != nil {
		t.Fatal(err)
	}
	check("day 5 +4", "10@5/5 10@6/6 10@7/7 10@8/8", 1)
}

// TestNetChangeReceiptsWindowBoundaryHand: a window needs an order due on
// or after the last receipt's day before its start; one due the day
// before is not enough.
func TestNetChangeReceiptsWindowBoundaryHand(t *testing.T) {
	// E: period lots of one day (exact: no surplus), no stock, no safety
	// stock; demands 5 on days 1, 2, 4, 5, 6; receipt R 7 due day 3.
	// Netting: 5 on days 1 and 2; R leaves 7, 2 after day 4; day 5 is 3
	// short, day 6 5. Orders 5@1 5@2 3@5 5@6. R has 10 ahead of it
	// against 10 required by day 3, 15 by day 4: rescheduled out to 4.
	var ds []mrp.Demand
	for _, d := range []int{1, 2, 4, 5, 6} {
		ds = append(ds, dem(fmt.Sprintf("D%d", d), "E", 5, d))
	}
	in := &mrp.Input{
		Items:    []mrp.Item{{ID: "E", Kind: mrp.Buy, Lot: mrp.LotSizing{Policy: mrp.PeriodQty, Periods: 1}}},
		Demands:  ds,
		Receipts: []mrp.Receipt{{ID: "R", Item: "E", Qty: 7, Due: day(3)}},
		Calendar: everyDay(30),
	}
	p, opts := planWindow(t, in, 0)
	want(t, p, "E", "5@1/1 5@2/2 3@5/5 5@6/6")
	// Day 6 +1. The last order day before it is 5, the order before
	// that is due on day 2, the day before R's: the balance is not at
	// safety stock after it (R comes), and day 5's net requirement is 3,
	// not its gross 5: no window (one would place 5 on day 5).
	// Replanned in full: 5@1 5@2 3@5 6@6, R's message as before.
	if _, err := p.Apply(mrp.SetDemand{Demand: dem("D6", "E", 6, 6)}); err != nil {
		t.Fatal(err)
	}
	want(t, p, "E", "5@1/1 5@2/2 3@5/5 6@6/6")
	got := messages(p)
	if w := []string{"reschedule-out E R 2026-12-03 qty 7 -> 2026-12-04"}; !slices.Equal(got, w) {
		t.Errorf("messages\n got  %q\n want %q", got, w)
	}
	if n, _ := mrp.NetChangeWindowedWithReceipts(p); n != 0 {
		t.Errorf("%d items with receipts replanned by window, want 0", n)
	}
	q, err := mrp.New(p.Input(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := fingerprint(t, p), fingerprint(t, q); a != b {
		t.Fatalf("net change differs from regenerative\n%s", diff(a, b))
	}
}
