package ginicopy

import (
	"github.com/go-air/gini"
)

// SkipModelCheck turns off, for g's next solves and until a clause is
// added to g, gini's check of each model it finds against every clause
// (xo.Cdb.checkModel; gini v1.0.4 sets it again on every Add). The check
// guards against bugs of gini itself, not of the caller; it reads the
// whole clause database after every satisfiable Solve, which was 10% of
// a Session.Pick's CPU on Freetz. It reports whether the field was found
// (TestSkipModelCheck fails when a gini upgrade renames it).
func SkipModelCheck(g *gini.Gini) bool {
	l := theLayout
	cdb := l.part(g, l.cdb)
	if cdb == nil || !l.checkModel.ok {
		return false
	}
	*(*bool)(l.checkModel.at(cdb)) = false
	return true
}

// Phases returns g's phase cache, the value per variable (index 1 up;
// 1 true, -1 false, 0 none yet) that its decision heuristic gives a
// variable it decides next: gini v1.0.4 saves there the value a variable
// had when the solver backtracked over it, and sets it from the clauses
// on the first solve only. Writing it steers the next solve towards an
// assignment without constraining it, for the variables that are
// unassigned when it is written (after Untest): a variable still assigned
// then gets its current value saved over the cache when the next solve
// backtracks. The slice is g's own (nil when the field is not found;
// TestPhases fails then): valid until g gains variables, and not to be
// used while g solves.
func Phases(g *gini.Gini) []int8 {
	l := theLayout
	guess := l.part(g, l.guess)
	if guess == nil || !l.cache.ok {
		return nil
	}
	return *(*[]int8)(l.cache.at(guess))
}

// Values returns g's value table, indexed by literal (1 true, -1 false,
// 0 unassigned): what g.Value reads, one literal per call. After a
// satisfiable Solve it holds the model. The slice is g's own (nil when
// the field is not found; TestValues fails then): valid until g gains
// variables, read-only, and not to be read while g solves.
func Values(g *gini.Gini) []int8 {
	l := theLayout
	vars := l.part(g, l.vars)
	if vars == nil || !l.vals.ok {
		return nil
	}
	return *(*[]int8)(l.vals.at(vars))
}

// Props returns how many literals g's unit propagation has assigned since
// g was made (gini's Trail.Props; a copy starts from zero):
// a measure of solver work that, unlike time, does not depend on the
// machine's load. It returns -1 when the field is not found (TestProps
// fails then).
func Props(g *gini.Gini) int64 {
	l := theLayout
	trail := l.part(g, l.trail)
	if trail == nil || !l.props.ok {
		return -1
	}
	return *(*int64)(l.props.at(trail))
}
