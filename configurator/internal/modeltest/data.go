package modeltest

import (
	"testing"

	"github.com/ctoplan/ctoplan/internal/cputime"
	"github.com/ctoplan/ctoplan/internal/modroot"
	"github.com/go-air/gini"
)

// DataDir returns the configurator's public reference data,
// ../shared/data/configurator beside the module root (the directory
// holding go.mod above the working directory). It fails tb when either is
// missing: a reference test or benchmark without its data fails, it does
// not skip (see ../shared/data/README.md).
func DataDir(tb testing.TB) string {
	tb.Helper()
	d, err := modroot.SharedData("configurator")
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

// BenchCopy times copy(g) as one sub-benchmark body: wall and process
// CPU milliseconds per copy (the CPU figure only where the platform
// measures it) and allocations.
func BenchCopy(b *testing.B, copy func(*gini.Gini) *gini.Gini, g *gini.Gini) {
	b.ReportAllocs()
	c0 := cputime.Process()
	for b.Loop() {
		copy(g)
	}
	cpu := cputime.Process() - c0
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/1e6, "ms/copy")
	if cputime.Measured {
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N)/1e6, "cpu-ms/copy")
	}
}
