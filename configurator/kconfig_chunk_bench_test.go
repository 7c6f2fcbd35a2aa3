package configurator_test

import (
	"context"
	"testing"
	"time"

	"github.com/ctoplan/ctoplan/configurator"
	"github.com/ctoplan/ctoplan/internal/cfgtune"
)

// BenchmarkPropagateEmptyChunkedCPU is BenchmarkPropagateEmptyCPU on the
// large DIMACS models with the propagation with nothing picked decided by
// chunked backbone testing (cfgtune.Chunked), to set beside the default
// search. Its sat-calls are solver calls (one per chunk, plus the first
// model); the default's also count the targets tested under unit
// propagation.
func BenchmarkPropagateEmptyChunkedCPU(b *testing.B) {
	ctx := context.Background()
	chunked := cfgtune.Option[configurator.Option](cfgtune.Knobs{Method: cfgtune.Chunked})
	for _, bm := range append(append([]struct{ name, path string }(nil), benchModels[3:]...), kconfigModels...) {
		b.Run(bm.name, func(b *testing.B) {
			c := loadCompiled(b, benchPath(b, bm.path), chunked)
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
			b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/propagate")
			b.ReportMetric(float64(calls)/float64(b.N), "sat-calls")
			b.ReportMetric(0, "ns/op")
		})
	}
}
