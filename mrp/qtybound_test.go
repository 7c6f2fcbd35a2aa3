package mrp_test

import (
	"errors"
	"fmt"
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
