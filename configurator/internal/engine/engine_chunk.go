package engine

import (
	"context"

	"github.com/ctoplan/ctoplan/configurator/internal/ginicopy"
	"github.com/go-air/gini"
	"github.com/go-air/gini/z"
)

// Chunked backbone testing (Janota, Lynce and Marques-Silva, "Algorithms
// for computing backbones of propositional formulae", AI Communications
// 2015, the chunking algorithm) decides the propagation with nothing
// picked. With nothing picked a target is dead exactly when its negation
// is in the backbone of the clauses. One solver call asks whether ANY of
// a chunk of still-undecided targets can hold: the clause "c1 or ... or
// ck", guarded by a fresh selector literal s (the clause is "not s or c1
// or ... or ck" and s is assumed), is added for that call only.
//
//   - Unsat: no model holds any of them; every target of the chunk is dead
//     at once, added as a unit clause, and one sweep marks dead what those
//     units make false at level 0.
//   - Sat: the model witnesses at least one target of the chunk, and
//     every other target it holds; the rest of the chunk stays undecided
//     and goes into the next chunk.
//
// After either answer the selector is retired by the unit "not s", which
// satisfies the chunk clause and every clause learnt from it for good.
// Before each call the phase cache steers every undecided target's
// variable towards the target, so that a model witnesses as many of them
// as the clauses let the solver's decisions reach, without a test per
// target (the phase push of search pays a Test and an Untest for each).
// The chunk grows after an unsat answer (the undecided targets are mostly
// dead: settle more per call) and shrinks after a sat one.
//
// The earlier search ([propState.search]) is kept for picks and for
// several solvers.

// Chunk size bounds: the first chunk, the smallest and the largest.
const (
	chunkFirst = 32
	chunkMin   = 8
	chunkMax   = 4096
	// selectorBatch is how many selector variables are made at a time.
	selectorBatch = 128
)

// chunkStats counts the chunk calls of one propagation by answer, for
// tests.
type chunkStats struct {
	sat, unsat int
	settled    int // values found dead by unsat answers
}

// searchChunked decides every undecided target of st with nothing picked
// by chunked backbone testing on g, which holds a model (st has a witness)
// and no test scope. Dead targets are added to g as unit clauses.
func (st *propState) searchChunked(ctx context.Context, g *gini.Gini) error {
	c := st.c
	k := chunkFirst
	var chunk []int
	var clause, sels []z.Lit
	defer func() {
		for _, s := range sels { // unused selectors: fixed, so no solve decides them
			addClause(g, []z.Lit{s.Not()})
		}
	}()
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		chunk = chunk[:0]
		for t := range st.undecided() {
			if len(chunk) == k {
				break
			}
			chunk = append(chunk, t)
		}
		if len(chunk) == 0 {
			return nil
		}
		if len(sels) == 0 {
			// Selectors come in batches: gini recomputes every phase from
			// the clauses (overwriting the steering, a pass over all
			// clauses) on the first solve after the largest variable grew.
			for range selectorBatch {
				sels = append(sels, g.Lit())
			}
		}
		s := sels[len(sels)-1]
		sels = sels[:len(sels)-1]
		clause = append(clause[:0], s.Not())
		for _, t := range chunk {
			clause = append(clause, c.targetLit[t])
		}
		addClause(g, clause)
		st.steerUndecided(g)
		r, err := solve(ctx, g, []z.Lit{s})
		if err != nil {
			addClause(g, clause[:1]) // retire s: g must not keep the chunk clause live
			return err
		}
		st.calls.Add(1)
		if r == 1 {
			st.chunks.sat++
			st.witness(g) // before the retiring Add takes g back to level 0
			addClause(g, clause[:1])
			k = max(chunkMin, k/2)
			continue
		}
		st.chunks.unsat++
		st.chunks.settled += len(chunk)
		addClause(g, clause[:1]) // retire s
		for _, t := range chunk {
			st.dead.setA(t)
			addClause(g, []z.Lit{c.targetLit[t].Not()})
		}
		st.sweep(g)
		k = min(chunkMax, 2*k)
	}
}

// steerUndecided writes into g's phase cache, for the variable of every
// undecided target, the phase that makes the target hold. g must be at
// level 0 (after an Add), or the next solve's backtrack saves the current
// values over the cache.
func (st *propState) steerUndecided(g *gini.Gini) {
	cache := ginicopy.Phases(g)
	if cache == nil {
		return
	}
	lits := st.c.targetLit
	for t := range st.undecided() {
		l := lits[t]
		if v := int(l.Var()); v < len(cache) {
			if l.IsPos() {
				cache[v] = 1
			} else {
				cache[v] = -1
			}
		}
	}
}

// addClause adds the clause of the literals ls to g.
func addClause(g *gini.Gini, ls []z.Lit) {
	for _, l := range ls {
		g.Add(l)
	}
	g.Add(0)
}
