package engine

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/ctoplan/ctoplan/configurator/internal/cnf"
	"github.com/ctoplan/ctoplan/configurator/internal/ginicopy"
	"github.com/ctoplan/ctoplan/configurator/internal/mdd"
	"github.com/ctoplan/ctoplan/configurator/model"
	"github.com/ctoplan/ctoplan/internal/cfgtune"
	"github.com/ctoplan/ctoplan/internal/typo"
	"github.com/go-air/gini"
	"github.com/go-air/gini/z"
)

// Compiled is a model compiled to clauses. It is immutable and safe for
// concurrent use: every query works on its own copy of the solver.
type Compiled struct {
	model *Model
	opts  Options

	chars  []cchar
	byName map[string]int
	slots  []slot // every value of every characteristic
	groups []group
	cnf    *cnf.Builder
	base   *gini.Gini // never solved; copied per query (nil once taken: see takeBase)
	eq     *equiv     // substitution of the search solvers' clauses, or nil (see equiv)

	mu        sync.Mutex
	pool      []*gini.Gini
	global    *globalInfo // propagation with nothing picked, once known
	strong    *gini.Gini  // base plus the units of global dead values
	expl      *gini.Gini  // base with a selector per group
	explSel   []z.Lit
	explMu    sync.Mutex
	explPool  []*gini.Gini
	nTargets  int
	targetLit []z.Lit // literal of each propagation target
	targetOf  []int   // slot of each target

	// Rotation (see rotate): set when the model is tables over
	// single-valued, bool and int characteristics only.
	rotOK     bool
	rotTables []rotTable
	rotByChar [][]int // tables over each characteristic

	prefOnce   sync.Once
	prefGroups [][]z.Lit // see preferenceGroups

	phaseOnce sync.Once
	phaseTab  *phaseTable // see phases

	upOnce   sync.Once
	upTabV   *upTable  // see upTab
	rotUPMin int       // see minRotateUP; 0: no rotation by unit propagation
	upPool   sync.Pool // of *upScratch

	projOnce  sync.Once
	projTabV  *projTable // see projTab
	noProject bool       // queries under picks do not project (table models; tests)

	ctx context.Context // of CompileContext, nil after it
}

type cchar struct {
	c      *Characteristic
	first  int // first slot
	n      int // number of slots
	index  map[string]int
	ints   []int64 // values of an int characteristic
	term   *term   // integer view (int chars, multi counts)
	negTgt int     // Multi: target index of the first "value not chosen" target
}

type slot struct {
	char int
	name string
	lit  z.Lit
}

type group struct {
	kind    string // "rule" or "table"
	name    string
	message Labels
	pos     Pos
}

// Compile turns m into clauses. The model must be valid ([Model.Validate]);
// Compile reports what it cannot encode (unknown names, domains too large)
// as errors wrapping [ErrInvalidModel] or [ErrTooLarge]. Its work is
// bounded by [Options.MaxClauses].
func Compile(m *Model, opts ...Option) (*Compiled, error) {
	return CompileContext(context.Background(), m, opts...)
}

// CompileContext is [Compile] that also stops, with the context's error,
// once ctx is done (checked between characteristics, rules and tables and
// between the steps of their encodings).
func CompileContext(ctx context.Context, m *Model, opts ...Option) (*Compiled, error) {
	var o Options
	for _, f := range opts {
		f(&o)
	}
	if err := o.Validate(); err != nil {
		return nil, err
	}
	o = o.withDefaults()
	c := &Compiled{model: m, opts: o, byName: make(map[string]int, len(m.Chars)), cnf: cnf.New(), ctx: ctx,
		chars: make([]cchar, 0, len(m.Chars)), slots: make([]slot, 0, 2*len(m.Chars)),
		groups: make([]group, 0, len(m.Rules)+len(m.Tables))}
	c.cnf.AMO = cnf.AMO(o.knobs.AMO)
	if err := c.compileChars(); err != nil {
		return nil, err
	}
	if o.knobs.Method != cfgtune.Naive {
		// Rotation by unit propagation only when some characteristic
		// that is not multi-valued has minRotateUP values (one target
		// each): never on DIMACS models (two each), where looking for
		// one after every model, and building its table on the first,
		// was ~10% of uClibc's cold propagation.
		for ci := range c.chars {
			if c.chars[ci].c.Kind != Multi && c.chars[ci].n >= minRotateUP {
				c.rotUPMin = minRotateUP
				break
			}
		}
	}
	var buf []z.Lit
	d, isDIMACS := dimacsOf(m)
	var dvars []dimacsVar
	if isDIMACS {
		dvars = d.vars(c)
		if len(m.Rules) == len(d.Rules) {
			// The clauses as read, with their 0 ends, and their
			// groups: the builder then grows once, not by doubling
			// and copying.
			c.cnf.Grow(len(d.Lits)+len(d.Rules), len(d.Rules))
		}
	}
	for i, r := range m.Rules {
		c.groups = append(c.groups, group{kind: "rule", name: r.Name, message: r.Message, pos: r.Pos})
		c.cnf.SetGroup(i)
		if isDIMACS {
			var ok bool
			if buf, ok = d.clause(dvars, i, r, buf[:0]); ok {
				c.cnf.Clause(buf...)
				if err := c.spendOn(r.Pos, "rule ", r.Name, 0); err != nil {
					return nil, err
				}
				continue
			}
		}
		if err := c.compileRule(r); err != nil {
			return nil, err
		}
		if err := c.spendOn(r.Pos, "rule ", r.Name, 0); err != nil {
			return nil, err
		}
	}
	c.rotOK = len(m.Rules) == 0 && o.knobs.Method != cfgtune.Naive
	for ci := range c.chars {
		if c.chars[ci].c.Kind == Multi {
			c.rotOK = false
		}
	}
	for i, t := range m.Tables {
		c.groups = append(c.groups, group{kind: "table", name: t.Name, message: t.Message, pos: t.Pos})
		c.cnf.SetGroup(len(m.Rules) + i)
		if err := c.spend(t.Pos, "table "+t.Name, 0); err != nil {
			return nil, err
		}
		if err := c.compileTable(t); err != nil {
			return nil, err
		}
		if err := c.spend(t.Pos, "table "+t.Name, 0); err != nil {
			return nil, err
		}
	}
	c.ctx = nil
	c.cnf.SetGroup(cnf.NoGroup)
	// Projection (engine_project.go) not on table models either: their
	// picks' p99 got 2-3x slower with it (renault-medium 0.5 -> 1.7 ms,
	// Megane 2.1 -> 4.2 ms wall; docs/benchmarks.md, issue 14, the merge
	// of i14eq, i14copy and i14fzp), and repair witnesses them.
	c.noProject = len(m.Tables) > 0
	if len(m.Tables) == 0 && o.knobs.Method != cfgtune.Naive && !o.knobs.NoEquiv {
		// Not for table models: it answers the same on them (the
		// tests pass), but their picks got slower (forklift, Megane,
		// renault-medium: docs/benchmarks.md, issue 14, i14eq).
		c.eq = buildEquiv(c.cnf)
	}
	c.base = c.searchGini()
	c.buildTargets()
	if c.rotOK {
		c.rotByChar = make([][]int, len(c.chars))
		for i, t := range c.rotTables {
			for _, ci := range t.cols {
				c.rotByChar[ci] = append(c.rotByChar[ci], i)
			}
		}
	} else {
		c.rotTables = nil
	}
	return c, nil
}

