package model

import (
	"slices"
	"strconv"
	"unicode"
	"unicode/utf8"

	"github.com/ctoplan/ctoplan/internal/typo"
)

// MaxPrice bounds the magnitude of a price delta, in minor units.
const MaxPrice = 1 << 62

// Limits of the model language. [Parse] and [Model.Validate] refuse a model
// beyond them with an error at the offending declaration; configurator.Compile checks
// the ones that bound its encoding again (as configurator.ErrTooLarge) for models it
// is given without validation. docs/model-language.md lists them.
const (
	// MaxNameLen bounds the length in bytes of every name: model,
	// characteristic, value, rule, table, language tag, currency.
	MaxNameLen = 256
	// MaxTextLen bounds the length in bytes of a label, a message and the
	// version.
	MaxTextLen = 4096
	// MaxValues bounds the values of a single, optional or multi
	// characteristic (int domains: [MaxIntDomain]).
	MaxValues = 1 << 14
	// MaxCountValues bounds what a cardinality encoding counts: the values
	// of a multi characteristic that has a min or max or is counted with
	// count(c), and the conditions of one count(E1, E2, ...). Its encoding
	// grows with the square of that number.
	MaxCountValues = 1024
	// MaxExprSize bounds the size of one rule's condition: its nodes
	// (each name, value, number, operator and count counts one) when
	// validated, its tokens when parsed.
	MaxExprSize = 1 << 16
)

// Validate checks everything about m that does not depend on a
// configuration: names are valid and unique (characteristics among
// themselves, values within their characteristic, rules and tables in one
// namespace), domains are non-empty, Int ranges have Step >= 1, Min <= Max,
// Max-Min a multiple of Step and at most [MaxIntDomain] values, Multi count
// bounds are consistent, fields that do not apply to a kind are zero,
// defaults are in the domain, rule expressions are complete and type-correct
// (every name resolves to a characteristic of the right kind and every value
// to its domain), and table columns are Single, Int or Bool characteristics
// with every cell in their domain, and the limits of the language hold
// ([MaxNameLen], [MaxTextLen], [MaxValues], [MaxCountValues],
// [MaxExprSize]). Unknown names come with a did-you-mean.
//
// The error is an [ErrorList]. [Parse] runs the same checks; a model built in
// Go code should be validated before it is compiled or formatted. After a
// successful Validate the model is safe for concurrent reads.
func (m *Model) Validate() error {
	v := &validator{m: m}
	v.validate()
	v.errs.Sort()
	if len(v.errs) == 0 {
		m.buildIndex()
	}
	return v.errs.Err()
}

type validator struct {
	m    *Model
	errs ErrorList
	// prices sums the magnitudes of the price deltas so far (saturating at
	// MaxPrice+1): past MaxPrice, a configuration choosing many of them
	// could overflow Model.Price
	prices int64
	// Set by the parser: rules whose expression failed to resolve have a
	// nil Expr (already reported), and finer positions for defaults and
	// table cells and columns.
	skipNilExprs bool
	defaultPos   map[*Characteristic][]Pos
	cellPos      map[*Table][][]Pos // [row][column]
	colPos       map[*Table][]Pos
	labelPos     map[*Labels]map[string]labelPos
	versionPos   Pos
	written      map[writtenAt]string // see parser.written
	// charHints memoises did-you-mean suggestions for unknown
	// characteristic names: a model with one typo repeated in many rules
	// computes it once, not once per use against every name.
	charHints map[string]string
	charNames []string
	// exprNodes counts the nodes of the rule being checked, against
	// MaxExprSize; counted records where count(c) of each multi
	// characteristic is first used.
	exprNodes int
	counted   map[string]Pos
}

// node counts one more node of the current expression and reports whether
// the expression is still within [MaxExprSize] (reporting it, once, when it
// is not).
func (v *validator) node(p Pos, ctx string) bool {
	v.exprNodes++
	if v.exprNodes == MaxExprSize+1 {
		v.errorf(p, ctx, "the condition has more than %d nodes (the limit MaxExprSize): split it into several rules", MaxExprSize)
	}
	return v.exprNodes <= MaxExprSize
}

