package engine

import (
	"slices"

	"github.com/ctoplan/ctoplan/configurator/internal/ginicopy"
	"github.com/go-air/gini"
	"github.com/go-air/gini/z"
)

// Projection of stored models onto new picks. A query under picks starts
// from the stored models (the session's and those with nothing picked)
// that satisfy the picks; on Freetz the slowest Session.Pick calls were
// those where one stored model did (the new pick a value only its own
// witness had): ~11k values undecided, a push of ~2,600 values and a
// solve, then 5-7 more pushes and solves for the last 60-120. A stored
// model M that breaks the picks is often one small change away from a
// model that keeps them: take the assignment unit propagation makes of
// the picks (the solver holds it) and M's values everywhere else. Only a
// clause that lost its true literal to the picks can be false in that
// assignment M', so a lookup of the values of those clauses' literals
// decides whether M' is a model, with no solver call; when it is, every
// value M' holds is possible. Counted over the bench's walks on Freetz
// (throwaway counters), 71-77% of the projections were models.
//
// Projection needs a value for every variable, so it applies only where
// every variable of the CNF is a target's or assigned by the picks (DIMACS
// models; a .ctm model's auxiliary variables are neither, and it returns
// at once). It only adds witnesses that are models: the answers cannot
// change.

// projTable is the clause index projection reads: the clauses of c's
// search solvers (as they hold them before any learnt clause; with an
// equivalent-literal substitution, the substituted clauses, see
// [Compiled.sl]), the clauses each literal occurs in, and the targets of
// each search literal (all the targets of one class share it).
type projTable struct {
	lits     []z.Lit // the clauses, each ended by 0
	occStart []int32 // occurrences of literal l: occ[occStart[l]:occStart[l+1]]
	occ      []int32 // offsets of clauses into lits
	tgtStart []int32 // targets of literal l: tgt[tgtStart[l]:tgtStart[l+1]]
	tgt      []int32
	other    []z.Var // variables no target names
}

// projTab returns c's projection table, built on first use (the first
// query under picks): 3-4 ms on Freetz (392k literals), 0.3-0.8 ms on
// uClibc and automotive01; sizing the clause copy before filling it
// (two passes over the clauses) instead of growing it took Freetz's
// from 11 ms.
func (c *Compiled) projTab() *projTable {
	c.projOnce.Do(func() {
		nv, clauses := c.searchClauses()
		nl := 2 * (nv + 1)
		t := &projTable{occStart: make([]int32, nl+1), tgtStart: make([]int32, nl+1)}
		n := 0
		clauses(func(cl []z.Lit) {
			for _, m := range cl {
				t.occStart[m+1]++
			}
			n += len(cl) + 1
		})
		t.lits = make([]z.Lit, 0, n)
		clauses(func(cl []z.Lit) {
			t.lits = append(t.lits, cl...)
			t.lits = append(t.lits, 0)
		})
		for l := range nl {
			t.occStart[l+1] += t.occStart[l]
		}
		t.occ = make([]int32, t.occStart[nl])
		next := slices.Clone(t.occStart[:nl])
		start := 0
		for i, m := range t.lits {
			if m == 0 {
				for _, k := range t.lits[start:i] {
					t.occ[next[k]] = int32(start)
					next[k]++
				}
				start = i + 1
			}
		}
		named := make([]bool, nv+1)
		for _, l := range c.targetLit {
			l = c.sl(l)
			t.tgtStart[l+1]++
			named[l.Var()] = true
		}
		for v := 1; v <= nv; v++ {
			if !named[v] {
				t.other = append(t.other, z.Var(v))
			}
		}
		for l := range nl {
			t.tgtStart[l+1] += t.tgtStart[l]
		}
		t.tgt = make([]int32, len(c.targetLit))
		next = slices.Clone(t.tgtStart[:nl])
		for i, l := range c.targetLit {
			l = c.sl(l)
			t.tgt[next[l]] = int32(i)
			next[l]++
		}
		c.projTabV = t
	})
	return c.projTabV
}

// value returns the value of literal k in the model m (a bitset of
// targets): 1 true, -1 false, 0 when no target names k's variable.
func (t *projTable) value(m bitset, k z.Lit) int8 {
	if a := t.tgtStart[k]; a < t.tgtStart[k+1] {
		if m.has(int(t.tgt[a])) {
			return 1
		}
		return -1
	}
	nk := k.Not()
	if a := t.tgtStart[nk]; a < t.tgtStart[nk+1] {
		if m.has(int(t.tgt[a])) {
			return -1
		}
		return 1
	}
	return 0
}

// broken returns the offset in t.lits of a clause the assignment M'
// breaks, or -1 when it breaks none: M' takes
// vals where they are assigned and the model m's values elsewhere, and
// differs from m only on chg (literals true in M' and not in m), so only
// a clause holding the negation of one of them can be false under M'.
func (t *projTable) broken(chg []z.Lit, vals []int8, m bitset) int {
	for _, l := range chg {
		nl := l.Not()
		for _, off := range t.occ[t.occStart[nl]:t.occStart[nl+1]] {
			sat := false
			for _, k := range t.lits[off:] {
				if k == 0 {
					break
				}
				v := vals[k]
				if v == 0 {
					v = t.value(m, k)
				}
				if v == 1 {
					sat = true
					break
				}
			}
			if !sat {
				return int(off)
			}
		}
	}
	return -1
}

