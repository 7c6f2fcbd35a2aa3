package engine

import (
	"context"
	"iter"
	"math/bits"
	"sync"
	"sync/atomic"

	"github.com/ctoplan/ctoplan/configurator/internal/ginicopy"
	"github.com/ctoplan/ctoplan/internal/cfgtune"
	"github.com/go-air/gini"
	"github.com/go-air/gini/z"
)

// Domains is the answer of propagation: for every characteristic, the
// status of each of its values. When the picks cannot stand together Valid
// is false, Conflict says why and Chars is empty.
type Domains struct {
	Valid    bool
	Conflict *Conflict
	Chars    []CharDomain
	// SATCalls counts the solver calls this query made: 0 when the
	// answer (or the one with nothing picked it starts from) was already
	// known.
	SATCalls int
}

// CharDomain is the domain of one characteristic. Single characteristics
// list their values in model order (an optional one ends with "" for
// "none"), int ones their integers, bool ones "false" and "true".
type CharDomain struct {
	Char   string
	Values []ValueStatus
}

// ValueStatus is the status of one value.
type ValueStatus struct {
	Value  string
	Status Status
}

// Status returns the status of value of char, and false when either is
// unknown or the domains are not valid.
func (d *Domains) Status(char, value string) (Status, bool) {
	for _, cd := range d.Chars {
		if cd.Char != char {
			continue
		}
		for _, v := range cd.Values {
			if v.Value == value {
				return v.Status, true
			}
		}
	}
	return 0, false
}

// bitset over propagation targets.
type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

// Atomic variants, for bitsets shared by the solvers of a parallel search.
func (b bitset) hasA(i int) bool { return atomic.LoadUint64(&b[i>>6])&(1<<(uint(i)&63)) != 0 }
func (b bitset) setA(i int)      { atomic.OrUint64(&b[i>>6], 1<<(uint(i)&63)) }
func (b bitset) orA(o bitset) {
	for i, w := range o {
		if w != 0 {
			atomic.OrUint64(&b[i], w)
		}
	}
}
func (b bitset) has(i int) bool { return b[i>>6]&(1<<(uint(i)&63)) != 0 }
func (b bitset) set(i int)      { b[i>>6] |= 1 << (uint(i) & 63) }
func (b bitset) or(o bitset) {
	for i := range b {
		b[i] |= o[i]
	}
}

// globalInfo is propagation with nothing picked, computed once.
type globalInfo struct {
	valid    bool
	conflict *Conflict
	possible bitset
	dead     bitset
	models   []bitset
	calls    int
	chunks   chunkStats // searchChunked's calls, for tests
	solvers  int        // the search's solvers, when more than one (for tests)
}

// propState is the working state of one propagation.
type propState struct {
	c        *Compiled
	possible bitset
	dead     bitset
	models   []bitset
	found    []bitset  // models found by this propagation
	picks    []pickLit // the picks, which rotation keeps
	held     int       // test scopes holding values dead under the picks
	calls    atomic.Int64
	chunks   chunkStats // chunk calls of searchChunked
	mu       sync.Mutex // guards models and found in a parallel search

	// firstProps is the solver work of the first model with nothing
	// picked (see ginicopy.Props), by which searchAdaptive judges the
	// cost of a model.
	firstProps int64
	solvers    int // how many solvers searched, when more than one

	projBuf []z.Lit // what project's Tests assigned

	rep *repairer // see repairer
}

func (c *Compiled) newState() *propState {
	return &propState{c: c, possible: newBitset(c.nTargets), dead: newBitset(c.nTargets)}
}

// mark records the model g holds as a witness, and returns it.
func (st *propState) mark(g *gini.Gini) bitset {
	c := st.c
	m := newBitset(c.nTargets)
	if vals := ginicopy.Values(g); vals != nil {
		// A word of the model at a time, from gini's value table: one
		// g.Value and one bit set per target was 11% of uClibc's cold
		// propagation (86 models of 10,948 targets).
		lits := c.targetLit
		for w := range m {
			var x uint64
			for k, l := range lits[w<<6 : min(w<<6+64, len(lits))] {
				// (v+1)>>1 is 1 for true (1), 0 for false (-1) and unassigned (0).
				x |= uint64(uint8(vals[l]+1)>>1) << uint(k)
			}
			m[w] = x
		}
	} else {
		for t, l := range c.targetLit {
			if g.Value(l) {
				m.set(t)
			}
		}
	}
	st.addModel(m)
	return m
}

