// Package modeltest generates small random product models and enumerates
// their configurations, for property tests of the parser, the printer and
// the SAT engine against brute force.
//
// # Basics
//
// [Random] returns a valid model of at most 12 characteristics of every
// kind, rules using every expression form and compatibility tables, small
// enough (by default at most 4096 candidate configurations) that
// [Enumerate] can list every configuration. [Solutions] keeps the valid
// ones, with [model.Model.Violations] as the obviously right
// definition of validity. [Diff] compares two models ignoring positions.
//
// # Caveats
//
// Random models use odd names (keywords, digits, spaces, Chinese) unless
// Options.PlainNames is set, and may divide by zero (a rule whose
// arithmetic fails does not hold) unless Options.NoDivision is set. Models
// are often unsatisfiable; that is on purpose.
package modeltest

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/ctoplan/ctoplan/configurator/model"
)

// Options shape a random model. Zero fields take the defaults in brackets.
type Options struct {
	MaxChars   int // characteristics, 1..MaxChars [8]; at most 12
	MaxValues  int // values per enumerated or int domain [4]; multi domains at most 3
	MaxRules   int // rules, 0..MaxRules [4]
	MaxTables  int // tables, 0..MaxTables [2]
	MaxRows    int // rows per table, 1..MaxRows [4]
	MaxDepth   int // expression depth [3]
	MaxConfigs int // bound on the product of the domain sizes [4096]
	// Kinds restricts the kinds of characteristics (nil: all; Single
	// includes optional ones).
	Kinds []model.CharKind
	// NoOptional: no optional Single characteristics.
	NoOptional bool
	// PlainNames: names are c0, c1, ... and v0, v1, ... only.
	PlainNames bool
	// NoDivision: no "/" or "%" in integer expressions.
	NoDivision bool
	// NoTables, NoRules: leave them out (MaxTables, MaxRules 0 mean default).
	NoTables, NoRules bool
}

func (o *Options) defaults() {
	def := func(p *int, d int) {
		if *p <= 0 {
			*p = d
		}
	}
	def(&o.MaxChars, 8)
	o.MaxChars = min(o.MaxChars, 12)
	def(&o.MaxValues, 4)
	def(&o.MaxRules, 4)
	def(&o.MaxTables, 2)
	def(&o.MaxRows, 4)
	def(&o.MaxDepth, 3)
	def(&o.MaxConfigs, 4096)
	if len(o.Kinds) == 0 {
		o.Kinds = []model.CharKind{model.Single, model.Multi, model.Int, model.Bool}
	}
}

var oddNames = []string{"max", "value", "in", "none", "true", "48", "-5", "007", "1.5t", "a b", "吨", "x_1", "Mast"}

type gen struct {
	r    *rand.Rand
	o    Options
	m    *model.Model
	used map[string]bool
}

// name returns a fresh name: mostly base+index, sometimes an odd one.
func (g *gen) name(base string, i int, used map[string]bool) string {
	if !g.o.PlainNames && g.r.IntN(8) == 0 {
		n := oddNames[g.r.IntN(len(oddNames))]
		if !used[n] {
			used[n] = true
			return n
		}
	}
	for {
		n := base + strconv.Itoa(i)
		if !used[n] {
			used[n] = true
			return n
		}
		i += 100
	}
}

// Random returns a random valid model. The same r state and options give
// the same model.
func Random(r *rand.Rand, opts Options) *model.Model {
	opts.defaults()
	g := &gen{r: r, o: opts, m: model.NewModel("random"), used: map[string]bool{}}
	m := g.m
	if r.IntN(2) == 0 {
		m.Version = strconv.Itoa(r.IntN(100))
	}
	if r.IntN(3) == 0 {
		m.Currency = "EUR"
		m.SetLabel("en", "Random model")
	}
	configs := 1
	n := 1 + r.IntN(opts.MaxChars)
	for i := 0; i < n; i++ {
		if c := g.char(i, opts.MaxConfigs/configs); c != nil {
			configs *= domainConfigs(c)
		}
	}
	if len(m.Chars) == 0 {
		m.AddBool(g.name("c", 0, g.used))
	}
	if !opts.NoRules {
		for i, n := 0, r.IntN(opts.MaxRules+1); i < n; i++ {
			rule := m.AddRule(g.name("r", i, g.used), "", g.expr(opts.MaxDepth))
			if r.IntN(2) == 0 {
				rule.SetMessage("en", "rule "+rule.Name+" says \"no\"")
				rule.SetMessage("zh", "规则")
			}
		}
	}
	if !opts.NoTables {
		for i, n := 0, r.IntN(opts.MaxTables+1); i < n; i++ {
			g.table(i)
		}
	}
	if err := m.Validate(); err != nil {
		panic(fmt.Sprintf("modeltest: generated an invalid model: %v\n%s", err, model.Format(m)))
	}
	return m
}

