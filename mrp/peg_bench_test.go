package mrp_test

import (
	"testing"
	"time"

	"github.com/ctoplan/ctoplan/internal/plantgen"
	"github.com/ctoplan/ctoplan/mrp"
)

// BenchmarkPegDemand times the supply tree of one sales-order line on the
// 50,000-item default plant: cold (the first query after a net change,
// which rebuilds the single-level pegging of every item the tree passes
// through; the change itself is not timed) and warm (the same plan
// version, other lines). The machine is shared: cpu-ms/peg (median
// process CPU time of one query) is the figure to compare.
func BenchmarkPegDemand(b *testing.B) {
	c := plantgen.Default(50000)
	in, err := plantgen.Generate(c)
	if err != nil {
		b.Fatal(err)
	}
	p, err := mrp.New(in, mrp.DefaultOptions())
	if err != nil {
		b.Fatal(err)
	}
	round := 0 // every run of the cold case changes its lines to new quantities
	for _, cold := range []bool{true, false} {
		name := "warm"
		if cold {
			name = "cold"
		}
		b.Run(name, func(b *testing.B) {
			round++
			var lat, cpu []time.Duration
			nodes := 0
			k := 0
			for b.Loop() {
				d := in.Demands[(k*7919)%len(in.Demands)]
				k++
				if cold {
					b.StopTimer()
					s := d
					s.Qty += int64(round)
					if _, err := p.Apply(mrp.SetDemand{Demand: s}); err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
				}
				t0, c0 := time.Now(), cpuTime()
				tree, err := p.SupplyTree(d.ID)
				lat = append(lat, time.Since(t0))
				cpu = append(cpu, cpuTime()-c0)
				if err != nil {
					b.Fatal(err)
				}
				nodes += countNodes(tree)
			}
			b.ReportMetric(medianMS(lat), "ms/peg")
			b.ReportMetric(medianMS(cpu), "cpu-ms/peg")
			b.ReportMetric(float64(nodes)/float64(b.N), "nodes/peg")
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
