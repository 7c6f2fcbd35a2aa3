package engine

import (
	"github.com/ctoplan/ctoplan/configurator/internal/ginicopy"
	"github.com/ctoplan/ctoplan/internal/invariants"
	"github.com/go-air/gini"
)

// skipModelCheck spares g's next solve gini's own check of the model it
// finds against every clause, in a normal build: a check against bugs of
// gini, which reads the whole clause database after each satisfiable
// solve (10% of a Session.Pick's CPU on Freetz, where a solve after a
// pick costs about half a millisecond). Built with -race or -tags
// invariants, gini keeps checking; the engine's oracle and property tests
// check every answer against a separate solver either way.
func skipModelCheck(g *gini.Gini) {
	if !invariants.Enabled {
		ginicopy.SkipModelCheck(g)
	}
}