// addModel adds the model m (a bitset of the targets it makes true) to
// st's witnesses.
func (st *propState) addModel(m bitset) {
	st.possible.orA(m)
	st.mu.Lock()
	st.models = append(st.models, m)
	st.found = append(st.found, m)
	st.mu.Unlock()
}

// witness records the model g holds, and rotates it when the model
// allows.
func (st *propState) witness(g *gini.Gini) {
	m := st.mark(g)
	if st.c.rotOK {
		st.rotate(m)
	}
}

// seed marks the targets of stored models that satisfy the picks.
func (st *propState) seed(models []bitset, ps []pickLit) {
	for _, m := range models {
		ok := true
		for _, p := range ps {
			if m.has(p.slot) != p.want {
				ok = false
				break
			}
		}
		if ok {
			st.possible.or(m)
			st.models = append(st.models, m)
		}
	}
}

// search decides every target not yet possible or dead. g holds a model
// already (st has at least one witness); the picks, if any, are held in a
// test scope by the caller. With units, dead targets are added as unit
// clauses (only valid with nothing picked). It decides the targets in
// [lo, hi) and pushes towards all; st may be shared with solvers working
// on other ranges.
func (st *propState) search(ctx context.Context, g *gini.Gini, units bool, lo, hi int) error {
	return st.searchFrom(ctx, g, units, &rangeCursor{t: lo, hi: hi})
}