// Model returns the model c was compiled from. Do not modify it.
func (c *Compiled) Model() *Model { return c.model }

// Stats describes the size of the encoding.
type Stats struct {
	Vars, Clauses, Values int
}

// Stats returns the size of the encoding.
func (c *Compiled) Stats() Stats {
	return Stats{Vars: c.cnf.NumVars(), Clauses: c.cnf.NumClauses(), Values: len(c.slots)}
}

func modelErr(pos Pos, format string, args ...any) error {
	return &Error{Pos: pos, Msg: fmt.Sprintf(format, args...)}
}

// tooLarge is an [ErrTooLarge] error at pos ("file:line:col: ..." when the
// position is known).
func tooLarge(pos Pos, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if pos.Line > 0 || pos.File != "" {
		return fmt.Errorf("%s: %w: %s", pos, ErrTooLarge, msg)
	}
	return fmt.Errorf("%w: %s", ErrTooLarge, msg)
}

// spend checks the compile budget before what (at pos) adds about clauses
// more clauses, and the context of CompileContext.
// boolIndex is the value index of every bool characteristic; never
// written.
var boolIndex = map[string]int{"false": 0, "true": 1}

// spendOn is spend for what = kind+name, which it only builds for an
// error (one string per rule was measurable on 100k-rule models).
func (c *Compiled) spendOn(pos Pos, kind, name string, clauses int) error {
	if (c.ctx == nil || c.ctx.Err() == nil) && clauses <= c.opts.MaxClauses-c.cnf.NumClauses() {
		return nil
	}
	return c.spend(pos, kind+name, clauses)
}

func (c *Compiled) spend(pos Pos, what string, clauses int) error {
	if c.ctx != nil {
		if err := c.ctx.Err(); err != nil {
			return fmt.Errorf("configurator: compiling %s: %w", what, err)
		}
	}
	if n := c.cnf.NumClauses(); clauses > c.opts.MaxClauses-n {
		if clauses > 0 {
			return tooLarge(pos, "%s needs about %d more clauses, beyond the compile budget of %d (Options.MaxClauses; %d used): split it, use smaller domains, or raise the budget", what, clauses, c.opts.MaxClauses, n)
		}
		return tooLarge(pos, "%s takes the encoding to %d clauses, beyond the compile budget of %d (Options.MaxClauses): split it, use smaller domains, or raise the budget", what, n, c.opts.MaxClauses)
	}
	return nil
}

