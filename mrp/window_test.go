package mrp_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/ctoplan/ctoplan/internal/plantgen"
	"github.com/ctoplan/ctoplan/mrp"
)

// everyOtherDay returns item's demands of quantities qs on days 2, 4, 6, ...
// (IDs item0, item1, ...).
func everyOtherDay(item string, qs ...int64) []mrp.Demand {
	var ds []mrp.Demand
	for k, q := range qs {
		ds = append(ds, dem(fmt.Sprintf("%s%d", item, k), item, q, 2+2*k))
	}
	return ds
}

// TestNetChangeWindowHand replans lot-sized items from their last order
// before a changed requirement on (the net-change window) and checks the
// orders against the arithmetic below and against a fresh plan.
func TestNetChangeWindowHand(t *testing.T) {
	var ds []mrp.Demand
	ds = append(ds, everyOtherDay("F", 8, 4, 7, 6, 9)...)    // days 2, 4, 6, 8, 10
	ds = append(ds, everyOtherDay("P", 8, 4, 7, 6, 9, 5)...) // days 2, 4, ..., 12
	ds = append(ds, everyOtherDay("R", 8, 4, 7, 6, 9)...)
	in := &mrp.Input{
		Items: []mrp.Item{
			{ID: "F", Kind: mrp.Buy, LeadTime: 1, Lot: mrp.LotSizing{Policy: mrp.FixedQty, Qty: 10}},
			{ID: "P", Kind: mrp.Buy, LeadTime: 1, Lot: mrp.LotSizing{Policy: mrp.PeriodQty, Periods: 3}},
			{ID: "R", Kind: mrp.Buy, LeadTime: 1, Lot: mrp.LotSizing{Min: 10, Multiple: 4}},
		},
		Demands:  ds,
		Stock:    map[string]int64{"F": 5, "P": 5, "R": 5},
		Calendar: everyDay(40),
	}
	p := plan(t, in)
	// Each item: on hand 5, so day 2 nets 8-5 = 3 (f = 2, the first
	// order's day); after it the balance ends every day at 0 and each
	// later requirement nets to itself.
	//
	// F, fixed lots of 10: day 2 needs 3 -> 10, surplus 7; day 4 (4)
	// from surplus, 3 left; day 6 (7) needs 4 -> 10, surplus 6; day 8 (6)
	// from surplus, 0 left; day 10 (9) -> 10, surplus 1.
	want(t, p, "F", "10@2/1 10@6/5 10@10/9")
	// P, 3-period lots: days 2-4 (3+4) -> 7 on day 2; days 6-8 (7+6) ->
	// 13 on day 6; days 10-12 (9+5) -> 14 on day 10.
	want(t, p, "P", "7@2/1 13@6/5 14@10/9")
	// R, at least 10 in multiples of 4: day 2 needs 3 -> 12, surplus 9;
	// day 4 (4) from surplus, 5 left; day 6 (7) needs 2 -> 12, surplus 10;
	// day 8 (6) from surplus, 4 left; day 10 (9) needs 5 -> 12.
	want(t, p, "R", "12@2/1 12@6/5 12@10/9")

	apply := func(id, item string, qty int64, d int) {
		t.Helper()
		w0 := mrp.NetChangeWindowed(p)
		if _, err := p.Apply(mrp.SetDemand{Demand: dem(id, item, qty, d)}); err != nil {
			t.Fatal(err)
		}
		if mrp.NetChangeWindowed(p) != w0+1 {
			t.Errorf("%s %s: not replanned by window", item, id)
		}
	}
	// F: day 8 becomes 9 (+3). The last order before day 8 is day 6 (o);
	// gross before o 8+4 = 12, so net before o 12 + 0 (safety stock) - 5
	// (on hand) = 7, ordered 10: surplus 3, as above. From o: day 6 (7)
	// needs 4 -> 10, surplus 6; day 8 (9) needs 3 -> 10, surplus 7; day
	// 10 (9) needs 2 -> 10.
	apply("F3", "F", 9, 8)
	want(t, p, "F", "10@2/1 10@6/5 10@8/7 10@10/9")
	// P: day 12 becomes 8 (+3). o = day 10: gross before it 8+4+7+6 =
	// 25, net 25-5 = 20, ordered 7+13 = 20: surplus 0. Days 10-12 (9+8)
	// -> 17 on day 10.
	apply("P5", "P", 8, 12)
	want(t, p, "P", "7@2/1 13@6/5 17@10/9")
	// P: day 4 becomes 6 (+2). The only order before day 4 is the first
	// (o = f = 2), whose net requirement is gross up to day 2 (8) + 0 - 5
	// = 3. Days 2-4 (3+6) -> 9 on day 2; the rest as before.
	apply("P1", "P", 6, 4)
	want(t, p, "P", "9@2/1 13@6/5 17@10/9")
	// R: day 8 becomes 11 (+5). o = day 6: net before it 12-5 = 7,
	// ordered 12: surplus 5. Day 6 (7) needs 2 -> 12, surplus 10; day 8
	// (11) needs 1 -> 12, surplus 11; day 10 (9) from surplus.
	apply("R3", "R", 11, 8)
	want(t, p, "R", "12@2/1 12@6/5 12@8/7")
	if a, b := fingerprint(t, p), fingerprint(t, plan(t, p.Input())); a != b {
		t.Fatalf("net change differs from regenerative\n%s", diff(a, b))
	}
}

