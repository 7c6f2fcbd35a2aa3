package mrp_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/ctoplan/ctoplan/internal/plantgen"
	"github.com/ctoplan/ctoplan/mrp"
)

// TestNetChangeWindowHand replans lot-sized items from their last order
// before a changed requirement on (the net-change window) and checks the
// orders against the arithmetic below and against a fresh plan.
func TestNetChangeWindowHand(t *testing.T) {
	dems := func(item string, qs ...int64) []mrp.Demand {
		var ds []mrp.Demand
		for k, q := range qs {
			ds = append(ds, dem(fmt.Sprintf("%s%d", item, k), item, q, 2+2*k))
		}
		return ds
	}
	var ds []mrp.Demand
	ds = append(ds, dems("F", 8, 4, 7, 6, 9)...)    // days 2, 4, 6, 8, 10
	ds = append(ds, dems("P", 8, 4, 7, 6, 9, 5)...) // days 2, 4, ..., 12
	ds = append(ds, dems("R", 8, 4, 7, 6, 9)...)
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
		case "poq":
			it.Lot = mrp.LotSizing{Policy: mrp.PeriodQty, Periods: 1 + r.IntN(7)}
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
	if testing.Short() || raceEnabled {
		steps = 50
	}
	steps = envInt("MRP_WINDOW_STEPS", steps)
	for _, policy := range []string{"foq", "poq", "round", "ww", "mixed"} {
		windowed, full := 0, 0
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
			_, _, f := mrp.NetChangePaths(p)
			full += f
		}
		t.Logf("%s: %d items replanned in full, %d of them by window", policy, full, windowed)
		switch {
		case policy == "ww" && windowed > 0:
			t.Errorf("ww: %d Wagner-Whitin replans by window", windowed)
		case policy != "ww" && windowed < full/10:
			t.Errorf("%s: only %d of %d full replans by window: the test does not reach it", policy, windowed, full)
		}
	}
}
