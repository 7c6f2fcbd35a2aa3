package engine

import (
	"context"
	"fmt"
	"strings"

	"github.com/go-air/gini"
	"github.com/go-air/gini/z"
)

// Explanation says why a value has its status under some picks. For an
// excluded value, Picks and Constraints are a minimal set that rules it out;
// for a forced one, a minimal set that rules out every alternative. A
// possible value has no reasons; a selected one names its pick.
type Explanation struct {
	Char, Value string
	Status      Status
	Picks       []Pick
	Constraints []Constraint
}

func (e *Explanation) String() string {
	v := e.Value
	if v == "" {
		v = "none"
	}
	s := fmt.Sprintf("%s=%s is %s", e.Char, v, e.Status)
	if e.Status != Excluded && e.Status != Forced {
		return s
	}
	var reasons []string
	for _, p := range e.Picks {
		reasons = append(reasons, p.String())
	}
	for _, k := range e.Constraints {
		reasons = append(reasons, k.String())
	}
	if len(reasons) == 0 {
		return s + " by the domain of " + e.Char
	}
	return s + " because of " + strings.Join(reasons, "; ")
}

// Explain says why value of char is excluded or forced given picks, with a
// minimal reason (removing any pick or constraint from it undoes the
// exclusion). It fails with a [*ConflictError] when the picks themselves
// are invalid.
func (c *Compiled) Explain(ctx context.Context, picks []Pick, char, value string) (*Explanation, error) {
	ps, err := c.resolvePicks(picks)
	if err != nil {
		return nil, err
	}
	tgt, err := c.resolvePicks([]Pick{{Char: char, Value: value}})
	if err != nil {
		return nil, err
	}
	e := &Explanation{Char: char, Value: c.slots[tgt[0].slot].name}
	g := c.solver()
	lits := litsOf(ps)
	r, err := solve(ctx, g, lits)
	if err != nil {
		return nil, err
	}
	if r != 1 {
		conf, err := c.minimalConflict(ctx, picks, ps, nil)
		if err != nil {
			return nil, err
		}
		return nil, &ConflictError{Conflict: conf}
	}
	for i, p := range ps {
		if p.slot == tgt[0].slot && p.want {
			c.release(g)
			e.Status = Selected
			e.Picks = []Pick{picks[i]}
			return e, nil
		}
	}
	l, sl := tgt[0].lit, tgt[0].sl
	var fixed z.Lit
	r, err = solve(ctx, g, append(lits, sl))
	if err != nil {
		return nil, err
	}
	if r != 1 {
		e.Status, fixed = Excluded, l
	} else {
		r, err = solve(ctx, g, append(lits, sl.Not()))
		if err != nil {
			return nil, err
		}
		if r == 1 {
			c.release(g)
			e.Status = Possible
			return e, nil
		}
		e.Status, fixed = Forced, l.Not()
	}
	c.release(g)
	conf, err := c.minimalConflict(ctx, picks, ps, []z.Lit{fixed})
	if err != nil {
		return nil, err
	}
	e.Picks, e.Constraints = conf.Picks, conf.Constraints
	return e, nil
}

