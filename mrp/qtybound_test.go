package mrp_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/ctoplan/ctoplan/internal/plantgen"
	"github.com/ctoplan/ctoplan/mrp"
)

// chain is a plant of one line of levels+1 items, L0 made of per units
// of L1, made of per units of L2, ..., the last bought, with one demand
// of qty units of L0.
func chain(levels int, per float64, qty int64) *mrp.Input {
	start := time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC)
	in := &mrp.Input{Calendar: mrp.Calendar{Start: start, Horizon: 365}}
	for i := 0; i <= levels; i++ {
		it := mrp.Item{ID: fmt.Sprintf("L%d", i), Kind: mrp.Make, LeadTime: 1}
		if i < levels {
			it.Components = []mrp.Component{{Item: fmt.Sprintf("L%d", i+1), QtyPer: per}}
		} else {
			it.Kind = mrp.Buy
		}
		in.Items = append(in.Items, it)
	}
	in.Demands = []mrp.Demand{{ID: "SO1", Item: "L0", Qty: qty, Due: start.AddDate(0, 2, 0)}}
	return in
}

// TestPlanQtyBoundHand: each input quantity is within its bound, but
// down eight levels of 100,000 per a demand of 5 needs 5e40 units of the
// last item; int64 wrapped (orders of 1.9e18, then negative ones, items
// left out). Worked by hand: L1 needs 5e5, L2 5e10, L3 5e15 > 1e15:
// refused, naming L3 and L2. Down four levels of 10 per, 5 units need
// 5e4 of L4 (planned); one more demand of 1e12 (the most one may be)
// would need 1e15 + 5,000 of L3: refused, and the plan stays as it was; so is a
// change of L3 to lots of at least 1e12 with 1e6 of L4 each (1e18 of L4).
func TestPlanQtyBoundHand(t *testing.T) {
	_, err := mrp.New(chain(8, 1e5, 5), mrp.DefaultOptions())
	var ie *mrp.ItemError
	if !errors.As(err, &ie) || ie.Item != "L3" || !errors.Is(err, mrp.ErrInvalid) || !strings.Contains(err.Error(), "the orders of L2") {
		t.Fatalf("New of 8 levels of 100,000 per: %v, want an invalid-input error on L3 naming L2", err)
	}
	p, err := mrp.New(chain(4, 10, 5), mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	os, err := p.Orders("L4")
	if err != nil || len(os) != 1 || os[0].Qty != 50000 {
		t.Fatalf("L4's orders %+v (%v), want one of 50,000", os, err)
	}
	bounds, _ := mrp.QtyBounds(p)
	for i, want := range []float64{5, 50, 500, 5000, 50000} {
		if id := fmt.Sprintf("L%d", i); bounds[id] != want {
			t.Errorf("%s's bound %v, want %v (lot-for-lot, no stock, whole quantities per)", id, bounds[id], want)
		}
	}
	before := p.Digest()
	start := time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC)
	_, err = p.Apply(mrp.SetDemand{Demand: mrp.Demand{ID: "SO2", Item: "L0", Qty: mrp.MaxQty, Due: start.AddDate(0, 3, 0)}})
	if !errors.As(err, &ie) || ie.Item != "L3" || !strings.Contains(err.Error(), "the orders of L2") {
		t.Fatalf("a demand of 1e12 down four levels of 10: %v, want refused on L3", err)
	}
	if p.Digest() != before {
		t.Fatal("the refused demand changed the plan")
	}
	if _, ok := p.Demand("SO2"); ok {
		t.Fatal("the refused demand is in the plan")
	}
	l3 := chain(4, 10, 5).Items[3]
	l3.Lot.Min = mrp.MaxQty
	l3.Components[0].QtyPer = mrp.MaxQtyPer
	if _, err := p.Apply(mrp.SetItem{Item: l3}); !errors.As(err, &ie) || ie.Item != "L4" {
		t.Fatalf("L3 in lots of at least 1e12, 1e6 of L4 each: %v, want refused on L4", err)
	}
	if p.Digest() != before {
		t.Fatal("the refused item change changed the plan")
	}
	// a demand that fits is planned
	if _, err := p.Apply(mrp.SetDemand{Demand: mrp.Demand{ID: "SO3", Item: "L0", Qty: 1000, Due: start.AddDate(0, 3, 0)}}); err != nil {
		t.Fatal(err)
	}
}