// TestNetChangeResyncHand checks by hand where net change's window stops:
// past the last changed requirement day, at the first lot the new run
// starts with the old run's surplus (for a period lot, on an old order's
// day), taking the old orders from there on.
func TestNetChangeResyncHand(t *testing.T) {
	var ds []mrp.Demand
	ds = append(ds, everyOtherDay("P", 8, 4, 7, 6, 9, 5)...) // days 2, 4, ..., 12
	ds = append(ds, everyOtherDay("M", 8, 4, 7, 6, 9)...)    // days 2, 4, ..., 10
	in := &mrp.Input{
		Items: []mrp.Item{
			{ID: "P", Kind: mrp.Buy, LeadTime: 1, Lot: mrp.LotSizing{Policy: mrp.PeriodQty, Periods: 3}},
			{ID: "M", Kind: mrp.Buy, LeadTime: 1, Lot: mrp.LotSizing{Multiple: 4}},
		},
		Demands:  ds,
		Stock:    map[string]int64{"P": 5, "M": 5},
		Calendar: everyDay(40),
	}
	p := plan(t, in)
	// On hand 5: day 2 nets 8-5 = 3, later days net to themselves.
	// P, 3-period lots: days 2-4 (3+4) -> 7; 6-8 (7+6) -> 13; 10-12
	// (9+5) -> 14.
	want(t, p, "P", "7@2/1 13@6/5 14@10/9")
	// M, multiples of 4: day 2 needs 3 -> 4, surplus 1; day 4 (4) needs 3
	// -> 4, surplus 1; day 6 (7) needs 6 -> 8, surplus 2; day 8 (6) needs
	// 4 -> 4, surplus 0; day 10 (9) -> 12.
	want(t, p, "M", "4@2/1 4@4/3 8@6/5 4@8/7 12@10/9")

	// apply makes one change and checks that it was replanned by window
	// and stopped leaving cut net requirements alone (0: not stopped).
	apply := func(d mrp.Demand, cut int) {
		t.Helper()
		w0 := mrp.NetChangeWindowed(p)
		n0, c0 := mrp.NetChangeResynced(p)
		if _, err := p.Apply(mrp.SetDemand{Demand: d}); err != nil {
			t.Fatal(err)
		}
		if mrp.NetChangeWindowed(p) != w0+1 {
			t.Errorf("%s %s: not replanned by window", d.Item, d.ID)
		}
		n, c := mrp.NetChangeResynced(p)
		wantN := 0
		if cut > 0 {
			wantN = 1
		}
		if n-n0 != wantN || c-c0 != cut {
			t.Errorf("%s %s: %d resynced leaving %d net requirements, want %d leaving %d", d.Item, d.ID, n-n0, c-c0, wantN, cut)
		}
	}
	// P: day 4 becomes 6 (+2, the last changed day 4). The window starts
	// at o = 2 (the first order): days 2-4 (3+6) -> 9 on day 2. The next
	// lot starts on day 6, past day 4, an old order's day: ordered 9 so
	// far, old orders before day 6 7, plus the change 2: in step. Days 6,
	// 8, 10 and 12 are left alone, their orders kept.
	apply(dem("P1", "P", 6, 4), 4)
	want(t, p, "P", "9@2/1 13@6/5 14@10/9")
	// P: day 6 becomes 1 (-6). o = 2 again; day 6 is not past the last
	// change, so the lot of days 6-8 (1+6) -> 7 is made again; the lot
	// of day 10 starts on an old order's day with 9+7 = 16 ordered, old
	// orders before it 9+13 = 22, -6: in step, days 10 and 12 kept.
	apply(dem("P2", "P", 1, 6), 2)
	want(t, p, "P", "9@2/1 7@6/5 14@10/9")
	// P: a new line of 4 on day 5. Its group chain shifts: lots start
	// on days 2 (2-4: 3+6 -> 9), 5 (5-6: 4+1 -> 5), 8 (8-10: 6+9 -> 15)
	// and 12 (5). On day 8 ordered 14 against old 9+7 = 16 plus 4; on
	// day 12 (no old order) 29 against 9+7+14 = 30 plus 4: never in step.
	apply(mrp.Demand{ID: "P6", Item: "P", Qty: 4, Due: in.Calendar.Start.AddDate(0, 0, 5)}, 0)
	want(t, p, "P", "9@2/1 5@5/4 15@8/7 5@12/11")
	// M: day 4 becomes 8 (+4). o = 2: day 2 needs 3 -> 4, surplus 1; day
	// 4 (8) needs 7 -> 8, surplus 1. Day 6: ordered 12, old 4+4 plus 4:
	// in step, days 6, 8 and 10 kept.
	apply(dem("M1", "M", 8, 4), 3)
	want(t, p, "M", "4@2/1 8@4/3 8@6/5 4@8/7 12@10/9")
	// M: day 6 becomes 9 (+2). o = 4, surplus 4-3 = 1 before it: day 4
	// (8) needs 7 -> 8, surplus 1; day 6 (9) needs 8 -> 8, surplus 0 (old:
	// 2). Day 8: ordered 16 against old 8+8 plus 2; (6) needs 6 -> 8,
	// surplus 2. Day 10: 24 against 8+8+4 plus 2; (9) needs 7 -> 8. The
	// lots never fall back in step.
	apply(dem("M2", "M", 9, 6), 0)
	want(t, p, "M", "4@2/1 8@4/3 8@6/5 8@8/7 8@10/9")
	if a, b := fingerprint(t, p), fingerprint(t, plan(t, p.Input())); a != b {
		t.Fatalf("net change differs from regenerative\n%s", diff(a, b))
	}
}

// windowPlant is a small random plant whose items (but phantoms) mostly
// get the lot policy named (or, for "mixed", any of them).
func windowPlant(t *testing.T, policy string, seed uint64) *mrp.Input {
	c := plantgen.Default(40 + int(seed%4)*15)
	c.Seed = seed
	c.Levels = 3 + int(seed%3)
	c.EndItems = 3
	c.FanOutMin, c.FanOutMax = 1, 4
	c.Demands = 4 * c.Items
	c.Days = 80
	c.LeadTimeMax = 5
	c.StockShare, c.ReceiptShare, c.SafetyShare, c.LotShare, c.ScrapShare = 0.5, 0.1, 0.2, 0, 0.1
	in, err := plantgen.Generate(c)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(seed, 7))
	policies := []string{"foq", "poq", "round", "ww"}
	for k := range in.Items {
		it := &in.Items[k]
		if it.Kind == mrp.Phantom || r.IntN(10) < 2 {
			continue // lot-for-lot
		}
		pol := policy
		if pol == "mixed" {
			pol = policies[r.IntN(len(policies))]
		}
		switch pol {
		case "foq":
			it.Lot = mrp.LotSizing{Policy: mrp.FixedQty, Qty: int64(5 + r.IntN(60))}
			if it.Lot.Qty%4 == 0 {
				// a minimum above the lot: lots no longer in multiples of
				// it (lotUnit 1), which resync must still find
				it.Lot.Min = it.Lot.Qty + 7
			}
		case "poq":
			it.Lot = mrp.LotSizing{Policy: mrp.PeriodQty, Periods: 1 + r.IntN(7)}
			if r.IntN(3) == 0 {
				// rounded period lots carry a surplus from lot to lot
				it.Lot.Min, it.Lot.Multiple = int64(r.IntN(40)), int64(1+r.IntN(12))
			}
		case "round":
			it.Lot = mrp.LotSizing{Min: int64(r.IntN(30)), Multiple: int64(1 + r.IntN(8))}
			if r.IntN(3) == 0 {
				// a maximum splits big lots into several orders a day
				it.Lot.Max = it.Lot.Multiple * int64(4+r.IntN(12))
				if !mrp.FeasibleLot(it.Lot.Min, it.Lot.Max, it.Lot.Multiple) {
					it.Lot.Max = 0
				}
			}
		case "ww":
			it.Lot = mrp.LotSizing{Policy: mrp.WagnerWhitin, SetupCost: float64(20 + r.IntN(300)), HoldingCost: 0.05 + r.Float64()}
		}
	}
	return in
}

