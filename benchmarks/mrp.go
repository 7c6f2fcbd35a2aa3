package benchmarks

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"time"

	"github.com/ctoplan/ctoplan/internal/plantgen"
	"github.com/ctoplan/ctoplan/mrp"
)

// plantSizes are the MRP plant sizes (items); plantgen.Default gives 6
// levels, fan-out 4-12 and 2 sales-order lines per item.
var plantSizes = []int{1000, 10000, 50000}

func mrpCases() []*Case {
	var cs []*Case
	for _, n := range plantSizes {
		c := &Case{
			Group: "mrp-regenerative", Op: "MRP regenerative run (warm)", Size: fmt.Sprintf("items=%d", n),
			Metric: "items/s", HigherIsBetter: true, BaselineName: "1-worker",
			Quick: n < 50000, QuickTime: "200ms", QuickBaselineTime: "3x", Small: n == 1000,
			Setup: func(env Env) (*Fixture, error) { return mrpRegenerative(n) },
		}
		switch n {
		case 10000:
			c.QuickTime, c.QuickBaselineTime = "2x", "1x"
		case 50000:
			c.Targets = []Target{{Metric: "ms/run", Op: "<=", Value: 500}}
		}
		cs = append(cs, c)
	}
	for _, n := range plantSizes {
		c := &Case{
			Group: "mrp-netchange", Op: "MRP net change: one sales-order line's quantity", Size: fmt.Sprintf("items=%d", n),
			Metric: "ms/netchange", BaselineName: "regenerative",
			Quick: n < 50000, QuickTime: "200ms", QuickBaselineTime: "10x", Small: n == 1000,
			Setup: func(env Env) (*Fixture, error) { return mrpNetChange(n) },
		}
		switch n {
		case 10000:
			c.QuickBaselineTime = "2x"
		case 50000:
			c.Targets = []Target{
				{Metric: "ms/netchange", Op: "<=", Value: 5},
				{Metric: "ms/netchange-p99", Op: "<=", Value: 20},
			}
		}
		cs = append(cs, c)
	}
	// The plant as it describes it (items, levels, fan-out, sales
	// orders, stock, receipts) with every item lot-for-lot, the setting of
	// ../shared/notes/mrp-netting.md; the rows above add lot sizing and
	// safety stock, which turn one changed requirement into many changed
	// orders.
	cs = append(cs, &Case{
		Group: "mrp-netchange", Op: "MRP net change: one sales-order line's quantity, every item lot-for-lot", Size: "items=50000-lfl",
		Metric: "ms/netchange", BaselineName: "regenerative",
		Targets: []Target{
			{Metric: "ms/netchange", Op: "<=", Value: 5},
			{Metric: "ms/netchange-p99", Op: "<=", Value: 20},
		},
		Setup: func(env Env) (*Fixture, error) { return mrpNetChangePlant(50000, lotForLot) },
	})
	// A deeper plant than the default's 6 levels: 10, where one changed
	// line reaches nearly every item and a lot-sized item's shifted lots
	// multiply the requirement changes level after level (4-9 M passed
	// on a change): net change must stay well below a regeneration.
	cs = append(cs, &Case{
		Group: "mrp-netchange", Op: "MRP net change: one sales-order line's quantity, a 10-level plant", Size: "items=10000-levels=10",
		Metric: "ms/netchange", BaselineName: "regenerative",
		// 60 changes, not the ~12 of 1 s: a fresh planner's first
		// changes grow its buffers to the millions of requirement
		// changes (the p99 shows them), and a median of a dozen is
		// theirs
		FullTime: "60x", FullBaselineTime: "10x",
		Setup: func(env Env) (*Fixture, error) { return mrpNetChangePlant(10000, tenLevels) },
	})
	cs = append(cs, mrpRunCases()...)
	return append(cs, mrpFiniteCases()...)
}

func plant(n int) (*mrp.Input, error) {
	return plantOf(n, nil)
}

// lotForLot makes every item of a generated plant lot-for-lot without
// safety stock; stock and scheduled receipts stay.
func lotForLot(c *plantgen.Config) { c.LotShare, c.SafetyShare = 0, 0 }

// tenLevels makes a generated plant 10 levels deep.
func tenLevels(c *plantgen.Config) { c.Levels = 10 }

func plantOf(n int, adjust func(*plantgen.Config)) (*mrp.Input, error) {
	c := plantgen.Default(n)
	if adjust != nil {
		adjust(&c)
	}
	in, err := plantgen.Generate(c)
	if err != nil {
		return nil, fmt.Errorf("plant of %d items: %w", n, err)
	}
	return in, nil
}

// mrpRegenerative times a full regenerative run on a planner whose order
// storage is warm, against the same run on one worker.
func mrpRegenerative(n int) (*Fixture, error) {
	in, err := plant(n)
	if err != nil {
		return nil, err
	}
	par, err := mrp.New(in, mrp.DefaultOptions())
	if err != nil {
		return nil, err
	}
	one := mrp.DefaultOptions()
	one.Workers = 1
	seq, err := mrp.New(in, one)
	if err != nil {
		return nil, err
	}
	st := par.Stats()
	f := &Fixture{}
	f.note("%d levels, %d demands, %d planned orders", st.Levels, len(in.Demands), st.Orders)
	run := func(p *mrp.Planner) func(b B) {
		return func(b B) {
			var lat latencies
			b.ReportAllocs()
			for b.Loop() {
				t0 := time.Now()
				p.Regenerate()
				lat = append(lat, time.Since(t0))
			}
			sec := b.Elapsed().Seconds() / float64(len(lat))
			b.ReportMetric(float64(n)/sec, "items/s")
			b.ReportMetric(lat.quantile(0.5), "ms/run")
			b.ReportMetric(float64(st.Orders), "orders")
		}
	}
	f.Ours, f.Baseline = run(par), run(seq)
	f.Check = func() error {
		a := fingerprint(par)
		if d := a.diff(fingerprint(seq)); d != "" {
			return fmt.Errorf("items=%d: the parallel and the one-worker plans differ: %s", n, d)
		}
		fresh, err := mrp.New(par.Input(), mrp.DefaultOptions())
		if err != nil {
			return err
		}
		if d := a.diff(fingerprint(fresh)); d != "" {
			return fmt.Errorf("items=%d: a rerun plan differs from a fresh one: %s", n, d)
		}
		return nil
	}
	return f, nil
}