// TestPlanQtyBoundHolds: on random plants (lot sizes, safety stock,
// scrap, stock, receipts, dated BOM changes as plantgen makes them), every
// item's orders over the horizon sum to at most its bound, at first and
// after random demand changes (the bound itself checked, not only that
// the plan passed).
func TestPlanQtyBoundHolds(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 13))
	checked := 0
	seeds := uint64(12)
	if raceEnabled {
		seeds = 2 // the race detector and the invariant checks: ~3 s a seed
	}
	for seed := uint64(1); seed <= seeds; seed++ {
		c := plantgen.Default(150 + int(seed)*20)
		c.Seed, c.Levels, c.LotShare, c.ScrapShare, c.SafetyShare = seed, 3+int(seed%5), 0.5, 0.3, 0.3
		in, p := plannedPlant(t, c)
		for step := 0; step < 4; step++ {
			bounds, _ := mrp.QtyBounds(p)
			for _, it := range in.Items {
				os, err := p.Orders(it.ID)
				if err != nil {
					t.Fatal(err)
				}
				var sum int64
				for _, o := range os {
					sum += o.Qty
				}
				if float64(sum) > bounds[it.ID] {
					t.Fatalf("seed %d step %d: %s's orders sum to %d, above its bound %v", seed, step, it.ID, sum, bounds[it.ID])
				}
				checked++
			}
			d := in.Demands[r.IntN(len(in.Demands))]
			d.Qty = 1 + r.Int64N(5*d.Qty+10)
			if _, err := p.Apply(mrp.SetDemand{Demand: d}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if checked == 0 {
		t.Fatal("nothing checked")
	}
}

// TestSplitOrdersBoundHand: a maximum lot size splits a lot into orders
// of at most the maximum. Worked by hand on L0 (made, lot-for-lot) of one
// L1 (bought) per unit, one demand of 1,000 L0, a horizon of 365 days:
// with L1's maximum at 1, L1 gets 1,000 orders of 1; its bounds: 1,000
// split orders, and 1,000 orders at most (each holds a unit; fewer than
// the 365 lots + 1,000 splits); L0's 365 (one lot a day at most, fewer
// than its 1,000 units). A demand of 10,000,000 more would take L1's
// splits to 10,001,000 > DefaultMaxSplitOrders: refused, naming L1, and the plan
// stays as it was. With L1's maximum at 7 and a multiple of 3 (orders of
// at most 6), 1,000 units are 167 orders of 6 (the last, of 4, rounded
// up: 1,002 units); its bound 365 + 1,003/6 orders (the requirement, plus
// the multiple, over 6). A new plant of 2,000,000,000 L0 with L1's
// maximum at 100 (20,000,000 splits) is refused by New. The bound is
// Options.MaxSplitOrders: 20,000 orders of 1 are refused under a bound of
// 10,000 and planned with none (-1).
func TestSplitOrdersBoundHand(t *testing.T) {
	in := chain(1, 1, 1000)
	in.Items[1].Lot.Max = 1
	p, err := mrp.New(in, mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	os, err := p.Orders("L1")
	if err != nil || len(os) != 1000 {
		t.Fatalf("L1 has %d orders (%v), want 1,000 of 1", len(os), err)
	}
	if c := mrp.OrderCountBounds(p); c["L1"] != 1000 || c["L0"] != 365 {
		t.Errorf("order count bounds %v, want L0 365 (a lot a day), L1 1,000 (its units)", c)
	}
	before := p.Digest()
	start := in.Calendar.Start
	_, err = p.Apply(mrp.SetDemand{Demand: mrp.Demand{ID: "SO2", Item: "L0", Qty: 10_000_000, Due: start.AddDate(0, 3, 0)}})
	var ie *mrp.ItemError
	if !errors.As(err, &ie) || ie.Item != "L1" || !errors.Is(err, mrp.ErrInvalid) || !strings.Contains(err.Error(), "maximum lot size 1 could split its orders into 1e+07") {
		t.Fatalf("10,000,000 more units of L0: %v, want refused on L1's maximum lot size", err)
	}
	if p.Digest() != before {
		t.Fatal("the refused demand changed the plan")
	}
	l1 := in.Items[1]
	l1.Lot.Max, l1.Lot.Multiple = 7, 3
	if _, err := p.Apply(mrp.SetItem{Item: l1}); err != nil {
		t.Fatal(err)
	}
	os, _ = p.Orders("L1")
	sum := int64(0)
	for _, o := range os {
		sum += o.Qty
		if o.Qty != 6 {
			t.Fatalf("L1's orders %v, want all of 6", os)
		}
	}
	if len(os) != 167 || sum != 1002 {
		t.Errorf("L1's %d orders sum to %d, want 167 of 6 (1,002)", len(os), sum)
	}
	if c := mrp.OrderCountBounds(p)["L1"]; math.Abs(c-(365+1003.0/6)) > 1e-9 {
		t.Errorf("L1's order count bound %v, want 365 + 1,003/6", c)
	}
	// the bound is the planner's option: 20,000 orders of 1 refused at
	// 10,000, planned without a bound
	small := chain(1, 1, 20_000)
	small.Items[1].Lot.Max = 1
	opts := mrp.DefaultOptions()
	opts.MaxSplitOrders = 10_000
	if _, err := mrp.New(small, opts); !errors.As(err, &ie) || ie.Item != "L1" || !strings.Contains(err.Error(), "(1e+04, Options.MaxSplitOrders)") {
		t.Fatalf("20,000 orders of 1 with MaxSplitOrders 10,000: %v, want refused on L1", err)
	}
	opts.MaxSplitOrders = -1
	if q, err := mrp.New(small, opts); err != nil {
		t.Fatalf("20,000 orders of 1 without a bound: %v", err)
	} else if os, _ := q.Orders("L1"); len(os) != 20_000 {
		t.Fatalf("L1 has %d orders without a bound, want 20,000", len(os))
	}
	big := chain(1, 1, 2_000_000_000)
	big.Items[1].Lot.Max = 100
	if _, err := mrp.New(big, mrp.DefaultOptions()); !errors.As(err, &ie) || ie.Item != "L1" || !strings.Contains(err.Error(), "into 2e+07") {
		t.Fatalf("New of 2e9 units in lots of at most 100: %v, want refused on L1", err)
	}
}

// TestOrderCountBoundHolds: on random plants with every lot-sizing rule
// (maximum lot sizes among them), some 10 to 14 levels deep, every
// item's orders number at most their bound after every random change,
// and a change refused for its splits leaves the plan as it was.
func TestOrderCountBoundHolds(t *testing.T) {
	seeds, steps := 8, 60
	if raceEnabled {
		seeds, steps = 3, 30
	}
	checked, refused := 0, 0
	for seed := uint64(1); seed <= uint64(seeds); seed++ {
		in := smallPlant(t, seed, 25+int(seed*7)%40)
		if seed%2 == 0 {
			in = smallPlantLevels(t, seed, 60+int(seed*7)%40, 10+int(seed%5))
		}
		// refused past 100,000 split orders, not the default 10 million:
		// plans of millions of orders took a minute to check (other seeds)
		opts := mrp.DefaultOptions()
		opts.MaxSplitOrders = 100_000
		p, err := mrp.New(in, opts)
		if err != nil {
			t.Fatal(err)
		}
		r := rand.New(rand.NewPCG(seed, 7))
		for step := range steps {
			before := p.Digest()
			c := randomChange(r, p.Input(), step)
			if it, ok := c.(mrp.SetItem); ok && r.IntN(3) == 0 && it.Item.Kind != mrp.Phantom {
				// small maximum lot sizes, some of them on deep
				// items whose quantities multiply to billions
				it.Item.Lot = mrp.LotSizing{Max: int64(1 + r.IntN(40)), Multiple: int64(r.IntN(3))}
				c = it
			}
			if _, err := p.Apply(c); err != nil {
				if !refusedSplits(err) {
					t.Fatalf("seed %d step %d: %v", seed, step, err)
				}
				if p.Digest() != before {
					t.Fatalf("seed %d step %d: the refused change %#v changed the plan", seed, step, c)
				}
				refused++
				continue
			}
			bounds := mrp.OrderCountBounds(p)
			for _, id := range p.Items() {
				os, err := p.Orders(id)
				if err != nil {
					t.Fatal(err)
				}
				if float64(len(os)) > bounds[id] {
					t.Fatalf("seed %d step %d: %s has %d orders, above its bound %v", seed, step, id, len(os), bounds[id])
				}
				checked++
			}
		}
		// the item with the largest bound in lots of at most one: refused
		// when that alone could pass the bound of 100,000 (the deep
		// plants' bounds reach 1e11)
		bounds, _ := mrp.QtyBounds(p)
		var most mrp.Item
		for _, it := range p.Input().Items {
			if it.Kind != mrp.Phantom && (most.ID == "" || bounds[it.ID] > bounds[most.ID]) {
				most = it
			}
		}
		before := p.Digest()
		most.Lot = mrp.LotSizing{Max: 1}
		_, err = p.Apply(mrp.SetItem{Item: most})
		switch {
		case refusedSplits(err) && p.Digest() != before:
			t.Fatalf("seed %d: the refused change of %s changed the plan", seed, most.ID)
		case refusedSplits(err):
			refused++
		case err != nil:
			t.Fatalf("seed %d: %s (bound %v) in lots of at most 1: %v", seed, most.ID, bounds[most.ID], err)
		case bounds[most.ID] > float64(opts.MaxSplitOrders):
			t.Fatalf("seed %d: %s (bound %v) in lots of at most 1 was planned, want refused", seed, most.ID, bounds[most.ID])
		}
	}
	t.Logf("%d items' order counts checked, %d changes refused", checked, refused)
	if refused == 0 {
		t.Error("no change was refused: the deep plants' small maximum lot sizes should pass the bound")
	}
}
