package model

import (
	"os"
	"strconv"
	"strings"

	"github.com/ctoplan/ctoplan/configurator/internal/lex"
	"github.com/ctoplan/ctoplan/internal/typo"
)

// maxParseErrors stops parsing after this many errors.
const maxParseErrors = 50

// Parse parses a .ctm model (see docs/model-language.md) and validates it
// with the checks of [Model.Validate]. filename is used in positions and
// error messages only. Names are resolved after the whole file is read, so
// declaration order does not matter.
//
// The error is an [ErrorList] of [*Error], sorted by position, each printing
// as "file:line:col: message"; unknown names come with a did-you-mean.
func Parse(filename string, src []byte) (*Model, error) {
	var errs ErrorList
	p := newParserBOM(filename, string(src), &errs)
	m := p.file()
	if len(errs) == 0 {
		// Only a syntactically correct file is resolved: after a syntax
		// error, half-parsed declarations would give confusing errors.
		p.resolve(m)
	}
	errs.Sort()
	if len(errs) > 0 {
		return nil, errs
	}
	m.buildIndex()
	return m, nil
}

// ParseFile reads and parses the model file at path.
func ParseFile(path string) (*Model, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, src)
}

// ParseExpr parses the boolean expression src and resolves it against m.
// at is where src starts in the caller's file (a CSV cell, say): error
// positions are at plus the offset into src. The zero Pos counts from line
// 1, column 1. A nil m is a model without characteristics.
func ParseExpr(m *Model, at Pos, src string) (Expr, error) {
	if m == nil {
		m = &Model{}
	}
	var errs ErrorList
	p := newParser(at.File, src, at, &errs)
	n := p.exprEOF()
	var e Expr
	if len(errs) == 0 {
		r := &resolver{p: p, v: &validator{m: m}}
		e = r.bool(n)
		errs = append(errs, r.v.errs...)
	}
	errs.Sort()
	if len(errs) > 0 || e == nil {
		return nil, errs.Err()
	}
	return e, nil
}

// ParseIntExpr parses the integer expression src and resolves it against m,
// like [ParseExpr].
func ParseIntExpr(m *Model, at Pos, src string) (IntExpr, error) {
	if m == nil {
		m = &Model{}
	}
	var errs ErrorList
	p := newParser(at.File, src, at, &errs)
	n := p.exprEOF()
	var e IntExpr
	if len(errs) == 0 {
		r := &resolver{p: p, v: &validator{m: m}}
		e = r.int(n)
		errs = append(errs, r.v.errs...)
	}
	errs.Sort()
	if len(errs) > 0 || e == nil {
		return nil, errs.Err()
	}
	return e, nil
}

// bailout unwinds the parser to the enclosing declaration after a syntax
// error.
type bailout struct{}

type parser struct {
	filename string
	lx       *lex.Lexer
	ahead    []lex.Token // lexed beyond tok, for peek
	i        int         // tokens consumed, to detect progress
	tok      lex.Token
	depth    int // brace depth before tok
	nesting  int // expression nesting, see nest
	errs     *ErrorList
	// exprStart is the lex.Token count where the expression being parsed
	// started (-1 outside one), exprPos its position: next stops an
	// expression of more than MaxExprSize tokens.
	exprStart int
	exprPos   Pos

	// collected for the resolution pass
	ruleExprs  map[*Rule]*node
	defaultPos map[*Characteristic][]Pos
	cellPos    map[*Table][][]Pos
	colPos     map[*Table][]Pos
	labelPos   map[*Labels]map[string]labelPos
	versionPos Pos
	// written holds what was written for an integer value of a default,
	// set or cell whose canonical form differs ("007" read as 7), for
	// messages that say what was written.
	written map[writtenAt]string
	posSlab []Pos
}

// newParserBOM is newParser for a whole file, which may start with a
// UTF-8 byte order mark.
func newParserBOM(file, src string, errs *ErrorList) *parser {
	p := &parser{filename: file, lx: lex.New(src, 0, 0, lexErrorf(file, errs)), errs: errs, exprStart: -1}
	p.lx.SkipBOM()
	p.tok = p.lx.Next()
	return p
}

func newParser(file, src string, at Pos, errs *ErrorList) *parser {
	p := &parser{filename: file, lx: lex.New(src, at.Line, at.Col, lexErrorf(file, errs)), errs: errs, exprStart: -1}
	p.tok = p.lx.Next()
	return p
}

// at is the position of lex.Token t.
func (p *parser) at(t lex.Token) Pos {
	return Pos{File: p.filename, Line: int(t.Line), Col: int(t.Col)}
}

func (p *parser) next() {
	switch p.tok.Kind {
	case lex.LBrace:
		p.depth++
	case lex.RBrace:
		p.depth--
	case lex.EOF:
		return
	}
	p.i++
	if p.exprStart >= 0 && p.i-p.exprStart > MaxExprSize {
		p.exprStart = -1
		p.errs.Add(p.exprPos, "the condition has more than %d tokens (the limit MaxExprSize): split it into several rules", MaxExprSize)
		panic(bailout{})
	}
	if len(p.ahead) > 0 {
		p.tok = p.ahead[0]
		p.ahead = p.ahead[1:]
		return
	}
	p.tok = p.lx.Next()
}

