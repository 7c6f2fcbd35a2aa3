package configurator_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ctoplan/ctoplan/configurator"
	"github.com/ctoplan/ctoplan/configurator/internal/modeltest"
	"github.com/ctoplan/ctoplan/internal/cfgtune"
)

// dataDir is the public reference data (modeltest.DataDir: it fails
// when the data is missing, a reference test that skipped would pass
// unchecked).
func dataDir(t testing.TB) string { t.Helper(); return modeltest.DataDir(t) }

func loadCompiled(t testing.TB, path string, opts ...configurator.Option) *configurator.Compiled {
	t.Helper()
	m, err := configurator.LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	c, err := configurator.Compile(m, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// coreDead counts bool characteristics forced true (core) and false (dead).
func coreDead(d *configurator.Domains) (core, dead int) {
	for _, cd := range d.Chars {
		for _, v := range cd.Values {
			if v.Value == "true" && v.Status == configurator.Forced {
				core++
			}
			if v.Value == "true" && v.Status == configurator.Excluded {
				dead++
			}
		}
	}
	return core, dead
}

// Reference core/dead counts from ../shared/data/README.md
// (SoftVarE-Group/feature-model-benchmark).
// raceHistory: the versions of the FinancialServices01 history that
// TestFeatureModelCoreDead checks under the race detector.
var raceHistory = []string{
	"FinancialServices01-history/2017-05-22.dimacs",
	"FinancialServices01-history/2018-03-26.dimacs",
	"FinancialServices01-history/2018-05-09.dimacs",
}

var featureModels = []struct {
	file       string
	core, dead int
	big        bool // checked without -race only (gini is about ten times slower under it)
}{
	{"berkeleydb_Hierons2020.dimacs", 14, 6, false},
	{"printer_Mendonca2009.dimacs", 49, 0, false},
	{"pc-richmond_Sprey2020.dimacs", 9, 0, false},
	{"automotive01_Kowal2016.dimacs", 100, 195, false},
	{"FinancialServices01-history/2017-05-22.dimacs", 29, 0, false},
	{"FinancialServices01-history/2017-09-28.dimacs", 18, 0, false},
	{"FinancialServices01-history/2017-10-20.dimacs", 19, 0, false},
	{"FinancialServices01-history/2017-11-20.dimacs", 19, 0, false},
	{"FinancialServices01-history/2017-12-22.dimacs", 19, 0, false},
	{"FinancialServices01-history/2018-01-23.dimacs", 18, 0, false},
	{"FinancialServices01-history/2018-02-20.dimacs", 18, 0, false},
	{"FinancialServices01-history/2018-03-26.dimacs", 25, 3, false},
	{"FinancialServices01-history/2018-04-23.dimacs", 23, 4, false},
	{"FinancialServices01-history/2018-05-09.dimacs", 22, 0, false},
	// KConfig-style systems models: thousands of features, most of them
	// dead (counts computed with clasp 3.3.5, cautious and brave
	// consequences, per the README).
	{"uClibc-0.9.33.2_Oh2020.dimacs", 70, 3170, false},
	{"freebsd-8.0.0_AlHajjaji2019.dimacs", 4, 38, false},
	{"coreboot_Berger2013.dimacs", 1671, 6029, false},
	{"freetz_Berger2013.dimacs", 117, 14445, true},
}

func TestFeatureModelCoreDead(t *testing.T) {
	dir := filepath.Join(dataDir(t), "featuremodels")
	for _, fm := range featureModels {
		if fm.big && raceEnabled {
			// Freetz (31k features) takes about a minute under -race;
			// `ctoplan bench` checks its counts in CI without it.
			continue
		}
		if raceEnabled && strings.HasPrefix(fm.file, "FinancialServices01-history/") && !slices.Contains(raceHistory, fm.file) {
			// ten versions of one model, 2 s each under -race: three of
			// them there (the first, the first with dead features, the
			// last), all ten in the plain run
			continue
		}
		for _, method := range []cfgtune.Method{cfgtune.Witness, cfgtune.Chunked} {
			name := fm.file
			if method == cfgtune.Chunked {
				name += "/chunked"
			}
			t.Run(name, func(t *testing.T) {
				c := loadCompiled(t, filepath.Join(dir, fm.file), cfgtune.Option[configurator.Option](cfgtune.Knobs{Method: method}))
				d, err := c.Propagate(context.Background(), nil)
				if err != nil {
					t.Fatal(err)
				}
				if !d.Valid {
					t.Fatalf("model reported invalid: %v", d.Conflict)
				}
				core, dead := coreDead(d)
				if core != fm.core || dead != fm.dead {
					t.Errorf("core/dead = %d/%d, want %d/%d", core, dead, fm.core, fm.dead)
				}
			})
		}
	}
}
