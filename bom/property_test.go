package bom_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/ctoplan/ctoplan/bom"
)

// randomData builds a random acyclic super BOM: lines only go from lower to
// higher item numbers. Items are bought (no lines), made (with a random
// routing, some deriving their lead time from it) or phantoms; lines carry
// random quantities and scrap, some with effectivity that excludes them
// on the test day.
func randomData(r *rand.Rand, n int) *bom.Data {
	d := &bom.Data{WorkCenters: []*bom.WorkCenter{
		{ID: "W1", RatePerHour: 50, HoursPerDay: 8}, {ID: "W2", RatePerHour: 75, HoursPerDay: 16},
	}}
	kinds := make([]bom.Kind, n)
	for i := range n {
		id := fmt.Sprintf("I%03d", i)
		it := &bom.Item{ID: id, UOM: "pc", LeadTimeDays: float64(r.IntN(10)), UnitCost: float64(r.IntN(100)) / 4,
			ScrapPct: []float64{0, 0, 5, 12.5}[r.IntN(4)]}
		switch x := r.IntN(10); {
		case i >= n-n/4 || x < 3:
			it.Kind = bom.Buy
		case x < 5 && i > 0:
			it.Kind = bom.Phantom
		default:
			it.Kind = bom.Make
			if r.IntN(3) == 0 {
				it.LeadTimeFromRouting, it.LeadTimeDays = true, 0
				if r.IntN(2) == 0 {
					it.LotPolicy, it.LotQty = bom.FixedQty, float64(1+r.IntN(50))
				}
			}
		}
		kinds[i] = it.Kind
		d.Items = append(d.Items, it)
	}
	for i := range n {
		if kinds[i] == bom.Buy {
			continue
		}
		for k := range 1 + r.IntN(4) {
			j := i + 1 + r.IntN(min(n-i-1, 12)+0)
			if j >= n {
				continue
			}
			l := &bom.Line{Parent: d.Items[i].ID, Component: d.Items[j].ID, Qty: float64(1+r.IntN(8)) / 2,
				ScrapPct: []float64{0, 0, 3, 10}[r.IntN(4)], Position: fmt.Sprintf("%02d", k)}
			if r.IntN(8) == 0 {
				l.ValidTo = bom.DateOf(today) - 1 // expired
			}
			d.Lines = append(d.Lines, l)
		}
		if kinds[i] == bom.Make {
			for s := range r.IntN(3) {
				d.Ops = append(d.Ops, &bom.Op{Item: d.Items[i].ID, Seq: 10 * (s + 1), WorkCenter: []string{"W1", "W2"}[r.IntN(2)],
					SetupHours: float64(r.IntN(5)), RunHours: float64(r.IntN(8)) / 4})
			}
		}
	}
	return d
}

// oracle evaluates the master data directly and recursively, path by path,
// without nodes, hashing, memoisation or topological order.
type oracle struct {
	items map[string]*bom.Item
	lines map[string][]*bom.Line
	ops   map[string][]*bom.Op
	wcs   map[string]*bom.WorkCenter
}

func newOracle(d *bom.Data) *oracle {
	o := &oracle{items: map[string]*bom.Item{}, lines: map[string][]*bom.Line{}, ops: map[string][]*bom.Op{}, wcs: map[string]*bom.WorkCenter{}}
	for _, it := range d.Items {
		o.items[it.ID] = it
	}
	day := bom.DateOf(today)
	for _, l := range d.Lines {
		if l.ValidTo == 0 || l.ValidTo >= day {
			o.lines[l.Parent] = append(o.lines[l.Parent], l)
		}
	}
	for _, op := range d.Ops {
		o.ops[op.Item] = append(o.ops[op.Item], op)
	}
	for _, w := range d.WorkCenters {
		o.wcs[w.ID] = w
	}
	return o
}

// explode adds the gross requirement of every item below id for q units of
// id (id itself included unless it is a phantom).
func (o *oracle) explode(id string, q float64, out map[string]float64) {
	it := o.items[id]
	f := 1 + it.ScrapPct/100
	if it.Kind == bom.Phantom {
		f = 1 // a phantom is never built: no assembly scrap
	} else {
		out[id] += q
	}
	for _, l := range o.lines[id] {
		o.explode(l.Component, q*f*l.Qty*(1+l.ScrapPct/100), out)
	}
}

func (o *oracle) lot(it *bom.Item, lot float64) float64 {
	if lot > 0 {
		return lot
	}
	if it.LotPolicy == bom.FixedQty {
		return it.LotQty
	}
	return 1
}

