package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ctoplan/ctoplan/configurator/internal/ginicopy"
	"github.com/ctoplan/ctoplan/internal/cfgtune"
	"github.com/ctoplan/ctoplan/internal/typo"
	"github.com/go-air/gini"
	"github.com/go-air/gini/z"
)

// Status is what propagation says about one value.
type Status uint8

const (
	// Excluded: no valid configuration extends the picks with this value.
	Excluded Status = iota
	// Possible: some valid configuration extending the picks has this
	// value, and some has another.
	Possible
	// Forced: every valid configuration extending the picks has this value.
	Forced
	// Selected: the user picked this value.
	Selected
)

var statusNames = [...]string{Excluded: "excluded", Possible: "possible", Forced: "forced", Selected: "selected"}

func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return "status(" + strconv.Itoa(int(s)) + ")"
}

// Constraint names a rule or a table of the model, as part of a conflict or
// an explanation.
type Constraint struct {
	Kind    string // "rule" or "table"
	Name    string
	Message Labels
	Pos     Pos
}

func (c Constraint) String() string {
	s := c.Kind + " " + c.Name
	if m := c.Message["en"]; m != "" {
		s += " (" + m + ")"
	}
	return s
}

// Conflict is a minimal reason why picks cannot stand together: the picks
// (removing any one makes the rest consistent with the model) and the rules
// and tables involved (removing any one makes the picks consistent). When
// the solver's reason names more than [maxMinimizedConstraints] rules and
// tables, they are that reason as it is: it holds, but they are not tried
// one by one (a SAT call each: on a chain of 10,000 implications the
// 10,000 calls took 11 s, 50,000 84 s; a reason so long explains little
// more when minimal).
type Conflict struct {
	Picks       []Pick
	Constraints []Constraint
}

func (c *Conflict) String() string {
	var b strings.Builder
	switch {
	case len(c.Picks) == 0 && len(c.Constraints) > 0:
		b.WriteString("the model has no valid configuration: these contradict each other: ")
	case len(c.Picks) == 0:
		b.WriteString("the model has no valid configuration")
	default:
		for i, p := range c.Picks {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(p.String())
		}
		if len(c.Constraints) == 0 {
			b.WriteString(" cannot hold together")
		} else {
			b.WriteString(" conflict with ")
		}
	}
	for i, k := range c.Constraints {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(k.String())
	}
	return b.String()
}

// ConflictError is returned when a configuration or a set of picks is not
// valid; it wraps [ErrInvalidConfiguration].
type ConflictError struct {
	Conflict *Conflict
}

func (e *ConflictError) Error() string {
	return ErrInvalidConfiguration.Error() + ": " + e.Conflict.String()
}

func (e *ConflictError) Unwrap() error { return ErrInvalidConfiguration }

// CheckResult is the answer of [Compiled.Check].
type CheckResult struct {
	Valid    bool
	Conflict *Conflict // when not Valid
}

// pickLit is a pick resolved to a literal: slot s is (want) chosen. lit
// is the literal of the compiled clauses (for the explanation solver), sl
// the search solvers' literal for it (see equiv).
type pickLit struct {
	lit  z.Lit
	sl   z.Lit
	slot int
	want bool
}

// resolvePicks turns picks into literals.
func (c *Compiled) resolvePicks(picks []Pick) ([]pickLit, error) {
	out := make([]pickLit, 0, len(picks))
	for _, p := range picks {
		ci, ok := c.byName[p.Char]
		if !ok {
			return nil, fmt.Errorf("%w: pick %s: unknown characteristic %s%s", ErrBadPick, typo.Clip(p.String()), typo.Quote(p.Char), didYouMean(p.Char, c.model.CharNames()))
		}
		cc := &c.chars[ci]
		k, ok := c.valueIndex(cc, p.Value)
		if !ok {
			if p.Value == "" {
				return nil, fmt.Errorf("%w: pick %s: %s is not optional", ErrBadPick, p, p.Char) // p.Char is known, p.Value empty
			}
			return nil, fmt.Errorf("%w: pick %s: %s", ErrBadPick, typo.Clip(p.String()), badValue(cc, p.Value))
		}
		s := cc.first + k
		l := c.slots[s].lit
		if p.Exclude {
			l = l.Not()
		}
		out = append(out, pickLit{lit: l, sl: c.sl(l), slot: s, want: !p.Exclude})
	}
	return out, nil
}