// countLimits checks that every cardinality encoding the model needs is
// within [MaxCountValues].
func (v *validator) countLimits() {
	for _, c := range v.m.Chars {
		if c == nil || c.Kind != Multi || len(c.Values) <= MaxCountValues {
			continue
		}
		ctx := "char " + c.Name
		switch p, used := v.counted[c.Name]; {
		case c.MinCount > 0 || c.MaxCount >= 0 && c.MaxCount < len(c.Values):
			v.errorf(c.Pos, ctx, "multi %s has %d values: a min or max needs a cardinality encoding, limited to %d values (MaxCountValues); drop the bound or split the characteristic", c.Name, len(c.Values), MaxCountValues)
		case used:
			v.errorf(orPos(p, c.Pos), ctx, "count(%s) needs a cardinality encoding of its %d values, limited to %d (MaxCountValues); count a few has(%s, v) conditions instead or split the characteristic", c.Name, len(c.Values), MaxCountValues, c.Name)
		}
	}
}

// charHint is didYouMean(name, the model's characteristic names), memoised.
func (v *validator) charHint(name string) string {
	if h, ok := v.charHints[name]; ok {
		return h
	}
	if v.charHints == nil {
		v.charHints = map[string]string{}
		v.charNames = v.m.CharNames()
	}
	h := didYouMean(name, v.charNames)
	v.charHints[name] = h
	return h
}

// errorf reports an error at p; when p is unknown (a model built in Go code)
// the message is prefixed with ctx, which names the declaration.
func (v *validator) errorf(p Pos, ctx, format string, args ...any) {
	if p.Line == 0 && p.File == "" && ctx != "" {
		format = ctx + ": " + format
	}
	v.errs.Add(p, format, args...)
}

func orPos(p, fallback Pos) Pos {
	if p.Line == 0 && p.File == "" {
		return fallback
	}
	return p
}

// CheckName says what is wrong with a name of a model, characteristic,
// value, rule or table ("" when nothing is): empty, longer than
// [MaxNameLen] bytes, not UTF-8, or holding a backquote or a control
// character. [Model.Validate] checks every name with it; a reader that
// builds a model from other data can check names as it reads them.
func CheckName(s string) string { return checkName(s) }

func checkName(s string) string {
	if s == "" {
		return "empty name"
	}
	if len(s) > MaxNameLen {
		return "name " + strconv.Quote(s[:32]) + "... is " + strconv.Itoa(len(s)) + " bytes long (at most " + strconv.Itoa(MaxNameLen) + ")"
	}
	if !utf8.ValidString(s) {
		return "name " + strconv.Quote(s) + " is not valid UTF-8"
	}
	for _, r := range s {
		if r == '`' || unicode.IsControl(r) {
			return "name " + strconv.Quote(s) + " contains a backquote or a control character"
		}
	}
	return ""
}

// checkText says what is wrong with a label, message or version text.
func checkText(s string) string {
	if len(s) > MaxTextLen {
		return "is " + strconv.Itoa(len(s)) + " bytes long (at most " + strconv.Itoa(MaxTextLen) + ")"
	}
	if !utf8.ValidString(s) {
		return "is not valid UTF-8"
	}
	return ""
}

func (v *validator) name(p Pos, ctx, what, s string) {
	if msg := checkName(s); msg != "" {
		v.errorf(p, ctx, "%s: %s", what, msg)
	}
}

// labelPos is where the parser read a label or message: its language tag
// and its text.
type labelPos struct{ lang, text Pos }

// labels checks the labels (kw "label") or messages (kw "message") *l of
// the declaration at p, reporting each problem at the language tag or the
// text it is about when the parser recorded them.
func (v *validator) labels(p Pos, ctx, kw string, l *Labels) {
	at := v.labelPos[l]
	for lang, text := range *l {
		lp := labelPos{lang: p, text: p}
		if a, ok := at[lang]; ok {
			lp = a
		}
		if msg := checkName(lang); msg != "" {
			v.errorf(lp.lang, ctx, "%s language: %s", kw, msg)
		}
		if msg := checkText(text); msg != "" {
			v.errorf(lp.text, ctx, "%s %s %s", kw, typo.Clip(lang), msg)
		}
	}
}

