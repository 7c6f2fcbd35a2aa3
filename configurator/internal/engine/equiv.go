package engine

import (
	"github.com/ctoplan/ctoplan/configurator/internal/cnf"
	"github.com/go-air/gini"
	"github.com/go-air/gini/z"
)

// Equivalent-literal substitution for the search solvers.
//
// KConfig-style models are full of binary clauses (a -> b); literals on a
// cycle of them are equal in every model. At compile time the level-0
// units are propagated, the strongly connected components of the binary
// implication graph over the remaining literals are found (Tarjan), and
// every literal is replaced by its class's representative (the literal of
// the smallest variable of the class). The search solvers (the base, the
// strengthened solver and their copies) get the substituted clauses:
// units, then every clause not satisfied at level 0 without its false
// literals, mapped to representatives, with tautologies and repeated
// binary clauses dropped. A non-representative variable then occurs in no
// clause; it is fixed by a unit so that the solver never decides it, and
// is never read: every literal a query hands to or reads from a search
// solver goes through [Compiled.sl] (targets, picks, Complete's
// preferences). The explanation solver keeps the clauses as compiled, so
// that conflicts and explanations name the same rules as before.
type equiv struct {
	sub    []z.Lit // sub[l]: the search literal of literal l
	lits   []z.Lit // the search clauses, each ended by 0
	nCl    int
	nVars  int
	nElim  int // variables replaced by a representative
	nUnits int // variables fixed at level 0
	nBin   int // binary clauses over free variables (the graph's edges / 2)
}

// minShortShare: the substitution is built when at least one clause in
// minShortShare has one or two literals.
const minShortShare = 8

// minGain: the substitution is kept when it replaces at least one free
// variable in minGain or fixes one variable in minGain at level 0.
const minGain = 100

// sl maps a literal of the compiled clauses to the search solvers'
// literal for it.
func (c *Compiled) sl(l z.Lit) z.Lit {
	if c.eq == nil {
		return l
	}
	return c.eq.sub[l]
}

// searchClauses returns the number of variables of the search solvers
// and a walk over the clauses a never-solved one holds: the substituted
// clauses (units included) with a substitution, the compiled ones
// without. Anything that reads a search solver's assignment beside its
// clauses (projection) must read these, not the compiled clauses.
func (c *Compiled) searchClauses() (int, func(func([]z.Lit))) {
	if c.eq == nil {
		return c.cnf.NumVars(), func(f func([]z.Lit)) {
			c.cnf.Clauses(func(_ int, cl []z.Lit) { f(cl) })
		}
	}
	e := c.eq
	return e.nVars, func(f func([]z.Lit)) {
		start := 0
		for i, m := range e.lits {
			if m == 0 {
				f(e.lits[start:i])
				start = i + 1
			}
		}
	}
}

// searchGini returns a new, never-solved search solver.
func (c *Compiled) searchGini() *gini.Gini {
	if c.eq == nil {
		return c.cnf.Gini(nil)
	}
	e := c.eq
	g := gini.NewVc(e.nVars, e.nCl)
	for e.nVars > int(g.MaxVar()) {
		g.Lit()
	}
	for _, m := range e.lits {
		g.Add(m)
	}
	return g
}