// Complete returns a full valid configuration that honours picks,
// preferring defaults: characteristics are taken in model order, and each
// gets its default if that is still consistent, else its first consistent
// value in domain order (for an optional one with no default: none; for a
// multi-valued one, each value in domain order is left out unless it is in
// the default or required). The result depends only on the model and the
// picks. Invalid picks give a [*ConflictError].
func (c *Compiled) Complete(ctx context.Context, picks []Pick) (Configuration, error) {
	ps, err := c.resolvePicks(picks)
	if err != nil {
		return nil, err
	}
	g := c.solver()
	as := litsOf(ps)
	// Once the model is known to be valid (propagation with nothing
	// picked has run), the push comes first, with few rounds: on valid
	// picks it nearly always ends in its first round (measured on the
	// KConfig models: 39 of 40 calls after 5 random picks), which spares
	// the solve that would first check the picks; on invalid picks it
	// gives up soon. Not before: on a solver copied from the never-solved
	// base, gini v1.0.4's Test can miss a conflict of unsatisfiable
	// clauses and stop the process ("internal error test: sat model").
	// A solver the push gave up on is not reused.
	c.mu.Lock()
	known := c.global != nil && c.global.valid
	c.mu.Unlock()
	if known {
		if cfg, ok, err := c.completePush(ctx, g, ps, 8); err != nil {
			return nil, err
		} else if ok {
			c.release(g)
			return cfg, nil
		}
		g = c.solver()
	}
	r, err := solve(ctx, g, as)
	if err != nil {
		return nil, err
	}
	if r != 1 {
		conf, err := c.minimalConflict(ctx, picks, ps, nil)
		if err != nil {
			return nil, err
		}
		return nil, &ConflictError{Conflict: conf}
	}
	if cfg, ok, err := c.completePush(ctx, g, ps, maxCompleteRounds); err != nil {
		return nil, err
	} else if ok {
		c.release(g)
		return cfg, nil
	}
	// The push left g without a model: find one again.
	if r, err := solve(ctx, g, as); err != nil || r != 1 {
		if err == nil {
			err = errInternal("picks with a model have none after the push")
		}
		return nil, err
	}
	// The current model satisfies every accepted preference; a preference
	// it already satisfies is accepted without a solve.
	model := make([]bool, len(c.slots))
	snapshot := func() {
		for s := range c.slots {
			model[s] = g.Value(c.sl(c.slots[s].lit))
		}
	}
	snapshot()
	try := func(s int, want bool) (bool, error) {
		l := c.sl(c.slots[s].lit)
		if !want {
			l = l.Not()
		}
		if model[s] == want {
			as = append(as, l)
			return true, nil
		}
		r, err := solve(ctx, g, append(as, l))
		if err != nil {
			return false, err
		}
		if r == 1 {
			as = append(as, l)
			snapshot()
			return true, nil
		}
		return false, nil
	}
	for ci := range c.chars {
		cc := &c.chars[ci]
		ch := cc.c
		if ch.Kind == Multi {
			def := map[string]bool{}
			for _, v := range ch.Default {
				def[v] = true
			}
			for k := 0; k < cc.n; k++ {
				s := cc.first + k
				ok, err := try(s, def[c.slots[s].name])
				if err != nil {
					return nil, err
				}
				if !ok {
					// the other polarity is then forced by the accepted ones
					if _, err := try(s, !def[c.slots[s].name]); err != nil {
						return nil, err
					}
				}
			}
			continue
		}
		var order []int
		if len(ch.Default) == 1 {
			if k, ok := c.valueIndex(cc, ch.Default[0]); ok {
				order = append(order, k)
			}
		}
		if ch.Kind == Single && ch.Optional {
			order = append(order, cc.n-1) // none
		}
		for k := 0; k < cc.n; k++ {
			order = append(order, k)
		}
		for _, k := range order {
			ok, err := try(cc.first+k, true)
			if err != nil {
				return nil, err
			}
			if ok {
				break
			}
		}
	}
	c.release(g)
	return c.configuration(model), nil
}

// configuration turns a value per slot into a Configuration.
func (c *Compiled) configuration(model []bool) Configuration {
	// A map sized up front and one backing array for every value: growing
	// the map and a slice per characteristic were 64% of Complete's CPU on
	// Freetz (31k characteristics). Each value list is capped, so that an
	// append by the caller copies instead of overwriting the next one.
	cfg := make(Configuration, len(c.chars))
	n := 0
	for s := range c.slots {
		if model[s] && c.slots[s].name != "" {
			n++
		}
	}
	all := make([]string, 0, n)
	for ci := range c.chars {
		cc := &c.chars[ci]
		start := len(all)
		for k := 0; k < cc.n; k++ {
			s := cc.first + k
			if model[s] && c.slots[s].name != "" {
				all = append(all, c.slots[s].name)
			}
		}
		cfg[cc.c.Name] = all[start:len(all):len(all)]
	}
	return cfg
}

// preferences lists, for characteristic ci, the literals Complete tries
// in order: for a single-valued or bool one, its values (default first,
// then none for an optional one, then domain order), of which the first
// consistent one is taken; for a multi-valued one, for each value the
// preferred polarity then the other. The literals are the search solvers'
// (see equiv).
func (c *Compiled) preferences(ci int, out [][]z.Lit) [][]z.Lit {
	cc := &c.chars[ci]
	ch := cc.c
	out = out[:0]
	if ch.Kind == Multi {
		def := map[string]bool{}
		for _, v := range ch.Default {
			def[v] = true
		}
		for k := 0; k < cc.n; k++ {
			l := c.sl(c.slots[cc.first+k].lit)
			if def[c.slots[cc.first+k].name] {
				out = append(out, []z.Lit{l, l.Not()})
			} else {
				out = append(out, []z.Lit{l.Not(), l})
			}
		}
		return out
	}
	var order []z.Lit
	if len(ch.Default) == 1 {
		if k, ok := c.valueIndex(cc, ch.Default[0]); ok {
			order = append(order, c.slots[cc.first+k].lit)
		}
	}
	if ch.Kind == Single && ch.Optional {
		order = append(order, c.slots[cc.first+cc.n-1].lit) // none
	}
	for k := 0; k < cc.n; k++ {
		order = append(order, c.slots[cc.first+k].lit)
	}
	for i, l := range order {
		order[i] = c.sl(l)
	}
	return append(out, order)
}