func (p *parser) peek(k int) lex.Token {
	for len(p.ahead) < k {
		p.ahead = append(p.ahead, p.lx.Next())
	}
	return p.ahead[k-1]
}

// positions returns a slice of n positions from a shared slab.
func (p *parser) positions(n int) []Pos {
	if len(p.posSlab) < n {
		p.posSlab = make([]Pos, max(n, 1024))
	}
	s := p.posSlab[:0:n]
	p.posSlab = p.posSlab[n:]
	return s
}

// fail reports a syntax error at the current lex.Token and bails out. An
// invalid lex.Token was reported by the lexer already.
func (p *parser) fail(format string, args ...any) {
	if p.tok.Kind != lex.Illegal {
		p.errs.Add(p.at(p.tok), format, args...)
	}
	panic(bailout{})
}

func (p *parser) expected(what string) {
	p.fail("expected %s, found %s", what, p.tok)
}

func (p *parser) isKw(kw string) bool { return p.tok.Kind == lex.Ident && p.tok.Text == kw }

func (p *parser) expect(k lex.Kind) Pos {
	if p.tok.Kind != k {
		p.expected(k.String())
	}
	pos := p.at(p.tok)
	p.next()
	return pos
}

func (p *parser) expectKw(kw string) {
	if !p.isKw(kw) {
		p.expected(strconv.Quote(kw))
	}
	p.next()
}

// name parses a declared name: an identifier (keywords allowed) or a
// backquoted name. Integers are accepted too, for values like 48, but not
// with leading zeros: in an expression 007 is the number 7, so a value
// declared 007 could not be named as written.
func (p *parser) name(what string) (string, Pos) {
	switch p.tok.Kind {
	case lex.Ident, lex.QName, lex.Int:
		s, pos := p.tok.Text, p.at(p.tok)
		if p.tok.Kind == lex.Int && len(s) > 1 && s[0] == '0' {
			// "a value name" -> "value name", "a column (...)" -> "column"
			noun := strings.TrimPrefix(strings.TrimPrefix(what, "a "), "the ")
			noun, _, _ = strings.Cut(noun, " (")
			noun, _, _ = strings.Cut(noun, " such as")
			p.errs.Add(pos, "%s %s: %s", noun, typo.Clip(s), leadingZeros(s, "a name that keeps them"))
		}
		p.next()
		return s, pos
	}
	p.expected(what)
	return "", Pos{}
}

func (p *parser) str(what string) string {
	if p.tok.Kind != lex.String {
		p.expected(what)
	}
	s := p.tok.Text
	p.next()
	return s
}

// label parses "LANG STRING" after label or message into l, recording
// where the language tag and the text stand.
func (p *parser) label(l *Labels, kw string) {
	p.next()
	lang, pos := p.name("a language tag such as en or zh")
	textPos := p.at(p.tok)
	text := p.str("a quoted " + kw + " text")
	if *l == nil {
		*l = Labels{}
	}
	if _, dup := (*l)[lang]; dup {
		p.errs.Add(pos, "duplicate %s for language %s", kw, typo.Clip(lang))
	}
	(*l)[lang] = text
	if p.labelPos[l] == nil {
		p.labelPos[l] = map[string]labelPos{}
	}
	p.labelPos[l][lang] = labelPos{lang: pos, text: textPos}
}

// recoverTo is deferred by the parsing of one declaration: after a syntax
// error it skips to the next declaration at brace depth depth (or to a
// line that plainly starts one).
func (p *parser) recoverTo(depth, start int) {
	r := recover()
	if r == nil {
		return
	}
	if _, ok := r.(bailout); !ok {
		panic(r)
	}
	p.exprStart = -1
	if len(*p.errs) >= maxParseErrors {
		panic(bailout{})
	}
	if p.i == start {
		p.next() // make progress
	}
	for p.tok.Kind != lex.EOF {
		if p.depth <= depth && (p.tok.Kind == lex.RBrace || p.startsDecl(true)) {
			break
		}
		if p.depth > depth && p.startsDecl(false) {
			p.depth = depth
			break
		}
		p.next()
	}
}

// startsDecl reports whether the current lex.Token starts a model item; with
// loose false, only char/rule/table followed by what plainly follows them.
func (p *parser) startsDecl(loose bool) bool {
	if p.tok.Kind != lex.Ident {
		return false
	}
	switch p.tok.Text {
	case "version", "currency", "label":
		return loose
	case "char", "rule", "table":
		if loose {
			return true
		}
		n1, n2 := p.peek(1), p.peek(2)
		if n1.Kind != lex.Ident && n1.Kind != lex.QName {
			return false
		}
		switch p.tok.Text {
		case "char":
			return n2.Kind == lex.Ident && kindWords[n2.Text]
		case "rule":
			return n2.Kind == lex.LBrace
		default:
			return n2.Kind == lex.Ident && (n2.Text == "allowed" || n2.Text == "forbidden")
		}
	}
	return false
}