// domainConfigs is the number of ways c can be set in a full configuration.
func domainConfigs(c *model.Characteristic) int {
	switch c.Kind {
	case model.Multi:
		n := 0
		for k := 0; k <= len(c.Values); k++ {
			if k >= c.MinCount && (c.MaxCount < 0 || k <= c.MaxCount) {
				n += binom(len(c.Values), k)
			}
		}
		return n
	case model.Single:
		if c.Optional {
			return len(c.Values) + 1
		}
	}
	return c.DomainSize()
}

func binom(n, k int) int {
	b := 1
	for i := 0; i < k; i++ {
		b = b * (n - i) / (i + 1)
	}
	return b
}

// char adds a characteristic with at most budget configurations, or none.
func (g *gen) char(i, budget int) *model.Characteristic {
	if budget < 2 {
		return nil
	}
	r, m := g.r, g.m
	name := g.name("c", i, g.used)
	values := func(max int) []string {
		k := 1 + r.IntN(max)
		used := map[string]bool{}
		vs := make([]string, k)
		for j := range vs {
			vs[j] = g.name("v", j, used)
		}
		return vs
	}
	var c *model.Characteristic
	switch kind := g.o.Kinds[r.IntN(len(g.o.Kinds))]; kind {
	case model.Single:
		maxV := min(g.o.MaxValues, budget)
		if !g.o.NoOptional && r.IntN(3) == 0 && maxV >= 2 {
			c = m.AddOptional(name, values(maxV-1)...)
		} else {
			c = m.AddSingle(name, values(maxV)...)
		}
	case model.Multi:
		k := 1
		for k < min(g.o.MaxValues, 3) && 1<<(k+1) <= budget {
			k++
		}
		c = m.AddMulti(name, 0, -1, values(k)...)
		nv := len(c.Values)
		c.MinCount = r.IntN(2)
		if r.IntN(2) == 0 {
			c.MaxCount = c.MinCount + r.IntN(nv-c.MinCount+1)
		}
	case model.Int:
		k := 1 + r.IntN(min(g.o.MaxValues, budget))
		lo := int64(r.IntN(9) - 3)
		step := int64(1 + r.IntN(3))
		c = m.AddInt(name, lo, lo+int64(k-1)*step, step)
	default:
		c = m.AddBool(name)
	}
	if r.IntN(2) == 0 {
		c.SetLabel("en", "Char "+c.Name)
		if r.IntN(2) == 0 {
			c.SetLabel("zh", "特性 "+c.Name)
		}
	}
	for _, v := range c.Values {
		if r.IntN(3) == 0 {
			v.SetPrice(int64(r.IntN(200000) - 50000))
		}
		if r.IntN(3) == 0 {
			v.SetLabel("en", "Value "+v.Name)
		}
	}
	if r.IntN(2) == 0 {
		g.setDefault(c)
	}
	return c
}

func (g *gen) setDefault(c *model.Characteristic) {
	d := c.Domain()
	switch c.Kind {
	case model.Multi:
		var set []string
		for _, v := range d {
			if g.r.IntN(2) == 0 {
				set = append(set, v)
			}
		}
		if len(set) >= c.MinCount && (c.MaxCount < 0 || len(set) <= c.MaxCount) && len(set) > 0 {
			c.SetDefault(set...)
		}
	case model.Single:
		if c.Optional && g.r.IntN(4) == 0 {
			c.SetDefault("")
			return
		}
		c.SetDefault(d[g.r.IntN(len(d))])
	default:
		c.SetDefault(d[g.r.IntN(len(d))])
	}
}