func (v *validator) validate() {
	m := v.m
	v.name(m.Pos, "model", "model name", m.Name)
	v.labels(m.Pos, "model "+m.Name, "label", &m.Labels)
	if msg := checkText(m.Version); msg != "" {
		v.errorf(orPos(v.versionPos, m.Pos), "model "+m.Name, "version %s", msg)
	}
	if m.Currency != "" {
		v.name(m.Pos, "model "+m.Name, "currency", m.Currency)
	}
	seen := map[string]*Characteristic{}
	for i, c := range m.Chars {
		if c == nil {
			v.errorf(m.Pos, "model "+m.Name, "characteristic %d is nil", i)
			continue
		}
		if prev := seen[c.Name]; prev != nil {
			v.errorf(c.Pos, "char "+c.Name, "duplicate characteristic %q%s", c.Name, firstAt(prev.Pos))
		} else {
			seen[c.Name] = c
		}
		v.char(c)
	}
	decls := map[string]Pos{}
	declare := func(p Pos, ctx, name string) {
		if prev, dup := decls[name]; dup {
			v.errorf(p, ctx, "duplicate rule or table name %q%s", name, firstAt(prev))
			return
		}
		decls[name] = p
	}
	for i, r := range m.Rules {
		if r == nil {
			v.errorf(m.Pos, "model "+m.Name, "rule %d is nil", i)
			continue
		}
		ctx := "rule " + r.Name
		v.name(r.Pos, ctx, "rule name", r.Name)
		declare(r.Pos, ctx, r.Name)
		v.labels(r.Pos, ctx, "message", &r.Message)
		if r.Expr == nil {
			if !v.skipNilExprs {
				v.errorf(r.Pos, ctx, "rule has no expression")
			}
			continue
		}
		v.exprNodes = 0
		v.expr(r.Expr, r.Pos, ctx)
	}
	v.countLimits()
	for i, t := range m.Tables {
		if t == nil {
			v.errorf(m.Pos, "model "+m.Name, "table %d is nil", i)
			continue
		}
		declare(t.Pos, "table "+t.Name, t.Name)
		v.table(t)
	}
}

func (v *validator) char(c *Characteristic) {
	ctx := "char " + c.Name
	v.name(c.Pos, ctx, "characteristic name", c.Name)
	v.labels(c.Pos, ctx, "label", &c.Labels)
	if c.Optional && c.Kind != Single {
		v.errorf(c.Pos, ctx, "only a single characteristic can be optional")
	}
	if c.Kind != Int && (c.Min != 0 || c.Max != 0 || c.Step != 0) {
		v.errorf(c.Pos, ctx, "min, max and step apply only to int characteristics")
	}
	if c.Kind != Multi && (c.MinCount != 0 || c.MaxCount != 0) {
		v.errorf(c.Pos, ctx, "value counts apply only to multi characteristics")
	}
	switch c.Kind {
	case Single, Multi:
		if len(c.Values) == 0 {
			v.errorf(c.Pos, ctx, "%s %s has no values", c.Kind, c.Name)
		}
		if len(c.Values) > MaxValues {
			v.errorf(c.Pos, ctx, "%s %s has %d values, more than the %d a characteristic may have (MaxValues): split it into several characteristics", c.Kind, c.Name, len(c.Values), MaxValues)
			return
		}
		names := map[string]Pos{}
		for _, val := range c.Values {
			if val == nil {
				v.errorf(c.Pos, ctx, "nil value")
				continue
			}
			p := orPos(val.Pos, c.Pos)
			v.name(p, ctx, "value name", val.Name)
			if prev, dup := names[val.Name]; dup {
				v.errorf(p, ctx, "duplicate value %q for %s%s", val.Name, c.Name, firstAt(prev))
			} else {
				names[val.Name] = p
			}
			v.labels(p, ctx, "label", &val.Labels)
			if val.Price > MaxPrice || val.Price < -MaxPrice {
				v.errorf(p, ctx, "price of %s is out of range", val.Name)
			} else if v.prices <= MaxPrice {
				if v.prices += max(val.Price, -val.Price); v.prices > MaxPrice {
					v.errorf(p, ctx, "price of %s: the model's price deltas add up to more than %d.%02d: a configuration's price could not be summed", val.Name, MaxPrice/100, MaxPrice%100)
				}
			}
		}
		if c.Kind == Multi {
			switch {
			case c.MinCount < 0:
				v.errorf(c.Pos, ctx, "min %d is negative", c.MinCount)
			case c.MinCount > len(c.Values):
				v.errorf(c.Pos, ctx, "min %d exceeds the %d values of %s", c.MinCount, len(c.Values), c.Name)
			case c.MaxCount >= 0 && c.MaxCount < c.MinCount:
				v.errorf(c.Pos, ctx, "max %d is less than min %d", c.MaxCount, c.MinCount)
			}
		}
	case Int, Bool:
		if len(c.Values) > 0 {
			v.errorf(c.Pos, ctx, "%s characteristic %s cannot have enumerated values", c.Kind, c.Name)
		}
		if c.Kind == Int {
			switch {
			case c.Step < 1:
				v.errorf(c.Pos, ctx, "step %d must be at least 1", c.Step)
			case c.Max < c.Min:
				v.errorf(c.Pos, ctx, "empty range %d..%d", c.Min, c.Max)
			case (uint64(c.Max)-uint64(c.Min))%uint64(c.Step) != 0:
				v.errorf(c.Pos, ctx, "range %d..%d is not a multiple of step %d", c.Min, c.Max, c.Step)
			case (uint64(c.Max)-uint64(c.Min))/uint64(c.Step) >= MaxIntDomain:
				v.errorf(c.Pos, ctx, "range %d..%d step %d has more than %d values", c.Min, c.Max, c.Step, MaxIntDomain)
			}
		}
	default:
		v.errorf(c.Pos, ctx, "unknown kind %s", c.Kind)
		return
	}
	v.defaults(c, ctx)
}