// maxProject bounds the stored models project tries per query, the
// newest first. Measured on Freetz's walks (per-pick thread CPU, A/B in
// one process): with every projected model kept, 64 tries made picks
// slower than 16 (p50 4.4 -> 10.0 ms), 4 and 8 were alike and no worse
// than 16; with only the models that witness something new kept, 32
// tries saved SAT calls (1,146 -> 870) but no time (p50 2.4 -> 3.2 ms).
const maxProject = 8

// maxProjectNone is the bound when none of the first maxProject tries
// kept a model: those are the picks that otherwise push ~2,600 values
// and solve from ~11k undecided ones. On Freetz's walks (three
// alternated in-process runs, per-pick thread CPU) the 10 slowest of 200
// picks took 15.9-16.3 ms against 17.1-20.1 ms with 8 tries only, and
// the picks left with more than 5,000 undecided values were 12-14
// against 12-18.
const maxProjectNone = 4 * maxProject

// maxProjectRepairs bounds the literals project assumes to mend the
// clauses a projection breaks. On the walks of the bench (three
// alternated in-process runs each, per-pick thread CPU): Freetz's 10
// slowest of 200 picks 9.4-11.7 ms with 3 against 11.1-15.3 without
// (sum over all picks 591-716 against 708-898 ms); uClibc's p99 5.7
// against 6.3-8.0, automotive01's 3.2-3.3 against 4.1-4.4, Coreboot
// alike; 8 was no better than 3.
const maxProjectRepairs = 3

// project tries stored models that break the picks on the assignment g
// holds (the picks and what unit propagation makes of them, in test
// scopes; closure lists what the picks' Test assigned): the assignment
// M' that takes g's value where g assigns one and the stored model's
// elsewhere is a model when no clause breaks, and only clauses that lost
// a literal to the picks can. Every target true in such an M' is
// possible, with no solver call. A broken clause is mended, up to
// repairs times per model, by assuming one of its literals nothing has
// assigned (one Test; M' then takes what it assigns too); a repair whose
// Test fails ends the projection.
func (st *propState) project(g *gini.Gini, ps []pickLit, closure []z.Lit, repairs int, sets ...[]bitset) {
	c := st.c
	vals := ginicopy.Values(g)
	if vals == nil {
		return
	}
	tab := c.projTab()
	for _, v := range tab.other {
		if vals[v.Pos()] == 0 {
			return // M' would not be a full assignment
		}
	}
	var chg []z.Lit
	tries, kept := 0, 0
	for _, models := range sets {
		for i := len(models) - 1; i >= 0 && (tries < maxProject || kept == 0 && tries < maxProjectNone); i-- {
			m := models[i]
			if satisfiesPicks(m, ps) {
				continue // seeded
			}
			tries++
			// Only what the picks' unit propagation assigned can differ
			// from m: every model agrees with the values fixed with
			// nothing picked.
			chg = chg[:0]
			for _, l := range closure {
				if tab.value(m, l) != 1 {
					chg = append(chg, l)
				}
			}
			ok, scopes := true, 0
			for {
				off := tab.broken(chg, vals, m)
				if off < 0 {
					break
				}
				// Mend the clause: assume one of its literals that
				// nothing assigned yet (each false in m), and check
				// again with what that assigns.
				k := z.LitNull
				if scopes < repairs {
					for _, q := range tab.lits[off:] {
						if q == 0 {
							break
						}
						if vals[q] == 0 {
							k = q
							break
						}
					}
				}
				if k == z.LitNull {
					ok = false
					break
				}
				if st.projBuf == nil {
					st.projBuf = make([]z.Lit, 0, 64) // gini lists what a Test assigns only into a non-nil slice
				}
				g.Assume(k)
				scopes++
				r, ns := g.Test(st.projBuf[:0])
				if r == -1 {
					// Taking the failed Test back may leave the clause
					// gini learns from it asserted under the picks: the
					// picks' assignment is then more than closure, and
					// projection stops here.
					untest(g, scopes)
					return
				}
				st.projBuf = ns[:0]
				for _, l := range ns {
					if tab.value(m, l) != 1 {
						chg = append(chg, l)
					}
				}
			}
			untest(g, scopes)
			if !ok {
				continue
			}
			m2 := slices.Clone(m)
			for _, l := range chg {
				for _, u := range tab.tgt[tab.tgtStart[l]:tab.tgtStart[l+1]] {
					m2.set(int(u))
				}
				nl := l.Not()
				for _, u := range tab.tgt[tab.tgtStart[nl]:tab.tgtStart[nl+1]] {
					m2[u>>6] &^= 1 << (uint(u) & 63)
				}
			}
			// Kept only when it witnesses a value not yet witnessed:
			// every model kept is one more for the next picks to seed
			// from (keeping them all: same CPU, 30% more SAT calls over
			// Freetz's walks, the store filled with near copies).
			news := false
			for w, x := range m2 {
				if x&^st.possible[w] != 0 {
					news = true
					break
				}
			}
			if news {
				st.addModel(m2)
				kept++
			}
		}
	}
}
