package mrp_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/ctoplan/ctoplan/internal/plantgen"
	"github.com/ctoplan/ctoplan/mrp"
)

// BenchmarkPegDemand times the supply tree of one sales-order line on the
// 50,000-item default plant, in flat form ([mrp.Planner.PegTree]): cold
// (the first query after a net change, which redoes the running totals of
// the items the change touched; the change itself is not timed) and warm
// (the same plan version, other lines); warm-nodes is the same tree as
// linked nodes with their IDs ([mrp.Planner.SupplyTree]). The machine is
// shared: cpu-ms/peg (median process CPU time of one query) is the figure
// to compare.
func BenchmarkPegDemand(b *testing.B) {
	in, p := defaultPlanner(b, 50000)
	round := 0 // every run of the cold case changes its lines to new quantities
	for _, cs := range []string{"cold", "warm", "warm-nodes"} {
		b.Run(cs, func(b *testing.B) {
			round++
			var lat, cpu, apply []time.Duration
			nodes := 0
			k := 0
			for b.Loop() {
				d := in.Demands[(k*7919)%len(in.Demands)]
				k++
				if cs == "cold" {
					b.StopTimer()
					s := d
					s.Qty += int64(round)
					c0 := cpuTime()
					if _, err := p.Apply(mrp.SetDemand{Demand: s}); err != nil {
						b.Fatal(err)
					}
					apply = append(apply, cpuTime()-c0)
					b.StartTimer()
				}
				t0, c0 := time.Now(), cpuTime()
				n := 0
				if cs == "warm-nodes" {
					tree, err := p.SupplyTree(d.ID)
					if err != nil {
						b.Fatal(err)
					}
					n = countNodes(tree)
				} else {
					tree, err := p.PegTree(d.ID)
					if err != nil {
						b.Fatal(err)
					}
					n = tree.Len()
				}
				lat = append(lat, time.Since(t0))
				cpu = append(cpu, cpuTime()-c0)
				nodes += n
			}
			b.ReportMetric(medianMS(lat), "ms/peg")
			b.ReportMetric(medianMS(cpu), "cpu-ms/peg")
			b.ReportMetric(float64(nodes)/float64(b.N), "nodes/peg")
			if len(apply) > 0 {
				// the net change before each cold query
				b.ReportMetric(medianMS(apply), "apply-cpu-ms")
			}
		})
	}
}

func countNodes(ns []*mrp.PegNode) int {
	n := len(ns)
	for _, x := range ns {
		n += countNodes(x.Children)
	}
	return n
}

func medianMS(l []time.Duration) float64 {
	s := append([]time.Duration(nil), l...)
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	return float64(s[len(s)/2].Microseconds()) / 1000
}

// BenchmarkPlanPeg is a regenerative plan of the 50,000-item default
// plant (100,000 sales-order lines) from its input, then the whole plan's
// first-in-first-out pegging in its linear-size form (every item's running
// totals of orders and gross requirements, and the supply sequences of
// items with receipts, from which any link follows by binary search; see
// mrp/pegfast.go): the "plan + full pegging in memory" target. peg-cpu-ms
// is the pegging alone.
func BenchmarkPlanPeg(b *testing.B) {
	in, err := plantgen.Generate(plantgen.Default(50000))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var cpu, peg []time.Duration
	orders := 0
	for b.Loop() {
		c0 := cpuTime()
		p, err := mrp.New(in, mrp.DefaultOptions())
		if err != nil {
			b.Fatal(err)
		}
		c1 := cpuTime()
		mrp.PegAll(p)
		c2 := cpuTime()
		cpu, peg = append(cpu, c2-c0), append(peg, c2-c1)
		orders = p.Stats().Orders
	}
	b.ReportMetric(medianMS(cpu), "cpu-ms/run")
	b.ReportMetric(medianMS(peg), "peg-cpu-ms")
	b.ReportMetric(float64(orders), "orders")
}

// BenchmarkLateDemands finds the late demands of the 50,000-item default
// plant's plan ([mrp.Planner.LateDemands], what a server keeps per plan
// version for the kind=LATE pages of ListExceptions), after a net change
// of one line each time (not timed): the first kind=LATE page after a
// change. ms/run and cpu-ms/run are the median wall and process CPU time
// of one search; items-visited/run, the items it visits, and
// items-left-out/run, those the change marked that it leaves out (their
// visit would read nothing that changed).
func BenchmarkLateDemands(b *testing.B) {
	benchLate(b, func(p *mrp.Planner) int { return len(p.LateDemands()) })
}

// BenchmarkExceptionCount is BenchmarkLateDemands for the count of the
// plan's exceptions ([mrp.Planner.ExceptionCount]) that every write's
// summary over the RPC API carries (NetChange.exceptions): the late
// demands are counted, not listed.
func BenchmarkExceptionCount(b *testing.B) {
	benchLate(b, (*mrp.Planner).ExceptionCount)
}