var kindWords = map[string]bool{"single": true, "optional": true, "multi": true, "int": true, "bool": true}

func (p *parser) file() (m *Model) {
	m = &Model{}
	p.ruleExprs = map[*Rule]*node{}
	p.defaultPos = map[*Characteristic][]Pos{}
	p.cellPos = map[*Table][][]Pos{}
	p.colPos = map[*Table][]Pos{}
	p.labelPos = map[*Labels]map[string]labelPos{}
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(bailout); !ok {
				panic(r)
			}
		}
	}()
	func() {
		defer p.recoverTo(0, -1)
		p.expectKw("model")
		m.Name, m.Pos = p.name("the model name")
		p.expect(lex.LBrace)
	}()
	seen := map[string]bool{}
	for p.tok.Kind != lex.EOF && !(p.tok.Kind == lex.RBrace && p.depth <= 1) {
		p.item(m, seen)
	}
	if p.tok.Kind == lex.EOF {
		if len(*p.errs) == 0 {
			p.errs.Add(p.at(p.tok), "expected \"}\" to close model %s, found end of file", m.Name)
		}
		return m
	}
	p.next()
	if p.tok.Kind != lex.EOF && p.tok.Kind != lex.Illegal {
		p.errs.Add(p.at(p.tok), "expected end of file after the model, found %s (one model per file)", p.tok)
	}
	return m
}

func (p *parser) item(m *Model, seen map[string]bool) {
	defer p.recoverTo(1, p.i)
	if p.tok.Kind != lex.Ident {
		p.expected("char, rule, table, label, version or currency")
	}
	switch kw := p.tok.Text; kw {
	case "version", "currency":
		pos := p.at(p.tok)
		p.next()
		if seen[kw] {
			p.errs.Add(pos, "duplicate %s", kw)
		}
		seen[kw] = true
		if kw == "version" {
			p.versionPos = p.at(p.tok)
			m.Version = p.str("a quoted version")
		} else {
			m.Currency, _ = p.name("a currency code such as EUR")
		}
	case "label":
		p.label(&m.Labels, "label")
	case "char":
		p.char(m)
	case "rule":
		p.rule(m)
	case "table":
		p.table(m)
	default:
		p.expected("char, rule, table, label, version or currency")
	}
}

func (p *parser) char(m *Model) {
	p.next()
	c := &Characteristic{}
	c.Name, c.Pos = p.name("a characteristic name")
	if p.tok.Kind != lex.Ident || !kindWords[p.tok.Text] {
		p.expected("single, optional, multi, int or bool")
	}
	switch p.tok.Text {
	case "single":
		c.Kind = Single
		p.next()
	case "optional":
		c.Kind, c.Optional = Single, true
		p.next()
	case "multi":
		c.Kind, c.MaxCount = Multi, -1
		p.next()
		if p.isKw("min") {
			p.next()
			c.MinCount = p.count()
		}
		if p.isKw("max") {
			p.next()
			c.MaxCount = p.count()
		}
	case "int":
		c.Kind = Int
		p.next()
		c.Min = p.signedInt()
		p.expect(lex.DotDot)
		c.Max = p.signedInt()
		c.Step = 1
		if p.isKw("step") {
			p.next()
			c.Step = p.signedInt()
		}
	case "bool":
		c.Kind = Bool
		p.next()
	}
	m.Chars = append(m.Chars, c)
	if p.tok.Kind != lex.LBrace {
		return // liberal: the body is optional
	}
	p.next()
	for p.tok.Kind != lex.RBrace {
		switch {
		case p.isKw("label"):
			p.label(&c.Labels, "label")
		case p.isKw("default"):
			if c.Default != nil {
				p.errs.Add(p.at(p.tok), "duplicate default for %s", c.Name)
			}
			p.next()
			c.Default, p.defaultPos[c] = p.defaultValues()
		case p.isKw("value"):
			p.next()
			v := &Value{}
			v.Name, v.Pos = p.name("a value name")
			c.Values = append(c.Values, v)
			if p.tok.Kind == lex.LBrace {
				p.valueBody(v)
			}
		default:
			p.expected("label, default, value or \"}\"")
		}
	}
	p.next()
}

func (p *parser) valueBody(v *Value) {
	p.next()
	seenPrice := false
	for p.tok.Kind != lex.RBrace {
		switch {
		case p.isKw("label"):
			p.label(&v.Labels, "label")
		case p.isKw("price"):
			if seenPrice {
				p.errs.Add(p.at(p.tok), "duplicate price for %s", v.Name)
			}
			seenPrice = true
			p.next()
			v.Price = p.price()
		default:
			p.expected("label, price or \"}\"")
		}
	}
	p.next()
}

func (p *parser) count() int {
	if p.tok.Kind != lex.Int {
		p.expected("a count")
	}
	n, err := strconv.Atoi(p.tok.Text)
	if err != nil {
		p.fail("count %s is too large", typo.Clip(p.tok.Text))
	}
	p.next()
	return n
}