func (g *gen) pick(kinds ...model.CharKind) *model.Characteristic {
	var cs []*model.Characteristic
	for _, c := range g.m.Chars {
		if slices.Contains(kinds, c.Kind) {
			cs = append(cs, c)
		}
	}
	if len(cs) == 0 {
		return nil
	}
	return cs[g.r.IntN(len(cs))]
}

// value picks a value to compare c with: any domain value, or none.
func (g *gen) value(c *model.Characteristic) string {
	if c.Kind == model.Single && c.Optional && g.r.IntN(4) == 0 {
		return ""
	}
	d := c.Domain()
	return d[g.r.IntN(len(d))]
}

func (g *gen) values(c *model.Characteristic) []string {
	cand := c.Domain()
	if c.Kind == model.Single && c.Optional {
		cand = append(cand, "")
	}
	g.r.Shuffle(len(cand), func(i, j int) { cand[i], cand[j] = cand[j], cand[i] })
	return cand[:g.r.IntN(len(cand))+1]
}

func (g *gen) expr(depth int) model.Expr {
	r := g.r
	if depth <= 0 || r.IntN(3) == 0 {
		return g.atom(depth)
	}
	switch r.IntN(6) {
	case 0:
		return model.NotExpr(g.expr(depth - 1))
	case 1:
		return &model.And{Xs: g.exprs(depth-1, 2+r.IntN(2))}
	case 2:
		return &model.Or{Xs: g.exprs(depth-1, 2+r.IntN(2))}
	case 3:
		return model.IffExpr(g.expr(depth-1), g.expr(depth-1))
	}
	return model.ImpliesExpr(g.expr(depth-1), g.expr(depth-1))
}

func (g *gen) exprs(depth, n int) []model.Expr {
	xs := make([]model.Expr, n)
	for i := range xs {
		xs[i] = g.expr(depth)
	}
	return xs
}

func (g *gen) atom(depth int) model.Expr {
	r := g.r
	for {
		switch r.IntN(8) {
		case 0:
			if r.IntN(4) == 0 {
				return model.LitExpr(r.IntN(2) == 0)
			}
		case 1, 2:
			if c := g.pick(model.Single, model.Int, model.Bool); c != nil {
				return &model.Eq{Char: c.Name, Value: g.value(c), Neg: r.IntN(3) == 0}
			}
		case 3:
			if c := g.pick(model.Single, model.Int, model.Bool); c != nil {
				return &model.In{Char: c.Name, Values: g.values(c), Neg: r.IntN(3) == 0}
			}
		case 4:
			if c := g.pick(model.Multi); c != nil {
				return model.HasExpr(c.Name, g.value(c))
			}
		case 5:
			if c := g.pick(model.Bool); c != nil {
				return model.BoolExpr(c.Name)
			}
		default:
			ops := []model.CmpOp{model.OpEq, model.OpNe, model.OpLt, model.OpLe, model.OpGt, model.OpGe}
			return model.CmpExpr(g.intExpr(depth-1), ops[r.IntN(len(ops))], g.intExpr(depth-1))
		}
	}
}

func (g *gen) intExpr(depth int) model.IntExpr {
	r := g.r
	for {
		switch r.IntN(6) {
		case 0:
			return model.IntConst(int64(r.IntN(11) - 3))
		case 1, 2:
			if c := g.pick(model.Int); c != nil {
				return model.IntChar(c.Name)
			}
		case 3:
			if c := g.pick(model.Multi); c != nil && r.IntN(2) == 0 {
				return model.CountValues(c.Name)
			}
			if depth > 0 {
				return model.CountTrue(g.exprs(depth-1, 1+r.IntN(3))...)
			}
		default:
			if depth > 0 {
				ops := []model.ArithOp{model.OpAdd, model.OpSub, model.OpMul, model.OpDiv, model.OpMod}
				if g.o.NoDivision {
					ops = ops[:3]
				}
				return model.ArithExpr(g.intExpr(depth-1), ops[r.IntN(len(ops))], g.intExpr(depth-1))
			}
		}
	}
}