// TestNetChangeWindow is the property test of the net-change window:
// random plants with every lot policy, random requirement changes early
// and late in the horizon (new, changed and removed sales-order lines,
// now and then a stock or receipt change or a batch), each net change
// compared with a fresh regenerative plan of the same inputs.
func TestNetChangeWindow(t *testing.T) {
	steps := 120
	switch {
	case raceEnabled:
		steps = 15 // the plain run of CI does all 120
	case testing.Short():
		steps = 50
	}
	steps = envInt("MRP_WINDOW_STEPS", steps)
	for _, policy := range []string{"foq", "poq", "round", "ww", "mixed"} {
		windowed, full, resynced, cut, ww, msg, never, exact, first, firstMsg := 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
		for seed := uint64(1); seed <= 3; seed++ {
			in := windowPlant(t, policy, seed)
			p, err := mrp.New(in, mrp.DefaultOptions())
			if err != nil {
				t.Fatal(err)
			}
			if seed == 2 {
				mrp.SetNetChangeParallelMin(p, 2)
			}
			r := rand.New(rand.NewPCG(seed, 11))
			start := in.Calendar.Start
			for step := range steps {
				cur := p.Input()
				var cs []mrp.Change
				for n := 1 + r.IntN(3)/2; len(cs) < n; {
					// early (the first two weeks) or late (the last four of
					// the 80 demand days)
					d := r.IntN(14)
					if r.IntN(2) == 0 {
						d = 52 + r.IntN(28)
					}
					switch k := r.IntN(20); {
					case k < 9: // a line's quantity
						dm := cur.Demands[r.IntN(len(cur.Demands))]
						dm.Qty = max(1, dm.Qty+int64(r.IntN(15)-7))
						cs = append(cs, mrp.SetDemand{Demand: dm})
					case k < 15: // a new line on a top item, or on any item
						item := cur.Items[r.IntN(3)].ID
						if r.IntN(3) == 0 {
							item = cur.Items[r.IntN(len(cur.Items))].ID
						}
						cs = append(cs, mrp.SetDemand{Demand: mrp.Demand{ID: fmt.Sprintf("W%d-%d", step, len(cs)), Item: item, Qty: int64(1 + r.IntN(30)), Due: start.AddDate(0, 0, d)}})
					case k < 17 && len(cs) == 0: // a line goes
						cs = append(cs, mrp.RemoveDemand{ID: cur.Demands[r.IntN(len(cur.Demands))].ID})
					case k < 18:
						it := cur.Items[r.IntN(len(cur.Items))]
						cs = append(cs, mrp.SetStock{Item: it.ID, Qty: int64(r.IntN(200))})
					case k < 19 && len(cur.Receipts) > 0:
						rc := cur.Receipts[r.IntN(len(cur.Receipts))]
						rc.Qty = int64(1 + r.IntN(100))
						cs = append(cs, mrp.SetReceipt{Receipt: rc})
					}
				}
				if _, err := p.Apply(cs...); err != nil {
					t.Fatalf("%s seed %d step %d: %v", policy, seed, step, err)
				}
				if msg := mrp.OrderEndsError(p); msg != "" {
					t.Fatalf("%s seed %d step %d after %#v: %s", policy, seed, step, cs, msg)
				}
				q, err := mrp.New(p.Input(), mrp.DefaultOptions())
				if err != nil {
					t.Fatal(err)
				}
				if a, b := fingerprintX(t, p, false), fingerprintX(t, q, false); a != b {
					t.Fatalf("%s seed %d step %d after %#v: net change differs from regenerative\n%s", policy, seed, step, cs, diff(a, b))
				}
				for _, id := range p.Items() {
					// the stock left before the first net requirement,
					// which the window keeps as it was
					if a, b := mrp.ItemSlack(p, id), mrp.ItemSlack(q, id); a != b {
						t.Fatalf("%s seed %d step %d after %#v: %s: slack %d, regenerative %d", policy, seed, step, cs, id, a, b)
					}
				}
			}
			windowed += mrp.NetChangeWindowed(p)
			ww += mrp.NetChangeWWWindowed(p)
			msg += mrp.NetChangeWindowedWithMessages(p)
			_, _, f := mrp.NetChangePaths(p)
			full += f
			n, c := mrp.NetChangeResynced(p)
			resynced, cut = resynced+n, cut+c
			never += mrp.NetChangeNeverResynced(p)
			exact += mrp.NetChangeExactWindows(p)
			n, m := mrp.NetChangeFirstWindows(p)
			first, firstMsg = first+n, firstMsg+m
		}
		t.Logf("%s: %d items replanned in full, %d of them by window (%d Wagner-Whitin between two cuts, %d keeping a message, %d from day 0 of which %d moved a message), %d of those stopped early (%d net requirements left alone), %d could not; %d without sums", policy, full, windowed, ww, msg, first, firstMsg, resynced, cut, never, exact)
		if first < windowed/20 || firstMsg < first/50 {
			t.Errorf("%s: only %d of %d windows from day 0 (changes on or before the first order), %d of them moving a message: the test does not reach them", policy, first, windowed, firstMsg)
		}
		if (policy == "poq" || policy == "mixed") && exact < (windowed-ww)/10 {
			t.Errorf("%s: only %d of %d windows without sums: the test does not reach them", policy, exact, windowed-ww)
		}
		if (policy == "foq" || policy == "round") && never < (windowed-ww)/10 {
			t.Errorf("%s: only %d of %d windows ruled out resync: the test does not reach it", policy, never, windowed-ww)
		}
		if msg < windowed/50 {
			t.Errorf("%s: only %d of %d windows kept a below-safety-stock message: the test does not reach them", policy, msg, windowed)
		}
		if policy != "ww" && resynced < (windowed-ww)/10 {
			t.Errorf("%s: only %d of %d windows stopped early: the test does not reach resync", policy, resynced, windowed-ww)
		}
		switch {
		case policy == "ww" && ww != windowed:
			t.Errorf("ww: %d of %d windows Wagner-Whitin", ww, windowed)
		case policy == "foq" || policy == "poq" || policy == "round":
			if ww > 0 {
				t.Errorf("%s: %d Wagner-Whitin windows", policy, ww)
			}
		}
		if policy != "foq" && policy != "poq" && policy != "round" && ww < full/10 {
			t.Errorf("%s: only %d of %d full replans by a Wagner-Whitin window: the test does not reach it", policy, ww, full)
		}
		if windowed < full/10 {
			t.Errorf("%s: only %d of %d full replans by window: the test does not reach it", policy, windowed, full)
		}
	}
}

// TestNetChangeResyncOracle is the property test of where net change's
// window stops (resync) on single lot-sized items, where one change is
// enough to put lots out of step: random demands, period lots (rounded or
// not), fixed lots and rounded lot-for-lot, random changes to them, every
// plan compared with the textbook oracle's.
func TestNetChangeResyncOracle(t *testing.T) {
	trials := 3000
	if testing.Short() || raceEnabled {
		trials = 600
	}
	r := rand.New(rand.NewPCG(12, 27))
	resynced := 0
	for trial := range trials {
		var ds []mrp.Demand
		for d := 1; d < 30; d++ {
			if r.IntN(2) == 0 {
				ds = append(ds, dem(fmt.Sprintf("D%d", d), "L", int64(1+r.IntN(9)), d))
			}
		}
		var lot mrp.LotSizing
		switch trial % 3 {
		case 0:
			lot = mrp.LotSizing{Policy: mrp.PeriodQty, Periods: 1 + r.IntN(4)}
		case 1:
			lot = mrp.LotSizing{Policy: mrp.FixedQty, Qty: int64(1 + r.IntN(12))}
		}
		if trial%3 != 1 && r.IntN(4) != 0 {
			lot.Min, lot.Multiple = int64(r.IntN(20)), int64(1+r.IntN(10))
		}
		if lot.Policy == mrp.LotForLot && lot.Multiple <= 1 {
			lot.Multiple = 2
		}
		in := &mrp.Input{
			Items:    []mrp.Item{{ID: "L", Kind: mrp.Buy, LeadTime: r.IntN(3), Lot: lot}},
			Demands:  ds,
			Stock:    map[string]int64{"L": int64(r.IntN(12))},
			Calendar: everyDay(40),
		}
		p := plan(t, in)
		for step := range 4 {
			d := dem(fmt.Sprintf("N%d", step), "L", int64(1+r.IntN(15)), 1+r.IntN(29))
			if r.IntN(2) == 0 && len(ds) > 0 {
				d = ds[r.IntN(len(ds))]
				d.Qty = int64(1 + r.IntN(15))
			}
			if _, err := p.Apply(mrp.SetDemand{Demand: d}); err != nil {
				t.Fatal(err)
			}
			o := runOracle(p.Input(), mrp.DefaultOptions().RescheduleWindow)
			os, _ := p.Orders("L")
			var got, want []string
			for _, x := range os {
				got = append(got, fmt.Sprintf("%d@%d", x.Qty, x.DueDay))
			}
			for _, x := range o.orders["L"] {
				want = append(want, fmt.Sprintf("%d@%d", x[1], x[0]))
			}
			if strings.Join(got, " ") != strings.Join(want, " ") {
				t.Fatalf("trial %d step %d, lot %+v, after %+v:\n engine %v\n oracle %v", trial, step, lot, d, got, want)
			}
		}
		n, _ := mrp.NetChangeResynced(p)
		resynced += n
	}
	t.Logf("%d windows stopped early", resynced)
	if resynced < trials/4 {
		t.Errorf("only %d windows stopped early in %d trials: the test does not reach resync", resynced, trials)
	}
}