// searchFrom is search over the targets cur hands out.
func (st *propState) searchFrom(ctx context.Context, g *gini.Gini, units bool, cur cursor) error {
	c := st.c
	n := c.nTargets
	// failed marks targets whose push failed; they are not pushed again
	// (each failed push costs a propagation; measured on automotive01:
	// 26 ms -> 12 ms) unless nothing else is left to push (see below).
	failed := make([]bool, n)
	nFailed, retryFailed := 0, true
	var pushed []int
	// scopeOf maps a pushed literal to its scope, built only when an
	// unsat answer needs it: filled on every push it was 1.7 KB of map
	// growth per forklift pick (a tenth of the pick's garbage).
	var scopeOf map[z.Lit]int
	phases := st.basePhases()
	up := c.upScratch() // rotateUP's, this solver's own
	defer c.upPool.Put(up)
	for t := cur.next(g); t >= 0; t = cur.next(g) {
		if st.possible.hasA(t) || st.dead.hasA(t) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		l := c.targetLit[t]
		g.Assume(l)
		st.calls.Add(1)
		r, _ := g.Test(nil)
		if r == -1 {
			untest(g, 1)
			st.kill(g, t, units)
			continue
		}
		// Phase push: hold as many other unwitnessed targets as unit
		// propagation allows, so one model witnesses many of them.
		// pushed[j] is the target held in scope j+2 (scope 1 holds l).
		pushed = pushed[:0]
		i := 1
		witnessed, broken, cleared := false, false, false
		for retry := 0; ; retry++ {
			vals := ginicopy.Values(g)
			for steps := 0; i < n; i++ {
				if steps++; steps&1023 == 0 && ctx.Err() != nil {
					break // the solve below returns ctx's error
				}
				u := t + i
				wrapped := u >= n
				if wrapped {
					u -= n
				}
				// Jump to the next undecided target of u's word: the
				// decided ones are most targets after the first models,
				// and asking each one for its bits was a tenth of the
				// search on uClibc and Coreboot.
				w := u >> 6
				und := ^(atomic.LoadUint64(&st.possible[w]) | atomic.LoadUint64(&st.dead[w])) >> (uint(u) & 63)
				if und == 0 {
					i += 63 - u&63 // the loop's i++ reaches the next word
					continue
				}
				if k := bits.TrailingZeros64(und); k > 0 {
					i += k
					u += k
				}
				if u >= n {
					// Past the last target (the last word's spare bits
					// are never decided): on to target 0, unless this
					// pass began there (t itself decided meanwhile, by
					// another solver of a parallel search).
					if wrapped {
						break
					}
					i = n - t - 1
					continue
				}
				if i >= n {
					break
				}
				m := c.targetLit[u]
				if failed[u] {
					continue
				}
				if vals != nil {
					if vals[m] != 0 {
						continue
					}
				} else if g.Value(m) || g.Value(m.Not()) {
					continue
				}
				g.Assume(m)
				r, _ := g.Test(nil)
				if r == -1 {
					failed[u] = true
					nFailed++
					if g.Untest() == -1 {
						broken = true
						break
					}
					continue
				}
				pushed = append(pushed, u)
			}
			if len(pushed) == 0 && cleared && retryFailed {
				// Tried again, they failed again (values that exclude
				// each other, as in FinancialServices01's 300-value
				// group): stop retrying for this search, or every
				// target pays a failed test per value.
				retryFailed = false
			}
			if len(pushed) == 0 && nFailed > 0 && !broken && !cleared && retryFailed {
				// Nothing else to push but values that failed a push
				// beside other values, under earlier models: try them
				// again, once per target. (Clearing them after every
				// model instead found Freetz's answer with 8 models
				// rather than 25, but cost automotive01 1,159 failed
				// tests instead of 170 for the same 23 models.)
				clear(failed)
				nFailed, cleared, i = 0, true, 1
				continue
			}
			if phases != nil {
				phases.steer(g)
			}
			r, err := solve(ctx, g, nil)
			if err != nil {
				return err
			}
			if r == 1 {
				m := st.mark(g)
				if c.rotOK {
					st.rotate(m)
				}
				witnessed = true
				untest(g, 1+len(pushed))
				if !c.rotOK {
					st.rotateUP(ctx, g, m, up)
				}
				break
			}
			// Unsat under the pushed values: the failed assumptions
			// name the pushed values in the way. Drop the scopes from
			// the first of them on, never push those again, and push
			// the rest anew (an unsat answer under assumptions is far
			// cheaper than a model: a few hundred microseconds against
			// tens of milliseconds on Freetz).
			k := len(pushed)
			if retry < maxPushRetries {
				if scopeOf == nil {
					scopeOf = make(map[z.Lit]int, len(pushed))
				}
				clear(scopeOf)
				for j, u := range pushed {
					scopeOf[c.targetLit[u]] = j
				}
				for _, m := range g.Why(nil) {
					if j, ok := scopeOf[m]; ok {
						failed[pushed[j]] = true
						k = min(k, j)
					}
				}
			}
			if k == len(pushed) {
				untest(g, 1+len(pushed))
				break
			}
			// Untest down to k pushed scopes; while the remaining scopes
			// are inconsistent under unit propagation, drop more.
			bad := false
			for len(pushed) > k {
				bad = g.Untest() == -1
				pushed = pushed[:len(pushed)-1]
			}
			for bad && len(pushed) > 0 {
				bad = g.Untest() == -1
				failed[pushed[len(pushed)-1]] = true
				pushed = pushed[:len(pushed)-1]
			}
			if bad {
				// l alone is inconsistent with the clauses learnt so far.
				untest(g, 1)
				st.kill(g, t, units)
				witnessed = true // decided
				break
			}
			// Resume the push after the last scope kept.
			i = 1
			if len(pushed) > 0 {
				i = pushed[len(pushed)-1] - t
				if i < 0 {
					i += n
				}
				i++
			}
		}
		if witnessed {
			continue
		}
		r, err := solve(ctx, g, []z.Lit{l})
		if err != nil {
			return err
		}
		if r == 1 {
			st.witness(g)
		} else {
			st.kill(g, t, units)
		}
	}
	return nil
}