// ValueError says why char=value is not a pick the queries take, or
// returns nil: an unknown characteristic or value (with a did-you-mean or
// the values), an int value not spelled as Domain spells it (with the
// canonical spelling), the empty value of a characteristic that is not
// optional. The message names only the characteristic and the value, for
// callers that add where they read them ("file:row: column c: ..."); it
// wraps [ErrBadPick].
func (c *Compiled) ValueError(char, value string) error {
	ci, ok := c.byName[char]
	if !ok {
		return valueError(fmt.Sprintf("unknown characteristic %s%s", typo.Quote(char), didYouMean(char, c.model.CharNames())))
	}
	cc := &c.chars[ci]
	if _, ok := c.valueIndex(cc, value); ok {
		return nil
	}
	if value == "" {
		return valueError(char + " is not optional")
	}
	return valueError(badValue(cc, value))
}

// valueError is ValueError's error: its message, wrapping [ErrBadPick].
type valueError string

func (e valueError) Error() string { return string(e) }
func (e valueError) Unwrap() error { return ErrBadPick }

// litsOf lists the picks' literals for a search solver.
func litsOf(ps []pickLit) []z.Lit {
	ls := make([]z.Lit, len(ps))
	for i, p := range ps {
		ls[i] = p.sl
	}
	return ls
}

// solver returns a solver for one query: from the pool or a copy of the
// base (strengthened with the dead values once they are known).
func (c *Compiled) solver() *gini.Gini {
	c.mu.Lock()
	defer c.mu.Unlock()
	if n := len(c.pool); n > 0 {
		g := c.pool[n-1]
		c.pool = c.pool[:n-1]
		return g
	}
	if c.strong != nil && c.opts.knobs.Method != cfgtune.Naive {
		return ginicopy.Copy(c.strong)
	}
	return ginicopy.Copy(c.baseLocked())
}

// release returns g to the pool after a query that finished cleanly.
func (c *Compiled) release(g *gini.Gini) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.pool) < 8 {
		c.pool = append(c.pool, g)
	}
}

const maxSolveSlice = 2 * time.Second

// solve runs g under the assumptions, honouring ctx: the search runs in
// slices (gini's Try) and stops when ctx is done, returning ctx's error.
func solve(ctx context.Context, g *gini.Gini, assume []z.Lit) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	skipModelCheck(g)
	d := 50 * time.Millisecond
	if ctx.Done() == nil {
		d = 1000 * time.Hour
	}
	for {
		if dl, ok := ctx.Deadline(); ok {
			rem := time.Until(dl)
			if rem <= 0 {
				return 0, context.DeadlineExceeded
			}
			if rem < d {
				d = rem
			}
		}
		g.Assume(assume...)
		if r := g.Try(d); r != 0 {
			return r, nil
		}
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		if d < maxSolveSlice {
			d *= 2
		}
	}
}

// Check says whether some valid configuration extends picks; if none does,
// it gives a minimal conflict.
func (c *Compiled) Check(ctx context.Context, picks []Pick) (*CheckResult, error) {
	ps, err := c.resolvePicks(picks)
	if err != nil {
		return nil, err
	}
	g := c.solver()
	r, err := solve(ctx, g, litsOf(ps))
	if err != nil {
		return nil, err
	}
	if r == 1 {
		c.release(g)
		return &CheckResult{Valid: true}, nil
	}
	// A solver that answered unsat is not reused: gini can be left in a
	// state unfit for more queries when the clauses alone are unsat.
	conf, err := c.minimalConflict(ctx, picks, ps, nil)
	if err != nil {
		return nil, err
	}
	return &CheckResult{Conflict: conf}, nil
}

// explainSolver returns a solver whose rule and table clauses are switched
// on by selector literals (explSel[group]).
func (c *Compiled) explainSolver() *gini.Gini {
	c.explMu.Lock()
	defer c.explMu.Unlock()
	if n := len(c.explPool); n > 0 {
		g := c.explPool[n-1]
		c.explPool = c.explPool[:n-1]
		return g
	}
	if c.expl == nil {
		nv := c.cnf.NumVars()
		c.explSel = make([]z.Lit, len(c.groups))
		for i := range c.explSel {
			c.explSel[i] = z.Var(nv + 1 + i).Pos()
		}
		c.expl = c.cnf.Gini(c.explSel)
	}
	return ginicopy.Copy(c.expl)
}