// TestNetChangeWWWindowHand lot-sizes a Wagner-Whitin item again between
// two cuts around a change (wwWindow) and checks the orders against the
// arithmetic below and against a fresh plan.
func TestNetChangeWWWindowHand(t *testing.T) {
	// setup 100, holding 1 a unit a day, no stock: every demand nets to
	// itself. Requirement m is a cut when holding it from the day of the
	// one before costs more than 100:
	//
	//	day  2: 50
	//	day  3: 30   30 x 1 =  30, no cut
	//	day  4: 200 200 x 1 = 200, cut
	//	day  6: 40   40 x 2 =  80, no cut
	//	day  7: 30   30 x 1 =  30, no cut
	//	day 12: 60   60 x 5 = 300, cut
	//	day 14: 10   10 x 2 =  20, no cut
	//	day 20: 50   50 x 6 = 300, cut
	//
	// Clusters 2-3, 4-7, 12-14, 20. Days 2-3: one order 100 + 30 = 130
	// against two 200: 80 on day 2. Days 4-7: ordering on day 4 for day 6
	// costs 100 + 80 = 180, for days 6 and 7 too 270; day 4 alone and days
	// 6-7 from day 6 costs 100 + 100 + 30 = 230, the least (all three
	// alone 300): 200 on day 4, 70 on day 6. Days 12-14: 100 + 20 = 120
	// against 200: 70 on day 12. Day 20: 50.
	ds := []mrp.Demand{
		dem("W2", "W", 50, 2), dem("W3", "W", 30, 3), dem("W4", "W", 200, 4), dem("W6", "W", 40, 6),
		dem("W7", "W", 30, 7), dem("W12", "W", 60, 12), dem("W14", "W", 10, 14), dem("W20", "W", 50, 20),
	}
	in := &mrp.Input{
		Items:    []mrp.Item{{ID: "W", Kind: mrp.Buy, LeadTime: 1, Lot: mrp.LotSizing{Policy: mrp.WagnerWhitin, SetupCost: 100, HoldingCost: 1}}},
		Demands:  ds,
		Calendar: everyDay(40),
	}
	p := plan(t, in)
	want(t, p, "W", "80@2/1 200@4/3 70@6/5 70@12/11 50@20/19")
	apply := func(d mrp.Demand) {
		t.Helper()
		w0 := mrp.NetChangeWWWindowed(p)
		if _, err := p.Apply(mrp.SetDemand{Demand: d}); err != nil {
			t.Fatal(err)
		}
		if mrp.NetChangeWWWindowed(p) != w0+1 {
			t.Errorf("%s: not replanned between two cuts", d.ID)
		}
		if a, b := fingerprint(t, p), fingerprint(t, plan(t, p.Input())); a != b {
			t.Fatalf("%s: net change differs from regenerative\n%s", d.ID, diff(a, b))
		}
	}
	// Day 7 becomes 50. The window starts at the cut before day 7: day 6
	// (80) is none, day 4 is. It ends at the first cut after day 7 whose
	// requirement before it also lies after day 7: day 14 (20) is none,
	// day 20 is. Days 4-14 again: 50 x 1 on day 7 is still no cut, so
	// 4-7 is one cluster; from day 4 covering day 7 is 50 x 3 = 150 >
	// 100, the row ends there: day 4 alone 100, days 4-6 180; day 6 for
	// days 6-7 100 + 100 + 50 = 250, the least: 200 on day 4, 90 on day
	// 6. Days 12-14 as before; the orders on days 2 and 20 are kept.
	apply(dem("W7", "W", 50, 7))
	want(t, p, "W", "80@2/1 200@4/3 90@6/5 70@12/11 50@20/19")
	// A new 100 on day 9: 100 x 2 = 200 is a cut, and day 12 after it
	// now 60 x 3 = 180, another: day 9 is a cluster of its own. The
	// window is days 4-14 again; days 4-7 as before.
	apply(dem("W9", "W", 100, 9))
	want(t, p, "W", "80@2/1 200@4/3 90@6/5 100@9/8 70@12/11 50@20/19")
	// Day 14 becomes 40: 40 x 2 = 80, still no cut. The window starts
	// at day 12 (a cut) and runs to the end (after day 14 only day 20,
	// with nothing after day 14 before it). Days 12-14: 100 + 80 = 180
	// against 200: 100 on day 12.
	apply(dem("W14", "W", 40, 14))
	want(t, p, "W", "80@2/1 200@4/3 90@6/5 100@9/8 100@12/11 50@20/19")
	// Day 3 becomes 20. No cut lies between the first order's day (2)
	// and day 3: the window starts at the first net requirement, 50 on
	// day 2 (no stock), and ends at day 9 (after day 3: day 4 and the
	// no-cuts 6 and 7, then 9). Days 2-3: 100 + 20 = 120 against 200: 70
	// on day 2; days 4-7 as before.
	apply(dem("W3", "W", 20, 3))
	want(t, p, "W", "70@2/1 200@4/3 90@6/5 100@9/8 100@12/11 50@20/19")
}

// TestNetChangeWindowMessageHand replans by window an item whose first
// order is past due with safety stock, keeping its below-safety-stock
// message.
func TestNetChangeWindowMessageHand(t *testing.T) {
	// S: lead time 3, safety stock 5, fixed lots of 10, 8 on hand;
	// demands 6 on day 1, 4 on day 4, 7 on day 6, 3 on day 9. Day 1
	// leaves 2, 3 below safety stock: the first net requirement (f = 1),
	// then 4, 7 and 3. Lots: day 1 needs 3 -> 10, surplus 7; day 4 from
	// surplus, 3 left; day 6 needs 4 -> 10, surplus 6; day 9 from
	// surplus. The order on day 1 is released on day -2, past due: it
	// can arrive on day 3 at the earliest, and the balance counting it
	// only from then is 2 on day 1, 3 below safety stock.
	in := &mrp.Input{
		Items:    []mrp.Item{{ID: "S", Kind: mrp.Buy, LeadTime: 3, SafetyStock: 5, Lot: mrp.LotSizing{Policy: mrp.FixedQty, Qty: 10}}},
		Demands:  []mrp.Demand{dem("S1", "S", 6, 1), dem("S4", "S", 4, 4), dem("S6", "S", 7, 6), dem("S9", "S", 3, 9)},
		Stock:    map[string]int64{"S": 8},
		Calendar: everyDay(40),
	}
	p := plan(t, in)
	want(t, p, "S", "10@1/-2 10@6/3")
	// (and the order's release-past-due message, from the orders)
	msgs := []string{"below-safety-stock S  2026-12-01 qty 3", "release-past-due S S#2026-12-01 2026-11-28 qty 10 -> 2026-12-01"}
	wantExc := func() {
		t.Helper()
		var got []string
		for _, e := range p.Exceptions() {
			got = append(got, e.String())
		}
		if !slices.Equal(got, msgs) {
			t.Errorf("messages\n got  %q\n want %q", got, msgs)
		}
	}
	wantExc()
	// Day 6 becomes 15 (+8). The window starts at the order on day 1 (o
	// = f): its net requirement is 6 - (8 - 5) = 3 as before. Day 1 ->
	// 10, surplus 7; day 4 from surplus, 3 left; day 6 needs 12 -> 20,
	// surplus 8; day 9 from surplus. The message is decided by day 1,
	// before the change: it stays.
	w0, m0 := mrp.NetChangeWindowed(p), mrp.NetChangeWindowedWithMessages(p)
	if _, err := p.Apply(mrp.SetDemand{Demand: dem("S6", "S", 15, 6)}); err != nil {
		t.Fatal(err)
	}
	if mrp.NetChangeWindowed(p) != w0+1 || mrp.NetChangeWindowedWithMessages(p) != m0+1 {
		t.Errorf("not replanned by window keeping the message")
	}
	want(t, p, "S", "10@1/-2 20@6/3")
	wantExc()
	if a, b := fingerprint(t, p), fingerprint(t, plan(t, p.Input())); a != b {
		t.Fatalf("net change differs from regenerative\n%s", diff(a, b))
	}
}