// sweep marks dead every undecided target whose literal is false at
// level 0 of g (implied by the dead values found so far, added as units).
// Testing such a literal would also say so, but each failed Test makes
// gini derive a learnt clause and bump activities, and once Solve has
// raised the bump increment each bump rescales the activity of every
// variable: on Freetz (14,445 dead values, 31k variables) those bumps took
// more than half of the propagation's time. A sweep is one pass over the
// targets. It returns false when unit propagation alone refutes the
// clauses: g is then unsatisfiable, and must not be solved (see
// globalInfoCalls).
func (st *propState) sweep(g *gini.Gini) bool {
	if r, _ := g.Test(nil); r == -1 {
		untest(g, 1)
		return false
	}
	st.markFalse(g)
	g.Untest()
	return true
}

// markFalse marks dead every undecided target whose literal g holds
// false. It visits only the undecided targets, a word of the bitsets at a
// time: once the first models are in, most words are decided, and a scan
// of every target after each dead value was 15% of automotive01's cold
// propagation (5,026 targets, ~140 dead values found one by one).
func (st *propState) markFalse(g *gini.Gini) {
	lits := st.c.targetLit
	for t := range st.undecided() {
		if g.Value(lits[t].Not()) {
			st.dead.setA(t)
		}
	}
}

// undecided yields, in index order, every target that is neither possible
// nor dead, reading the bitsets a word at a time.
func (st *propState) undecided() iter.Seq[int] {
	return func(yield func(int) bool) {
		n := st.c.nTargets
		for w := range st.possible {
			u := ^(atomic.LoadUint64(&st.possible[w]) | atomic.LoadUint64(&st.dead[w]))
			for u != 0 {
				t := w<<6 | bits.TrailingZeros64(u)
				if t >= n || !yield(t) {
					return
				}
				u &= u - 1
			}
		}
	}
}

// decided reports whether every target is possible or dead.
func (st *propState) decided() bool {
	for i, w := range st.possible {
		if w|st.dead[i] != ^uint64(0) {
			n := st.c.nTargets - i*64
			if n >= 64 || (w|st.dead[i])&(1<<uint(n)-1) != 1<<uint(n)-1 {
				return false
			}
		}
	}
	return true
}

// maxPushRetries bounds how often one target's push is shrunk after an
// unsat answer.
const maxPushRetries = 8

func untest(g *gini.Gini, depth int) {
	for ; depth > 0; depth-- {
		g.Untest()
	}
}

func (st *propState) kill(g *gini.Gini, t int, units bool) {
	st.dead.setA(t)
	if units {
		g.Add(st.c.targetLit[t].Not())
		g.Add(0)
		st.sweep(g)
		return
	}
	// Under picks a dead value is no unit clause, but it may be held in
	// a test scope on top of the picks (the caller drops st.held scopes):
	// what unit propagation then rules out is dead too, without a test.
	g.Assume(st.c.targetLit[t].Not())
	if r, _ := g.Test(nil); r == -1 {
		untest(g, 1) // cannot happen: the picks have a model without t
		return
	}
	st.held++
	st.markFalse(g)
}