func (p *parser) signedInt() int64 {
	neg := false
	if p.tok.Kind == lex.Minus {
		neg = true
		p.next()
	}
	if p.tok.Kind != lex.Int {
		p.expected("an integer")
	}
	text := p.tok.Text
	if neg {
		text = "-" + text
	}
	n, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		p.fail("integer %s is out of range", typo.Clip(text))
	}
	p.next()
	return n
}

// price parses [-]DIGITS[.D[D]] into minor units.
func (p *parser) price() int64 {
	neg := false
	if p.tok.Kind == lex.Minus {
		neg = true
		p.next()
	}
	if p.tok.Kind != lex.Int && p.tok.Kind != lex.Decimal {
		p.expected("a price such as 1800 or 1800.50")
	}
	whole, frac, _ := strings.Cut(p.tok.Text, ".")
	if len(frac) > 2 {
		p.fail("price %s has more than two decimals", typo.Clip(p.tok.Text))
	}
	frac += "00"[len(frac):]
	w, err1 := strconv.ParseInt(whole, 10, 64)
	f, _ := strconv.ParseInt(frac, 10, 64)
	if err1 != nil || w > MaxPrice/100 || w*100+f > MaxPrice {
		p.fail("price %s is out of range", typo.Clip(p.tok.Text))
	}
	p.next()
	cents := w*100 + f
	if neg {
		cents = -cents
	}
	return cents
}

// valueTok parses one value in a default, set or cell: a name, an integer
// (possibly negative, written canonically: 007 is 7), true, false or none
// (""). A backquoted name is taken as it is.
func (p *parser) valueTok(what string) (v string, pos Pos) {
	pos = p.at(p.tok)
	switch p.tok.Kind {
	case lex.Ident:
		v = p.tok.Text
		if v == "none" {
			v = ""
		}
	case lex.QName:
		v = p.tok.Text
	case lex.Int:
		v = p.canonical(pos, p.tok.Text)
	case lex.Minus:
		if p.peek(1).Kind == lex.Int {
			p.next()
			v = p.canonical(pos, "-"+p.tok.Text)
		} else {
			p.expected(what)
		}
	default:
		p.expected(what)
	}
	p.next()
	return v, pos
}

// writtenAt keys what was written for the integer value read as value
// at pos (a cell's position for each value of its set).
type writtenAt struct {
	pos   Pos
	value string
}

// canonical is canonicalInt(text) for the integer text written at pos,
// recording what was written when that differs.
func (p *parser) canonical(pos Pos, text string) string {
	v := canonicalInt(text)
	if v != text {
		if p.written == nil {
			p.written = map[writtenAt]string{}
		}
		p.written[writtenAt{pos, v}] = text
	}
	return v
}

// leadingZeros explains how the integer s, written with leading zeros, is
// read, and how to write it instead for what.
func leadingZeros(s, what string) string {
	return "a number is read without its leading zeros (as " + typo.Clip(canonicalInt(s)) + "); write `" + typo.Clip(s) + "` in backquotes for " + what
}

// canonicalInt rewrites a decimal integer in canonical form (007 -> 7).
func canonicalInt(v string) string {
	if v == "" || !(('0' <= v[0] && v[0] <= '9') || v[0] == '-') {
		return v
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		return strconv.FormatInt(n, 10)
	}
	return v
}

// valueSet parses "{v, w, ...}" (the "{" is the current lex.Token).
func (p *parser) valueSet(what string) ([]string, []Pos) {
	p.expect(lex.LBrace)
	var vs []string
	var ps []Pos
	for p.tok.Kind != lex.RBrace {
		v, pos := p.valueTok(what)
		vs, ps = append(vs, v), append(ps, pos)
		if p.tok.Kind != lex.Comma {
			break
		}
		p.next()
	}
	p.expect(lex.RBrace)
	return vs, ps
}

func (p *parser) defaultValues() ([]string, []Pos) {
	if p.tok.Kind == lex.LBrace {
		vs, ps := p.valueSet("a default value")
		if len(vs) == 0 {
			return nil, nil
		}
		return vs, ps
	}
	v, pos := p.valueTok("a default value")
	return []string{v}, []Pos{pos}
}

func (p *parser) rule(m *Model) {
	p.next()
	r := &Rule{}
	r.Name, r.Pos = p.name("a rule name")
	m.Rules = append(m.Rules, r)
	p.expect(lex.LBrace)
	for p.isKw("message") {
		p.label(&r.Message, "message")
	}
	if p.tok.Kind == lex.RBrace {
		p.fail("rule %s has no condition", r.Name)
	}
	p.exprStart, p.exprPos = p.i, p.at(p.tok)
	p.ruleExprs[r] = p.expr()
	p.exprStart = -1
	if p.tok.Kind != lex.RBrace {
		p.expected("an operator or \"}\" after the rule's condition")
	}
	p.next()
}