func (g *gen) table(i int) {
	r := g.r
	var cols []*model.Characteristic
	for _, c := range g.m.Chars {
		if c.Kind != model.Multi {
			cols = append(cols, c)
		}
	}
	if len(cols) == 0 {
		return
	}
	r.Shuffle(len(cols), func(i, j int) { cols[i], cols[j] = cols[j], cols[i] })
	cols = cols[:1+r.IntN(min(3, len(cols)))]
	kind := model.Allowed
	if r.IntN(2) == 0 {
		kind = model.Forbidden
	}
	names := make([]string, len(cols))
	for j, c := range cols {
		names[j] = c.Name
	}
	t := g.m.AddTable(g.name("t", i, g.used), kind, names...)
	if r.IntN(2) == 0 {
		t.SetMessage("en", "table "+t.Name)
	}
	for k, n := 0, 1+r.IntN(g.o.MaxRows); k < n; k++ {
		cells := make([]model.Cell, len(cols))
		for j, c := range cols {
			switch r.IntN(5) {
			case 0:
				cells[j] = model.AnyCell()
			case 1:
				cells[j] = model.CellOf(g.values(c)...)
			default:
				cells[j] = model.CellOf(g.value(c))
			}
		}
		t.AddRow(cells...)
	}
}

// Enumerate calls fn with every full configuration of m, ignoring rules and
// tables (every combination of values each characteristic can take on its
// own: one value, or none for an optional one, or any subset within the
// count bounds for a Multi), until fn returns false. fn must not keep cfg:
// it is reused.
func Enumerate(m *model.Model, fn func(cfg model.Configuration) bool) {
	options := make([][][]string, len(m.Chars))
	for i, c := range m.Chars {
		options[i] = Choices(c)
	}
	cfg := model.Configuration{}
	var rec func(i int) bool
	rec = func(i int) bool {
		if i == len(m.Chars) {
			return fn(cfg)
		}
		for _, o := range options[i] {
			cfg[m.Chars[i].Name] = o
			if !rec(i + 1) {
				return false
			}
		}
		return true
	}
	rec(0)
}

// Choices lists the ways c can be set in a full configuration.
func Choices(c *model.Characteristic) [][]string {
	d := c.Domain()
	var out [][]string
	switch {
	case c.Kind == model.Multi:
		for mask := 0; mask < 1<<len(d); mask++ {
			var set []string
			for j, v := range d {
				if mask&(1<<j) != 0 {
					set = append(set, v)
				}
			}
			if len(set) >= c.MinCount && (c.MaxCount < 0 || len(set) <= c.MaxCount) {
				if set == nil {
					set = []string{}
				}
				out = append(out, set)
			}
		}
	default:
		if c.Kind == model.Single && c.Optional {
			out = append(out, []string{})
		}
		for _, v := range d {
			out = append(out, []string{v})
		}
	}
	return out
}

// Solutions returns every valid full configuration of m (copies), in
// [Enumerate] order.
func Solutions(m *model.Model) []model.Configuration {
	var sols []model.Configuration
	Enumerate(m, func(cfg model.Configuration) bool {
		bad, err := m.Violations(cfg)
		if err != nil {
			panic("modeltest: Enumerate produced a bad configuration: " + err.Error())
		}
		if len(bad) == 0 {
			c := make(model.Configuration, len(cfg))
			for k, v := range cfg {
				c[k] = slices.Clone(v)
			}
			sols = append(sols, c)
		}
		return true
	})
	return sols
}

// Diff describes the first difference between a and b, ignoring positions
// and the difference between nil and empty slices and maps; "" when they are
// equal.
func Diff(a, b *model.Model) string {
	da, db := strings.Split(Dump(a), "\n"), strings.Split(Dump(b), "\n")
	for i := 0; i < len(da) || i < len(db); i++ {
		var la, lb string
		if i < len(da) {
			la = da[i]
		}
		if i < len(db) {
			lb = db[i]
		}
		if la != lb {
			return fmt.Sprintf("line %d of the dump:\n  a: %s\n  b: %s", i+1, la, lb)
		}
	}
	return ""
}