// cost of one unit of id (a phantom: the cost of its lines only).
func (o *oracle) cost(id string, lot float64) float64 {
	it := o.items[id]
	f := 1 + it.ScrapPct/100
	c := it.UnitCost
	if it.Kind == bom.Phantom {
		f, c = 1, 0
	}
	for _, l := range o.lines[id] {
		c += f * l.Qty * (1 + l.ScrapPct/100) * o.cost(l.Component, lot)
	}
	for _, op := range o.ops[id] {
		rate := o.wcs[op.WorkCenter].RatePerHour
		c += op.SetupHours*rate/o.lot(it, lot) + op.RunHours*rate
	}
	return c
}

// clt is the longest lead-time path below id; phantoms take no time.
func (o *oracle) clt(id string) float64 {
	it := o.items[id]
	lt := it.LeadTimeDays
	if it.LeadTimeFromRouting && len(o.ops[id]) > 0 {
		h := 0.0
		for _, op := range o.ops[id] {
			h += (op.SetupHours + op.RunHours*o.lot(it, 0)) / o.wcs[op.WorkCenter].Capacity()
		}
		lt = math.Max(1, math.Ceil(h-1e-9))
	}
	if it.Kind == bom.Phantom {
		lt = 0
	}
	best := 0.0
	for _, l := range o.lines[id] {
		best = math.Max(best, o.clt(l.Component))
	}
	return lt + best
}

func TestAgainstOracleOnRandomDAGs(t *testing.T) {
	rounds := 40
	if testing.Short() {
		rounds = 10
	}
	for seed := range rounds {
		r := rand.New(rand.NewPCG(uint64(seed), 99))
		d := randomData(r, 20+r.IntN(40))
		s, _ := newStore(t)
		if err := s.Import(ctx, d, nil); err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		o := newOracle(d)
		for _, it := range d.Items {
			if it.Kind == bom.Phantom {
				continue
			}
			v, err := s.Resolve(ctx, it.ID, nil, today)
			if err != nil {
				t.Fatalf("seed %d: %v", seed, err)
			}
			want := map[string]float64{}
			o.explode(it.ID, 3, want)
			got := v.Summarize(3)
			if len(got) != len(want) {
				t.Fatalf("seed %d %s: summary has %d items, oracle %d", seed, it.ID, len(got), len(want))
			}
			for _, g := range got {
				if !near(g.Qty, want[g.Item]) {
					t.Fatalf("seed %d %s: %s = %v, oracle %v", seed, it.ID, g.Item, g.Qty, want[g.Item])
				}
			}
			// The indented explosion sums to the same totals.
			lines, err := v.Explode(3)
			if err != nil {
				t.Fatal(err)
			}
			tot := map[string]float64{}
			for _, l := range lines {
				tot[l.Item] += l.Qty
			}
			for id, q := range want {
				if !near(tot[id], q) {
					t.Fatalf("seed %d %s: indented explosion total %s = %v, want %v", seed, it.ID, id, tot[id], q)
				}
			}
			for _, lot := range []float64{0, 7} {
				if got, want := v.Cost(lot).Total(), o.cost(it.ID, lot); !near(got, want) {
					t.Fatalf("seed %d %s: cost(lot %v) = %v, oracle %v", seed, it.ID, lot, got, want)
				}
			}
			if days, _ := v.CumulativeLeadTime(); !near(days, o.clt(it.ID)) {
				t.Fatalf("seed %d %s: cumulative lead time %v, oracle %v", seed, it.ID, days, o.clt(it.ID))
			}
		}
		// Whole-structure roll-ups against the oracle.
		costs := s.Costs(today, 7)
		demand := map[string]float64{}
		want := map[string]float64{}
		for i, it := range d.Items {
			if got, want := costs[it.ID].Total(), o.cost(it.ID, 7); !near(got, want) {
				t.Fatalf("seed %d: Costs %s = %v, oracle %v", seed, it.ID, got, want)
			}
			if i%3 == 0 {
				demand[it.ID] += float64(i + 1)
				o.explode(it.ID, float64(i+1), want)
			}
		}
		reqs, err := s.Explode(demand, today)
		if err != nil {
			t.Fatal(err)
		}
		if len(reqs) != len(want) {
			t.Fatalf("seed %d: Explode has %d items, oracle %d", seed, len(reqs), len(want))
		}
		for _, r := range reqs {
			if !near(r.Qty, want[r.Item]) {
				t.Fatalf("seed %d: Explode %s = %v, oracle %v", seed, r.Item, r.Qty, want[r.Item])
			}
		}
		// LLC against the recursive definition on all lines.
		nv := newNaive(d)
		llc := s.LowLevelCodes()
		memo := map[string]int{}
		for _, it := range d.Items {
			if want := nv.llc(it.ID, memo); llc[it.ID] != want {
				t.Fatalf("seed %d: LLC %s = %d, want %d", seed, it.ID, llc[it.ID], want)
			}
		}
	}
}