func (p *parser) table(m *Model) {
	p.next()
	t := &Table{}
	t.Name, t.Pos = p.name("a table name")
	switch {
	case p.isKw("allowed"):
		t.Kind = Allowed
	case p.isKw("forbidden"):
		t.Kind = Forbidden
	default:
		p.expected("allowed or forbidden")
	}
	p.next()
	p.expect(lex.LParen)
	for {
		name, pos := p.name("a column (characteristic name)")
		p.colPos[t] = append(p.colPos[t], pos)
		t.Columns = append(t.Columns, name)
		if p.tok.Kind != lex.Comma {
			break
		}
		p.next()
		if p.tok.Kind == lex.RParen {
			break
		}
	}
	p.expect(lex.RParen)
	m.Tables = append(m.Tables, t)
	p.expect(lex.LBrace)
	for p.isKw("message") {
		p.label(&t.Message, "message")
	}
	ncol := len(t.Columns)
	var cellSlab []Cell
	var valueSlab []string
	for p.tok.Kind != lex.RBrace {
		row := Row{Pos: p.at(p.tok)}
		// Cells and single values come from slabs: tables can be large.
		if len(cellSlab) < ncol {
			cellSlab = make([]Cell, max(ncol*64, 256))
			valueSlab = make([]string, max(ncol*64, 256))
		}
		row.Cells = cellSlab[:0:ncol]
		cellPos := p.positions(ncol)
		p.expect(lex.LParen)
		for p.tok.Kind != lex.RParen {
			cellPos = append(cellPos, p.at(p.tok))
			var cell Cell
			switch p.tok.Kind {
			case lex.Star:
				cell.Any = true
				p.next()
			case lex.LBrace:
				var ps []Pos
				cell.Values, ps = p.valueSet("a value")
				// a set's values are checked at the cell's position
				for i, v := range cell.Values {
					if w, ok := p.written[writtenAt{ps[i], v}]; ok {
						p.written[writtenAt{cellPos[len(cellPos)-1], v}] = w
					}
				}
			default:
				v, _ := p.valueTok("a value, *, {values} or none")
				if len(valueSlab) == 0 {
					valueSlab = make([]string, 256)
				}
				valueSlab[0] = v
				cell.Values = valueSlab[0:1:1]
				valueSlab = valueSlab[1:]
			}
			row.Cells = append(row.Cells, cell)
			if p.tok.Kind != lex.Comma {
				break
			}
			p.next()
		}
		p.expect(lex.RParen)
		if len(row.Cells) <= ncol {
			cellSlab = cellSlab[len(row.Cells):]
		}
		p.cellPos[t] = append(p.cellPos[t], cellPos)
		t.Rows = append(t.Rows, row)
	}
	p.next()
}

// Expressions are parsed into an untyped syntax tree first, since whether
// "a = b" compares values or integers depends on the kind of a, which may be
// declared later in the file.

type nodeKind uint8

const (
	nName  nodeKind = iota // text: identifier or backquoted name
	nInt                   // text: decimal, maybe negative
	nTrue                  // true
	nFalse                 // false
	nNone                  // none
	nBin                   // op, l, r (comparisons, arithmetic, ->, <->)
	nAnd                   // args
	nOr                    // args
	nNot                   // l
	nNeg                   // unary minus: l
	nIn                    // l in args (neg: not in)
	nHas                   // has(args)
	nCount                 // count(args)
	nParen                 // (l)
)

type node struct {
	Kind nodeKind
	op   lex.Kind
	neg  bool
	Text string
	pos  Pos
	l, r *node
	args []*node
}

func (p *parser) exprEOF() *node {
	var n *node
	func() {
		defer func() {
			if r := recover(); r != nil {
				if _, ok := r.(bailout); !ok {
					panic(r)
				}
				n = nil
			}
		}()
		p.exprStart, p.exprPos = p.i, p.at(p.tok)
		n = p.expr()
		p.exprStart = -1
		if p.tok.Kind != lex.EOF {
			p.expected("an operator or the end of the expression")
		}
	}()
	if n == nil && len(*p.errs) == 0 {
		p.errs.Add(p.at(p.tok), "invalid expression")
	}
	return n
}

// maxNesting bounds how deeply expressions nest, so that no input can
// exhaust the stack of the parser or of the code walking its result.
const maxNesting = 1000

// nest counts one more level of nesting; call the result when leaving it.
func (p *parser) nest() func() {
	p.nesting++
	if p.nesting > maxNesting {
		p.fail("expression nested more than %d deep", maxNesting)
	}
	return func() { p.nesting-- }
}

func (p *parser) expr() *node {
	n := p.implies()
	for p.tok.Kind == lex.Iff {
		p.next()
		n = &node{Kind: nBin, op: lex.Iff, pos: n.pos, l: n, r: p.implies()}
	}
	return n
}

func (p *parser) implies() *node {
	n := p.or()
	if p.tok.Kind == lex.Arrow {
		p.next()
		n = &node{Kind: nBin, op: lex.Arrow, pos: n.pos, l: n, r: p.implies()}
	}
	return n
}

