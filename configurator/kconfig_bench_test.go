package configurator_test

import (
	"context"
	"testing"
	"time"

	"github.com/ctoplan/ctoplan/configurator"
	"github.com/ctoplan/ctoplan/internal/cfgtune"
)

// kconfigModels are the KConfig-style systems models of the issue's
// targets (SoftVarE-Group/feature-model-benchmark), beside automotive01.
var kconfigModels = []struct{ name, path string }{
	{"uclibc", "featuremodels/uClibc-0.9.33.2_Oh2020.dimacs"},
	{"freebsd", "featuremodels/freebsd-8.0.0_AlHajjaji2019.dimacs"},
	{"coreboot", "featuremodels/coreboot_Berger2013.dimacs"},
	{"freetz", "featuremodels/freetz_Berger2013.dimacs"},
}

// BenchmarkPropagateEmptyCPU measures the cold propagation with nothing
// picked on every benchmark model, in process CPU time as well as wall
// time (the machine is shared; CPU time is the steadier figure).
func BenchmarkPropagateEmptyCPU(b *testing.B) {
	benchPropagateEmpty(b, append(append([]struct{ name, path string }(nil), benchModels...), kconfigModels...))
}

// benchPropagateEmpty times a fresh copy's propagation with nothing
// picked of each model compiled with opts: wall and process CPU time per
// propagation, and the solver calls it reports.
func benchPropagateEmpty(b *testing.B, models []struct{ name, path string }, opts ...configurator.Option) {
	ctx := context.Background()
	for _, bm := range models {
		b.Run(bm.name, func(b *testing.B) {
			c := loadCompiled(b, benchPath(b, bm.path), opts...)
			var cpu time.Duration
			b.ReportAllocs()
			calls := 0
			for b.Loop() {
				f := cfgtune.FreshCopy(c)
				c0, _ := processCPU()
				d, err := f.Propagate(ctx, nil)
				c1, _ := processCPU()
				cpu += c1 - c0
				if err != nil || !d.Valid {
					b.Fatal(err)
				}
				calls += d.SATCalls
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/propagate")
			b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/propagate")
			b.ReportMetric(float64(calls)/float64(b.N), "sat-calls")
			b.ReportMetric(0, "ns/op")
		})
	}
}

// BenchmarkAnalyzeCPU is the library side of `ctoplan model analyze` on
// the KConfig models: load, compile and propagate with nothing picked, in
// process CPU time (the figure to set beside clasp's cautious + brave).
func BenchmarkAnalyzeCPU(b *testing.B) {
	ctx := context.Background()
	for _, bm := range kconfigModels {
		b.Run(bm.name, func(b *testing.B) {
			path := benchPath(b, bm.path)
			var cpu time.Duration
			b.ReportAllocs()
			for b.Loop() {
				c0, _ := processCPU()
				c := loadCompiled(b, path)
				d, err := c.Propagate(ctx, nil)
				c1, _ := processCPU()
				cpu += c1 - c0
				if err != nil || !d.Valid {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/analyze")
			b.ReportMetric(0, "ns/op")
		})
	}
}

// BenchmarkPropagateCompiledCPU is the cold propagation as a user (and
// ctoplan bench's propagate rows) measures it: Compile, then the first
// Propagate with nothing picked, timing only the Propagate (wall and
// process CPU). Unlike BenchmarkPropagateEmptyCPU's fresh copies of one
// compiled model, every sample's model is compiled anew, so the tables a
// compiled model builds on first use are built inside the timed query.
func BenchmarkPropagateCompiledCPU(b *testing.B) {
	ctx := context.Background()
	for _, bm := range benchModels {
		b.Run(bm.name, func(b *testing.B) {
			m, err := configurator.LoadFile(benchPath(b, bm.path))
			if err != nil {
				b.Fatal(err)
			}
			var wall, cpu, compile time.Duration
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				t0 := time.Now()
				c, err := configurator.Compile(m)
				compile += time.Since(t0)
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				t0 = time.Now()
				c0, _ := processCPU()
				d, err := c.Propagate(ctx, nil)
				c1, _ := processCPU()
				wall += time.Since(t0)
				cpu += c1 - c0
				if err != nil || !d.Valid {
					b.Fatal(err)
				}
			}
			n := float64(b.N)
			b.ReportMetric(float64(wall.Microseconds())/1000/n, "ms/propagate")
			b.ReportMetric(float64(cpu.Microseconds())/1000/n, "cpu-ms/propagate")
			b.ReportMetric(float64(compile.Microseconds())/1000/n, "ms/compile")
			b.ReportMetric(0, "ns/op")
		})
	}
}