// benchLate times search on the 50k default plant after each one-line
// net change; search returns what it reports as "late".
func benchLate(b *testing.B, search func(p *mrp.Planner) int) {
	in, p := defaultPlanner(b, 50000)
	b.ReportAllocs()
	var lat, cpu []time.Duration
	late, k := 0, 0
	v0, s0 := mrp.LateVisited(p), mrp.LateSkipped(p)
	for b.Loop() {
		b.StopTimer()
		d := in.Demands[(k*7919)%len(in.Demands)]
		k++
		d.Qty += int64(k)
		if _, err := p.Apply(mrp.SetDemand{Demand: d}); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		t0, c0 := time.Now(), cpuTime()
		late = search(p)
		lat, cpu = append(lat, time.Since(t0)), append(cpu, cpuTime()-c0)
	}
	b.ReportMetric(medianMS(lat), "ms/run")
	b.ReportMetric(medianMS(cpu), "cpu-ms/run")
	b.ReportMetric(float64(late), "late")
	b.ReportMetric(float64(mrp.LateVisited(p)-v0)/float64(b.N), "items-visited/run")
	b.ReportMetric(float64(mrp.LateSkipped(p)-s0)/float64(b.N), "items-left-out/run")
}

// defaultPlanner generates the default plant of n items and plans it.
func defaultPlanner(tb testing.TB, n int) (*mrp.Input, *mrp.Planner) {
	tb.Helper()
	in, p := plannedPlant(tb, plantgen.Default(n))
	// a planner kept for many changes and queries, as the server's
	<-p.AdviseHugePages()
	return in, p
}

// BenchmarkEachOrder lists every planned order of the 10,000-item light
// plant (fan-out 2-4) with its pegging, as `mrp run` writes them, with no
// firm orders and with the first 20 orders of every item firmed (as a
// planner firms the next weeks): an item with firm orders names its orders
// stepping around the firm orders' IDs. orders/s is listing throughput.
func BenchmarkEachOrder(b *testing.B) {
	for _, firm := range []int{0, 20} {
		b.Run(fmt.Sprintf("firm-per-item=%d", firm), func(b *testing.B) {
			c := plantgen.Default(10000)
			c.FanOutMin, c.FanOutMax = 2, 4
			in, p := plannedPlant(b, c)
			if firm > 0 {
				for _, id := range p.Items() {
					os, err := p.Orders(id)
					if err != nil {
						b.Fatal(err)
					}
					for k, o := range os {
						if k == firm || o.Kind == mrp.PhantomOrder {
							break
						}
						in.Firm = append(in.Firm, mrp.FirmOrder{ID: fmt.Sprint("F", len(in.Firm)), Item: id, Qty: o.Qty, Due: o.Due})
					}
				}
				var err error
				if p, err = mrp.New(in, mrp.DefaultOptions()); err != nil {
					b.Fatal(err)
				}
			}
			n := 0
			b.ReportAllocs()
			for b.Loop() {
				if err := p.EachOrder(false, true, func(*mrp.OrderLine) error { n++; return nil }); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "orders/s")
			b.ReportMetric(float64(len(in.Firm)), "firm-orders")
		})
	}
}

// BenchmarkDemandOrders lists the planned orders a sales-order line
// needs (Planner.DemandOrders: its supply tree's orders, each once), on
// the 50,000-item default plant (trees of ~28,000 nodes) and on a
// 10,000-item plant 10 levels deep, whose trees unfold past 2^20 nodes
// over ~100,000 distinct orders. ms/line is the median call.
func BenchmarkDemandOrders(b *testing.B) {
	for _, plant := range []string{"default-50000", "levels=10-10000"} {
		b.Run(plant, func(b *testing.B) {
			c := plantgen.Default(50000)
			if plant != "default-50000" {
				c = plantgen.Default(10000)
				c.Levels = 10
			}
			in, p := plannedPlant(b, c)
			<-p.AdviseHugePages()
			eachLine(b, in, "ms/line", "orders/line", func(id string) (int, error) {
				os, err := p.DemandOrders(id)
				return len(os), err
			})
		})
	}
}

// BenchmarkPegTreeReceipts builds warm supply trees (Planner.PegTree) on
// the 10,000-item default plant with 5% of the items with scheduled
// receipts (the default) and with half of them, as an ERP's open
// purchase orders give: such items keep their gross requirements, and a
// tree finds a day's supply in those. ms/peg is the median tree.
func BenchmarkPegTreeReceipts(b *testing.B) {
	for _, pct := range []int{5, 50} {
		b.Run(fmt.Sprintf("receipts=%d%%", pct), func(b *testing.B) {
			c := plantgen.Default(10000)
			c.ReceiptShare = float64(pct) / 100
			in, p := plannedPlant(b, c)
			eachLine(b, in, "ms/peg", "nodes/peg", func(id string) (int, error) {
				tr, err := p.PegTree(id)
				if err != nil {
					return 0, err
				}
				return tr.Len(), nil
			})
		})
	}
}

// plannedPlant generates the plant c describes and plans it.
func plannedPlant(tb testing.TB, c plantgen.Config) (*mrp.Input, *mrp.Planner) {
	tb.Helper()
	in, err := plantgen.Generate(c)
	if err != nil {
		tb.Fatal(err)
	}
	p, err := mrp.New(in, mrp.DefaultOptions())
	if err != nil {
		tb.Fatal(err)
	}
	return in, p
}

// eachLine calls fn on a sales-order line of in per iteration (striding
// through them) and reports the median call's time as unit and the mean
// of what fn counted as perLine.
func eachLine(b *testing.B, in *mrp.Input, unit, perLine string, fn func(id string) (int, error)) {
	var lat []time.Duration
	k, n := 0, 0
	for b.Loop() {
		d := in.Demands[(k*7919)%len(in.Demands)]
		k++
		t0 := time.Now()
		m, err := fn(d.ID)
		if err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
		n += m
	}
	b.ReportMetric(medianMS(lat), unit)
	b.ReportMetric(float64(n)/float64(b.N), perLine)
}
