package mrp_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/ctoplan/ctoplan/mrp"
)

// TestDigestKept: the digest a planner keeps between net changes (each
// item's orders hashed once, again only for the items a change touched)
// equals the digest of a planner made afresh from the same inputs, after
// random changes of every kind, several piled up between two digests, and
// regenerative runs.
func TestDigestKept(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 8))
	seeds := uint64(8)
	if raceEnabled {
		seeds = 4 // two of them hashed on two goroutines
	}
	for seed := uint64(1); seed <= seeds; seed++ {
		in := smallPlant(t, seed, 150)
		p, err := mrp.New(in, mrp.DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		if seed%2 == 1 {
			// items hashed on two goroutines on every other seed
			mrp.SetDigestParallelMin(p, 2)
		}
		seen := map[string]bool{}
		for step := range 30 {
			if step%3 != 1 { // some changes pile up unread
				got := p.Digest()
				q, err := mrp.New(p.Input(), mrp.DefaultOptions())
				if err != nil {
					t.Fatal(err)
				}
				if want := q.Digest(); got != want {
					t.Fatalf("seed %d step %d: kept digest %s, afresh %s", seed, step, got, want)
				}
				seen[got] = true
			}
			if step%11 == 10 {
				p.Regenerate()
				continue
			}
			if _, err := p.Apply(randomChange(r, p.Input(), step)); err != nil {
				t.Fatal(err)
			}
		}
		if len(seen) < 5 {
			t.Fatalf("seed %d: the changes gave only %d digests", seed, len(seen))
		}
	}
}