func (c *Compiled) compileChars() error {
	b := c.cnf
	for ci, ch := range c.model.Chars {
		if ch == nil {
			return modelErr(Pos{}, "characteristic %d is nil", ci)
		}
		if _, dup := c.byName[ch.Name]; dup {
			return modelErr(ch.Pos, "characteristic %q declared twice", ch.Name)
		}
		c.byName[ch.Name] = ci
		cc := cchar{c: ch, first: len(c.slots)}
		if ch.Kind != Bool {
			cc.index = map[string]int{}
		}
		add := func(name string, lit z.Lit) error {
			if _, dup := cc.index[name]; dup {
				return modelErr(ch.Pos, "value %q of %s declared twice", name, ch.Name)
			}
			cc.index[name] = len(c.slots) - cc.first
			c.slots = append(c.slots, slot{char: ci, name: name, lit: lit})
			return nil
		}
		switch ch.Kind {
		case Single, Multi:
			if ch.Kind == Single && len(ch.Values) == 0 && !ch.Optional {
				return modelErr(ch.Pos, "characteristic %s has no values", ch.Name)
			}
			if len(ch.Values) > MaxValues {
				return tooLarge(ch.Pos, "characteristic %s has %d values (limit MaxValues %d)", ch.Name, len(ch.Values), MaxValues)
			}
			var lits []z.Lit
			for _, v := range ch.Values {
				if v == nil {
					return modelErr(ch.Pos, "characteristic %s has a nil value", ch.Name)
				}
				if ch.Kind == Single && v.Name == "" {
					return modelErr(v.Pos, "characteristic %s has a value with an empty name", ch.Name)
				}
				l := b.NewLit()
				lits = append(lits, l)
				if err := add(v.Name, l); err != nil {
					return err
				}
			}
			if ch.Kind == Single {
				if ch.Optional {
					l := b.NewLit()
					lits = append(lits, l)
					if err := add("", l); err != nil {
						return err
					}
				}
				b.ExactlyOne(lits...)
			} else {
				// The count is encoded when a bound needs it, else when a
				// rule counts the values (multiTerm).
				n := len(lits)
				switch {
				case ch.MinCount > n || (ch.MaxCount >= 0 && ch.MaxCount < ch.MinCount):
					b.Clause() // no valid choice
				case ch.MinCount > 0 || ch.MaxCount >= 0 && ch.MaxCount < n:
					t, err := c.countOf(ch.Pos, "characteristic "+ch.Name, lits)
					if err != nil {
						return err
					}
					if ch.MinCount > 0 {
						b.Clause(t.ge[ch.MinCount])
					}
					if ch.MaxCount >= 0 && ch.MaxCount < n {
						b.Clause(t.ge[ch.MaxCount+1].Not())
					}
					cc.term = t
				}
			}
		case Bool:
			// Every bool characteristic shares one read-only index (a
			// map per characteristic was a third of compiling Freetz's
			// 31k features).
			x := b.NewLit()
			cc.index = boolIndex
			c.slots = append(c.slots, slot{char: ci, name: "false", lit: x.Not()}, slot{char: ci, name: "true", lit: x})
			cc.term = nil
		case Int:
			if ch.Step < 1 || ch.Max < ch.Min {
				return modelErr(ch.Pos, "characteristic %s: bad range %d..%d step %d", ch.Name, ch.Min, ch.Max, ch.Step)
			}
			// (Max-Min)/Step + 1 overflows for the full int64 range: compare
			// before adding one.
			n := (uint64(ch.Max)-uint64(ch.Min))/uint64(ch.Step) + 1
			if n-1 >= uint64(c.opts.MaxDomain) {
				return tooLarge(ch.Pos, "characteristic %s has %d values (limit Options.MaxDomain = %d)", ch.Name, n, c.opts.MaxDomain)
			}
			t := &term{def: b.True}
			// Order encoding: ge[i] = value >= vals[i]; eq[i] = ge[i] and not ge[i+1].
			ge := make([]z.Lit, n+1)
			ge[0] = b.True
			for i := 1; i < int(n); i++ {
				ge[i] = b.NewLit()
				if i > 1 {
					b.Clause(ge[i].Not(), ge[i-1])
				}
			}
			ge[n] = b.False()
			for i := 0; i < int(n); i++ {
				v := ch.Min + int64(i)*ch.Step
				var eq z.Lit
				switch {
				case n == 1:
					eq = b.True
				case i == 0:
					eq = ge[1].Not()
				case i == int(n)-1:
					eq = ge[i]
				default:
					eq = b.NewLit()
					b.Clause(eq.Not(), ge[i])
					b.Clause(eq.Not(), ge[i+1].Not())
					b.Clause(ge[i].Not(), ge[i+1], eq)
				}
				cc.ints = append(cc.ints, v)
				t.vals = append(t.vals, v)
				t.eq = append(t.eq, eq)
				if err := add(strconv.FormatInt(v, 10), eq); err != nil {
					return err
				}
			}
			t.ge = ge[:n]
			t.src = ci + 1 // vals[i] is value i: at nil
			cc.term = t
		default:
			return modelErr(ch.Pos, "characteristic %s has unknown kind %v", ch.Name, ch.Kind)
		}
		cc.n = len(c.slots) - cc.first
		c.chars = append(c.chars, cc)
		if err := c.spendOn(ch.Pos, "characteristic ", ch.Name, 0); err != nil {
			return err
		}
	}
	return nil
}

// countOf encodes the number of true literals among lits (a totalizer:
// about len(lits)^2 clauses), within MaxCountValues and the budget.
func (c *Compiled) countOf(pos Pos, what string, lits []z.Lit) (*term, error) {
	if len(lits) > MaxCountValues {
		return nil, tooLarge(pos, "%s: counting %d values or conditions needs a cardinality encoding, limited to %d (MaxCountValues)", what, len(lits), MaxCountValues)
	}
	if err := c.spend(pos, what+": a count", len(lits)*len(lits)+len(lits)); err != nil {
		return nil, err
	}
	return countTerm(c.cnf, c.cnf.Totalizer(lits)), nil
}

// multiTerm is the count of the multi characteristic cc, encoded on first
// use as structure (no group: it defines the count, it restricts nothing).
func (c *Compiled) multiTerm(cc *cchar, pos Pos) (*term, error) {
	if cc.term != nil {
		return cc.term, nil
	}
	lits := make([]z.Lit, cc.n)
	for k := range lits {
		lits[k] = c.slots[cc.first+k].lit
	}
	b := c.cnf
	g := b.Group()
	b.SetGroup(cnf.NoGroup)
	defer b.SetGroup(g)
	t, err := c.countOf(pos, "count("+cc.c.Name+")", lits)
	if err != nil {
		return nil, err
	}
	cc.term = t
	return t, nil
}

// buildTargets lists the literals whose satisfiability propagation decides:
// every value, plus "not chosen" for the values of Multi characteristics.
func (c *Compiled) buildTargets() {
	for i := range c.slots {
		c.targetLit = append(c.targetLit, c.sl(c.slots[i].lit))
		c.targetOf = append(c.targetOf, i)
	}
	for ci := range c.chars {
		cc := &c.chars[ci]
		cc.negTgt = -1
		if cc.c.Kind == Multi {
			cc.negTgt = len(c.targetLit)
			for k := 0; k < cc.n; k++ {
				c.targetLit = append(c.targetLit, c.sl(c.slots[cc.first+k].lit.Not()))
				c.targetOf = append(c.targetOf, cc.first+k)
			}
		}
	}
	c.nTargets = len(c.targetLit)
}