// searchParallel is search with nothing picked on c.opts.Solvers solvers
// (0, the default: searchAdaptive, when two may run at once):
// copies of g (which holds a model) deciding disjoint ranges of targets
// and sharing st's witnesses and dead values. On return g holds every
// dead value as a unit clause.
func (c *Compiled) searchParallel(ctx context.Context, g *gini.Gini, st *propState) error {
	k := c.opts.Solvers
	if k == 0 {
		k = 1
		if c.opts.knobs.Method != cfgtune.Chunked && adaptiveSolvers() >= 2 {
			return c.searchAdaptive(ctx, g, st)
		}
	}
	if k > c.nTargets {
		k = c.nTargets
	}
	if k < 2 {
		if c.opts.knobs.Method == cfgtune.Chunked {
			return st.searchChunked(ctx, g)
		}
		return st.search(ctx, g, true, 0, c.nTargets)
	}
	st.solvers = k
	gs := []*gini.Gini{g}
	for len(gs) < k {
		gs = append(gs, ginicopy.Copy(g))
	}
	errs := make([]error, k)
	var wg sync.WaitGroup
	for i, gi := range gs {
		lo, hi := i*c.nTargets/k, (i+1)*c.nTargets/k
		wg.Go(func() { errs[i] = st.search(ctx, gi, true, lo, hi) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	// g knows its own dead values as units; add the others'.
	for t := range c.nTargets {
		if st.dead.has(t) {
			g.Add(c.targetLit[t].Not())
			g.Add(0)
		}
	}
	return nil
}

// global returns propagation with nothing picked, computing it once.
func (c *Compiled) globalInfo(ctx context.Context) (*globalInfo, error) {
	gl, _, err := c.globalInfoCalls(ctx)
	return gl, err
}

// globalInfoCalls is globalInfo that also returns the solver calls this
// call made: 0 when the answer was already there.
func (c *Compiled) globalInfoCalls(ctx context.Context) (*globalInfo, int, error) {
	c.mu.Lock()
	gl := c.global
	c.mu.Unlock()
	if gl != nil {
		return gl, 0, nil
	}
	g := c.takeBase() // solved in place: see takeBase
	st := c.newState()
	// On a table model the first model may come from repair rather than
	// the solver (firstModel); values unit propagation rules out with
	// nothing assumed are dead before it, or repair and the search, spend
	// a try or a test on them.
	//
	// gini v1.0.4 loses a conflict that a test scope finds with nothing
	// assumed on a solver never solved: Untest then answers 0 and the
	// next Solve a "model" that violates a clause. Such a sweep proves
	// the clauses unsatisfiable by unit propagation alone, so the solver
	// is not asked (and g, not handed on, is dropped).
	swept := c.rotOK
	r, err := 1, error(nil)
	if swept && !st.sweep(g) {
		r = -1
		st.calls.Add(1)
	} else if !st.firstModel() {
		first := ginicopy.Props(g)
		r, err = solve(ctx, g, nil)
		if err != nil {
			return nil, 0, err
		}
		st.firstProps = ginicopy.Props(g) - first
		st.calls.Add(1)
		if r == 1 {
			st.witness(g)
		}
	}
	gl = &globalInfo{}
	if r != 1 {
		conf, err := c.minimalConflict(ctx, nil, nil, nil)
		if err != nil {
			return nil, 0, err
		}
		gl.conflict = conf
	} else {
		gl.valid = true
		if !swept {
			st.sweep(g)
		}
		st.repairAll(g, true)
		if err := c.searchParallel(ctx, g, st); err != nil {
			return nil, 0, err
		}
	}
	gl.chunks, gl.solvers = st.chunks, st.solvers
	gl.possible, gl.dead, gl.models, gl.calls = st.possible, st.dead, st.models, int(st.calls.Load())
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.global == nil {
		c.global = gl
		if gl.valid {
			c.strong = g // holds the dead values as units; only copied from now on
			c.pool = c.pool[:0]
		}
	}
	return c.global, gl.calls, nil
}

// Propagate computes, for every value, whether it is selected, forced,
// possible or excluded given picks, with complete semantics: a value is
// possible exactly when some valid configuration extends the picks with
// it. Invalid picks give Valid false and a minimal conflict.
func (c *Compiled) Propagate(ctx context.Context, picks []Pick) (*Domains, error) {
	ps, err := c.resolvePicks(picks)
	if err != nil {
		return nil, err
	}
	if c.opts.knobs.Method == cfgtune.Naive {
		return c.propagateNaive(ctx, picks, ps)
	}
	d, _, err := c.propagate(ctx, picks, ps, nil)
	return d, err
}

// propagate is Propagate with extra witness models to seed from; it also
// returns the new models it found.
func (c *Compiled) propagate(ctx context.Context, picks []Pick, ps []pickLit, extra []bitset) (*Domains, []bitset, error) {
	gl, calls, err := c.globalInfoCalls(ctx)
	if err != nil {
		return nil, nil, err
	}
	if !gl.valid {
		return &Domains{Conflict: gl.conflict, SATCalls: calls}, nil, nil
	}
	st := c.newState()
	st.calls.Store(int64(calls)) // the calls of the answer with nothing picked, when this query computed it
	st.picks = ps
	copy(st.dead, gl.dead)
	if len(ps) == 0 {
		copy(st.possible, gl.possible)
		return c.domains(picks, ps, st), nil, nil
	}
	// A stored model that satisfies the picks proves them valid, and the
	// values of every such model are possible without a solver call.
	st.seed(extra, ps)
	st.seed(gl.models, ps)
	if len(st.models) > 0 && st.decided() {
		return c.domains(picks, ps, st), nil, nil
	}
	g := c.solver()
	lits := litsOf(ps)
	if len(st.models) == 0 {
		r, err := solve(ctx, g, lits)
		st.calls.Add(1)
		if err != nil {
			return nil, nil, err
		}
		if r != 1 {
			conf, err := c.minimalConflict(ctx, picks, ps, nil)
			if err != nil {
				return nil, nil, err
			}
			return &Domains{Conflict: conf, SATCalls: int(st.calls.Load())}, nil, nil
		}
		st.witness(g)
	}
	g.Assume(lits...)
	r, closure := g.Test(make([]z.Lit, 0, 256))
	if r == -1 {
		// cannot happen: the picks have a model
		untest(g, 1)
		return nil, nil, errInternal("picks inconsistent under propagation after a model was found")
	}
	// Values unit propagation already rules out under the picks are
	// excluded without a test of their own.
	st.markFalse(g)
	if !c.noProject {
		st.project(g, ps, closure, maxProjectRepairs, extra, gl.models)
	}
	st.repairAll(g, false)
	if err := st.search(ctx, g, false, 0, c.nTargets); err != nil {
		return nil, nil, err
	}
	untest(g, st.held+1)
	c.release(g)
	return c.domains(picks, ps, st), st.found, nil
}

func (c *Compiled) propagateNaive(ctx context.Context, picks []Pick, ps []pickLit) (*Domains, error) {
	g := c.solver()
	lits := litsOf(ps)
	st := c.newState()
	r, err := solve(ctx, g, lits)
	st.calls.Add(1)
	if err != nil {
		return nil, err
	}
	if r != 1 {
		conf, err := c.minimalConflict(ctx, picks, ps, nil)
		if err != nil {
			return nil, err
		}
		return &Domains{Conflict: conf, SATCalls: int(st.calls.Load())}, nil
	}
	as := append(lits, 0)
	for t, l := range c.targetLit {
		as[len(as)-1] = l
		r, err := solve(ctx, g, as)
		st.calls.Add(1)
		if err != nil {
			return nil, err
		}
		if r == 1 {
			st.possible.set(t)
		}
	}
	c.release(g)
	return c.domains(picks, ps, st), nil
}

// domains turns possible targets into statuses.
func (c *Compiled) domains(picks []Pick, ps []pickLit, st *propState) *Domains {
	d := &Domains{Valid: true, SATCalls: int(st.calls.Load()), Chars: make([]CharDomain, len(c.chars))}
	// One backing array for every value: a per-characteristic slice was
	// 17% of a pick's CPU on uClibc (5,474 characteristics).
	all := make([]ValueStatus, len(c.slots))
	// The picked slots, as a set: asking each possible value of Freetz
	// (62k slots) through the list of picks was 3% of a pick's CPU.
	sel := newBitset(len(c.slots))
	for _, p := range ps {
		if p.want {
			sel.set(p.slot)
		}
	}
	picked := sel.has
	for ci := range c.chars {
		cc := &c.chars[ci]
		cd := CharDomain{Char: cc.c.Name, Values: all[cc.first : cc.first+cc.n : cc.first+cc.n]}
		nPossible := 0
		for k := 0; k < cc.n; k++ {
			if st.possible.has(cc.first + k) {
				nPossible++
			}
		}
		for k := 0; k < cc.n; k++ {
			s := cc.first + k
			v := ValueStatus{Value: c.slots[s].name}
			in := st.possible.has(s)
			switch {
			case !in:
				v.Status = Excluded
			case picked(s):
				v.Status = Selected
			case cc.c.Kind == Multi:
				if st.possible.has(cc.negTgt + k) {
					v.Status = Possible
				} else {
					v.Status = Forced
				}
			case nPossible == 1:
				v.Status = Forced
			default:
				v.Status = Possible
			}
			cd.Values[k] = v
		}
		d.Chars[ci] = cd
	}
	return d
}
