package engine

import (
	"sync"
	"sync/atomic"

	"github.com/ctoplan/ctoplan/configurator/internal/ginicopy"
	"github.com/go-air/gini"
	"github.com/go-air/gini/z"
)

// Filling a model in from the first one. Before each solve under a phase
// push, the search asks whether the assignment the push holds (the value
// tested, the values pushed and all that unit propagation derived from
// them), completed on every variable it leaves free by the first model of
// the propagation with nothing picked (the base), satisfies every clause.
// The base satisfies every clause; each clause watches one literal true
// in the base, and only a clause whose watched literal the push made
// false can have lost its last true literal: those are checked. A clause
// left false is mended by holding one of its free literals in a test
// scope (the first one unit propagation accepts), and what that turns
// false is checked in turn, up to maxFillSteps scopes and a bounded
// number of literals read. When every clause holds, the completed
// assignment is a model, recorded without a solve (nor the solver's
// descent over the free variables, nor the backtracking over them that
// the next Untest pays); otherwise the solve runs as before. Every
// recorded configuration satisfies every clause, so the answers are
// those of the solver: only which models witness the values changes.
//
// Why: after the first few models of uClibc's cold propagation nearly
// every push is empty (what is left are values that exclude each other):
// 45 of its 59 models each witnessed one value and its negation, at a
// first Test, a solve over ~1k free variables and an Untest over ~2k
// assigned ones each.

// fillBase is a base model and its clauses by watched literal, built on
// first use and shared by every search that fills from that base.
type fillBase struct {
	c    *Compiled
	vals []int8 // the base: gini's value table of a model (1 true, -1 false)
	once sync.Once
	ix   *watchIndex // nil when the base does not satisfy every clause
	bits bitset      // the base's targets
	// The targets of literal m: tgt[tstart[m]:tstart[m+1]].
	tstart []int32
	tgt    []int32
}

// watchIndex lists each compiled clause under one literal of it that is
// true in the base.
type watchIndex struct {
	lits  []z.Lit // the clauses, each ending with 0 (the builder's)
	start []int32 // clauses watching literal m: at[start[m]:start[m+1]]
	at    []int32 // offset in lits of each clause, by watched literal
}

func newFillBase(c *Compiled, vals []int8) *fillBase {
	return &fillBase{c: c, vals: vals}
}

// index returns fb's watch index, built on first use; nil when some
// clause has no literal true in the base (which is then no model: fill
// is off).
func (fb *fillBase) index() *watchIndex {
	fb.once.Do(func() {
		nLits := 2 * (fb.c.cnf.NumVars() + 1)
		if len(fb.vals) < nLits {
			return
		}
		lits := fb.c.cnf.Lits()
		ix := &watchIndex{lits: lits, start: make([]int32, nLits+1)}
		base := fb.vals
		watch := make([]z.Lit, 0, fb.c.cnf.NumClauses())
		w := z.LitNull
		for _, m := range lits {
			if m == 0 {
				if w == z.LitNull {
					return // a clause the base leaves false
				}
				watch = append(watch, w)
				ix.start[w+1]++
				w = z.LitNull
				continue
			}
			if w == z.LitNull && base[m] == 1 {
				w = m
			}
		}
		for m := 1; m <= nLits; m++ {
			ix.start[m] += ix.start[m-1]
		}
		ix.at = make([]int32, len(watch))
		next := make([]int32, nLits)
		copy(next, ix.start[:nLits])
		k, at := 0, int32(0)
		for i, m := range lits {
			if m == 0 {
				w := watch[k]
				ix.at[next[w]] = at
				next[w]++
				k++
				at = int32(i + 1)
			}
		}
		fb.ix = ix
		// The base as targets, and the targets of each literal: a
		// model filled in differs from the base only on the literals
		// fill queued.
		c := fb.c
		fb.bits = newBitset(c.nTargets)
		fb.tstart = make([]int32, nLits+1)
		for t, l := range c.targetLit {
			if base[l] == 1 {
				fb.bits.set(t)
			}
			fb.tstart[l+1]++
		}
		for m := 1; m <= nLits; m++ {
			fb.tstart[m] += fb.tstart[m-1]
		}
		fb.tgt = make([]int32, c.nTargets)
		copy(next, fb.tstart[:nLits])
		for t, l := range c.targetLit {
			fb.tgt[next[l]] = int32(t)
			next[l]++
		}
	})
	return fb.ix
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
	pending []z.Lit // literals true here and false in the base
	fragile []fragile
	spare   []fragile
	ns      []z.Lit
}