// buildEquiv computes the substitution of b's clauses. It returns nil when
// the clauses are unsatisfiable at level 0 or by a class holding x and -x
// (the search solvers then get the clauses as compiled, which answer
// unsat as before) and when it would change little (see minShortShare and
// minGain).
func buildEquiv(b *cnf.Builder) *equiv {
	nv := b.NumVars()
	nl := 2 * (nv + 1)
	// The clauses as the builder holds them (each ended by 0), with
	// their starts.
	lits := b.Lits()
	nc := b.NumClauses()
	starts := make([]int32, 0, nc+1)
	starts = append(starts, 0)
	for i, m := range lits {
		if m == 0 {
			starts = append(starts, int32(i+1))
		}
	}
	clause := func(i int) []z.Lit { return lits[starts[i] : starts[i+1]-1] }
	// The classes come from binary clauses: a formula with few of them
	// (FreeBSD: 8% of its clauses, 4 of 1,392 variables replaceable)
	// pays the substitution's passes for nothing.
	short := 0
	for i := 0; i < nc; i++ {
		if starts[i+1]-starts[i] <= 3 {
			short++
		}
	}
	if short*minShortShare < nc {
		return nil
	}

	// Level-0 unit propagation with counters over occurrence lists.
	occStart := make([]int32, nl+1)
	for _, m := range lits {
		if m != 0 {
			occStart[int(m)+1]++
		}
	}
	for i := 1; i <= nl; i++ {
		occStart[i] += occStart[i-1]
	}
	occ := make([]int32, len(lits)-nc)
	fill := make([]int32, nl)
	for i := 0; i < nc; i++ {
		for _, m := range clause(i) {
			occ[occStart[m]+fill[m]] = int32(i)
			fill[m]++
		}
	}
	val := make([]int8, nv+1) // +1 true, -1 false
	litVal := func(m z.Lit) int8 {
		if m.IsPos() {
			return val[m.Var()]
		}
		return -val[m.Var()]
	}
	open := make([]int32, nc) // literals not false
	sat := make([]bool, nc)
	var queue []z.Lit
	assign := func(m z.Lit) bool {
		switch litVal(m) {
		case 1:
			return true
		case -1:
			return false
		}
		if m.IsPos() {
			val[m.Var()] = 1
		} else {
			val[m.Var()] = -1
		}
		queue = append(queue, m)
		return true
	}
	for i := 0; i < nc; i++ {
		c := clause(i)
		open[i] = int32(len(c))
		if len(c) == 0 {
			return nil
		}
		if len(c) == 1 && !assign(c[0]) {
			return nil
		}
	}
	for len(queue) > 0 {
		m := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		for _, ci := range occ[occStart[m]:occStart[m+1]] {
			sat[ci] = true
		}
		f := m.Not()
		for _, ci := range occ[occStart[f]:occStart[f+1]] {
			open[ci]--
			if sat[ci] || open[ci] > 1 {
				continue
			}
			var u z.Lit
			for _, x := range clause(int(ci)) {
				if litVal(x) == 0 {
					u = x
				} else if litVal(x) == 1 {
					sat[ci] = true
				}
			}
			if sat[ci] {
				continue
			}
			if u == 0 || !assign(u) {
				return nil
			}
		}
	}

	// The binary implication graph over the free literals: clause
	// (a b) gives -a -> b and -b -> a.
	deg := make([]int32, nl+1)
	var rest [2]z.Lit
	binary := func(i int) bool {
		if sat[i] || open[i] != 2 {
			return false
		}
		k := 0
		for _, x := range clause(i) {
			if litVal(x) == 0 && k < 2 {
				rest[k] = x
				k++
			}
		}
		return k == 2
	}
	nBin := 0 // binary clauses in the graph
	for i := 0; i < nc; i++ {
		if binary(i) {
			deg[int(rest[0].Not())+1]++
			deg[int(rest[1].Not())+1]++
			nBin++
		}
	}
	for i := 1; i <= nl; i++ {
		deg[i] += deg[i-1]
	}
	adj := make([]z.Lit, deg[nl])
	clear(fill)
	for i := 0; i < nc; i++ {
		if binary(i) {
			a, b := rest[0], rest[1]
			adj[deg[a.Not()]+fill[a.Not()]] = b
			fill[a.Not()]++
			adj[deg[b.Not()]+fill[b.Not()]] = a
			fill[b.Not()]++
		}
	}

	// Tarjan's strongly connected components, iteratively.
	comp := tarjan(nl, deg, adj, func(m z.Lit) bool { return val[m.Var()] == 0 })

	// Representatives: the literal of the smallest variable of each class.
	leader := make([]z.Lit, nl) // by component
	e := &equiv{sub: make([]z.Lit, nl), nVars: nv, nBin: nBin}
	for v := z.Var(1); int(v) <= nv; v++ {
		p, n := v.Pos(), v.Neg()
		if val[v] != 0 {
			e.sub[p], e.sub[n] = p, n
			e.nUnits++
			continue
		}
		if comp[p] == comp[n] {
			return nil // x <-> -x: no model
		}
		if leader[comp[p]] == 0 {
			leader[comp[p]], leader[comp[n]] = p, n
		} else {
			e.nElim++
		}
		e.sub[p], e.sub[n] = leader[comp[p]], leader[comp[n]]
	}
	if e.nElim*minGain < nv-e.nUnits && e.nUnits*minGain < nv {
		// FreeBSD: 4 of 1,392 free variables replaced, 6 units: the
		// search clauses would be the clauses as compiled, copied.
		return nil
	}

	// The search clauses.
	out := make([]z.Lit, 0, len(lits)+nv)
	for v := z.Var(1); int(v) <= nv; v++ {
		switch {
		case val[v] == 1:
			out = append(out, v.Pos(), 0)
		case val[v] == -1:
			out = append(out, v.Neg(), 0)
		case e.sub[v.Pos()].Var() != v:
			out = append(out, v.Pos(), 0) // in no clause: never decided, never read
		default:
			continue
		}
		e.nCl++
	}
	mark := make([]int32, nl) // clause index + 1 that last held a literal
	var bins []int32          // where each binary search clause starts in out
	for i := 0; i < nc; i++ {
		if sat[i] {
			continue
		}
		start := len(out)
		taut := false
		for _, x := range clause(i) {
			if litVal(x) != 0 {
				continue
			}
			s := e.sub[x]
			if mark[s] == int32(i+1) {
				continue
			}
			if mark[s.Not()] == int32(i+1) {
				taut = true
				break
			}
			mark[s] = int32(i + 1)
			out = append(out, s)
		}
		if taut {
			out = out[:start]
			continue
		}
		if len(out)-start == 2 {
			if out[start] > out[start+1] {
				out[start], out[start+1] = out[start+1], out[start]
			}
			bins = append(bins, int32(start))
		}
		out = append(out, 0)
		e.nCl++
	}
	e.lits = dropRepeatedBinaries(out, bins, nl, mark)
	e.nCl -= (len(out) - len(e.lits)) / 3
	return e
}

