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

// dimacsVar is what clause checks and reads for variable ci of d: the
// name ReadDIMACS gave it and its "false" and "true" literals, set (ok)
// while c compiled characteristic ci from d.Chars[ci] as a bool.
type dimacsVar struct {
	name string
	lit  [2]z.Lit // slots "false", "true"
	ok   bool
}

// vars makes the table clause reads, once per compile: one small entry per
// variable rather than c.chars[ci], d.Chars[ci] and c.slots (three cache
// misses per literal, 40% of compiling a 238k-clause model). c's
// characteristics are compiled.
func (d dimacsCNF) vars(c *Compiled) []dimacsVar {
	vs := make([]dimacsVar, len(d.Chars))
	for ci := range vs {
		if ci < len(c.chars) && c.chars[ci].c == &d.Chars[ci] && d.Chars[ci].Kind == Bool {
			f := c.chars[ci].first
			vs[ci] = dimacsVar{name: d.Chars[ci].Name, lit: [2]z.Lit{c.slots[f].lit, c.slots[f+1].lit}, ok: true}
		}
	}
	return vs
}

// clause appends the literals of rule k of m to buf when m.Rules[k] is
// still the rule ReadDIMACS built for clause k, unchanged, over the
// characteristics it built (vars, [dimacsCNF.vars]); ok is false
// otherwise (the caller compiles the rule the general way).
func (d dimacsCNF) clause(vars []dimacsVar, k int, r *Rule, buf []z.Lit) ([]z.Lit, bool) {
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
		ci, want, sign := int(v)-1, "true", 1
		if v < 0 {
			ci, want, sign = int(-v)-1, "false", 0
		}
		if ci >= len(vars) {
			return buf, false
		}
		dv := &vars[ci]
		if !dv.ok || e.Char != dv.name || e.Value != want {
			return buf, false
		}
		buf = append(buf, dv.lit[sign])
	}
	return buf, true
}
