package engine

import (
	"sync/atomic"

	"github.com/ctoplan/ctoplan/configurator/internal/ginicopy"
	"github.com/go-air/gini"
	"github.com/go-air/gini/z"
)

// Filling a model in from the first one. Before each solve under a phase
// push, the search asks whether the assignment the push holds (the value
// tested, the values pushed and all that unit propagation derived from
// them), completed on every variable it leaves free by the first model of
// the propagation with nothing picked, satisfies every clause. That model
// satisfies every clause, so only the clauses of a literal the push turned
// from true to false can have lost their last true literal: those are
// checked, through occurrence lists built once per compiled model. A
// clause left false is mended by holding one of its free literals in a
// test scope (the first one unit propagation accepts), and the clauses
// that this turns false are checked in turn, up to maxFillSteps scopes
// and a bounded number of literals read. When every clause holds, the
// completed assignment is a model, recorded without a solve (nor the
// solver's descent over the free variables, nor the backtracking over
// them that the next Untest pays); otherwise the solve runs as before.
// Every recorded configuration satisfies every clause, so the answers are
// those of the solver: only which models witness the values changes.
//
// Why: after the first few models of uClibc's cold propagation nearly
// every push is empty (what is left are values that exclude each other):
// 45 of its 59 models each witnessed one value and its negation, at a
// first Test, a solve over ~1k free variables and an Untest over ~2k
// assigned ones each.

// clauseIndex lists the compiled clauses by literal.
type clauseIndex struct {
	lits  []z.Lit // the clauses, each ending with 0 (the builder's)
	start []int32 // clauses of literal m: occ[start[m]:start[m+1]]
	occ   []int32 // offset in lits of each clause, by literal
}

// clauses returns c's clause index, built on first use.
func (c *Compiled) clauses() *clauseIndex {
	c.occOnce.Do(func() {
		nLits := 2 * (c.cnf.NumVars() + 1)
		lits := c.cnf.Lits()
		ix := &clauseIndex{lits: lits, start: make([]int32, nLits+1)}
		for _, m := range lits {
			ix.start[m+1]++ // literal 0 ends a clause: counted at start[1], unused
		}
		ix.start[1] = 0
		for m := 1; m <= nLits; m++ {
			ix.start[m] += ix.start[m-1]
		}
		ix.occ = make([]int32, ix.start[nLits])
		next := make([]int32, nLits)
		copy(next, ix.start[:nLits])
		at := int32(0)
		for i, m := range lits {
			if m == 0 {
				at = int32(i + 1)
				continue
			}
			ix.occ[next[m]] = at
			next[m]++
		}
		c.clauseIx = ix
	})
	return c.clauseIx
}

// Fill's bounds: test scopes held to mend clauses, and literals read per
// variable of the model (a solve decides or propagates each free variable
// at least once).
const (
	maxFillSteps = 16
	fillReads    = 16
)

// fillStats counts the models fill recorded, for tests.
type fillStats struct {
	models int // models recorded
	mended int // of them, models that needed a held literal
	tries  int // calls that had a first model to fill from
}

// fillCounters is fillStats for the solvers of a parallel search.
type fillCounters struct{ models, mended, tries atomic.Int64 }

func (f *fillCounters) load() fillStats {
	return fillStats{models: int(f.models.Load()), mended: int(f.mended.Load()), tries: int(f.tries.Load())}
}

// filler is the scratch state of fill within one search.
type filler struct {
	queued  []uint32 // stamp of the fill that queued each literal
	stamp   uint32
	pending []z.Lit // literals true here and false in the first model
	ns      []z.Lit
}

// fill tries to complete the assignment g holds by st.base into a model
// (see above). It returns the test scopes it holds, for the caller to
// drop, and whether it recorded a model.
func (st *propState) fill(g *gini.Gini, f *filler) (held int, ok bool) {
	vals := ginicopy.Values(g)
	base := st.base
	if base == nil || vals == nil {
		return 0, false
	}
	ix := st.c.clauses()
	n := min(len(vals), len(base), len(ix.start)-1)
	if len(f.queued) < n {
		f.queued = make([]uint32, n)
		f.stamp = 0
	}
	budget := fillReads * n / 2
	// queue adds the literals of vals that differ from base and are not
	// queued yet.
	queue := func(ms []z.Lit) {
		for _, m := range ms {
			if int(m) < n && vals[m] == 1 && base[m] == -1 && f.queued[m] != f.stamp {
				f.queued[m] = f.stamp
				f.pending = append(f.pending, m)
			}
		}
	}
	// rescan queues every literal of vals that differs from base.
	rescan := func() {
		for m := 2; m < n; m++ { // literals of variable 1 up
			if vals[m] == 1 && base[m] == -1 && f.queued[m] != f.stamp {
				f.queued[m] = f.stamp
				f.pending = append(f.pending, z.Lit(m))
			}
		}
	}
	f.stamp++
	if f.stamp == 0 {
		clear(f.queued)
		f.stamp = 1
	}
	f.pending = f.pending[:0]
	st.fills.tries.Add(1)
	rescan()
	for i := 0; i < len(f.pending); i++ {
		// f.pending[i] is true here and false in base: the clauses of its
		// negation, true in base, may have lost their only true literal.
		nm := f.pending[i].Not()
		for _, at := range ix.occ[ix.start[nm]:ix.start[nm+1]] {
			sat := false
			free := 0
			for _, x := range ix.lits[at:] {
				budget--
				if x == 0 {
					break
				}
				v := vals[x]
				if v == 0 {
					free++
					v = base[x]
				}
				if v == 1 {
					sat = true
					break
				}
			}
			if budget < 0 {
				return held, false
			}
			if sat {
				continue
			}
			// Mend the clause: hold a free literal of it.
			if free == 0 || held == maxFillSteps {
				return held, false
			}
			mended, failed := false, false
			for _, x := range ix.lits[at:] {
				if x == 0 {
					break
				}
				if vals[x] != 0 {
					continue
				}
				if f.ns == nil {
					f.ns = make([]z.Lit, 0, 256) // Test lists nothing into a nil slice
				}
				g.Assume(x)
				r, ns := g.Test(f.ns[:0])
				if r != -1 {
					f.ns = ns
					held++
					mended = true
					queue(ns)
					break
				}
				failed = true
				if g.Untest() == -1 {
					return held, false
				}
			}
			if !mended {
				return held, false
			}
			if failed {
				// Untest after a failed test may assign what the
				// conflict taught: not in any scope's list.
				rescan()
			}
		}
	}
	st.fills.models.Add(1)
	if held > 0 {
		st.fills.mended.Add(1)
	}
	c := st.c
	m := newBitset(c.nTargets)
	for t, l := range c.targetLit {
		v := vals[l]
		if v == 0 {
			v = base[l]
		}
		if v == 1 {
			m.set(t)
		}
	}
	st.keep(m)
	if c.rotOK {
		st.rotate(m)
	}
	return held, true
}
