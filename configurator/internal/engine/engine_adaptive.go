package engine

import (
	"context"
	"runtime"
	"sync"

	"github.com/ctoplan/ctoplan/configurator/internal/ginicopy"
	"github.com/go-air/gini"
)

// cursor hands a search the targets to decide, one at a time: next
// returns the next one, or -1 when the search is done. A search calls it
// between targets, when g holds no test scope of its own.
type cursor interface {
	next(g *gini.Gini) int
}

// rangeCursor hands out the targets [t, hi) in order.
type rangeCursor struct{ t, hi int }

func (r *rangeCursor) next(*gini.Gini) int {
	if r.t >= r.hi {
		return -1
	}
	r.t++
	return r.t - 1
}

// When the adaptive search's second solver joins, in solver work: the
// literals gini's unit propagation assigned (Trail.Props, see
// [ginicopy.Props]), which unlike time does not depend on the machine's
// load, so a model joins at the same point on every run.
//
// It joins at once when the first model with nothing picked cost at least
// joinFirst: every later model then costs about as much, and splitting
// the models between two solvers pays for the copy (Freetz: first model
// 145k, the rest of the search 757k on one solver, 150-223k on the longer
// of two, the copy 5-7 ms). Otherwise it joins once the search itself has done
// joinRatio times the first model's work and at least joinMin, so that a
// search inside that budget pays nothing for it. Below that budget a
// second solver costs more than it saves: on Coreboot (first model 79k,
// search 177k) each of two solvers did as much work as one alone (the
// push towards every undecided value is the bulk of it, and both push),
// 20 -> 36 ms wall. None of the benchmark models but Freetz reaches a
// join.
var (
	joinFirst int64 = 100_000
	joinMin   int64 = 400_000
	joinRatio int64 = 4
)

// workShare is the work of an adaptive search: solver w has still to
// take the targets [r[w].t, r[w].hi). The first solver starts with all of
// them; the second, when it joins, takes the upper half of the undecided
// targets the first has left, and a solver whose range runs out takes the
// upper half of the other's. As in searchParallel, each pushes from its
// own range on, so the two witness different values first.
type workShare struct {
	st *propState
	mu sync.Mutex
	r  [2]rangeCursor

	// Until the second solver joined (then ctx is nil).
	ctx    context.Context
	props0 int64 // ginicopy.Props of the first solver when the search began
	budget int64 // the search's work after which the second solver joins

	wg     sync.WaitGroup
	joined bool
	err    error // the second solver's

	// For tests: the targets each solver took, and solver 0's next target
	// when the second joined.
	taken  [2]int
	joinAt int
}

// Test hooks, nil outside tests: called once the second solver started,
// and when an adaptive search returns.
var testJoined, testDone func(*workShare)

// shareCursor is solver w's cursor over a workShare.
type shareCursor struct {
	sh *workShare
	w  int
}

func (k *shareCursor) next(g *gini.Gini) int {
	sh := k.sh
	if k.w == 0 && sh.ctx != nil {
		sh.maybeJoin(g)
	}
	st := sh.st
	sh.mu.Lock()
	defer sh.mu.Unlock()
	r, o := &sh.r[k.w], &sh.r[1-k.w]
	for {
		for ; r.t < r.hi; r.t++ {
			if !st.possible.hasA(r.t) && !st.dead.hasA(r.t) {
				sh.taken[k.w]++
				r.t++
				return r.t - 1
			}
		}
		// Out of targets: take the upper half of the other's undecided
		// ones. (Halving the other's range by index instead left the
		// longer of Freetz's two solvers 205-385k propagations against
		// 150-223k: the undecided targets are not spread evenly.)
		mid := st.midUndecided(o.t, o.hi)
		if mid < 0 {
			return -1
		}
		r.t, r.hi, o.hi = mid, o.hi, mid
	}
}

// midUndecided returns the middle one of the targets in [lo, hi) that
// are undecided, or -1 when fewer than two are.
func (st *propState) midUndecided(lo, hi int) int {
	n := 0
	for t := lo; t < hi; t++ {
		if !st.possible.hasA(t) && !st.dead.hasA(t) {
			n++
		}
	}
	if n < 2 {
		return -1
	}
	k := n / 2
	for t := lo; t < hi; t++ {
		if !st.possible.hasA(t) && !st.dead.hasA(t) {
			if k == 0 {
				return t
			}
			k--
		}
	}
	return -1 // decided meanwhile by the solver that owns them
}

// maybeJoin starts the second solver, a copy of g (its learnt clauses,
// activities and phases included), once g has done the budget's work.
// Only the first solver calls it, between targets.
func (sh *workShare) maybeJoin(g *gini.Gini) {
	if ginicopy.Props(g)-sh.props0 < sh.budget {
		return
	}
	ctx := sh.ctx
	sh.ctx = nil
	h := ginicopy.Copy(g)
	sh.mu.Lock()
	sh.r[1] = rangeCursor{t: sh.r[0].hi, hi: sh.r[0].hi} // empty: its first next takes half of solver 0's
	sh.joined, sh.joinAt = true, sh.r[0].t
	sh.mu.Unlock()
	k := &shareCursor{sh: sh, w: 1}
	sh.wg.Go(func() { sh.err = sh.st.searchFrom(ctx, h, true, k) })
	if testJoined != nil {
		testJoined(sh)
	}
}

// adaptiveSolvers is how many solvers the default search (Options.Solvers
// 0) may use: two when the process may run two goroutines at once.
func adaptiveSolvers() int { return min(2, runtime.GOMAXPROCS(0)) }

// searchAdaptive is search with nothing picked, the default: it starts on
// g alone, and a copy of g joins it when the search turns out long (see
// joinFirst), both then sharing st's witnesses and dead values. The
// answer is the same as on one solver; the witnesses may differ. On
// return (the second solver has stopped) g holds every dead value as a
// unit clause.
func (c *Compiled) searchAdaptive(ctx context.Context, g *gini.Gini, st *propState) error {
	sh := &workShare{st: st, r: [2]rangeCursor{{hi: c.nTargets}}, ctx: ctx, props0: ginicopy.Props(g),
		budget: max(joinMin, joinRatio*st.firstProps)}
	if c.opts.knobs.JoinNow || st.firstProps >= joinFirst {
		sh.budget = 0
	}
	err := st.searchFrom(ctx, g, true, &shareCursor{sh: sh, w: 0})
	sh.wg.Wait()
	if testDone != nil {
		testDone(sh)
	}
	if err == nil {
		err = sh.err
	}
	if err != nil {
		return err
	}
	if sh.joined {
		st.solvers = 2
		// g knows its own dead values as units; add the other's.
		for t := range c.nTargets {
			if st.dead.has(t) {
				g.Add(c.targetLit[t].Not())
				g.Add(0)
			}
		}
	}
	return nil
}