// TestNetChangeNeverResyncHand checks the window's test for lots that
// cannot fall back in step with the old ones: fixed lots of 10 place only
// multiples of 10 from the window's start on, in the new run as in the
// old, so the new orders can exceed the old by the change only when 10
// divides it. A change of +3 lot-sizes to the end without asking; one of
// +10 may resync, and does.
func TestNetChangeNeverResyncHand(t *testing.T) {
	in := &mrp.Input{
		Items: []mrp.Item{
			{ID: "F", Kind: mrp.Buy, LeadTime: 1, Lot: mrp.LotSizing{Policy: mrp.FixedQty, Qty: 10}},
		},
		Demands:  everyOtherDay("F", 8, 4, 7, 6, 9, 5), // days 2, 4, ..., 12
		Stock:    map[string]int64{"F": 5},
		Calendar: everyDay(40),
	}
	p := plan(t, in)
	// On hand 5: day 2 nets 8-5 = 3 -> 10, surplus 7; day 4 (4) from
	// surplus, 3 left; day 6 (7) needs 4 -> 10, surplus 6; day 8 (6) from
	// surplus, 0 left; day 10 (9) -> 10, surplus 1; day 12 (5) needs 4 ->
	// 10, surplus 6.
	want(t, p, "F", "10@2/1 10@6/5 10@10/9 10@12/11")
	apply := func(id string, qty int64, d int, never, resynced int) {
		t.Helper()
		w0, n0 := mrp.NetChangeWindowed(p), mrp.NetChangeNeverResynced(p)
		r0, _ := mrp.NetChangeResynced(p)
		if _, err := p.Apply(mrp.SetDemand{Demand: dem(id, "F", qty, d)}); err != nil {
			t.Fatal(err)
		}
		r1, _ := mrp.NetChangeResynced(p)
		if w, n := mrp.NetChangeWindowed(p)-w0, mrp.NetChangeNeverResynced(p)-n0; w != 1 || n != never || r1-r0 != resynced {
			t.Errorf("%s: %d windows, %d ruled out resync, %d resynced; want 1, %d, %d", id, w, n, r1-r0, never, resynced)
		}
	}
	// Day 8: 6 -> 9 (+3, the last change day 8). o = day 6: net before it
	// 8+4-5 = 7, ordered 10: surplus 3. Day 6 (7) needs 4 -> 10, surplus
	// 6; day 8 (9) needs 3 -> 10, surplus 7; day 10 (9) needs 2 -> 10,
	// surplus 8; day 12 (5) from surplus. Past day 8 the new run has
	// ordered 20 before day 10 and 30 before day 12, the old one 10 and 20
	// from o on: never 3 more, as 3 is no multiple of 10. Ruled out.
	apply("F3", 9, 8, 1, 0)
	want(t, p, "F", "10@2/1 10@6/5 10@8/7 10@10/9")
	// Day 4: 4 -> 14 (+10, the last change day 4). o = f = day 2, whose
	// net requirement 3 stays. Day 2 (3) -> 10, surplus 7; day 4 (14)
	// needs 7 -> 10, surplus 3; at day 6 the new run has ordered 20, the
	// old one 10 (day 2), and 20 = 10 + 10: in step, so the old orders
	// from day 6 on stay.
	apply("F1", 14, 4, 0, 1)
	want(t, p, "F", "10@2/1 10@4/3 10@6/5 10@8/7 10@10/9")
	if a, b := fingerprint(t, p), fingerprint(t, plan(t, p.Input())); a != b {
		t.Fatalf("net change differs from regenerative\n%s", diff(a, b))
	}
}

// TestLotUnit is the property test of lotUnit: for random lot sizings
// (fixed, period and lot-for-lot lots with random minimums, maximums and
// multiples) and random requirements, every planned order is a multiple
// of the unit, and the unit is the one the rule names.
func TestLotUnit(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 9))
	above := 0 // fixed lots with a minimum above the lot: no unit
	for n := range 400 {
		l := mrp.LotSizing{Policy: []mrp.LotPolicy{mrp.LotForLot, mrp.FixedQty, mrp.PeriodQty}[r.IntN(3)]}
		switch l.Policy {
		case mrp.FixedQty:
			l.Qty = int64(1 + r.IntN(30))
		case mrp.PeriodQty:
			l.Periods = 1 + r.IntN(5)
		}
		if r.IntN(2) == 0 {
			l.Min = int64(r.IntN(60))
		}
		if r.IntN(2) == 0 {
			l.Multiple = int64(1 + r.IntN(9))
		}
		if r.IntN(3) == 0 {
			l.Max = int64(20 + r.IntN(80))
			if !mrp.FeasibleLot(l.Min, l.Max, l.Multiple) {
				l.Max = 0
			}
		}
		u := mrp.LotUnit(l)
		switch {
		case l.Multiple > 1 && u != l.Multiple,
			l.Multiple <= 1 && l.Policy == mrp.FixedQty && l.Max == 0 && l.Min <= l.Qty && u != l.Qty,
			l.Multiple <= 1 && (l.Policy != mrp.FixedQty || l.Max > 0 || l.Min > l.Qty) && u != 1:
			t.Fatalf("%+v: unit %d", l, u)
		}
		if l.Policy == mrp.FixedQty && l.Multiple <= 1 && l.Min > l.Qty {
			above++
		}
		var ds []mrp.Demand
		for d := range 30 {
			if r.IntN(3) > 0 {
				ds = append(ds, dem(fmt.Sprintf("d%d", d), "X", int64(1+r.IntN(40)), d))
			}
		}
		in := &mrp.Input{
			Items:    []mrp.Item{{ID: "X", Kind: mrp.Buy, LeadTime: 1, Lot: l}},
			Demands:  ds,
			Stock:    map[string]int64{"X": int64(r.IntN(30))},
			Calendar: everyDay(40),
		}
		os, err := plan(t, in).Orders("X")
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range os {
			if o.Qty%u != 0 {
				t.Fatalf("case %d, %+v: order %d@%d no multiple of the unit %d", n, l, o.Qty, o.DueDay, u)
			}
		}
	}
	if above < 10 {
		t.Errorf("only %d fixed lots with a minimum above the lot", above)
	}
}