func (p *parser) or() *node {
	n := p.and()
	if !p.isKw("or") {
		return n
	}
	or := &node{Kind: nOr, pos: n.pos, args: []*node{n}}
	for p.isKw("or") {
		p.next()
		or.args = append(or.args, p.and())
	}
	return or
}

func (p *parser) and() *node {
	n := p.not()
	if !p.isKw("and") {
		return n
	}
	and := &node{Kind: nAnd, pos: n.pos, args: []*node{n}}
	for p.isKw("and") {
		p.next()
		and.args = append(and.args, p.not())
	}
	return and
}

func (p *parser) not() *node {
	if p.isKw("not") {
		defer p.nest()()
		pos := p.at(p.tok)
		p.next()
		return &node{Kind: nNot, pos: pos, l: p.not()}
	}
	return p.cmp()
}

func isCmp(k lex.Kind) bool { return k >= lex.Eq && k <= lex.Ge }

func (p *parser) cmp() *node {
	n := p.sum()
	switch {
	case isCmp(p.tok.Kind):
		op := p.tok.Kind
		p.next()
		n = &node{Kind: nBin, op: op, pos: n.pos, l: n, r: p.sum()}
	case p.isKw("in") || p.isKw("not") && p.peek(1).Kind == lex.Ident && p.peek(1).Text == "in":
		neg := p.isKw("not")
		if neg {
			p.next()
		}
		p.next()
		set := &node{Kind: nIn, neg: neg, pos: n.pos, l: n}
		p.expect(lex.LBrace)
		for p.tok.Kind != lex.RBrace {
			set.args = append(set.args, p.setValue())
			if p.tok.Kind != lex.Comma {
				if p.tok.Kind != lex.RBrace {
					p.expected(`"," or "}" in the set`)
				}
				break
			}
			p.next()
		}
		p.expect(lex.RBrace)
		return set
	default:
		return n
	}
	if isCmp(p.tok.Kind) {
		p.fail("comparisons do not chain: write a < b and b < c")
	}
	return n
}

// setValue parses one element of "in {...}".
func (p *parser) setValue() *node {
	if p.tok.Kind == lex.Minus && p.peek(1).Kind == lex.Int {
		pos := p.at(p.tok)
		p.next()
		n := &node{Kind: nInt, Text: "-" + p.tok.Text, pos: pos}
		p.next()
		return n
	}
	switch p.tok.Kind {
	case lex.Ident, lex.QName, lex.Int:
		return p.primary()
	}
	p.expected("a value")
	return nil
}

func (p *parser) sum() *node {
	n := p.term()
	for p.tok.Kind == lex.Plus || p.tok.Kind == lex.Minus {
		op := p.tok.Kind
		p.next()
		n = &node{Kind: nBin, op: op, pos: n.pos, l: n, r: p.term()}
	}
	return n
}

func (p *parser) term() *node {
	n := p.factor()
	for p.tok.Kind == lex.Star || p.tok.Kind == lex.Slash || p.tok.Kind == lex.Percent {
		op := p.tok.Kind
		p.next()
		n = &node{Kind: nBin, op: op, pos: n.pos, l: n, r: p.factor()}
	}
	return n
}

func (p *parser) factor() *node {
	if p.tok.Kind == lex.Minus {
		defer p.nest()()
		pos := p.at(p.tok)
		p.next()
		if p.tok.Kind == lex.Int {
			n := &node{Kind: nInt, Text: "-" + p.tok.Text, pos: pos}
			p.next()
			return n
		}
		return &node{Kind: nNeg, pos: pos, l: p.factor()}
	}
	return p.primary()
}

func (p *parser) primary() *node {
	t := p.tok
	switch t.Kind {
	case lex.Int:
		p.next()
		return &node{Kind: nInt, Text: t.Text, pos: p.at(t)}
	case lex.QName:
		p.next()
		return &node{Kind: nName, Text: t.Text, pos: p.at(t)}
	case lex.LParen:
		defer p.nest()()
		p.next()
		n := p.expr()
		p.expect(lex.RParen)
		return &node{Kind: nParen, pos: p.at(t), l: n}
	case lex.Ident:
		switch t.Text {
		case "true":
			p.next()
			return &node{Kind: nTrue, pos: p.at(t)}
		case "false":
			p.next()
			return &node{Kind: nFalse, pos: p.at(t)}
		case "none":
			p.next()
			return &node{Kind: nNone, pos: p.at(t)}
		case "has", "count":
			if p.peek(1).Kind == lex.LParen {
				defer p.nest()()
				p.next()
				p.next()
				n := &node{Kind: nHas, pos: p.at(t)}
				if t.Text == "count" {
					n.Kind = nCount
				}
				for p.tok.Kind != lex.RParen {
					if n.Kind == nHas && len(n.args) == 1 {
						n.args = append(n.args, p.setValue())
					} else {
						n.args = append(n.args, p.expr())
					}
					if p.tok.Kind != lex.Comma {
						break
					}
					p.next()
				}
				p.expect(lex.RParen)
				return n
			}
		case "and", "or", "not", "in":
			p.expected("an expression")
		}
		p.next()
		return &node{Kind: nName, Text: t.Text, pos: p.at(t)}
	case lex.Decimal:
		p.fail("%s is not an integer; a value whose name is not an identifier is written in backquotes: `%s`", typo.Clip(p.tok.Text), typo.Clip(p.tok.Text))
	case lex.String:
		p.fail("a value is a name, not a string: write %s (or `...` for a name that is not an identifier)", typo.Clip(quoteName(p.tok.Text)))
	}
	p.expected("an expression")
	return nil
}

