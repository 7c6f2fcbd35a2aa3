package engine

import (
	"context"

	"github.com/ctoplan/ctoplan/internal/cfgtune"
)

// Witnesses are valid configurations that one propagation found or reused,
// each satisfying its picks. Handed to the propagation of a superset of
// those picks (the same user's next click), every value they show
// possible needs no solver call, as in a [Session]; [Compiled.PropagateFrom]
// gives that to callers that keep no session, such as a stateless RPC
// service that remembers answers by pick set. Witnesses belong to the
// [Compiled] that made them (another one ignores them) and are read-only:
// safe to share between goroutines.
type Witnesses struct {
	c      *Compiled
	models []bitset
}

// Len is the number of configurations held.
func (w *Witnesses) Len() int {
	if w == nil {
		return 0
	}
	return len(w.models)
}

// PropagateFrom is [Compiled.Propagate] seeded with from, the witnesses of
// an earlier propagation (nil: none). The answer is exactly Propagate's
// (witnesses are valid configurations, so they only spare solver calls).
// It also returns the witnesses for a next propagation: those of from that
// satisfy picks, then the ones it found, at most 256 (the newest); nil
// when the picks are invalid.
func (c *Compiled) PropagateFrom(ctx context.Context, picks []Pick, from *Witnesses) (*Domains, *Witnesses, error) {
	ps, err := c.resolvePicks(picks)
	if err != nil {
		return nil, nil, err
	}
	if c.opts.knobs.Method == cfgtune.Naive {
		d, err := c.propagateNaive(ctx, picks, ps)
		return d, nil, err
	}
	var extra []bitset
	if from != nil && from.c == c {
		extra = from.models
	}
	d, found, err := c.propagate(ctx, picks, ps, extra)
	if err != nil || !d.Valid {
		return d, nil, err
	}
	next := make([]bitset, 0, min(len(extra)+len(found), maxSessionModels))
	for _, m := range extra {
		if satisfiesPicks(m, ps) {
			next = append(next, m)
		}
	}
	next = append(next, found...)
	if n := len(next); n > maxSessionModels {
		next = next[n-maxSessionModels:]
	}
	return d, &Witnesses{c: c, models: next}, nil
}

// satisfiesPicks reports whether the model m agrees with every pick.
func satisfiesPicks(m bitset, ps []pickLit) bool {
	for _, p := range ps {
		if m.has(p.slot) != p.want {
			return false
		}
	}
	return true
}