// TestNetChangeExactWindowHand checks the windows of items whose lots are
// exactly what their net requirements need (period lots and lot-for-lot
// with a maximum, no minimum or multiple): every lot leaves no surplus,
// so a window starting at an order's day after the first starts with none
// and reads no sums before it. A rounded period lot still sums.
func TestNetChangeExactWindowHand(t *testing.T) {
	var ds []mrp.Demand
	ds = append(ds, everyOtherDay("P", 8, 4, 7, 6, 9, 5)...) // days 2, 4, ..., 12
	ds = append(ds, everyOtherDay("L", 8, 4, 7, 6, 9, 5)...)
	ds = append(ds, everyOtherDay("R", 8, 4, 7, 6, 9, 5)...)
	in := &mrp.Input{
		Items: []mrp.Item{
			{ID: "P", Kind: mrp.Buy, LeadTime: 1, Lot: mrp.LotSizing{Policy: mrp.PeriodQty, Periods: 3}},
			{ID: "L", Kind: mrp.Buy, LeadTime: 1, Lot: mrp.LotSizing{Max: 10}},
			{ID: "R", Kind: mrp.Buy, LeadTime: 1, Lot: mrp.LotSizing{Policy: mrp.PeriodQty, Periods: 3, Min: 10}},
		},
		Demands:  ds,
		Stock:    map[string]int64{"P": 5, "L": 5, "R": 5},
		Calendar: everyDay(40),
	}
	p := plan(t, in)
	// On hand 5: day 2 nets 8-5 = 3, later days net to themselves.
	// P: days 2-4 (3+4) -> 7; 6-8 (7+6) -> 13; 10-12 (9+5) -> 14.
	want(t, p, "P", "7@2/1 13@6/5 14@10/9")
	// L: each day's net requirement, none above 10.
	want(t, p, "L", "3@2/1 4@4/3 7@6/5 6@8/7 9@10/9 5@12/11")
	// R: days 2-4 need 7 -> 10 (the minimum), surplus 3; 6-8 need 13-3 =
	// 10 -> 10, surplus 0; 10-12 -> 14.
	want(t, p, "R", "10@2/1 10@6/5 14@10/9")
	apply := func(id, item string, qty int64, d, exact int) {
		t.Helper()
		w0, e0 := mrp.NetChangeWindowed(p), mrp.NetChangeExactWindows(p)
		if _, err := p.Apply(mrp.SetDemand{Demand: dem(id, item, qty, d)}); err != nil {
			t.Fatal(err)
		}
		if w, e := mrp.NetChangeWindowed(p)-w0, mrp.NetChangeExactWindows(p)-e0; w != 1 || e != exact {
			t.Errorf("%s: %d windows, %d without sums; want 1, %d", id, w, e, exact)
		}
	}
	// P, day 8: 6 -> 10. o = day 6, an order's day after the first: no
	// surplus there (the sums would say net before o 8+4-5 = 7, ordered
	// 7). Days 6-8 (7+10) -> 17; at day 10 the new run has ordered 17 =
	// 13 + 4 on an old order's day: the old 14 stays.
	apply("P3", "P", 10, 8, 1)
	want(t, p, "P", "7@2/1 17@6/5 14@10/9")
	// L, day 10: 9 -> 15. o = day 8: day 8 (6) -> 6; day 10 (15) -> 10 and
	// 5, the maximum splitting it; day 12 in step again.
	apply("L4", "L", 15, 10, 1)
	want(t, p, "L", "3@2/1 4@4/3 7@6/5 6@8/7 10@10/9 5@10/9 5@12/11")
	// R, day 8: 6 -> 10, a rounded lot: o = day 6, net before it 7,
	// ordered 10, surplus 3, summed. Days 6-8 (7+10) need 14 -> 14,
	// surplus 0; at day 10 in step again (14 = 10 + 4).
	apply("R3", "R", 10, 8, 0)
	want(t, p, "R", "10@2/1 14@6/5 14@10/9")
	if a, b := fingerprint(t, p), fingerprint(t, plan(t, p.Input())); a != b {
		t.Fatalf("net change differs from regenerative\n%s", diff(a, b))
	}
}

// TestNetChangeDeltaMessageHand adjusts by delta a lot-for-lot item with
// safety stock whose first orders are past due, moving its
// below-safety-stock message with the first order (belowOnFirst), where
// net change used to replan it in full.
func TestNetChangeDeltaMessageHand(t *testing.T) {
	// L: lead time 3, safety stock 5, 8 on hand; demands 6 on day 1, 4 on
	// day 2, 7 on day 6. Day 1 leaves 2, 3 below safety stock: an order
	// of 3 (f = 1); then 4 on day 2 and 7 on day 6, the balance at 5.
	// Orders due on days 1 and 2 are released on days -2 and -1, past due:
	// they can arrive on day 3. The balance counting them from then is 8
	// - 6 = 2 on day 1 (3 below safety stock: the message, by the first
	// order) and -2 on day 2; from day 3 on it is netting's.
	in := &mrp.Input{
		Items:    []mrp.Item{{ID: "L", Kind: mrp.Buy, LeadTime: 3, SafetyStock: 5}},
		Demands:  []mrp.Demand{dem("L1", "L", 6, 1), dem("L2", "L", 4, 2), dem("L6", "L", 7, 6)},
		Stock:    map[string]int64{"L": 8},
		Calendar: everyDay(40),
	}
	p := plan(t, in)
	want(t, p, "L", "3@1/-2 4@2/-1 7@6/3")
	// (and the orders' release-past-due messages, and demand L2 late: a
	// part of it is pegged to day 1's order, which arrives on day 3)
	wantExc := func(first, second int64) {
		t.Helper()
		msgs := []string{
			fmt.Sprintf("below-safety-stock L  2026-12-01 qty %d", first),
			fmt.Sprintf("release-past-due L L#2026-12-01 2026-11-28 qty %d -> 2026-12-01", first),
			fmt.Sprintf("release-past-due L L#2026-12-02 2026-11-29 qty %d -> 2026-12-02", second),
			fmt.Sprintf("late L L2 2026-12-02 qty %d -> 2026-12-03 limited by L", second)}
		var got []string
		for _, e := range p.Exceptions() {
			got = append(got, e.String())
		}
		if !slices.Equal(got, msgs) {
			t.Errorf("messages\n got  %q\n want %q", got, msgs)
		}
		if a, b := fingerprint(t, p), fingerprint(t, plan(t, p.Input())); a != b {
			t.Fatalf("net change differs from regenerative\n%s", diff(a, b))
		}
	}
	wantExc(3, 4)
	apply := func(d mrp.Demand, moved int) {
		t.Helper()
		d0, _, f0 := mrp.NetChangePaths(p)
		m0 := mrp.NetChangeDeltaMessages(p)
		if _, err := p.Apply(mrp.SetDemand{Demand: d}); err != nil {
			t.Fatal(err)
		}
		d1, _, f1 := mrp.NetChangePaths(p)
		if d1 != d0+1 || f1 != f0 || mrp.NetChangeDeltaMessages(p) != m0+moved {
			t.Errorf("%s: by delta %d, in full %d, messages moved %d; want 1, 0, %d", d.ID, d1-d0, f1-f0, mrp.NetChangeDeltaMessages(p)-m0, moved)
		}
	}
	// Day 1 becomes 8 (+2): its order 5, the message by 5; the rest stays.
	apply(dem("L1", "L", 8, 1), 1)
	want(t, p, "L", "5@1/-2 4@2/-1 7@6/3")
	wantExc(5, 4)
	// Day 2 becomes 1 (-3), released past due too: its order 1; the
	// balance counting past-due orders late is 0 - 1 = -1 on day 2, but
	// the message is day 1's, which stays.
	apply(dem("L2", "L", 1, 2), 0)
	want(t, p, "L", "5@1/-2 1@2/-1 7@6/3")
	wantExc(5, 1)
}