// resolve turns the syntax trees of the rules into typed expressions and
// validates the model, with the positions the parser recorded.
func (p *parser) resolve(m *Model) {
	v := &validator{m: m, skipNilExprs: true, defaultPos: p.defaultPos, cellPos: p.cellPos, colPos: p.colPos,
		labelPos: p.labelPos, versionPos: p.versionPos, written: p.written}
	r := &resolver{p: p, v: v}
	for _, rule := range m.Rules {
		if n := p.ruleExprs[rule]; n != nil {
			rule.Expr = r.bool(n)
		}
	}
	v.validate()
	*p.errs = append(*p.errs, v.errs...)
}

// resolver types a syntax tree against a model. On an error it reports it
// and returns nil; the caller drops the whole expression.
type resolver struct {
	p *parser
	v *validator
}

func (r *resolver) errorf(pos Pos, format string, args ...any) {
	r.v.errs.Add(pos, format, args...)
}

// char resolves a characteristic name node.
func (r *resolver) char(n *node) *Characteristic {
	if n.Kind != nName {
		r.errorf(n.pos, "expected a characteristic name, found %s", describe(n))
		return nil
	}
	c := r.v.m.Char(n.Text)
	if c == nil {
		r.errorf(n.pos, "unknown characteristic %s%s", typo.Quote(n.Text), r.v.charHint(n.Text))
	}
	return c
}

func describe(n *node) string {
	switch n.Kind {
	case nName:
		return typo.Quote(n.Text)
	case nInt:
		return typo.Clip(n.Text)
	case nTrue:
		return "true"
	case nFalse:
		return "false"
	case nNone:
		return "none"
	case nParen:
		return "a parenthesized expression"
	}
	return "an expression"
}

// value resolves a value node for c, checking the domain.
func (r *resolver) value(c *Characteristic, n *node) (string, bool) {
	var v string
	switch n.Kind {
	case nName:
		v = n.Text
	case nInt:
		if v = canonicalInt(n.Text); v != n.Text {
			if r.v.written == nil {
				r.v.written = map[writtenAt]string{}
			}
			r.v.written[writtenAt{n.pos, v}] = n.Text
		}
	case nTrue:
		v = "true"
	case nFalse:
		v = "false"
	case nNone:
		v = ""
	default:
		r.errorf(n.pos, "expected a value of %s, found %s", c.Name, describe(n))
		return "", false
	}
	before := len(r.v.errs)
	r.v.value(n.pos, "", c, v)
	return v, len(r.v.errs) == before
}

func (r *resolver) bool(n *node) Expr {
	switch n.Kind {
	case nTrue:
		return &Lit{Val: true, Pos: n.pos}
	case nFalse:
		return &Lit{Val: false, Pos: n.pos}
	case nParen:
		return r.bool(n.l)
	case nName:
		c := r.char(n)
		if c == nil {
			return nil
		}
		if c.Kind != Bool {
			r.errorf(n.pos, "%s is %s, not a condition: compare it with a value", c.Name, c.kindPhrase())
			return nil
		}
		return &Eq{Char: c.Name, Value: "true", Pos: n.pos}
	case nNot:
		x := r.bool(n.l)
		if x == nil {
			return nil
		}
		return &Not{X: x, Pos: n.pos}
	case nAnd, nOr:
		xs := make([]Expr, len(n.args))
		ok := true
		for i, a := range n.args {
			xs[i] = r.bool(a)
			ok = ok && xs[i] != nil
		}
		if !ok {
			return nil
		}
		if n.Kind == nAnd {
			return &And{Xs: xs, Pos: n.pos}
		}
		return &Or{Xs: xs, Pos: n.pos}
	case nIn:
		c := r.char(n.l)
		if c == nil {
			return nil
		}
		if c.Kind == Multi {
			r.errorf(n.l.pos, "%s is a multi characteristic: \"in\" needs a single, int or bool one (write has(%s, v))", c.Name, quoteName(c.Name))
			return nil
		}
		in := &In{Char: c.Name, Neg: n.neg, Pos: n.pos}
		ok := true
		for _, a := range n.args {
			v, good := r.value(c, a)
			ok = ok && good
			in.Values = append(in.Values, v)
		}
		if !ok {
			return nil
		}
		return in
	case nHas:
		if len(n.args) != 2 {
			r.errorf(n.pos, "has takes a multi characteristic and a value: has(c, v)")
			return nil
		}
		c := r.char(n.args[0])
		if c == nil {
			return nil
		}
		if c.Kind != Multi {
			r.errorf(n.args[0].pos, "has() needs a multi characteristic; %s is %s (write %s = v)", c.Name, c.kindPhrase(), quoteName(c.Name))
			return nil
		}
		v, ok := r.value(c, n.args[1])
		if !ok {
			return nil
		}
		return &Has{Char: c.Name, Value: v, Pos: n.pos}
	case nBin:
		switch n.op {
		case lex.Arrow, lex.Iff:
			l, rr := r.bool(n.l), r.bool(n.r)
			if l == nil || rr == nil {
				return nil
			}
			if n.op == lex.Arrow {
				return &Implies{L: l, R: rr, Pos: n.pos}
			}
			return &Iff{L: l, R: rr, Pos: n.pos}
		case lex.Eq, lex.Ne:
			if n.l.Kind == nName {
				c := r.char(n.l)
				if c == nil {
					return nil
				}
				switch c.Kind {
				case Multi:
					r.errorf(n.l.pos, "%s is a multi characteristic: write has(%s, v) or compare count(%s)", c.Name, quoteName(c.Name), quoteName(c.Name))
					return nil
				case Int:
					if n.r.Kind != nInt {
						return r.cmp(n)
					}
				}
				v, ok := r.value(c, n.r)
				if !ok {
					return nil
				}
				return &Eq{Char: c.Name, Value: v, Neg: n.op == lex.Ne, Pos: n.pos}
			}
			return r.cmp(n)
		case lex.Lt, lex.Le, lex.Gt, lex.Ge:
			return r.cmp(n)
		}
	}
	r.errorf(n.pos, "expected a condition, found an integer expression")
	return nil
}

