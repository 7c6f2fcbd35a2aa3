package engine

import (
	"path/filepath"
	"testing"

	"github.com/ctoplan/ctoplan/configurator/internal/formats"
	"github.com/ctoplan/ctoplan/configurator/internal/modeltest"
)

// BenchmarkEquivSize reports, per model of ../shared/data, what the
// equivalent-literal substitution works on and removes: variables, those
// free after the level-0 units, binary clauses among the free ones,
// variables replaced by a representative, clauses as compiled and search
// clauses (units included), and the time of the substitution itself
// (FreeBSD: the time of deciding not to build it, see minShortShare).
// Table models get no substitution (see equiv) and are not listed.
//
//	go test ./configurator/internal/engine -run '^$' -bench EquivSize -benchtime 5x
func BenchmarkEquivSize(b *testing.B) {
	dir := sharedData(b)
	for _, p := range []struct{ name, path string }{
		{"freetz", "featuremodels/freetz_Berger2013.dimacs"},
		{"coreboot", "featuremodels/coreboot_Berger2013.dimacs"},
		{"uclibc", "featuremodels/uClibc-0.9.33.2_Oh2020.dimacs"},
		{"freebsd", "featuremodels/freebsd-8.0.0_AlHajjaji2019.dimacs"},
		{"automotive01", "featuremodels/automotive01_Kowal2016.dimacs"},
	} {
		b.Run(p.name, func(b *testing.B) {
			m, err := formats.LoadFile(filepath.Join(dir, p.path))
			if err != nil {
				b.Fatal(err)
			}
			c, err := Compile(m, Option(func(o *Options) { o.knobs.NoEquiv = true }))
			if err != nil {
				b.Fatal(err)
			}
			var e *equiv
			for b.Loop() {
				e = buildEquiv(c.cnf)
			}
			nv := c.cnf.NumVars()
			b.ReportMetric(float64(nv), "vars")
			b.ReportMetric(float64(c.cnf.NumClauses()), "clauses")
			if e == nil {
				b.ReportMetric(0, "replaced-vars") // too few short clauses: see minShortShare
				return
			}
			b.ReportMetric(float64(nv-e.nUnits), "free-vars")
			b.ReportMetric(float64(e.nBin), "binary-clauses")
			b.ReportMetric(float64(e.nElim), "replaced-vars")
			b.ReportMetric(100*float64(e.nElim)/float64(nv-e.nUnits), "%-free-replaced")
			b.ReportMetric(float64(e.nCl), "search-clauses")
		})
	}
}

// sharedData is the configurator's public benchmark data
// (modeltest.DataDir: the benchmark fails when it is absent).
func sharedData(b *testing.B) string { b.Helper(); return modeltest.DataDir(b) }