// dropRepeatedBinaries removes from out (clauses ended by 0) every binary
// clause, its two literals in order, that repeats an earlier one; bins
// lists where the binary clauses start, in order. It buckets them by
// first literal rather than hashing the pairs (a map was a quarter of the
// substitution's time on Freetz). mark is scratch of one entry per
// literal.
func dropRepeatedBinaries(out []z.Lit, bins []int32, nl int, mark []int32) []z.Lit {
	start := make([]int32, nl+1)
	for _, p := range bins {
		start[out[p]+1]++
	}
	for i := 1; i <= nl; i++ {
		start[i] += start[i-1]
	}
	byFirst := make([]int32, len(bins))
	fill := make([]int32, nl)
	for _, p := range bins {
		a := out[p]
		byFirst[start[a]+fill[a]] = p
		fill[a]++
	}
	clear(mark)
	dup := 0
	for a := 0; a < nl; a++ {
		for _, p := range byFirst[start[a]:start[a+1]] {
			b := out[p+1]
			if mark[b] == int32(a+1) {
				out[p] = 0 // a clause never starts with 0: dropped below
				dup++
				continue
			}
			mark[b] = int32(a + 1)
		}
	}
	if dup == 0 {
		return out
	}
	keep := out[:0]
	next := 0 // index into bins
	for i := 0; i < len(out); {
		if next < len(bins) && int(bins[next]) == i {
			next++
			if out[i] == 0 {
				i += 3
				continue
			}
		}
		j := i
		for out[j] != 0 {
			j++
		}
		keep = append(keep, out[i:j+1]...)
		i = j + 1
	}
	return keep
}

// tarjan returns the strongly connected component of every literal node
// m (0 <= m < n) of the graph whose edges from m are adj[start[m]:start[m+1]],
// over the nodes with keep(m) (the others are in no component).
func tarjan(n int, start []int32, adj []z.Lit, keep func(z.Lit) bool) []int32 {
	index := make([]int32, n)
	low := make([]int32, n)
	comp := make([]int32, n)
	onStack := make([]bool, n)
	for i := range index {
		index[i] = -1
		comp[i] = -1
	}
	type frame struct {
		v z.Lit
		i int32
	}
	var stack []z.Lit
	var calls []frame
	var next, ncomp int32
	for s := 2; s < n; s++ {
		root := z.Lit(s)
		if index[root] >= 0 || !keep(root) {
			continue
		}
		index[root], low[root] = next, next
		next++
		stack = append(stack, root)
		onStack[root] = true
		calls = append(calls, frame{root, start[root]})
		for len(calls) > 0 {
			f := &calls[len(calls)-1]
			if f.i < start[f.v+1] {
				w := adj[f.i]
				f.i++
				if index[w] < 0 {
					index[w], low[w] = next, next
					next++
					stack = append(stack, w)
					onStack[w] = true
					calls = append(calls, frame{w, start[w]})
				} else if onStack[w] && index[w] < low[f.v] {
					low[f.v] = index[w]
				}
				continue
			}
			v := f.v
			calls = calls[:len(calls)-1]
			if low[v] == index[v] {
				for {
					w := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					onStack[w] = false
					comp[w] = ncomp
					if w == v {
						break
					}
				}
				ncomp++
			}
			if len(calls) > 0 {
				p := &calls[len(calls)-1]
				low[p.v] = min(low[p.v], low[v])
			}
		}
	}
	return comp
}