func (v *validator) defaults(c *Characteristic, ctx string) {
	if len(c.Default) == 0 {
		return
	}
	pos := func(i int) Pos {
		if ps := v.defaultPos[c]; i < len(ps) {
			return ps[i]
		}
		return c.Pos
	}
	if c.Kind != Multi && len(c.Default) > 1 {
		v.errorf(pos(1), ctx, "%s characteristic %s has more than one default", c.Kind, c.Name)
		return
	}
	for i, d := range c.Default {
		if d == "" && c.Kind == Single && c.Optional {
			continue
		}
		if !c.InDomain(d) {
			v.errorf(pos(i), ctx, "default: %s", v.notInDomain(c, d, v.written[writtenAt{pos(i), d}]))
		}
		if slices.Contains(c.Default[:i], d) {
			v.errorf(pos(i), ctx, "default %q listed twice", d)
		}
	}
	if c.Kind == Multi {
		n := len(c.Default)
		if n < c.MinCount || (c.MaxCount >= 0 && n > c.MaxCount) {
			v.errorf(pos(0), ctx, "default has %d values, outside min %d max %d", n, c.MinCount, c.MaxCount)
		}
	}
}

// notInDomain explains why value is not in the domain of c, as "value %q
// ..." (with a did-you-mean for enumerated values). written is the integer
// the parser read as value when it was written otherwise ("007" for 7), or
// "".
func (v *validator) notInDomain(c *Characteristic, value, written string) string {
	switch c.Kind {
	case Int:
		n, err := strconv.ParseInt(value, 10, 64)
		switch {
		case err != nil || strconv.FormatInt(n, 10) != value:
			return typo.Quote(value) + " for " + c.Name + " is not an integer"
		case n < c.Min || n > c.Max:
			return strconv.FormatInt(n, 10) + " is outside the range " + strconv.FormatInt(c.Min, 10) + ".." + strconv.FormatInt(c.Max, 10) + " of " + c.Name
		default:
			return strconv.FormatInt(n, 10) + " is not on the step " + strconv.FormatInt(c.Step, 10) + " of " + c.Name + " (from " + strconv.FormatInt(c.Min, 10) + ")"
		}
	case Bool:
		if written != "" {
			value = written
		}
		return typo.Quote(value) + " for bool " + c.Name + " is neither true nor false"
	}
	if value == "" {
		return "none for " + c.Name + ": only an optional characteristic can be empty"
	}
	if written != "" {
		// A number is read canonically; say so, and how to write a value
		// named as it was written.
		if c.InDomain(written) {
			return "unknown value " + typo.Clip(written) + " for " + c.Name + ": " + leadingZeros(written, "the value "+typo.Clip(written))
		}
		return "unknown value " + typo.Clip(written) + " (read as " + typo.Clip(value) + ") for " + c.Name + didYouMean(written, c.Domain())
	}
	return "unknown value " + typo.Quote(value) + " for " + c.Name + didYouMean(value, c.Domain())
}

