package configurator_test

import (
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/ctoplan/ctoplan/configurator"
	"github.com/ctoplan/ctoplan/internal/cfgtune"
)

// The reference feature models propagated with nothing picked by the
// default adaptive search with its second solver joining at once: the
// reference core/dead counts, and every value's status the same as on
// one solver (Options.Solvers 1), then under a few picks.
func TestFeatureModelCoreDeadJoined(t *testing.T) {
	if n := runtime.GOMAXPROCS(0); n < 2 {
		runtime.GOMAXPROCS(2)
		t.Cleanup(func() { runtime.GOMAXPROCS(n) })
	}
	dir := filepath.Join(dataDir(t), "featuremodels")
	joinNow := cfgtune.Option[configurator.Option](cfgtune.Knobs{JoinNow: true})
	one := configurator.WithOptions(configurator.Options{Solvers: 1})
	for _, fm := range featureModels {
		if fm.big && raceEnabled {
			continue // about a minute under -race, as in TestFeatureModelCoreDead
		}
		if raceEnabled && strings.HasPrefix(fm.file, "FinancialServices01-history/") && fm.file != "FinancialServices01-history/2018-05-09.dimacs" {
			// Under -race (for the two solvers' sharing, ~10x slower) one
			// version of the history stands for all ten; the others
			// are checked without -race.
			continue
		}
		t.Run(fm.file, func(t *testing.T) {
			path := filepath.Join(dir, fm.file)
			joined, single := loadCompiled(t, path, joinNow), loadCompiled(t, path, one)
			d, err := joined.Propagate(t.Context(), nil)
			if err != nil {
				t.Fatal(err)
			}
			if !d.Valid {
				t.Fatalf("model reported invalid: %v", d.Conflict)
			}
			if core, dead := coreDead(d); core != fm.core || dead != fm.dead {
				t.Errorf("core/dead = %d/%d, want %d/%d", core, dead, fm.core, fm.dead)
			}
			sameDomains(t, nil, single, joined)
			// Two picks at possible values, answered from the solver that
			// holds both solvers' dead values as units.
			var picks []configurator.Pick
			for range 2 {
				for _, cd := range d.Chars {
					if p, ok := firstPossible(cd); ok {
						picks = append(picks, p)
						break
					}
				}
				sameDomains(t, picks, single, joined)
				if d, err = joined.Propagate(t.Context(), picks); err != nil || !d.Valid {
					t.Fatal(err, picks)
				}
			}
		})
	}
}

// firstPossible is a pick of cd's first value that is possible and not
// yet selected.
func firstPossible(cd configurator.CharDomain) (configurator.Pick, bool) {
	for _, v := range cd.Values {
		if v.Status == configurator.Possible {
			return configurator.Pick{Char: cd.Char, Value: v.Value}, true
		}
	}
	return configurator.Pick{}, false
}