// TestNetChangeWindowFirstHand replans by window from day 0 an item whose
// changes fall on or before its first order (netWindowFirst).
func TestNetChangeWindowFirstHand(t *testing.T) {
	// F: fixed lots of 20, 10 on hand, safety stock 2, lead time 2;
	// demands 5 on days 3, 6, 9 and 12. The balance is 5 after day 3 and
	// 0 on day 6: the first net requirement, 2 (f = 6; the stock above
	// safety stock before it, 3). Lot 20, surplus 18; days 9 and 12 from
	// it (8 left).
	in := &mrp.Input{
		Items:    []mrp.Item{{ID: "F", Kind: mrp.Buy, LeadTime: 2, SafetyStock: 2, Lot: mrp.LotSizing{Policy: mrp.FixedQty, Qty: 20}}},
		Demands:  []mrp.Demand{dem("F3", "F", 5, 3), dem("F6", "F", 5, 6), dem("F9", "F", 5, 9), dem("F12", "F", 5, 12)},
		Stock:    map[string]int64{"F": 10},
		Calendar: everyDay(40),
	}
	p := plan(t, in)
	want(t, p, "F", "20@6/4")
	apply := func(msgs []string, ds ...mrp.Demand) {
		t.Helper()
		n0, _ := mrp.NetChangeFirstWindows(p)
		var cs []mrp.Change
		for _, d := range ds {
			cs = append(cs, mrp.SetDemand{Demand: d})
		}
		if _, err := p.Apply(cs...); err != nil {
			t.Fatal(err)
		}
		if n, _ := mrp.NetChangeFirstWindows(p); n != n0+1 {
			t.Errorf("%d windows from day 0, want 1", n-n0)
		}
		var got []string
		for _, e := range p.Exceptions() {
			got = append(got, e.String())
		}
		if !slices.Equal(got, msgs) {
			t.Errorf("messages\n got  %q\n want %q", got, msgs)
		}
		if a, b := fingerprint(t, p), fingerprint(t, plan(t, p.Input())); a != b {
			t.Fatalf("net change differs from regenerative\n%s", diff(a, b))
		}
	}
	// Day 3 becomes 8 (+3, before f): the balance is 2 after day 3, -3 on
	// day 6: net requirement 5, lot 20, surplus 15, then 10 and 5. The
	// order stays; 3 is no multiple of 20, so the window runs to the end.
	apply(nil, dem("F3", "F", 8, 3))
	want(t, p, "F", "20@6/4")
	if got := mrp.ItemSlack(p, "F"); got != 0 {
		t.Errorf("slack %d, want 0 (2 - 2 on day 3)", got)
	}
	// Day 3 becomes 10: the balance is 0 on day 3 (f' = 3, net
	// requirement 2), lot 20, surplus 18, then 13, 8, 3: the order moves
	// to day 3.
	apply(nil, dem("F3", "F", 10, 3))
	want(t, p, "F", "20@3/1")
	// A new demand of 9 on day 1: the balance is 1 there (f' = 1, net
	// requirement 1), lot 20, surplus 19; day 3 leaves 9, day 6 4, day 9
	// needs 1 (lot 20, surplus 19), day 12 leaves 14. The order on day 1
	// is released on day -1: past due, it can arrive on day 2, and the
	// balance counting it only then is 1 on day 1, below safety stock by
	// the first net requirement.
	apply([]string{"below-safety-stock F  2026-12-01 qty 1", "release-past-due F F#2026-12-01 2026-11-29 qty 20 -> 2026-12-01"},
		dem("F1", "F", 9, 1))
	want(t, p, "F", "20@1/-1 20@9/7")
	// That demand moves to day 2: the balance is 1 on day 2 (f' = 2), the
	// order on day 2 released on day 0, in time: no message.
	apply(nil, dem("F1", "F", 9, 2))
	want(t, p, "F", "20@2/0 20@9/7")
}

// TestNetChangeWWWindowFirstHand replans a Wagner-Whitin item changed on
// or before its first order from its (moved) first net requirement to the
// next cut (wwWindowFirst).
func TestNetChangeWWWindowFirstHand(t *testing.T) {
	// W: setup 100, holding 1 a unit a day, lead time 1, 10 on hand;
	// demands 20 on day 2, 30 on day 3, 50 on day 20, 40 on day 30. Day 2
	// leaves -10: the first net requirement, 10 (f = 2); then 30, 50, 40.
	// Holding 30 for a day (30) costs less than an order: no cut; 50 for
	// 17 days (850) and 40 for 10 (400) more: cuts. Orders 40 on day 2,
	// 50 on day 20, 40 on day 30.
	in := &mrp.Input{
		Items: []mrp.Item{{ID: "W", Kind: mrp.Buy, LeadTime: 1, Lot: mrp.LotSizing{Policy: mrp.WagnerWhitin, SetupCost: 100, HoldingCost: 1}}},
		Demands: []mrp.Demand{dem("W2", "W", 20, 2), dem("W3", "W", 30, 3), dem("W20", "W", 50, 20),
			dem("W30", "W", 40, 30)},
		Stock:    map[string]int64{"W": 10},
		Calendar: everyDay(40),
	}
	p := plan(t, in)
	want(t, p, "W", "40@2/1 50@20/19 40@30/29")
	apply := func(d mrp.Demand) {
		t.Helper()
		w0 := mrp.NetChangeWWWindowed(p)
		n0, _ := mrp.NetChangeFirstWindows(p)
		if _, err := p.Apply(mrp.SetDemand{Demand: d}); err != nil {
			t.Fatal(err)
		}
		if n, _ := mrp.NetChangeFirstWindows(p); mrp.NetChangeWWWindowed(p) != w0+1 || n != n0+1 {
			t.Errorf("%s: not replanned by a Wagner-Whitin window from day 0", d.ID)
		}
		if a, b := fingerprint(t, p), fingerprint(t, plan(t, p.Input())); a != b {
			t.Fatalf("net change differs from regenerative\n%s", diff(a, b))
		}
	}
	// Day 2 becomes 5: the balance is 5 on day 2 and -25 on day 3, the
	// first net requirement (f' = 3). The window runs from it to the cut
	// on day 30 (after the change, f and f', its predecessor day 20 too):
	// 25 on day 3, 50 on day 20; day 30's order stays.
	apply(dem("W2", "W", 5, 2))
	want(t, p, "W", "25@3/2 50@20/19 40@30/29")
	// A new demand of 15 on day 1: the balance is -5 there (f' = 1, net
	// requirement 5); holding day 2's 5 for a day (5) and day 3's 30 for
	// two (60) costs less than an order: one order of 40 on day 1.
	apply(dem("W1", "W", 15, 1))
	want(t, p, "W", "40@1/0 50@20/19 40@30/29")

	// X, as W: 10 on hand, demands 12 on day 1, 3 on day 3, 40 on day 6,
	// 50 on day 20, 40 on day 30. Day 1 leaves -2 (f = 1); 3 held for two
	// days (6) no cut; 40 for three (120) a cut, 50 and 40 too. Orders 5
	// on day 1, 40 on day 6, 50 on day 20, 40 on day 30.
	in.Items[0].ID = "X"
	in.Demands = []mrp.Demand{dem("X1", "X", 12, 1), dem("X3", "X", 3, 3), dem("X6", "X", 40, 6),
		dem("X20", "X", 50, 20), dem("X30", "X", 40, 30)}
	in.Stock = map[string]int64{"X": 10}
	p = plan(t, in)
	want(t, p, "X", "5@1/0 40@6/5 50@20/19 40@30/29")
	// Day 1 becomes 5: the balance is 5, 2, then -38 on day 6 (f' = 6,
	// after the change and f). Day 6's requirement is a cut seen from day
	// 3, but in the new run nothing precedes it: the window ends at the
	// first cut after day 6 whose predecessor lies after day 6 too, day
	// 30. 38 on day 6, 50 on day 20 (a cluster of its own); day 30 kept.
	apply(dem("X1", "X", 5, 1))
	want(t, p, "X", "38@6/5 50@20/19 40@30/29")
}