// mrpNetChange times net change after changing one sales-order line's
// quantity (up by 3 on even steps, back on odd ones, a different line
// every two steps), against a full regenerative run after each change.
func mrpNetChange(n int) (*Fixture, error) { return mrpNetChangePlant(n, nil) }

// mrpNetChangePlant is mrpNetChange on a plant whose generator settings
// adjust changes.
func mrpNetChangePlant(n int, adjust func(*plantgen.Config)) (*Fixture, error) {
	in, err := plantOf(n, adjust)
	if err != nil {
		return nil, err
	}
	ours, err := mrp.New(in, mrp.DefaultOptions())
	if err != nil {
		return nil, err
	}
	base, err := mrp.New(in, mrp.DefaultOptions())
	if err != nil {
		return nil, err
	}
	// planners kept for many changes, as the server's: their memory on
	// huge pages where the system has them
	<-ours.AdviseHugePages()
	<-base.AdviseHugePages()
	demands := in.Demands
	change := func(k int) mrp.Change {
		d := demands[(k/2*7919)%len(demands)]
		if k%2 == 0 {
			d.Qty += 3
		}
		return mrp.SetDemand{Demand: d}
	}
	f := &Fixture{}
	touched, steps := 0, 0
	f.Ours = func(b B) {
		var lat latencies
		k := 0
		b.ReportAllocs()
		for b.Loop() {
			t0 := time.Now()
			res, err := ours.Apply(change(k))
			lat = append(lat, time.Since(t0))
			k++
			if err != nil {
				f.fatal(b, fmt.Errorf("items=%d: net change %d: %w", n, k, err))
			}
			touched += res.NumTouched()
			steps++
		}
		lat.report(b, "ms/netchange")
	}
	f.Baseline = func(b B) {
		var lat latencies
		k := 0
		b.ReportAllocs()
		for b.Loop() {
			b.StopTimer()
			if _, err := base.Apply(change(k)); err != nil {
				f.fatal(b, fmt.Errorf("items=%d: change %d: %w", n, k, err))
			}
			k++
			b.StartTimer()
			t0 := time.Now()
			base.Regenerate()
			lat = append(lat, time.Since(t0))
		}
		lat.report(b, "ms/netchange")
	}
	f.Check = func() error {
		if steps > 0 {
			f.note("a net change touched %.0f items on average (%d items in the plant)", float64(touched)/float64(steps), n)
		}
		fresh, err := mrp.New(ours.Input(), mrp.DefaultOptions())
		if err != nil {
			return err
		}
		if d := fingerprint(ours).diff(fingerprint(fresh)); d != "" {
			return fmt.Errorf("items=%d: after %d net changes the plan differs from a regenerative run: %s", n, steps, d)
		}
		return nil
	}
	return f, nil
}

// planPrint is a compact fingerprint of a whole plan: a hash of every
// item's planned orders (kind, quantity, due and release day) and of its
// exception messages. Rendering plans of millions of orders as text would
// cost more than the runs being checked.
type planPrint struct {
	items []string
	sums  []uint64
	n     []int
}

func fingerprint(p *mrp.Planner) planPrint {
	exc := map[string][]string{}
	for _, e := range p.Exceptions() {
		exc[e.Item] = append(exc[e.Item], e.String())
	}
	var pp planPrint
	var buf [8]byte
	for _, id := range p.Items() {
		h := fnv.New64a()
		os, err := p.Orders(id)
		if err != nil {
			h.Write([]byte(err.Error()))
		}
		for _, o := range os {
			h.Write([]byte{byte(o.Kind)})
			for _, v := range []int64{o.Qty, int64(o.DueDay), int64(o.ReleaseDay)} {
				binary.LittleEndian.PutUint64(buf[:], uint64(v))
				h.Write(buf[:])
			}
		}
		for _, e := range exc[id] {
			h.Write([]byte(e))
			h.Write([]byte{0})
		}
		pp.items = append(pp.items, id)
		pp.sums = append(pp.sums, h.Sum64())
		pp.n = append(pp.n, len(os))
	}
	return pp
}

// diff returns "" when a and b are equal, otherwise the first item whose
// plan differs.
func (a planPrint) diff(b planPrint) string {
	if len(a.items) != len(b.items) {
		return fmt.Sprintf("%d vs %d items", len(a.items), len(b.items))
	}
	for i, id := range a.items {
		if id != b.items[i] {
			return fmt.Sprintf("item %d: %s vs %s", i, id, b.items[i])
		}
		if a.sums[i] != b.sums[i] {
			return fmt.Sprintf("item %s: %d vs %d planned orders, orders or exception messages differ", id, a.n[i], b.n[i])
		}
	}
	return ""
}