// Dump prints every field of m except positions, one declaration per line,
// expressions as typed trees.
func Dump(m *model.Model) string {
	var b strings.Builder
	fmt.Fprintf(&b, "model %q version=%q currency=%q labels=%s\n", m.Name, m.Version, m.Currency, labels(m.Labels))
	for _, c := range m.Chars {
		fmt.Fprintf(&b, "char %q kind=%s optional=%t min=%d max=%d step=%d count=%d..%d default=%q labels=%s\n",
			c.Name, c.Kind, c.Optional, c.Min, c.Max, c.Step, c.MinCount, c.MaxCount, c.Default, labels(c.Labels))
		for _, v := range c.Values {
			fmt.Fprintf(&b, "  value %q price=%d labels=%s\n", v.Name, v.Price, labels(v.Labels))
		}
	}
	for _, r := range m.Rules {
		fmt.Fprintf(&b, "rule %q message=%s\n  %s\n", r.Name, labels(r.Message), dumpExpr(r.Expr))
	}
	for _, t := range m.Tables {
		fmt.Fprintf(&b, "table %q %s columns=%q message=%s\n", t.Name, t.Kind, t.Columns, labels(t.Message))
		for _, row := range t.Rows {
			b.WriteString("  row")
			for _, c := range row.Cells {
				fmt.Fprintf(&b, " any=%t%q", c.Any, c.Values)
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}

func labels(l model.Labels) string {
	keys := make([]string, 0, len(l))
	for k := range l {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%q:%q", k, l[k])
	}
	b.WriteByte('}')
	return b.String()
}

// DumpExpr prints e as a typed tree without positions, e.g.
// Implies(Eq("mast","triplex",neg=false),Cmp(>,Ref("h"),Int(6000))).
func DumpExpr(e model.Expr) string { return dumpExpr(e) }

// DumpIntExpr is [DumpExpr] for an integer expression.
func DumpIntExpr(e model.IntExpr) string { return dumpInt(e) }

func dumpExpr(e model.Expr) string {
	switch e := e.(type) {
	case nil:
		return "nil"
	case *model.Lit:
		return fmt.Sprintf("Lit(%t)", e.Val)
	case *model.Eq:
		return fmt.Sprintf("Eq(%q,%q,neg=%t)", e.Char, e.Value, e.Neg)
	case *model.In:
		return fmt.Sprintf("In(%q,%q,neg=%t)", e.Char, e.Values, e.Neg)
	case *model.Has:
		return fmt.Sprintf("Has(%q,%q)", e.Char, e.Value)
	case *model.Not:
		return "Not(" + dumpExpr(e.X) + ")"
	case *model.And:
		return "And(" + dumpExprs(e.Xs) + ")"
	case *model.Or:
		return "Or(" + dumpExprs(e.Xs) + ")"
	case *model.Implies:
		return "Implies(" + dumpExpr(e.L) + "," + dumpExpr(e.R) + ")"
	case *model.Iff:
		return "Iff(" + dumpExpr(e.L) + "," + dumpExpr(e.R) + ")"
	case *model.Cmp:
		return "Cmp(" + e.Op.String() + "," + dumpInt(e.L) + "," + dumpInt(e.R) + ")"
	}
	return fmt.Sprintf("?%T", e)
}

func dumpExprs(xs []model.Expr) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = dumpExpr(x)
	}
	return strings.Join(s, ",")
}

func dumpInt(e model.IntExpr) string {
	switch e := e.(type) {
	case nil:
		return "nil"
	case *model.IntLit:
		return fmt.Sprintf("Int(%d)", e.Val)
	case *model.IntRef:
		return fmt.Sprintf("Ref(%q)", e.Char)
	case *model.Count:
		return fmt.Sprintf("Count(%q;%s)", e.Char, dumpExprs(e.Xs))
	case *model.Arith:
		return "Arith(" + e.Op.String() + "," + dumpInt(e.L) + "," + dumpInt(e.R) + ")"
	}
	return fmt.Sprintf("?%T", e)
}

// DIMACS is the DIMACS CNF text of clauses over variables 1..n (each
// clause a list of non-zero literals), for tests that build random CNFs.
func DIMACS(n int, clauses [][]int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "p cnf %d %d\n", n, len(clauses))
	for _, c := range clauses {
		for _, x := range c {
			fmt.Fprintf(&b, "%d ", x)
		}
		b.WriteString("0\n")
	}
	return b.String()
}