// TestDigestWorked: the digest follows the orders and the exception
// count, not the items without orders: on a two-item plant (a bought
// part under a made product), a sales-order line's quantity changes it and
// putting the quantity back gives the first digest again; an item nothing
// needs does not change it; a part's lead time (its orders' release days)
// does.
func TestDigestWorked(t *testing.T) {
	in := twoLevelPlant()
	p, err := mrp.New(in, mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	d0 := p.Digest()
	if len(d0) != 64 {
		t.Fatalf("digest %q: want 64 hex digits", d0)
	}
	d := in.Demands[0]
	d.Qty += 5
	if _, err := p.Apply(mrp.SetDemand{Demand: d}); err != nil {
		t.Fatal(err)
	}
	if p.Digest() == d0 {
		t.Fatal("a sales-order line's quantity did not change the digest")
	}
	d.Qty -= 5
	if _, err := p.Apply(mrp.SetDemand{Demand: d}); err != nil {
		t.Fatal(err)
	}
	if got := p.Digest(); got != d0 {
		t.Fatalf("quantity put back: digest %s, first %s", got, d0)
	}

	idle := slices.Clone(in.Items)
	idle = append(idle, mrp.Item{ID: "IDLE", Kind: mrp.Buy, LeadTime: 3})
	in2 := *in
	in2.Items = idle
	q, err := mrp.New(&in2, mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if got := q.Digest(); got != d0 {
		t.Fatalf("an item without orders changed the digest: %s, without it %s", got, d0)
	}

	// the frames' orders keep their days and quantities, and are
	// released a day earlier: changed
	before, err := p.Orders("F")
	if err != nil {
		t.Fatal(err)
	}
	part := in.Items[1]
	part.LeadTime++
	res, err := p.Apply(mrp.SetItem{Item: part})
	if err != nil {
		t.Fatal(err)
	}
	after, err := p.Orders("F")
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before) || len(after) == 0 || after[0].DueDay != before[0].DueDay || after[0].ReleaseDay != before[0].ReleaseDay-1 {
		t.Fatalf("frames' orders before %+v, after %+v", before, after)
	}
	if !slices.Contains(res.Changed(), "F") {
		t.Errorf("lead time of F changed: Changed %v", res.Changed())
	}
	if p.Digest() == d0 {
		t.Fatal("the part's lead time did not change the digest")
	}
}

// twoLevelPlant: truck T (made in a day) of two frames F (bought, two
// days), two sales-order lines of T.
func twoLevelPlant() *mrp.Input {
	return &mrp.Input{
		Calendar: everyDay(30),
		Items: []mrp.Item{
			{ID: "T", Kind: mrp.Make, LeadTime: 1, Components: []mrp.Component{{Item: "F", QtyPer: 2}}},
			{ID: "F", Kind: mrp.Buy, LeadTime: 2},
		},
		Demands: []mrp.Demand{dem("SO-1", "T", 4, 10), dem("SO-2", "T", 3, 20)},
	}
}

// BenchmarkDigest: the plan's digest (GetPlanStats) on the 50k default
// plant (12 million orders) after each one-line net change: the items the
// change changed are hashed again. ms/digest is the median;
// changed-items/op how many items a change changed;
// ms/first-digest the digest of the whole plan, hashing every item.
func BenchmarkDigest(b *testing.B) {
	in, p := defaultPlanner(b, 50000)
	t0 := time.Now()
	p.Digest()
	first := time.Since(t0)
	b.ReportAllocs()
	var lat []time.Duration
	changed, k := 0, 0
	for b.Loop() {
		b.StopTimer()
		d := in.Demands[(k*7919)%len(in.Demands)]
		k++
		d.Qty += int64(k)
		res, err := p.Apply(mrp.SetDemand{Demand: d})
		if err != nil {
			b.Fatal(err)
		}
		changed += res.NumChanged()
		b.StartTimer()
		t0 := time.Now()
		p.Digest()
		lat = append(lat, time.Since(t0))
	}
	b.ReportMetric(medianMS(lat), "ms/digest")
	b.ReportMetric(float64(first.Microseconds())/1000, "ms/first-digest")
	b.ReportMetric(float64(changed)/float64(b.N), "changed-items/op")
}

// TestChangedAnyChange: after random changes of every kind (demands,
// receipts, stock, firm orders, item parameters and BOMs), every item
// whose planned orders (IDs, quantities, dates, kinds, firm flags) changed
// is in ChangeResult.Changed, the list an ERP mirrors the plan by. (The
// list may also hold an item a change reached directly whose orders came
// out the same: the test counts those.)
func TestChangedAnyChange(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 4))
	kinds := map[string]bool{}
	listedSame, listed := 0, 0
	seeds := uint64(6)
	if raceEnabled {
		seeds = 3 // 22 -> 11 s under the race detector
	}
	for seed := uint64(1); seed <= seeds; seed++ {
		in := smallPlant(t, seed, 120)
		p, err := mrp.New(in, mrp.DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		snap := func() map[string]string { return ordersByItem(t, p) }
		before := snap()
		for step := range 40 {
			c := randomChange(r, p.Input(), step)
			res, err := p.Apply(c)
			if err != nil {
				t.Fatal(err)
			}
			after := snap()
			in := map[string]bool{}
			for _, id := range res.Changed() {
				in[id] = true
				listed++
				if before[id] == after[id] {
					listedSame++
				}
			}
			for _, id := range p.Items() {
				if before[id] != after[id] {
					kinds[fmt.Sprintf("%T", c)] = true
					if !in[id] {
						t.Errorf("seed %d step %d (%T %+v): %s's orders changed, not listed:\n%s\n%s", seed, step, c, c, id, before[id], after[id])
					}
				}
			}
			before = after
		}
	}
	if len(kinds) < 6 {
		t.Errorf("only %d kinds of change changed orders: %v", len(kinds), kinds)
	}
	t.Logf("%d items listed as changed, %d of them with the same orders", listed, listedSame)
}

// ordersByItem renders every item's planned orders (Planner.Orders), by
// item ID.
func ordersByItem(t *testing.T, p *mrp.Planner) map[string]string {
	t.Helper()
	m := map[string]string{}
	for _, id := range p.Items() {
		os, err := p.Orders(id)
		if err != nil {
			t.Fatal(err)
		}
		m[id] = renderOrders(os)
	}
	return m
}

// renderOrders writes every field of the orders, operations included,
// with strconv: fmt.Sprint of them was most of TestChangeResultLists.
func renderOrders(os []mrp.PlannedOrder) string {
	var b []byte
	num := func(n int64) { b = strconv.AppendInt(append(b, ' '), n, 10) }
	for _, o := range os {
		b = append(append(append(b, o.ID...), ' '), o.Item...)
		num(int64(o.Kind))
		num(o.Qty)
		num(o.Release.UnixNano())
		num(o.Due.UnixNano())
		num(int64(o.ReleaseDay))
		num(int64(o.DueDay))
		b = strconv.AppendBool(append(b, ' '), o.Firm)
		for _, op := range o.Operations {
			b = append(append(b, " ["...), op.WorkCenter...)
			num(int64(op.Seq))
			b = strconv.AppendFloat(append(b, ' '), op.Hours, 'g', -1, 64)
			num(op.Start.UnixNano())
			num(op.End.UnixNano())
			b = append(b, ']')
		}
		b = append(b, '\n')
	}
	return string(b)
}