func (c *Compiled) releaseExplain(g *gini.Gini) {
	c.explMu.Lock()
	defer c.explMu.Unlock()
	if len(c.explPool) < 4 {
		c.explPool = append(c.explPool, g)
	}
}

// minimalConflict finds a subset-minimal set of picks that cannot hold
// together (with fixed always assumed), then a minimal set of rules and
// tables that rules them out. Deletion-based, over gini's failed
// assumptions.
func (c *Compiled) minimalConflict(ctx context.Context, picks []Pick, ps []pickLit, fixed []z.Lit) (*Conflict, error) {
	g := c.explainSolver()
	sel := c.explSel
	allGroups := make([]int, len(sel))
	for i := range allGroups {
		allGroups[i] = i
	}
	inCore := map[z.Lit]bool{}
	// unsat solves under fixed + picks[cur] + sel[groups] and, when unsat,
	// records the failed assumptions in inCore.
	unsat := func(cur, groups []int) (bool, error) {
		as := make([]z.Lit, 0, len(fixed)+len(cur)+len(groups))
		as = append(as, fixed...)
		for _, i := range cur {
			as = append(as, ps[i].lit)
		}
		for _, k := range groups {
			as = append(as, sel[k])
		}
		r, err := solve(ctx, g, as)
		if err != nil || r == 1 {
			return false, err
		}
		clear(inCore)
		for _, m := range g.Why(nil) {
			inCore[m] = true
		}
		return true, nil
	}
	cur := make([]int, len(ps))
	for i := range cur {
		cur[i] = i
	}
	shrinkPicks := func() {
		out := cur[:0]
		seen := map[z.Lit]bool{}
		for _, i := range cur {
			if inCore[ps[i].lit] && !seen[ps[i].lit] {
				seen[ps[i].lit] = true
				out = append(out, i)
			}
		}
		cur = out
	}
	ok, err := unsat(cur, allGroups)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errors.New("configurator: internal error: conflict vanished when explaining it")
	}
	if len(inCore) == 0 {
		// Unsat without any assumption: the structural constraints
		// (domains, multi-valued counts) alone have no solution.
		return &Conflict{}, nil
	}
	shrinkPicks()
	for k := 0; k < len(cur); {
		try := append(append([]int(nil), cur[:k]...), cur[k+1:]...)
		ok, err := unsat(try, allGroups)
		if err != nil {
			return nil, err
		}
		if ok {
			cur = try
			shrinkPicks()
			// cur only lost elements; positions before k stay necessary
			if k > len(cur) {
				k = len(cur)
			}
			continue
		}
		k++
	}
	// Minimal groups under the minimal picks.
	ok, err = unsat(cur, allGroups)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errors.New("configurator: internal error: minimal conflict is consistent")
	}
	var groups []int
	shrinkGroups := func(gs []int) []int {
		out := gs[:0]
		for _, k := range gs {
			if inCore[sel[k]] {
				out = append(out, k)
			}
		}
		return out
	}
	groups = shrinkGroups(append([]int(nil), allGroups...))
	// a reason naming more than maxMinimizedConstraints stays as it is
	for k := 0; k < len(groups) && len(groups) <= maxMinimizedConstraints; {
		try := append(append([]int(nil), groups[:k]...), groups[k+1:]...)
		ok, err := unsat(cur, try)
		if err != nil {
			return nil, err
		}
		if ok {
			groups = shrinkGroups(try)
			if k > len(groups) {
				k = len(groups)
			}
			continue
		}
		k++
	}
	c.releaseExplain(g)
	conf := &Conflict{}
	for _, i := range sortedInts(cur) {
		conf.Picks = append(conf.Picks, picks[i])
	}
	for _, k := range sortedInts(groups) {
		gr := c.groups[k]
		conf.Constraints = append(conf.Constraints, Constraint{Kind: gr.kind, Name: gr.name, Message: gr.message, Pos: gr.pos})
	}
	return conf, nil
}

// maxMinimizedConstraints bounds the rules and tables a conflict's
// reason may name and still be minimized (see [Conflict]).
const maxMinimizedConstraints = 256

func sortedInts(xs []int) []int {
	out := slices.Clone(xs)
	slices.Sort(out)
	return out
}

func errInternal(msg string) error { return errors.New("configurator: internal error: " + msg) }