// term is an integer expression in one-hot form: eq[i] holds iff the
// expression equals vals[i] (sorted, distinct); def holds iff the expression
// is defined (no division by zero or overflow). ge[i] (built on demand)
// holds iff the expression is defined and >= vals[i].
type term struct {
	vals []int64
	eq   []z.Lit
	def  z.Lit
	ge   []z.Lit
	// src > 0: the term is a function of the int characteristic
	// c.chars[src-1] alone; at[k] is the index in vals of its value when
	// the characteristic takes its value k, -1 where it is undefined (at
	// nil: k itself). See pointwise.
	src int
	at  []int32
}

func countTerm(b *cnf.Builder, cnt []z.Lit) *term {
	n := len(cnt) - 1
	t := &term{def: b.True}
	for k := 0; k <= n; k++ {
		t.vals = append(t.vals, int64(k))
		if k < n {
			t.eq = append(t.eq, b.And(cnt[k], cnt[k+1].Not()))
		} else {
			t.eq = append(t.eq, cnt[k])
		}
	}
	t.ge = append([]z.Lit(nil), cnt...)
	return t
}

func (t *term) geLit(b *cnf.Builder, i int) z.Lit {
	n := len(t.vals)
	if i >= n {
		return b.False()
	}
	if t.ge == nil {
		g := b.Group()
		b.SetGroup(cnf.NoGroup)
		t.ge = make([]z.Lit, n)
		t.ge[n-1] = t.eq[n-1]
		for k := n - 2; k >= 0; k-- {
			t.ge[k] = b.Or(t.eq[k], t.ge[k+1])
		}
		b.SetGroup(g)
	}
	return t.ge[i]
}

// ruleCtx compiles one rule; defs collects the definedness literals the
// rule requires.
type ruleCtx struct {
	c    *Compiled
	name string
	defs []z.Lit
}

func (c *Compiled) compileRule(r *Rule) error {
	if r == nil || r.Expr == nil {
		return modelErr(Pos{}, "rule without expression")
	}
	if ok, err := c.compileUnaryArith(r); ok || err != nil {
		return err
	}
	rc := &ruleCtx{c: c, name: r.Name}
	if err := rc.assert(r.Expr); err != nil {
		return err
	}
	for _, d := range rc.defs {
		c.cnf.Clause(d)
	}
	return nil
}

// compileUnaryArith encodes a rule with arithmetic over one int
// characteristic by its values: each value the rule does not hold on
// (model.Eval: false, or an evaluation error) is excluded by a unit
// clause, and nothing else is written. The general encoding makes a gate
// per value of every subexpression (n % 7 over 0..3000: gates of 429
// values each), on which the solver spent 45 s propagating
// "n % 7 = 3" alone (0.16 s over 0..600). It reports whether it did.
func (c *Compiled) compileUnaryArith(r *Rule) (bool, error) {
	names := model.Chars(r.Expr)
	if len(names) != 1 || !model.HasArith(r.Expr) {
		return false, nil
	}
	cc, err := c.charOf(names[0], r.Pos)
	if err != nil || cc.c.Kind != Int || cc.term == nil {
		return false, nil
	}
	b := c.cnf
	for i, v := range cc.term.vals {
		ok, err := model.Eval(r.Expr, Configuration{cc.c.Name: {strconv.FormatInt(v, 10)}})
		if err == nil && ok {
			continue
		}
		b.Clause(cc.term.eq[i].Not())
	}
	return true, nil
}

func (rc *ruleCtx) assert(e Expr) error {
	b := rc.c.cnf
	switch x := e.(type) {
	case *And:
		for _, k := range x.Xs {
			if err := rc.assert(k); err != nil {
				return err
			}
		}
		return nil
	case *Not:
		if o, ok := x.X.(*Or); ok {
			for _, k := range o.Xs {
				if err := rc.assert(&Not{X: k}); err != nil {
					return err
				}
			}
			return nil
		}
		if n, ok := x.X.(*Not); ok {
			return rc.assert(n.X)
		}
	case *Iff:
		l, err := rc.lit(x.L)
		if err != nil {
			return err
		}
		r, err := rc.lit(x.R)
		if err != nil {
			return err
		}
		b.Clause(l.Not(), r)
		b.Clause(l, r.Not())
		return nil
	}
	ms, err := rc.disj(e, nil)
	if err != nil {
		return err
	}
	b.Clause(ms...)
	return nil
}

// disj appends literals whose disjunction is equivalent to e.
func (rc *ruleCtx) disj(e Expr, out []z.Lit) ([]z.Lit, error) {
	switch x := e.(type) {
	case *Or:
		for _, k := range x.Xs {
			var err error
			if out, err = rc.disj(k, out); err != nil {
				return nil, err
			}
		}
		return out, nil
	case *Implies:
		out, err := rc.disj(&Not{X: x.L}, out)
		if err != nil {
			return nil, err
		}
		return rc.disj(x.R, out)
	case *Not:
		switch y := x.X.(type) {
		case *And:
			for _, k := range y.Xs {
				var err error
				if out, err = rc.disj(&Not{X: k}, out); err != nil {
					return nil, err
				}
			}
			return out, nil
		case *Not:
			return rc.disj(y.X, out)
		}
	case *In:
		if !x.Neg {
			lits, err := rc.c.inLits(x.Char, x.Values, x.Pos)
			if err != nil {
				return nil, err
			}
			return append(out, lits...), nil
		}
	}
	l, err := rc.lit(e)
	if err != nil {
		return nil, err
	}
	return append(out, l), nil
}

