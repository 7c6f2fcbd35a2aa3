// Package ginicopy copies a gini solver whole: gini v1.0.4's Copy drops the
// decay schedule of the decision heuristic, and every query solver of the
// configurator is a copy.
package ginicopy

import (
	"reflect"
	"unsafe"

	"github.com/go-air/gini"
)

// Copy returns g.Copy() with the copy's decision heuristic made
// whole. gini v1.0.4's Guess.Copy leaves out the fields of the activity
// decay schedule (decayMin, decayMax, decayMaxMax, decayMaxDecay, decays,
// restartDecays); a copy then decays with a factor near zero, its bump
// increment reaches +Inf after a few dozen conflicts, and from then on
// every bump rescales the activity of every variable. On Freetz (31k
// variables) that was more than half of the time of a propagation, and
// every query solver is a copy. The missing fields are copied here from g
// through reflection; [Fixed] tells whether they were found
// (TestSolverCopyKeepsDecay fails when a gini upgrade renames them).
func Copy(g *gini.Gini) *gini.Gini {
	h := g.Copy()
	fixGuessCopy(h, g)
	return h
}

var guessCopyFields = [...]string{"decays", "restartDecays", "decayMin", "decayMax", "decayMaxMax", "decayMaxDecay"}

// xoPart is the addressable struct g.xo.<part> points to (part is one of
// gini's pointer fields of xo: Guess, Vars, Trail, Cdb), or the zero
// Value when a gini upgrade renamed or retyped a field on the way.
func xoPart(g *gini.Gini, part string) reflect.Value {
	v := reflect.ValueOf(g).Elem().FieldByName("xo")
	if !v.IsValid() || v.Kind() != reflect.Pointer || v.IsNil() {
		return reflect.Value{}
	}
	v = v.Elem().FieldByName(part)
	if !v.IsValid() || v.Kind() != reflect.Pointer || v.IsNil() {
		return reflect.Value{}
	}
	return v.Elem()
}

// guessOf is the addressable xo.Guess of g, or the zero Value.
func guessOf(g *gini.Gini) reflect.Value { return xoPart(g, "Guess") }

// fixGuessCopy copies the decay schedule of src's heuristic into dst's and
// reports whether it could.
func fixGuessCopy(dst, src *gini.Gini) bool {
	s, d := guessOf(src), guessOf(dst)
	if !s.IsValid() || !d.IsValid() || s.Type() != d.Type() {
		return false
	}
	for _, name := range guessCopyFields {
		sf, df := s.FieldByName(name), d.FieldByName(name)
		if !sf.IsValid() || (sf.Kind() != reflect.Float64 && sf.Kind() != reflect.Int && sf.Kind() != reflect.Int64) {
			return false
		}
		sv := reflect.NewAt(sf.Type(), unsafe.Pointer(sf.UnsafeAddr())).Elem()
		reflect.NewAt(df.Type(), unsafe.Pointer(df.UnsafeAddr())).Elem().Set(sv)
	}
	return true
}

// Fixed reports whether [Copy] can repair gini's copies.
func Fixed() bool {
	g := gini.New()
	return fixGuessCopy(g.Copy(), g)
}
