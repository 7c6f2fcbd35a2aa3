package modeltest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ctoplan/ctoplan/internal/cputime"
	"github.com/go-air/gini"
)

// DataDir returns the configurator's public reference data,
// ../shared/data/configurator beside the module root (the directory
// holding go.mod above the working directory). It fails tb when either is
// missing: a reference test or benchmark without its data fails, it does
// not skip (see ../shared/data/README.md).
func DataDir(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("module root (go.mod) not found above the working directory")
		}
		dir = parent
	}
	d := filepath.Join(dir, "..", "shared", "data", "configurator")
	if _, err := os.Stat(d); err != nil {
		tb.Fatalf("shared reference data not found at %s (see ../shared/data/README.md): %v", d, err)
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