var cmpOps = map[lex.Kind]CmpOp{lex.Eq: OpEq, lex.Ne: OpNe, lex.Lt: OpLt, lex.Le: OpLe, lex.Gt: OpGt, lex.Ge: OpGe}

func (r *resolver) cmp(n *node) Expr {
	l, rr := r.int(n.l), r.int(n.r)
	if l == nil || rr == nil {
		return nil
	}
	return &Cmp{Op: cmpOps[n.op], L: l, R: rr, Pos: n.pos}
}

var arithOps = map[lex.Kind]ArithOp{lex.Plus: OpAdd, lex.Minus: OpSub, lex.Star: OpMul, lex.Slash: OpDiv, lex.Percent: OpMod}

func (r *resolver) int(n *node) IntExpr {
	switch n.Kind {
	case nInt:
		v, err := strconv.ParseInt(n.Text, 10, 64)
		if err != nil {
			r.errorf(n.pos, "integer %s is out of range", typo.Clip(n.Text))
			return nil
		}
		return &IntLit{Val: v, Pos: n.pos}
	case nParen:
		return r.int(n.l)
	case nName:
		c := r.char(n)
		if c == nil {
			return nil
		}
		if c.Kind != Int {
			r.errorf(n.pos, "%s is %s, not an integer: only int characteristics and count(...) are", c.Name, c.kindPhrase())
			return nil
		}
		return &IntRef{Char: c.Name, Pos: n.pos}
	case nNeg:
		x := r.int(n.l)
		if x == nil {
			return nil
		}
		return &Arith{Op: OpSub, L: &IntLit{Val: 0, Pos: n.pos}, R: x, Pos: n.pos}
	case nCount:
		if len(n.args) == 1 && n.args[0].Kind == nName {
			c := r.v.m.Char(n.args[0].Text)
			switch {
			case c != nil && c.Kind == Multi:
				return &Count{Char: c.Name, Pos: n.pos}
			case c != nil && c.Kind != Bool:
				r.errorf(n.args[0].pos, "count(%s) needs a multi characteristic or conditions; %s is %s", quoteName(c.Name), c.Name, c.kindPhrase())
				return nil
			}
		}
		cnt := &Count{Pos: n.pos}
		ok := true
		for _, a := range n.args {
			x := r.bool(a)
			ok = ok && x != nil
			cnt.Xs = append(cnt.Xs, x)
		}
		if !ok {
			return nil
		}
		return cnt
	case nBin:
		if op, ok := arithOps[n.op]; ok {
			l, rr := r.int(n.l), r.int(n.r)
			if l == nil || rr == nil {
				return nil
			}
			return &Arith{Op: op, L: l, R: rr, Pos: n.pos}
		}
	}
	r.errorf(n.pos, "expected an integer expression, found %s", describeBool(n))
	return nil
}

func describeBool(n *node) string {
	switch n.Kind {
	case nTrue, nFalse, nNone:
		return describe(n)
	}
	return "a condition"
}

// lexErrorf reports the lexer's errors in file to errs.
func lexErrorf(file string, errs *ErrorList) func(line, col int, format string, args ...any) {
	return func(line, col int, format string, args ...any) {
		errs.Add(Pos{File: file, Line: line, Col: col}, format, args...)
	}
}
