package engine

import (
	"github.com/ctoplan/ctoplan/configurator/internal/formats"
	"github.com/ctoplan/ctoplan/configurator/internal/modelext"
	"github.com/go-air/gini/z"
)

// dimacsCNF is what ReadDIMACS built m from (internal/formats.CNF), or nil.
type dimacsCNF struct{ *formats.CNF }

// dimacsOf returns the clauses ReadDIMACS built m from, if it did.
func dimacsOf(m *Model) (dimacsCNF, bool) {
	d, ok := modelext.Attachment(m).(*formats.CNF)
	return dimacsCNF{d}, ok && d != nil
}

// clause appends the literals of rule k of m to buf when m.Rules[k] is
// still the rule ReadDIMACS built for clause k, unchanged, over the
// characteristics it built; ok is false otherwise (the caller compiles
// the rule the general way). c's characteristics are compiled.
func (d dimacsCNF) clause(c *Compiled, k int, r *Rule, buf []z.Lit) ([]z.Lit, bool) {
	if k >= len(d.Rules) || r != &d.Rules[k] {
		return buf, false
	}
	lo, hi := int(d.Start[k]), int(d.Start[k+1])
	or, ok := r.Expr.(*Or)
	if !ok || or != &d.Ors[k] || len(or.Xs) != hi-lo || (hi > lo && &or.Xs[0] != &d.Xs[lo]) {
		return buf, false
	}
	for i, v := range d.Lits[lo:hi] {
		e, ok := or.Xs[i].(*Eq)
		if !ok || e != &d.Eqs[lo+i] || e.Neg {
			return buf, false
		}
		ci, want := int(v)-1, "true"
		if v < 0 {
			ci, want = int(-v)-1, "false"
		}
		if ci >= len(c.chars) || c.chars[ci].c != &d.Chars[ci] || d.Chars[ci].Kind != Bool ||
			e.Char != d.Chars[ci].Name || e.Value != want {
			return buf, false
		}
		s := c.chars[ci].first
		if v > 0 {
			s++
		}
		buf = append(buf, c.slots[s].lit)
	}
	return buf, true
}
