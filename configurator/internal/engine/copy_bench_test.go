package engine

import (
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/go-air/gini"

	"github.com/ctoplan/ctoplan/configurator/internal/formats"
	"github.com/ctoplan/ctoplan/configurator/internal/ginicopy"
	"github.com/ctoplan/ctoplan/configurator/internal/modeltest"
)

// copyBenchModels are the models whose compiled solvers BenchmarkCompiledCopy
// copies: the forklift (Session.Pick's every query solver is a copy) and
// the KConfig models (the adaptive join copies the first solver).
var copyBenchModels = []struct{ name, path string }{
	{"forklift", "../../../testdata/forklift/forklift.ctm"},
	{"uclibc", "featuremodels/uClibc-0.9.33.2_Oh2020.dimacs"},
	{"coreboot", "featuremodels/coreboot_Berger2013.dimacs"},
	{"freetz", "featuremodels/freetz_Berger2013.dimacs"},
}

// sharedDataPath is p under the public benchmark data (../shared/data
// beside the module root); the benchmark fails when it is missing.
func sharedDataPath(b *testing.B, p string) string {
	b.Helper()
	if filepath.Ext(p) == ".ctm" {
		return p
	}
	return filepath.Join(modeltest.DataDir(b), p)
}

// BenchmarkCompiledCopy times one copy of each model's compiled solver, as it is
// compiled ("base") and after a first model and 64 solves under random
// target assumptions ("learnt": learnt clauses, a longer trail of
// watches), by gini's own Copy and by ginicopy.Copy.
func BenchmarkCompiledCopy(b *testing.B) {
	for _, bm := range copyBenchModels {
		m, err := formats.LoadFile(sharedDataPath(b, bm.path))
		if err != nil {
			b.Fatal(err)
		}
		c, err := Compile(m)
		if err != nil {
			b.Fatal(err)
		}
		base := c.baseLocked()
		learnt := ginicopy.Copy(base)
		ginicopy.SkipModelCheck(learnt)
		learnt.Solve()
		r := rand.New(rand.NewPCG(1, 2))
		for range 64 {
			learnt.Assume(c.targetLit[r.IntN(len(c.targetLit))])
			learnt.Solve()
		}
		for _, src := range []struct {
			name string
			g    *gini.Gini
		}{{"base", base}, {"learnt", learnt}} {
			for _, how := range []struct {
				name string
				copy func(*gini.Gini) *gini.Gini
			}{{"gini", (*gini.Gini).Copy}, {"ginicopy", ginicopy.Copy}} {
				b.Run(bm.name+"/"+src.name+"/"+how.name, func(b *testing.B) { modeltest.BenchCopy(b, how.copy, src.g) })
			}
		}
	}
}