// completePush computes Complete's answer with few solver calls when it
// can: in test scopes of g, on top of the picks, each characteristic in
// model order takes the first of its preferences that unit propagation
// does not rule out. If the solver then finds a model under all of them,
// that model is Complete's answer: every preference taken is consistent
// with the ones before it (the model has them all), and every one passed
// over conflicts with the ones taken before it. When the solver answers
// unsat instead, its failed assumptions name the taken preferences in the
// way; the last of them, p, conflicts with the ones before it, so p is
// passed over (if those earlier ones end up in a model, that is exactly
// Complete's rule), the scopes from p on are dropped and the push resumes
// at p's characteristic. An unsat answer under assumptions is cheap (well
// under a millisecond on the KConfig models) where the fallback, one call
// per preference, cost hundreds of full solves. It reports false when it
// gives up (a characteristic with every preference ruled out, or too many
// rounds than maxRounds); Complete then decides one preference per solver
// call.
// maxCompleteRounds bounds the unsat answers completePush takes before it
// gives up.
const maxCompleteRounds = 256

func (c *Compiled) completePush(ctx context.Context, g *gini.Gini, ps []pickLit, maxRounds int) (Configuration, bool, error) {
	depth := 0
	defer func() { untest(g, depth) }()
	g.Assume(litsOf(ps)...)
	depth++
	if r, _ := g.Test(nil); r == -1 {
		return nil, false, nil
	}
	groups := c.preferenceGroups()
	// scope[j] is the group and candidate held in test scope j+2.
	type held struct{ group, cand int }
	var scope []held
	scopeOf := map[z.Lit]int{}
	skip := map[int]int{} // group -> candidates passed over by a conflict
	q := 0
	unsettled := false
	for round := 0; ; round++ {
	push:
		for ; q < len(groups) && !unsettled; q++ {
			if q&1023 == 0 {
				if err := ctx.Err(); err != nil {
					return nil, false, err
				}
			}
			taken := false
			for k := skip[q]; k < len(groups[q]); k++ {
				l := groups[q][k]
				if g.Value(l) {
					taken = true
					break
				}
				if g.Value(l.Not()) {
					continue
				}
				g.Assume(l)
				depth++
				if r, _ := g.Test(nil); r == -1 {
					depth--
					if g.Untest() == -1 {
						// the preferences taken so far are
						// inconsistent: the solve below says which
						break push
					}
					continue
				}
				scopeOf[l] = len(scope)
				scope = append(scope, held{q, k})
				taken = true
				break
			}
			if !taken {
				// every preference of the group conflicts with those
				// taken so far, so those are inconsistent
				break
			}
		}
		r, err := solve(ctx, g, nil)
		if err != nil {
			return nil, false, err
		}
		if r == 1 {
			if q < len(groups) || unsettled {
				return nil, false, errInternal("preferences inconsistent under propagation have a model")
			}
			break
		}
		if round == maxRounds {
			return nil, false, nil
		}
		j := -1
		for _, m := range g.Why(nil) {
			if i, ok := scopeOf[m]; ok {
				j = max(j, i)
			}
		}
		if j < 0 {
			return nil, false, nil
		}
		p := scope[j]
		bad := false
		for len(scope) > j {
			h := scope[len(scope)-1]
			delete(scopeOf, groups[h.group][h.cand])
			scope = scope[:len(scope)-1]
			depth--
			bad = g.Untest() == -1
		}
		for k := range skip {
			if k > p.group {
				delete(skip, k)
			}
		}
		skip[p.group] = p.cand + 1
		q = p.group
		// bad: the preferences taken before p are inconsistent
		// already (with what the solver learnt); the next solve, with
		// no push, says which to drop.
		unsettled = bad
	}
	model := make([]bool, len(c.slots))
	for s := range c.slots {
		model[s] = g.Value(c.sl(c.slots[s].lit))
	}
	return c.configuration(model), true, nil
}