func (rc *ruleCtx) lit(e Expr) (z.Lit, error) {
	b := rc.c.cnf
	switch x := e.(type) {
	case nil:
		return 0, modelErr(Pos{}, "rule %s: missing expression", rc.name)
	case *Lit:
		if x.Val {
			return b.True, nil
		}
		return b.False(), nil
	case *Eq:
		l, err := rc.c.eqLit(x.Char, x.Value, x.Pos, false)
		if err != nil {
			return 0, err
		}
		if x.Neg {
			return l.Not(), nil
		}
		return l, nil
	case *In:
		lits, err := rc.c.inLits(x.Char, x.Values, x.Pos)
		if err != nil {
			return 0, err
		}
		l := b.Or(lits...)
		if x.Neg {
			return l.Not(), nil
		}
		return l, nil
	case *Has:
		return rc.c.eqLit(x.Char, x.Value, x.Pos, true)
	case *Not:
		l, err := rc.lit(x.X)
		return l.Not(), err
	case *And, *Or:
		var xs []Expr
		if a, ok := x.(*And); ok {
			xs = a.Xs
		} else {
			xs = x.(*Or).Xs
		}
		lits := make([]z.Lit, 0, len(xs))
		for _, k := range xs {
			l, err := rc.lit(k)
			if err != nil {
				return 0, err
			}
			lits = append(lits, l)
		}
		if _, ok := x.(*And); ok {
			return b.And(lits...), nil
		}
		return b.Or(lits...), nil
	case *Implies:
		l, err := rc.lit(x.L)
		if err != nil {
			return 0, err
		}
		r, err := rc.lit(x.R)
		if err != nil {
			return 0, err
		}
		return b.Or(l.Not(), r), nil
	case *Iff:
		l, err := rc.lit(x.L)
		if err != nil {
			return 0, err
		}
		r, err := rc.lit(x.R)
		if err != nil {
			return 0, err
		}
		return b.Iff(l, r), nil
	case *Cmp:
		return rc.cmp(x)
	}
	return 0, modelErr(e.Position(), "rule %s: unsupported expression %T", rc.name, e)
}

func (c *Compiled) charOf(name string, pos Pos) (*cchar, error) {
	ci, ok := c.byName[name]
	if !ok {
		return nil, modelErr(pos, "unknown characteristic %s", typo.Quote(name))
	}
	return &c.chars[ci], nil
}

func (c *Compiled) eqLit(char, value string, pos Pos, multi bool) (z.Lit, error) {
	cc, err := c.charOf(char, pos)
	if err != nil {
		return 0, err
	}
	if (cc.c.Kind == Multi) != multi {
		if multi {
			return 0, modelErr(pos, "has(%s, ...): %s is not multi-valued", char, char)
		}
		return 0, modelErr(pos, "%s is multi-valued: use has(%s, %s)", char, char, value)
	}
	k, ok := c.valueIndex(cc, value)
	if !ok {
		return 0, modelErr(pos, "unknown value %s for %s", typo.Quote(value), typo.Clip(char))
	}
	return c.slots[cc.first+k].lit, nil
}

// valueIndex finds value in cc's domain, spelled exactly as Domain spells
// it (an int value as a canonical decimal, as [Eval] compares them).
func (c *Compiled) valueIndex(cc *cchar, value string) (int, bool) {
	k, ok := cc.index[value]
	return k, ok
}

// badValue says why value is not in cc's domain: a non-canonical spelling
// of an int value names the canonical one, an unknown value gets a
// did-you-mean.
func badValue(cc *cchar, value string) string {
	if cc.c.Kind == Int {
		if v, err := strconv.ParseInt(value, 10, 64); err == nil {
			if canon := strconv.FormatInt(v, 10); canon != value {
				if _, ok := cc.index[canon]; ok {
					return fmt.Sprintf("value %q for %s is not spelled canonically: write %q", value, cc.c.Name, canon)
				}
			}
		}
	}
	dom := cc.c.Domain()
	if hint := didYouMean(value, dom); hint != "" {
		return fmt.Sprintf("unknown value %s for %s%s", typo.Quote(value), cc.c.Name, hint)
	}
	if len(dom) > 8 {
		dom = append(dom[:8:8], "...")
	}
	return fmt.Sprintf("unknown value %s for %s (values: %s)", typo.Quote(value), cc.c.Name, strings.Join(dom, ", "))
}

func (c *Compiled) inLits(char string, values []string, pos Pos) ([]z.Lit, error) {
	var lits []z.Lit
	for _, v := range values {
		l, err := c.eqLit(char, v, pos, false)
		if err != nil {
			return nil, err
		}
		lits = append(lits, l)
	}
	return lits, nil
}

func flip(op CmpOp) CmpOp {
	switch op {
	case OpLt:
		return OpGt
	case OpLe:
		return OpGe
	case OpGt:
		return OpLt
	case OpGe:
		return OpLe
	}
	return op
}

func (rc *ruleCtx) cmp(x *Cmp) (z.Lit, error) {
	b := rc.c.cnf
	l, err := rc.term(x.L)
	if err != nil {
		return 0, err
	}
	r, err := rc.term(x.R)
	if err != nil {
		return 0, err
	}
	op := x.Op
	if len(l.vals) == 1 && l.def == b.True {
		l, r, op = r, l, flip(op)
	}
	if len(r.vals) == 1 && r.def == b.True {
		return rc.cmpConst(l, op, r.vals[0]), nil
	}
	if len(l.vals)*len(r.vals) > rc.c.opts.MaxDomain*16 {
		return 0, tooLarge(x.Pos, "rule %s: comparison over %d x %d values (limit Options.MaxDomain*16 = %d)", rc.name, len(l.vals), len(r.vals), rc.c.opts.MaxDomain*16)
	}
	// Each value of l gets a gate and a comparison of r with a constant.
	if err := rc.c.spend(x.Pos, "rule "+rc.name+": the comparison "+x.Op.String(), 4*len(l.vals)+2*len(r.vals)); err != nil {
		return 0, err
	}
	if l.def != b.True {
		rc.defs = append(rc.defs, l.def)
	}
	var lits []z.Lit
	for i, a := range l.vals {
		// l = a and (a op r)  <=>  l = a and (r flip(op) a)
		lits = append(lits, b.And(l.eq[i], rc.cmpConst(r, flip(op), a)))
	}
	return b.Or(lits...), nil
}