// TestNetChangeWindowKeptSumsHand follows netWindow's kept sums (winKeep:
// the orders before the window's first order jo less the gross
// requirements before its day, index g) over changes to one item, by
// hand, with and without a pegging kept between the changes (which takes
// the change notes the sums are checked by at the end of every change).
//
// F buys fixed lots of 10, 5 on hand, requirements 8, 4, 7, 6, 9 on days
// 2, 4, 6, 8, 10 (gd indices 0-4): orders 10 on days 2, 6 and 10
// (TestNetChangeWindowHand). The first sequence:
//
//  1. Day 8 raised to 9: the window starts at o = day 6 (jo 1, g 2), its
//     sums from the start: 10 - (8+4) = -2, 3 entries read; surplus -2 +
//     5 on hand = 3. Day 6 (7) needs 4 -> 10, surplus 6; day 8 (9) needs
//     3 -> 10, surplus 7; day 10 (9) needs 2 -> 10: orders on days 2, 6,
//     8, 10. Kept: (1, 2, -2); the window changed the orders from index 2.
//  2. Day 8 back to 6: o = day 6 again, the kept sums exactly: no entry
//     read. Surplus 3: day 6 needs 4 -> 10, surplus 6; day 8 (6) from it;
//     day 10 (9) -> 10: orders on days 2, 6, 10. Kept (1, 2, -2).
//  3. Day 2 raised to 10 (on the first order's day, netWindowFirst, which
//     sums nothing): requirement 0 changed, before g = 2, so the kept sums
//     go at the end of the change. Balance 5-10 -> net 5 on day 2 -> 10,
//     surplus 5; day 4 (4), 1 left; day 6 (7) needs 6 -> 10, surplus 4;
//     day 8 (6) needs 2 -> 10, surplus 8; day 10 (9) needs 1 -> 10:
//     orders on days 2, 6, 8, 10.
//  4. Day 10 raised to 12: o = day 8 (jo 2, g 3), from the start (nothing
//     kept): 20 - (10+4+7) = -1, 5 entries read; surplus 4. Day 8 (6)
//     needs 2 -> 10, surplus 8; day 10 (12) needs 4 -> 10: orders on days
//     2, 6, 8, 10. Kept (2, 3, -1). Had the kept sums of change 2 stayed,
//     they would have given -2 + 10 - 7 = 1 (2 entries), surplus 6 and no
//     order on day 8.
//  5. Day 8 raised to 7: o = day 6 (jo 1, g 2), back from the kept sums
//     (2 entries, against 3 from the start): -1 - 10 + 7 = -4 = 10 -
//     (10+4); surplus 1. Day 6 (7) needs 6 -> 10, surplus 4; day 8 (7)
//     needs 3 -> 10, surplus 7; day 10 (12) needs 5 -> 10: orders on days
//     2, 6, 8, 10. Kept (1, 2, -4).
//
// The second, on a fresh plan, starts with a change the window does not
// sum for, so that F's notes are not taken at its end (it holds no kept
// sums) when no pegging is kept:
//
//  1. Day 2 raised to 9 (netWindowFirst): net 4 on day 2 -> 10, surplus 6;
//     day 4 (4), 2 left; day 6 (7) needs 5 -> 10, surplus 5; day 8 (6)
//     needs 1 -> 10, surplus 9; day 10 (9) from it: orders on days 2, 6
//     and 8. Noted: requirement 0, order 2.
//  2. Day 10 raised to 10: o = day 8 (jo 2, g 3): 20 - (9+4+7) = 0, 5
//     entries read, surplus 5; day 8 (6) needs 1 -> 10, surplus 9; day 10
//     (10) needs 1 -> 10. Kept (2, 3, 0), and kept past the end of the
//     change: the notes of change 1 are in the sums just made, not against
//     them.
func TestNetChangeWindowKeptSumsHand(t *testing.T) {
	type step struct {
		id     string
		qty    int64
		day    int
		orders string
		read   int // entries windowSums read
		jo, g  int // kept after the change
		diff   int64
		held   bool
	}
	seqs := [][]step{{
		{"F3", 9, 8, "10@2/1 10@6/5 10@8/7 10@10/9", 3, 1, 2, -2, true},
		{"F3", 6, 8, "10@2/1 10@6/5 10@10/9", 0, 1, 2, -2, true},
		{"F0", 10, 2, "10@2/1 10@6/5 10@8/7 10@10/9", 0, 0, 0, 0, false},
		{"F4", 12, 10, "10@2/1 10@6/5 10@8/7 10@10/9", 5, 2, 3, -1, true},
		{"F3", 7, 8, "10@2/1 10@6/5 10@8/7 10@10/9", 2, 1, 2, -4, true},
	}, {
		{"F0", 9, 2, "10@2/1 10@6/5 10@8/7", 0, 0, 0, 0, false},
		{"F4", 10, 10, "10@2/1 10@6/5 10@8/7 10@10/9", 5, 2, 3, 0, true},
	}}
	for _, pegged := range []bool{false, true} {
		for n, steps := range seqs {
			t.Run(fmt.Sprintf("pegging=%v/seq=%d", pegged, n+1), func(t *testing.T) {
				in := &mrp.Input{
					Items:    []mrp.Item{{ID: "F", Kind: mrp.Buy, LeadTime: 1, Lot: mrp.LotSizing{Policy: mrp.FixedQty, Qty: 10}}},
					Demands:  everyOtherDay("F", 8, 4, 7, 6, 9),
					Stock:    map[string]int64{"F": 5},
					Calendar: everyDay(40),
				}
				p := plan(t, in)
				want(t, p, "F", "10@2/1 10@6/5 10@10/9")
				for k, s := range steps {
					if pegged {
						if _, err := p.PegTree("F0"); err != nil {
							t.Fatal(err)
						}
					}
					w0, r0 := mrp.NetChangeWindowed(p), mrp.NetChangeWindowSumsRead(p)
					if _, err := p.Apply(mrp.SetDemand{Demand: dem(s.id, "F", s.qty, s.day)}); err != nil {
						t.Fatal(err)
					}
					if mrp.NetChangeWindowed(p) != w0+1 {
						t.Errorf("change %d: not replanned by window", k+1)
					}
					want(t, p, "F", s.orders)
					if r := mrp.NetChangeWindowSumsRead(p) - r0; r != s.read {
						t.Errorf("change %d: %d entries read for the sums, want %d", k+1, r, s.read)
					}
					jo, g, diff, held := mrp.WindowKept(p, "F")
					if jo != s.jo || g != s.g || diff != s.diff || held != s.held {
						t.Errorf("change %d: kept (%d, %d, %d) %v, want (%d, %d, %d) %v", k+1, jo, g, diff, held, s.jo, s.g, s.diff, s.held)
					}
				}
				if a, b := fingerprint(t, p), fingerprint(t, plan(t, p.Input())); a != b {
					t.Fatalf("net change differs from regenerative\n%s", diff(a, b))
				}
			})
		}
	}
}
