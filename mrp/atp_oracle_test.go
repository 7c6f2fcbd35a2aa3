package mrp_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/ctoplan/ctoplan/mrp"
)

// promiseOracle answers a promise request by brute force from the
// definition (see Planner.Promise): the earliest day d >= the requested
// day for which an assignment exists. An assignment gives every item of
// the request's BOM an amount f taken from its free supply (any amount
// from 0 to what is free on the day the item is due: every choice is
// tried, not only the largest) and makes the rest; the top item is due on
// d, a component on the earliest start of the parents that make it. A
// made item starts on the latest day s >= 0 from which its lead time ends
// by its due day (no such day: the assignment fails), and makes what its
// lot sizing orders for the rest (at least the minimum, a multiple of the
// multiple: tinyPlant's lots), its components' needs being the lot's. A
// top item due on a non-working day is due on the working day before (as
// a demand is netted). Free supply is read off the plan's time-phased
// records: the projected balance above safety stock that no later day
// needs, a planned order whose release day is past counted when it can
// arrive (its lead time from day 0), not on its due day.
type promiseOracle struct {
	p     *mrp.Planner
	items map[string]*mrp.Item
	order []string // every item, parents before components
	h     int
	o     *oracle
	free  map[string][]int64 // free[item][t], t < h
}

func newPromiseOracle(t *testing.T, p *mrp.Planner, in *mrp.Input) *promiseOracle {
	po := &promiseOracle{p: p, items: map[string]*mrp.Item{}, h: in.Calendar.Horizon, free: map[string][]int64{},
		o: &oracle{in: in, start: in.Calendar.Start, h: in.Calendar.Horizon}}
	depth := map[string]int{}
	for changed := true; changed; {
		changed = false
		for _, it := range in.Items {
			for _, c := range it.Components {
				if depth[c.Item] < depth[it.ID]+1 {
					depth[c.Item], changed = depth[it.ID]+1, true
				}
			}
		}
	}
	for k := range in.Items {
		it := &in.Items[k]
		po.items[it.ID] = it
		po.order = append(po.order, it.ID)
	}
	for a := range po.order { // insertion sort by depth: parents first
		for b := a; b > 0 && depth[po.order[b]] < depth[po.order[b-1]]; b-- {
			po.order[b], po.order[b-1] = po.order[b-1], po.order[b]
		}
	}
	for id := range po.items {
		rec, err := p.Record(id)
		if err != nil {
			t.Fatal(err)
		}
		bal := make([]int64, po.h) // balance at the end of each day
		b, k := rec.OnHand, 0
		for d := range po.h {
			for k < len(rec.Days) && rec.Days[k].Day == d {
				b = rec.Days[k].Balance
				k++
			}
			bal[d] = b
		}
		// planned orders released before day 0 are not there before an
		// order started today would be
		os, err := p.Orders(id)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range os {
			if o.ReleaseDay >= 0 || o.Firm {
				continue
			}
			for d := max(o.DueDay, 0); d < po.h && !po.arrives(0, po.items[id].LeadTime, d); d++ {
				bal[d] -= o.Qty
			}
		}
		f := make([]int64, po.h)
		for d := range po.h {
			m := bal[d]
			for e := d; e < po.h; e++ {
				m = min(m, bal[e])
			}
			f[d] = max(m-rec.SafetyStock, 0)
		}
		po.free[id] = f
	}
	return po
}

// arrives reports whether an order of lead time n started on day s is
// there by day d: counting from the first working day on or after s, the
// days in (begin, d] hold at least n working days (past the horizon as
// within it).
func (po *promiseOracle) arrives(s, n, d int) bool {
	counts := po.o.working
	begin := s
	for !counts(begin) {
		begin++
	}
	if begin > d {
		return false
	}
	k := 0
	for x := begin + 1; x <= d; x++ {
		if counts(x) {
			k++
		}
	}
	return k >= n
}

func (po *promiseOracle) latestStart(d, n int) int {
	for s := d; s >= 0; s-- {
		if po.arrives(s, n, d) {
			return s
		}
	}
	return -1
}

func (po *promiseOracle) feasible(top string, q int64, d int) (ok, topFree bool) {
	d = max(po.o.latestWorking(d), 0)
	need := map[string]int64{top: q}
	due := map[string]int{top: d}
	var try func(k int) bool
	try = func(k int) bool {
		if k == len(po.order) {
			return true
		}
		id := po.order[k]
		n := need[id]
		if n == 0 {
			return try(k + 1)
		}
		it := po.items[id]
		free := po.free[id][min(due[id], po.h-1)]
		for f := min(n, free); f >= 0; f-- {
			m := n - f
			if m == 0 {
				if try(k + 1) {
					return true
				}
				continue
			}
			s := po.latestStart(due[id], it.LeadTime)
			if s < 0 {
				return false // any smaller f makes too
			}
			m = max(m, it.Lot.Min)
			for it.Lot.Multiple > 1 && m%it.Lot.Multiple != 0 {
				m++
			}
			if it.Kind == mrp.Buy {
				if try(k + 1) {
					return true
				}
				continue
			}
			type saved struct {
				need int64
				due  int
				had  bool
			}
			var undo []saved
			for _, c := range it.Components {
				d0, had := due[c.Item]
				undo = append(undo, saved{need[c.Item], d0, had})
				need[c.Item] += m * int64(c.QtyPer)
				if !had || s < d0 {
					due[c.Item] = s
				}
			}
			ok := try(k + 1)
			for j, c := range it.Components {
				need[c.Item] = undo[j].need
				if undo[j].had {
					due[c.Item] = undo[j].due
				} else {
					delete(due, c.Item)
				}
			}
			if ok {
				return true
			}
		}
		return false
	}
	return try(0), po.free[top][min(d, po.h-1)] >= q
}