// fragile is a clause that only a free literal, true in the base, holds
// true: it is checked again when a held literal assigns that one.
type fragile struct {
	at int32
	by z.Lit
}

// fill tries to complete the assignment g holds by the base into a model
// (see above). It returns the test scopes it holds, for the caller to
// drop, and whether it recorded a model.
func (st *propState) fill(g *gini.Gini, f *filler) (held int, ok bool) {
	fb := st.fill0
	if fb == nil {
		return 0, false
	}
	vals := ginicopy.Values(g)
	ix := fb.index()
	if vals == nil || ix == nil {
		return 0, false
	}
	base := fb.vals
	n := min(len(vals), len(base), len(ix.start)-1)
	if len(f.queued) < n {
		f.queued = make([]uint32, n)
		f.stamp = 0
	}
	if f.ns == nil {
		f.ns = make([]z.Lit, 0, 256) // Test lists nothing into a nil slice
	}
	st.fills.tries.Add(1)
	budget := fillReads * n / 2
	// queue adds the literals of ms that are true here, false in the base
	// and not queued yet.
	queue := func(ms []z.Lit) bool {
		if ms == nil {
			return false
		}
		for _, m := range ms {
			if int(m) < n && vals[m] == 1 && base[m] == -1 && f.queued[m] != f.stamp {
				f.queued[m] = f.stamp
				f.pending = append(f.pending, m)
			}
		}
		return true
	}
	f.stamp++
	if f.stamp == 0 {
		clear(f.queued)
		f.stamp = 1
	}
	f.pending, f.fragile = f.pending[:0], f.fragile[:0]
	if !queue(ginicopy.Trail(g)) {
		return 0, false
	}
	// check checks the clause at, mending it when it is false; it reports
	// false when fill gives up.
	check := func(at int32) bool {
		by := z.LitNull
		for _, x := range ix.lits[at:] {
			budget--
			if x == 0 {
				break
			}
			switch vals[x] {
			case 1:
				return true // held true for the rest of this fill
			case 0:
				if by == z.LitNull && base[x] == 1 {
					by = x
				}
			}
		}
		if budget < 0 {
			return false
		}
		if by != z.LitNull {
			f.fragile = append(f.fragile, fragile{at, by})
			return true
		}
		if held == maxFillSteps {
			return false
		}
		// Mend the clause: hold a free literal of it.
		failed := false
		for _, x := range ix.lits[at:] {
			if x == 0 {
				return false // no free literal unit propagation accepts
			}
			if vals[x] != 0 {
				continue
			}
			g.Assume(x)
			r, ns := g.Test(f.ns[:0])
			if r != -1 {
				f.ns = ns
				held++
				queue(ns)
				break
			}
			failed = true
			if g.Untest() == -1 {
				return false
			}
		}
		if failed {
			// Untest after a failed test may assign what the conflict
			// taught: on no scope's list.
			queue(ginicopy.Trail(g))
		}
		return true
	}
	for i := 0; ; {
		for ; i < len(f.pending); i++ {
			// f.pending[i] is true here and false in the base: the
			// clauses watching its negation may have lost their last
			// true literal.
			nm := f.pending[i].Not()
			for _, at := range ix.at[ix.start[nm]:ix.start[nm+1]] {
				if !check(at) {
					return held, false
				}
			}
		}
		// A fragile clause whose free literal a held one made false is
		// checked again (the others stay true: the free literal takes
		// its base value).
		before := held
		frs := append(f.spare[:0], f.fragile...)
		f.spare = frs
		f.fragile = f.fragile[:0]
		for _, fr := range frs {
			switch vals[fr.by] {
			case 0:
				f.fragile = append(f.fragile, fr)
			case -1:
				if !check(fr.at) {
					return held, false
				}
			}
		}
		if held == before && i == len(f.pending) {
			break
		}
	}
	st.fills.models.Add(1)
	if held > 0 {
		st.fills.mended.Add(1)
	}
	c := st.c
	m := make(bitset, len(fb.bits))
	copy(m, fb.bits)
	for _, p := range f.pending { // true here, false in the base
		for _, t := range fb.tgt[fb.tstart[p]:fb.tstart[p+1]] {
			m.set(int(t))
		}
		np := p.Not()
		for _, t := range fb.tgt[fb.tstart[np]:fb.tstart[np+1]] {
			m[t>>6] &^= 1 << (uint(t) & 63)
		}
	}
	st.keep(m)
	if c.rotOK {
		st.rotate(m)
	}
	return held, true
}
