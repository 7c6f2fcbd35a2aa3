package ginicopy

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/go-air/gini"
	"github.com/go-air/gini/z"

	"github.com/ctoplan/ctoplan/configurator/internal/modeltest"
)

// BenchmarkCopy times one copy of a solver holding each KConfig model's
// CNF as gini reads it from the public DIMACS file (the compiled solvers
// of the configurator, which are a little smaller, are timed by
// engine's BenchmarkCompiledCopy), fresh and after 64 solves under
// assumptions, by gini's Copy (with the repair) and by Copy. It fails
// when the data is missing.
func BenchmarkCopy(b *testing.B) {
	dir := dataDir(b)
	for _, m := range []struct{ name, file string }{
		{"uclibc", "uClibc-0.9.33.2_Oh2020.dimacs"},
		{"coreboot", "coreboot_Berger2013.dimacs"},
		{"freetz", "freetz_Berger2013.dimacs"},
	} {
		f, err := os.Open(filepath.Join(dir, "featuremodels", m.file))
		if err != nil {
			b.Fatal(err)
		}
		fresh, err := gini.NewDimacs(f)
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
		learnt := Copy(fresh)
		SkipModelCheck(learnt)
		n := int(learnt.MaxVar())
		for i := range 64 {
			learnt.Assume(varLit(1+(i*7919)%n, i%2 == 0))
			learnt.Solve()
		}
		for _, src := range []struct {
			name string
			g    *gini.Gini
		}{{"fresh", fresh}, {"learnt", learnt}} {
			for _, how := range []struct {
				name string
				copy func(*gini.Gini) *gini.Gini
			}{{"gini", giniCopy}, {"fast", Copy}} {
				b.Run(m.name+"/"+src.name+"/"+how.name, func(b *testing.B) { modeltest.BenchCopy(b, how.copy, src.g) })
			}
		}
	}
}

// dataDir is the configurator's public benchmark data (modeltest.DataDir).
func dataDir(b *testing.B) string { b.Helper(); return modeltest.DataDir(b) }

// varLit is variable v's positive literal, or its negation.
func varLit(v int, pos bool) z.Lit {
	if pos {
		return z.Var(v).Pos()
	}
	return z.Var(v).Neg()
}