// cmpConst returns a literal for "t op k".
func (rc *ruleCtx) cmpConst(t *term, op CmpOp, k int64) z.Lit {
	b := rc.c.cnf
	if t.def != b.True {
		rc.defs = append(rc.defs, t.def)
	}
	n := len(t.vals)
	ge := sort.Search(n, func(i int) bool { return t.vals[i] >= k })
	gt := sort.Search(n, func(i int) bool { return t.vals[i] > k })
	switch op {
	case OpGe:
		return t.geLit(b, ge)
	case OpGt:
		return t.geLit(b, gt)
	case OpLt:
		return b.And(t.def, t.geLit(b, ge).Not())
	case OpLe:
		return b.And(t.def, t.geLit(b, gt).Not())
	case OpEq:
		if ge < n && t.vals[ge] == k {
			return t.eq[ge]
		}
		return b.False()
	default: // OpNe
		if ge < n && t.vals[ge] == k {
			return b.And(t.def, t.eq[ge].Not())
		}
		return t.def
	}
}

func (rc *ruleCtx) term(e IntExpr) (*term, error) {
	c := rc.c
	b := c.cnf
	switch x := e.(type) {
	case *IntLit:
		return &term{vals: []int64{x.Val}, eq: []z.Lit{b.True}, def: b.True, ge: []z.Lit{b.True}}, nil
	case *IntRef:
		cc, err := c.charOf(x.Char, x.Pos)
		if err != nil {
			return nil, err
		}
		if cc.c.Kind != Int {
			return nil, modelErr(x.Pos, "%s is not an int characteristic", x.Char)
		}
		return cc.term, nil
	case *Count:
		if x.Char != "" {
			cc, err := c.charOf(x.Char, x.Pos)
			if err != nil {
				return nil, err
			}
			if cc.c.Kind != Multi {
				return nil, modelErr(x.Pos, "count(%s): %s is not multi-valued", x.Char, x.Char)
			}
			return c.multiTerm(cc, x.Pos)
		}
		if len(x.Xs) > MaxCountValues {
			return nil, tooLarge(x.Pos, "rule %s: count of %d conditions, more than MaxCountValues (%d)", rc.name, len(x.Xs), MaxCountValues)
		}
		lits := make([]z.Lit, 0, len(x.Xs))
		for _, k := range x.Xs {
			l, err := rc.lit(k)
			if err != nil {
				return nil, err
			}
			lits = append(lits, l)
		}
		return c.countOf(x.Pos, "rule "+rc.name, lits)
	case *Arith:
		l, err := rc.term(x.L)
		if err != nil {
			return nil, err
		}
		r, err := rc.term(x.R)
		if err != nil {
			return nil, err
		}
		if t := c.pointwise(x.Op, l, r); t != nil {
			return t, nil
		}
		if len(l.vals)*len(r.vals) > c.opts.MaxDomain*16 {
			return nil, tooLarge(x.Pos, "rule %s: arithmetic over %d x %d values (limit Options.MaxDomain*16 = %d)", rc.name, len(l.vals), len(r.vals), c.opts.MaxDomain*16)
		}
		// Every pair of values becomes an "and" gate (3 clauses).
		if err := c.spend(x.Pos, "rule "+rc.name+": the arithmetic "+x.Op.String(), 3*len(l.vals)*len(r.vals)); err != nil {
			return nil, err
		}
		byVal := map[int64][]z.Lit{}
		partial := l.def != b.True || r.def != b.True
		for i, a := range l.vals {
			for j, d := range r.vals {
				v, err := arithmetic(x.Op, a, d)
				if err != nil {
					partial = true
					continue
				}
				byVal[v] = append(byVal[v], b.And(l.eq[i], r.eq[j]))
			}
		}
		t := &term{def: b.True}
		for v := range byVal {
			t.vals = append(t.vals, v)
		}
		sort.Slice(t.vals, func(i, j int) bool { return t.vals[i] < t.vals[j] })
		if len(t.vals) > c.opts.MaxDomain {
			return nil, tooLarge(x.Pos, "rule %s: an integer expression takes %d values (limit Options.MaxDomain = %d)", rc.name, len(t.vals), c.opts.MaxDomain)
		}
		for _, v := range t.vals {
			t.eq = append(t.eq, b.Or(byVal[v]...))
		}
		if partial {
			t.def = b.Or(t.eq...)
		}
		return t, nil
	case nil:
		return nil, modelErr(Pos{}, "rule %s: missing integer expression", rc.name)
	}
	return nil, modelErr(e.Position(), "rule %s: unsupported integer expression %T", rc.name, e)
}