// lookup resolves a characteristic name, reporting unknown names.
func (v *validator) lookup(p Pos, ctx, name string) *Characteristic {
	c := v.m.Char(name)
	if c == nil {
		v.errorf(p, ctx, "unknown characteristic %s%s", typo.Quote(name), v.charHint(name))
	}
	return c
}

func (v *validator) expr(e Expr, at Pos, ctx string) {
	if e == nil {
		v.errorf(at, ctx, "missing expression")
		return
	}
	p := orPos(e.Position(), at)
	if !v.node(p, ctx) {
		return
	}
	switch e := e.(type) {
	case *Lit:
	case *Eq:
		c := v.lookup(p, ctx, e.Char)
		if c == nil {
			return
		}
		if c.Kind == Multi {
			v.errorf(p, ctx, "%s is a multi characteristic: write has(%s, %s)", c.Name, c.Name, formatValue(e.Value))
			return
		}
		v.value(p, ctx, c, e.Value)
	case *In:
		c := v.lookup(p, ctx, e.Char)
		if c == nil {
			return
		}
		if c.Kind == Multi {
			v.errorf(p, ctx, "%s is a multi characteristic: \"in\" needs a single, int or bool one", c.Name)
			return
		}
		seen := make(map[string]bool, len(e.Values))
		for _, val := range e.Values {
			if !v.node(p, ctx) {
				return
			}
			v.value(p, ctx, c, val)
			if seen[val] {
				v.errorf(p, ctx, "value %s listed twice", formatValue(val))
			}
			seen[val] = true
		}
	case *Has:
		c := v.lookup(p, ctx, e.Char)
		if c == nil {
			return
		}
		if c.Kind != Multi {
			v.errorf(p, ctx, "has() needs a multi characteristic; %s is %s", c.Name, c.kindPhrase())
			return
		}
		v.value(p, ctx, c, e.Value)
	case *Not:
		v.expr(e.X, p, ctx)
	case *And:
		for _, x := range e.Xs {
			v.expr(x, p, ctx)
		}
	case *Or:
		for _, x := range e.Xs {
			v.expr(x, p, ctx)
		}
	case *Implies:
		v.expr(e.L, p, ctx)
		v.expr(e.R, p, ctx)
	case *Iff:
		v.expr(e.L, p, ctx)
		v.expr(e.R, p, ctx)
	case *Cmp:
		if e.Op < OpEq || e.Op > OpGe {
			v.errorf(p, ctx, "unknown comparison operator %d", int(e.Op))
		}
		v.intExpr(e.L, p, ctx)
		v.intExpr(e.R, p, ctx)
	default:
		v.errorf(p, ctx, "unknown expression type %T", e)
	}
}

func (v *validator) intExpr(e IntExpr, at Pos, ctx string) {
	if e == nil {
		v.errorf(at, ctx, "missing integer expression")
		return
	}
	p := orPos(e.Position(), at)
	if !v.node(p, ctx) {
		return
	}
	switch e := e.(type) {
	case *IntLit:
	case *IntRef:
		c := v.lookup(p, ctx, e.Char)
		if c != nil && c.Kind != Int {
			v.errorf(p, ctx, "%s is %s, not an int characteristic", c.Name, c.kindPhrase())
		}
	case *Count:
		if e.Char != "" {
			if len(e.Xs) > 0 {
				v.errorf(p, ctx, "count of %s cannot also count expressions", e.Char)
			}
			c := v.lookup(p, ctx, e.Char)
			if c != nil && c.Kind != Multi {
				v.errorf(p, ctx, "count(%s) needs a multi characteristic; %s is %s", c.Name, c.Name, c.kindPhrase())
			}
			if _, ok := v.counted[e.Char]; !ok {
				if v.counted == nil {
					v.counted = map[string]Pos{}
				}
				v.counted[e.Char] = p
			}
			return
		}
		if len(e.Xs) > MaxCountValues {
			v.errorf(p, ctx, "count of %d conditions: a cardinality encoding is limited to %d (MaxCountValues); split the count into a sum of smaller counts", len(e.Xs), MaxCountValues)
		}
		for _, x := range e.Xs {
			v.expr(x, p, ctx)
		}
	case *Arith:
		if e.Op < OpAdd || e.Op > OpMod {
			v.errorf(p, ctx, "unknown arithmetic operator %d", int(e.Op))
		}
		v.intExpr(e.L, p, ctx)
		v.intExpr(e.R, p, ctx)
	default:
		v.errorf(p, ctx, "unknown integer expression type %T", e)
	}
}

