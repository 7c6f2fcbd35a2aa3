package configurator

import (
	"context"
	"fmt"
	"strings"

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
	l := tgt[0].lit
	var fixed z.Lit
	r, err = solve(ctx, g, append(lits, l))
	if err != nil {
		return nil, err
	}
	if r != 1 {
		e.Status, fixed = Excluded, l
	} else {
		r, err = solve(ctx, g, append(lits, l.Not()))
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
	// The current model satisfies every accepted preference; a preference
	// it already satisfies is accepted without a solve.
	model := make([]bool, len(c.slots))
	snapshot := func() {
		for s := range c.slots {
			model[s] = g.Value(c.slots[s].lit)
		}
	}
	snapshot()
	try := func(s int, want bool) (bool, error) {
		l := c.slots[s].lit
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
	cfg := Configuration{}
	for ci := range c.chars {
		cc := &c.chars[ci]
		vals := []string{}
		for k := 0; k < cc.n; k++ {
			s := cc.first + k
			if model[s] && c.slots[s].name != "" {
				vals = append(vals, c.slots[s].name)
			}
		}
		cfg[cc.c.Name] = vals
	}
	return cfg, nil
}