func (c *Compiled) compileTable(t *Table) error {
	b := c.cnf
	cols := make([]*cchar, len(t.Columns))
	for i, name := range t.Columns {
		cc, err := c.charOf(name, t.Pos)
		if err != nil {
			return err
		}
		if cc.c.Kind == Multi {
			return modelErr(t.Pos, "table %s: column %s is multi-valued", t.Name, name)
		}
		cols[i] = cc
	}
	// Cells as sets of local value indices (nil = any).
	rows := make([][][]int32, 0, len(t.Rows))
	cells := 0
	// Literals of the clauses a forbidden table (a clause per row listing
	// the values each cell excludes) or the row encoding (every value of a
	// "*" cell and of a set supports the row) would write.
	forbLits, rowLits := 0, 0
	for _, r := range t.Rows {
		if len(r.Cells) != len(cols) {
			return modelErr(r.Pos, "table %s: row has %d cells for %d columns", t.Name, len(r.Cells), len(cols))
		}
		row := make([][]int32, len(cols))
		prod := 1
		for i, cell := range r.Cells {
			if cell.Any {
				prod = min(prod*cols[i].n, c.opts.MaxTableCells+1)
				rowLits += cols[i].n
				continue
			}
			forbLits += cols[i].n - len(cell.Values)
			rowLits += 2 * len(cell.Values)
			set := make([]int32, 0, len(cell.Values))
			for _, v := range cell.Values {
				k, ok := c.valueIndex(cols[i], v)
				if !ok {
					return modelErr(r.Pos, "table %s: unknown value %s for %s", t.Name, typo.Quote(v), cols[i].c.Name)
				}
				set = append(set, int32(k))
			}
			row[i] = set
			// Saturate rather than stop: every cell must be read, the row
			// encoding takes a nil cell for "any value".
			prod = min(prod*len(set), c.opts.MaxTableCells+1)
		}
		cells += prod * len(cols)
		if cells > c.opts.MaxTableCells || cells < 0 {
			cells = c.opts.MaxTableCells + 1
		}
		rows = append(rows, row)
	}
	// Budget: a clause counts one, and one more per 8 literals.
	switch {
	case t.Kind == Forbidden:
		if err := c.spend(t.Pos, "table "+t.Name+" (forbidden rows)", len(rows)+forbLits/8); err != nil {
			return err
		}
	case c.opts.knobs.Tables == cfgtune.TableRows || cells > c.opts.MaxTableCells:
		if err := c.spend(t.Pos, "table "+t.Name+" (row encoding)", len(rows)*(len(cols)+1)+rowLits/8); err != nil {
			return err
		}
	}
	lit := func(col int, k int32) z.Lit { return c.slots[cols[col].first+int(k)].lit }
	var rt *rotTable
	if c.rotOK {
		c.rotTables = append(c.rotTables, rotTable{forbidden: t.Kind == Forbidden, rows: rows})
		rt = &c.rotTables[len(c.rotTables)-1]
		for _, cc := range cols {
			rt.cols = append(rt.cols, c.charIndex(cc))
		}
	}
	if t.Kind == Forbidden {
		for _, row := range rows {
			var cl []z.Lit
			for i, set := range row {
				if set == nil {
					continue
				}
				in := make([]bool, cols[i].n)
				for _, k := range set {
					in[k] = true
				}
				for k := 0; k < cols[i].n; k++ {
					if !in[k] {
						cl = append(cl, lit(i, int32(k)))
					}
				}
			}
			b.Clause(cl...)
		}
		return nil
	}
	if len(cols) == 0 {
		if len(rows) == 0 {
			b.Clause()
		}
		return nil
	}
	if c.opts.knobs.Tables == cfgtune.TableRows || cells > c.opts.MaxTableCells {
		c.tableRows(cols, rows, lit)
		return nil
	}
	// Expand to tuples and build the MDD.
	var tuples [][]int32
	for _, row := range rows {
		tuples = expand(tuples, row, cols)
	}
	d := mdd.Build(len(cols), tuples)
	if rt != nil {
		rt.setMDD(d)
	}
	if len(d.Edges) == 0 {
		b.Clause()
		return nil
	}
	if c.opts.knobs.Tables == cfgtune.TableMDDForward {
		c.mddForward(d, cols, lit)
		return nil
	}
	// Variables are shared where the diagram allows: an edge that is the
	// only one of its value in its layer is that value's literal, the only
	// out-edge of a node is the node's literal, and a node with one in-edge
	// is that edge's literal; the clauses that become tautologies vanish.
	node := make([]z.Lit, d.Nodes)
	node[0], node[d.Terminal] = b.True, b.True
	nIn := make([]int, d.Nodes)
	nOut := make([]int, d.Nodes)
	type layerVal struct{ l, v int32 }
	nVal := map[layerVal]int{}
	for _, e := range d.Edges {
		nIn[e.To]++
		nOut[e.From]++
		nVal[layerVal{d.Layer[e.From], e.Val}]++
	}
	nodeLit := func(n int32) z.Lit {
		if node[n] == 0 {
			node[n] = b.NewLit()
		}
		return node[n]
	}
	in := make([][]z.Lit, d.Nodes)
	out := make([][]z.Lit, d.Nodes)
	support := make([][]z.Lit, len(c.slots)) // per layer, reset below
	layerStart := 0
	for i := 0; i <= len(d.Edges); i++ {
		if i == len(d.Edges) || (i > layerStart && d.Layer[d.Edges[i].From] != d.Layer[d.Edges[layerStart].From]) {
			// finish a layer: every value of the column needs an edge
			l := d.Layer[d.Edges[layerStart].From]
			cc := cols[l]
			for k := 0; k < cc.n; k++ {
				s := cc.first + k
				b.Implies(c.slots[s].lit, support[s]...)
				support[s] = support[s][:0]
			}
			layerStart = i
			if i == len(d.Edges) {
				break
			}
		}
		e := d.Edges[i]
		l := d.Layer[e.From]
		x := lit(int(l), e.Val)
		var ev z.Lit
		switch {
		case nVal[layerVal{l, e.Val}] == 1:
			ev = x
		case nOut[e.From] == 1:
			ev = nodeLit(e.From)
		default:
			ev = b.NewLit()
		}
		if nIn[e.To] == 1 && e.To != d.Terminal {
			node[e.To] = ev
		}
		b.Implies(ev, nodeLit(e.From))
		b.Implies(ev, x)
		b.Implies(ev, nodeLit(e.To))
		s := cols[l].first + int(e.Val)
		support[s] = append(support[s], ev)
		in[e.To] = append(in[e.To], ev)
		out[e.From] = append(out[e.From], ev)
	}
	for n := range node {
		if n != 0 {
			if int32(n) != d.Terminal {
				b.Implies(node[n], in[n]...)
			}
		}
		if int32(n) != d.Terminal {
			b.Implies(node[n], out[n]...)
		}
	}
	return nil
}