// promise returns the oracle's day and whether the top item's free supply
// covers the request on it.
func (po *promiseOracle) promise(top string, q int64, want int) (int, bool) {
	for d := want; ; d++ {
		if ok, atp := po.feasible(top, q, d); ok {
			return d, atp
		}
	}
}

// tinyPlant is a random plant small enough for the brute-force oracle: a
// few items, parents before components, whole quantities per, stock,
// receipts, safety stock, rounded lots and demands that commit part of
// the supply.
func tinyPlant(seed uint64) *mrp.Input {
	r := rand.New(rand.NewPCG(seed, 99))
	n := 3 + r.IntN(4)
	start := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC) // a Monday
	in := &mrp.Input{Stock: map[string]int64{}, Calendar: mrp.Calendar{Start: start, Horizon: 60}}
	if seed%2 == 0 {
		in.Calendar = everyDay(60)
	}
	id := func(k int) string { return fmt.Sprintf("I%d", k) }
	for k := range n {
		it := mrp.Item{ID: id(k), Kind: mrp.Buy, LeadTime: r.IntN(6)}
		if k < n-1 && (k == 0 || r.IntN(3) > 0) {
			it.Kind = mrp.Make
			seen := map[int]bool{}
			for range 1 + r.IntN(2) {
				c := k + 1 + r.IntN(n-k-1)
				if !seen[c] {
					seen[c] = true
					it.Components = append(it.Components, mrp.Component{Item: id(c), QtyPer: float64(1 + r.IntN(2))})
				}
			}
		}
		if r.IntN(2) == 0 {
			in.Stock[it.ID] = int64(r.IntN(9))
		}
		if r.IntN(4) == 0 {
			it.SafetyStock = int64(r.IntN(3))
		}
		if r.IntN(3) == 0 { // rounded lots leave surplus: free supply
			it.Lot = mrp.LotSizing{Min: int64(r.IntN(8)), Multiple: int64(1 + r.IntN(3))}
		}
		for range r.IntN(3) {
			in.Receipts = append(in.Receipts, mrp.Receipt{ID: fmt.Sprintf("r%d-%d", k, len(in.Receipts)), Item: it.ID,
				Qty: int64(1 + r.IntN(6)), Due: start.AddDate(0, 0, r.IntN(20))})
		}
		for range r.IntN(3) {
			in.Demands = append(in.Demands, mrp.Demand{ID: fmt.Sprintf("d%d-%d", k, len(in.Demands)), Item: it.ID,
				Qty: int64(1 + r.IntN(5)), Due: start.AddDate(0, 0, r.IntN(40))})
		}
		in.Items = append(in.Items, it)
	}
	return in
}

// TestPromiseOracle compares Promise with the brute-force oracle on many
// tiny random plants, every item, several quantities and requested days.
func TestPromiseOracle(t *testing.T) {
	plants := 400
	if testing.Short() || raceEnabled {
		plants = 100
	}
	checked, late, made := 0, 0, 0
	for seed := range uint64(plants) {
		in := tinyPlant(seed)
		p, err := mrp.New(in, mrp.DefaultOptions())
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		po := newPromiseOracle(t, p, in)
		for _, it := range in.Items {
			for _, q := range []int64{1, 3, 7} {
				for _, want := range []int{0, 4, 15} {
					pr, err := p.Promise(context.Background(), mrp.PromiseRequest{Item: it.ID, Qty: q, Date: in.Calendar.Start.AddDate(0, 0, want)})
					if err != nil {
						t.Fatalf("seed %d: %v", seed, err)
					}
					wd, watp := po.promise(it.ID, q, want)
					if pr.Day != wd || pr.ATP != watp {
						t.Fatalf("seed %d: %d of %s wanted day %d: Promise day %d atp %v, oracle day %d atp %v\n%+v",
							seed, q, it.ID, want, pr.Day, pr.ATP, wd, watp, in)
					}
					checked++
					if pr.Late {
						late++
					}
					if !pr.ATP {
						made++
					}
				}
			}
		}
	}
	if late == 0 || made == 0 || late == checked {
		t.Fatalf("%d requests, %d late, %d made: the plants do not exercise both answers", checked, late, made)
	}
	t.Logf("%d requests checked, %d late, %d made", checked, late, made)
}
