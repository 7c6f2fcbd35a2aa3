package engine

import (
	"github.com/ctoplan/ctoplan/configurator/internal/ginicopy"
	"github.com/go-air/gini"
)

// Phase steering. Before each solve under a phase push, the variables the
// push leaves free are steered back to the first model of the search (the
// solver's own first answer, or a stored model that satisfies the picks),
// through gini's phase cache. Left alone, the cache holds the values of
// the last push, which held as many rare values at once as unit
// propagation allowed; the next solve then starts from that corner and
// can take many restarts to leave it. Measured in propagations (gini's
// Trail.Props, which does not depend on the machine's load), cold
// propagation with nothing picked on Freetz: 1.43 M -> 0.90 M; one solve
// under a push of 760 values went from 451 k to 24 k propagations.
// Steering back to the last model instead of the first was no better
// (1.42 M). Phases only steer: every answer is still the solver's.

// phaseModel is an assignment to steer towards: the phase (1 true, -1
// false) of each variable of c's phase table.
type phaseModel struct {
	tab   *phaseTable
	signs []int8
}

// phaseTable lists, once per compiled model, the variables of the targets
// and one target of each (its first), so that a search reads its model's
// phases in one pass over them. Building the list per search instead was
// 0.66 MB of allocation per Session.Pick on Freetz; steering straight from
// the model's bitset (no slice at all) made uClibc's slowest picks, which
// steer before each of many small solves, 1-2 ms slower.
type phaseTable struct {
	vars []int32
	tgts []int32
}

// phases returns c's phase table, built on first use.
func (c *Compiled) phases() *phaseTable {
	c.phaseOnce.Do(func() {
		seen := make([]bool, c.cnf.NumVars()+1)
		n := 0
		for _, l := range c.targetLit {
			if v := l.Var(); !seen[v] {
				seen[v] = true
				n++
			}
		}
		clear(seen)
		t := &phaseTable{vars: make([]int32, 0, n), tgts: make([]int32, 0, n)}
		for i, l := range c.targetLit {
			if v := l.Var(); !seen[v] {
				seen[v] = true
				t.vars = append(t.vars, int32(v))
				t.tgts = append(t.tgts, int32(i))
			}
		}
		c.phaseTab = t
	})
	return c.phaseTab
}

// basePhases returns the phases of st's first model, or nil when st has
// none.
func (st *propState) basePhases() *phaseModel {
	st.mu.Lock() // the solvers of a parallel search add models
	var m bitset
	if len(st.models) > 0 {
		m = st.models[0]
	}
	st.mu.Unlock()
	if m == nil {
		return nil
	}
	tab := st.c.phases()
	lits := st.c.targetLit
	p := &phaseModel{tab: tab, signs: make([]int8, len(tab.tgts))}
	for i, t := range tab.tgts {
		p.signs[i] = -1
		if m.has(int(t)) == lits[t].IsPos() { // the variable's value in m
			p.signs[i] = 1
		}
	}
	return p
}

// len is the number of variables p steers.
func (p *phaseModel) len() int { return len(p.signs) }

// steer writes p into g's phase cache.
func (p *phaseModel) steer(g *gini.Gini) {
	cache := ginicopy.Phases(g)
	for i, v := range p.tab.vars {
		if int(v) < len(cache) {
			cache[v] = p.signs[i]
		}
	}
}