func expand(dst [][]int32, row [][]int32, cols []*cchar) [][]int32 {
	cur := [][]int32{make([]int32, 0, len(row))}
	for i, set := range row {
		var next [][]int32
		vals := set
		if vals == nil {
			vals = make([]int32, cols[i].n)
			for k := range vals {
				vals[k] = int32(k)
			}
		}
		for _, p := range cur {
			for _, v := range vals {
				q := make([]int32, len(p), len(row))
				copy(q, p)
				next = append(next, append(q, v))
			}
		}
		cur = next
	}
	return append(dst, cur...)
}

// tableRows encodes an allowed table with one auxiliary variable per row.
func (c *Compiled) tableRows(cols []*cchar, rows [][][]int32, lit func(int, int32) z.Lit) {
	b := c.cnf
	support := map[int][]z.Lit{}
	var any []z.Lit
	for _, row := range rows {
		r := b.NewLit()
		any = append(any, r)
		for i, set := range row {
			if set == nil {
				for k := 0; k < cols[i].n; k++ {
					s := cols[i].first + k
					support[s] = append(support[s], r)
				}
				continue
			}
			cl := []z.Lit{r.Not()}
			for _, k := range set {
				cl = append(cl, lit(i, k))
				s := cols[i].first + int(k)
				support[s] = append(support[s], r)
			}
			b.Clause(cl...)
		}
	}
	b.Clause(any...)
	for _, cc := range cols {
		for k := 0; k < cc.n; k++ {
			s := cc.first + k
			b.Implies(c.slots[s].lit, support[s]...)
		}
	}
}

// fresh returns a copy of c that shares the encoding but none of the
// results c has cached between queries (witnesses of the empty
// propagation, values known dead, pooled solvers): its first query costs
// what a first query costs. Benchmarks and tests reach it as
// cfgtune.FreshCopy to measure cold queries.
func (c *Compiled) fresh() *Compiled {
	c.mu.Lock()
	base := ginicopy.Copy(c.baseLocked())
	c.mu.Unlock()
	return &Compiled{
		model: c.model, opts: c.opts, chars: c.chars, byName: c.byName, slots: c.slots,
		groups: c.groups, cnf: c.cnf, eq: c.eq, base: base, expl: nil,
		nTargets: c.nTargets, targetLit: c.targetLit, targetOf: c.targetOf,
		rotOK: c.rotOK, rotTables: c.rotTables, rotByChar: c.rotByChar, rotUPMin: c.rotUPMin,
	}
}

// mddForward encodes d with node variables only.
func (c *Compiled) mddForward(d *mdd.MDD, cols []*cchar, lit func(int, int32) z.Lit) {
	b := c.cnf
	node := make([]z.Lit, d.Nodes)
	for n := range node {
		if n == 0 || int32(n) == d.Terminal {
			node[n] = b.True
		} else {
			node[n] = b.NewLit()
		}
	}
	out := make([][]z.Lit, d.Nodes)
	for _, e := range d.Edges {
		x := lit(int(d.Layer[e.From]), e.Val)
		if e.To != d.Terminal {
			b.Clause(node[e.From].Not(), x.Not(), node[e.To])
		}
		out[e.From] = append(out[e.From], x)
	}
	for n := range node {
		if int32(n) != d.Terminal {
			b.Implies(node[n], out[n]...)
		}
	}
}

// pointwise encodes "l op r" when both are functions of the same int
// characteristic (or one of them is a constant): value by value of that
// characteristic, in time and clauses linear in its domain, where the
// general encoding takes every pair of values of l and r (n + n + ... + n
// with k terms: k*|n| instead of about k^2*|n|^2/2 gates). It returns nil
// when the terms do not have that shape.
func (c *Compiled) pointwise(op ArithOp, l, r *term) *term {
	b := c.cnf
	isConst := func(t *term) bool { return len(t.vals) == 1 && t.def == b.True && t.src == 0 }
	src := l.src
	switch {
	case l.src > 0 && (r.src == l.src || isConst(r)):
	case r.src > 0 && isConst(l):
		src = r.src
	default:
		return nil
	}
	cc := &c.chars[src-1]
	index := func(t *term, k int) int32 {
		switch {
		case t.src == 0:
			return 0 // a constant
		case t.at == nil:
			return int32(k)
		}
		return t.at[k]
	}
	n := len(cc.ints)
	res := make([]int64, n)
	ok := make([]bool, n)
	byVal := map[int64][]z.Lit{}
	partial := false
	for k := 0; k < n; k++ {
		i, j := index(l, k), index(r, k)
		if i < 0 || j < 0 {
			partial = true
			continue
		}
		v, err := arithmetic(op, l.vals[i], r.vals[j])
		if err != nil {
			partial = true
			continue
		}
		res[k], ok[k] = v, true
		byVal[v] = append(byVal[v], c.slots[cc.first+k].lit)
	}
	t := &term{def: b.True, src: src, at: make([]int32, n)}
	for v := range byVal {
		t.vals = append(t.vals, v)
	}
	slices.Sort(t.vals)
	for _, v := range t.vals {
		t.eq = append(t.eq, b.Or(byVal[v]...))
	}
	for k := range t.at {
		t.at[k] = -1
		if ok[k] {
			i, _ := slices.BinarySearch(t.vals, res[k])
			t.at[k] = int32(i)
		}
	}
	if partial {
		t.def = b.Or(t.eq...)
	}
	return t
}
