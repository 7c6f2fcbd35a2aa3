package mrp_test

import (
	"testing"

	"github.com/ctoplan/ctoplan/mrp"
)

// TestPeggingAddsUp checks on random plants that, for every item, the
// pegged quantities cover every requirement exactly, never exceed a
// supply, never use supply that arrives after the requirement, and equal
// planned quantity plus the stock and receipts used minus what is left
// over; and that the multi-level views agree with the single-level links.
func TestPeggingAddsUp(t *testing.T) {
	seeds := 6
	if testing.Short() {
		seeds = 2
	}
	for seed := uint64(40); seed < uint64(40+seeds); seed++ {
		in := smallPlant(t, seed, 40)
		p, err := mrp.New(in, mrp.DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		receipts := map[string]int64{}
		for _, r := range in.Receipts {
			receipts[r.ID] = r.Qty
		}
		for _, id := range p.Items() {
			pegs, err := p.Pegging(id)
			if err != nil {
				t.Fatal(err)
			}
			os, _ := p.Orders(id)
			var planned int64
			orderQty := map[string]int64{}
			for _, o := range os {
				planned += o.Qty
				orderQty[o.ID] = o.Qty
			}
			reqs := map[mrp.Requirement]int64{}
			used := map[mrp.Supply]int64{}
			var pegged, fromPlanned, fromOther int64
			for _, g := range pegs {
				if g.Supply.Day > g.Req.Day {
					t.Fatalf("seed %d %s: %v pegged to later supply %v", seed, id, g.Req, g.Supply)
				}
				reqs[g.Req] += g.Qty
				used[g.Supply] += g.Qty
				pegged += g.Qty
				if g.Supply.Kind == mrp.FromPlanned {
					fromPlanned += g.Qty
				} else {
					fromOther += g.Qty
				}
			}
			for r, q := range reqs {
				if q != r.Qty {
					t.Fatalf("seed %d %s: requirement %v pegged %d", seed, id, r, q)
				}
			}
			var free int64 // supply not pegged: safety stock, lot-size surplus, excess
			for s, q := range used {
				if q > s.Qty {
					t.Fatalf("seed %d %s: supply %v over-pegged %d", seed, id, s, q)
				}
				switch s.Kind {
				case mrp.FromPlanned:
					if orderQty[s.ID] != s.Qty {
						t.Fatalf("seed %d %s: supply %v is not order %d", seed, id, s, orderQty[s.ID])
					}
				case mrp.FromReceipt:
					if receipts[s.ID] != s.Qty {
						t.Fatalf("seed %d %s: supply %v is not receipt %d", seed, id, s, receipts[s.ID])
					}
				}
			}
			var unpegPlanned int64
			for oid, q := range orderQty {
				unpegPlanned += q - used[mrp.Supply{Kind: mrp.FromPlanned, ID: oid, Day: dueOf(os, oid), Qty: q}]
			}
			free += unpegPlanned
			if pegged != planned-unpegPlanned+fromOther || fromPlanned != planned-free {
				t.Fatalf("seed %d %s: pegged %d != planned %d - unpegged %d + used stock/receipts %d", seed, id, pegged, planned, unpegPlanned, fromOther)
			}
			// Lot-for-lot without safety stock, stock or receipts: every
			// planned order is pegged in full.
			var hasStock bool
			for _, g := range pegs {
				hasStock = hasStock || g.Supply.Kind != mrp.FromPlanned
			}
			if it := itemOf(in, id); it.Lot == (mrp.LotSizing{}) && it.SafetyStock == 0 && !hasStock && in.Stock[id] == 0 && unpegPlanned != 0 {
				t.Fatalf("seed %d %s: lot-for-lot orders not fully pegged (%d left)", seed, id, unpegPlanned)
			}
			// every order's demand shares add up to at most its quantity
			for _, o := range os {
				sh, err := p.PeggedDemands(o.ID)
				if err != nil {
					t.Fatal(err)
				}
				var s float64
				for _, x := range sh {
					s += x.Qty
				}
				if s > float64(o.Qty)+1e-6 {
					t.Fatalf("seed %d %s: demands %v exceed %d", seed, o.ID, sh, o.Qty)
				}
			}
		}
		// supply trees: the top nodes cover the demand exactly
		for _, d := range in.Demands[:min(len(in.Demands), 30)] {
			tree, err := p.SupplyTree(d.ID)
			if err != nil {
				t.Fatal(err)
			}
			var q int64
			for _, n := range tree {
				q += n.Qty
			}
			// (a forecast is covered only where orders have not consumed it)
			if !d.Forecast && d.Due.Sub(in.Calendar.Start).Hours()/24 < float64(p.Horizon()) && q != d.Qty {
				t.Fatalf("seed %d demand %s: supply tree covers %d of %d", seed, d.ID, q, d.Qty)
			}
		}
	}
}

func dueOf(os []mrp.PlannedOrder, id string) int {
	for _, o := range os {
		if o.ID == id {
			return o.DueDay
		}
	}
	return -1
}

func itemOf(in *mrp.Input, id string) mrp.Item {
	for _, it := range in.Items {
		if it.ID == id {
			return it
		}
	}
	return mrp.Item{}
}

// TestSupplyTree follows a sales order through a three-level plan.
func TestSupplyTree(t *testing.T) {
	in := &mrp.Input{
		Items: []mrp.Item{
			{ID: "A", Kind: mrp.Make, LeadTime: 1, Components: []mrp.Component{{Item: "B", QtyPer: 2}}},
			{ID: "B", Kind: mrp.Make, LeadTime: 1, Components: []mrp.Component{{Item: "C", QtyPer: 3}}},
			{ID: "C", Kind: mrp.Buy, LeadTime: 1},
		},
		Demands:  []mrp.Demand{dem("s1", "A", 5, 10), dem("s2", "A", 7, 10)},
		Stock:    map[string]int64{"A": 2, "C": 4},
		Calendar: everyDay(30),
	}
	p := plan(t, in)
	tree, err := p.SupplyTree("s2")
	if err != nil {
		t.Fatal(err)
	}
	// Day 10: s1 and s2 (same priority, by id) need 12 of A: 2 from stock
	// go to s1, then A#1 (10) covers 3 of s1 and 7 of s2. A#1 needs 20 B
	// (B#1, 20), which needs 60 C: 4 from stock, 56 from C#1.
	if len(tree) != 1 || tree[0].Supply.ID != "A#2026-12-10" || tree[0].Qty != 7 {
		t.Fatalf("top %+v", tree)
	}
	b := tree[0].Children
	if len(b) != 1 || b[0].Supply.ID != "B#2026-12-09" || b[0].Qty != 20 {
		t.Fatalf("B level %+v", b)
	}
	c := b[0].Children
	if len(c) != 2 || c[0].Supply.Kind != mrp.FromStock || c[0].Qty != 4 || c[1].Supply.ID != "C#2026-12-08" || c[1].Qty != 56 {
		t.Fatalf("C level %+v %+v", c[0], c[1])
	}
	sh, _ := p.PeggedDemands("C#2026-12-08")
	// C#1 (56) serves B#1 entirely, i.e. A#1: 3/10 to s1, 7/10 to s2.
	if len(sh) != 2 || sh[0].Demand != "s1" || sh[1].Demand != "s2" || abs(sh[0].Qty-16.8) > 1e-9 || abs(sh[1].Qty-39.2) > 1e-9 {
		t.Fatalf("shares %+v", sh)
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// TestConcurrentQueries runs the read-only queries in parallel (meaningful
// under -race).
func TestConcurrentQueries(t *testing.T) {
	in := smallPlant(t, 9, 60)
	p, err := mrp.New(in, mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	before := fingerprint(t, p)
	done := make(chan error, 4)
	for g := range 4 {
		go func() {
			for k, id := range p.Items() {
				if k%4 != g {
					continue
				}
				if _, err := p.Record(id); err != nil {
					done <- err
					return
				}
				if _, err := p.Pegging(id); err != nil {
					done <- err
					return
				}
				if _, err := p.Promise(mrp.PromiseRequest{Item: id, Qty: 5, Date: in.Calendar.Start.AddDate(0, 0, 20)}); err != nil {
					done <- err
					return
				}
			}
			_ = p.Exceptions()
			done <- nil
		}()
	}
	for range 4 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if fingerprint(t, p) != before {
		t.Fatal("queries changed the plan")
	}
}