// value checks that value can be compared with c (Eq, In, Has, cells).
func (v *validator) value(p Pos, ctx string, c *Characteristic, value string) {
	if value == "" && c.Kind == Single && c.Optional {
		return
	}
	if !c.InDomain(value) {
		v.errorf(p, ctx, "%s", v.notInDomain(c, value, v.written[writtenAt{p, value}]))
	}
}

func (c *Characteristic) kindPhrase() string {
	switch {
	case c.Kind == Single && c.Optional:
		return "an optional characteristic"
	case c.Kind == Int:
		return "an int characteristic"
	}
	return "a " + c.Kind.String() + " characteristic"
}

func (v *validator) table(t *Table) {
	ctx := "table " + t.Name
	v.name(t.Pos, ctx, "table name", t.Name)
	v.labels(t.Pos, ctx, "message", &t.Message)
	if t.Kind != Allowed && t.Kind != Forbidden {
		v.errorf(t.Pos, ctx, "unknown table kind %d", int(t.Kind))
	}
	if len(t.Columns) == 0 {
		v.errorf(t.Pos, ctx, "table has no columns")
	}
	cols := make([]*Characteristic, len(t.Columns))
	for i, name := range t.Columns {
		p := t.Pos
		if cp := v.colPos[t]; i < len(cp) {
			p = cp[i]
		}
		c := v.lookup(p, ctx, name)
		if c == nil {
			continue
		}
		if c.Kind == Multi {
			v.errorf(p, ctx, "column %s is a multi characteristic; tables take single, optional, int and bool ones", name)
			continue
		}
		if slices.Contains(t.Columns[:i], name) {
			v.errorf(p, ctx, "column %s appears twice", name)
		}
		cols[i] = c
	}
	for ri, row := range t.Rows {
		rp := orPos(row.Pos, t.Pos)
		rctx := ctx + " row " + strconv.Itoa(ri+1)
		if len(row.Cells) != len(t.Columns) {
			v.errorf(rp, rctx, "row has %s, want %d (one per column)", plural(len(row.Cells), "cell"), len(t.Columns))
			continue
		}
		for ci, cell := range row.Cells {
			p := rp
			if cp := v.cellPos[t]; ri < len(cp) && ci < len(cp[ri]) {
				p = cp[ri][ci]
			}
			switch {
			case cell.Any && len(cell.Values) > 0:
				v.errorf(p, rctx, "cell is both * and a value set")
			case !cell.Any && len(cell.Values) == 0:
				v.errorf(p, rctx, "empty cell (write * for any value)")
			}
			if cols[ci] == nil {
				continue
			}
			var seen map[string]bool // for long sets only
			if len(cell.Values) > 8 {
				seen = make(map[string]bool, len(cell.Values))
			}
			for i, val := range cell.Values {
				v.value(p, rctx, cols[ci], val)
				if seen != nil && seen[val] || seen == nil && slices.Contains(cell.Values[:i], val) {
					v.errorf(p, rctx, "value %s listed twice", formatValue(val))
				}
				if seen != nil {
					seen[val] = true
				}
			}
		}
	}
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// firstAt is " (first declared at file:line:col)", or "" for a model built
// in Go, which has no positions.
func firstAt(p Pos) string {
	if p.Line == 0 && p.File == "" {
		return ""
	}
	return " (first declared at " + p.String() + ")"
}
