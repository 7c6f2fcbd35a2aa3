package formats

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ctoplan/ctoplan/internal/typo"
)

// maxUVLLine bounds a line of a UVL file.
const maxUVLLine = 1 << 20

// ReadUVL reads a feature model in the Universal Variability Language
// (.uvl): the tree of "features" (a feature's groups mandatory, optional,
// alternative, or and [n..m], by indentation) and the propositional
// "constraints" (!, &, |, =>, <=>, parentheses), one a line. Every feature
// becomes a bool characteristic of its name, with rules named as
// [ReadFeatureIDE] names them, and "group [n..m] under G" for a
// cardinality group ("alternative under G (2)" for a feature's second
// group of a kind). Attributes in braces are not read; namespace lines
// are skipped. Imports, feature types other than Boolean, feature
// cardinalities, arithmetic constraints, attribute references (A.price)
// and aggregate functions (sum(price)) are refused: errors say
// file:line:col.
func ReadUVL(filename string, r io.Reader) (*Model, error) {
	p := &uvlParser{file: filename, b: &fideBuilder{
		m:        &Model{Name: modelName(filename), Pos: Pos{File: filename, Line: 1, Col: 1}},
		features: map[string]Pos{},
	}}
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, maxUVLLine)
	sc.Split(scanLines)
	line := 0
	for sc.Scan() {
		line++
		if err := p.line(line, sc.Text()); err != nil {
			return nil, err
		}
	}
	if p.attrs > 0 {
		return nil, p.errAt(line, 1, "the attributes of a feature are not closed (a \"}\" is missing)")
	}
	if err := sc.Err(); err != nil {
		if err == bufio.ErrTooLong {
			return nil, &Error{Pos: Pos{File: filename, Line: line + 1, Col: 1}, Msg: fmt.Sprintf("a line longer than %d bytes", maxUVLLine)}
		}
		return nil, fmt.Errorf("%s: %w", filename, err)
	}
	return p.finish()
}

// uvlFeature is a feature of the tree and its groups.
type uvlFeature struct {
	name   string
	pos    Pos
	indent int
	groups []*uvlGroup
}

// uvlGroup is one group of a feature's children: kind is mandatory,
// optional, alternative, or, or "[n..m]" (min, max; max < 0: no bound).
type uvlGroup struct {
	kind     string
	min, max int
	pos      Pos
	indent   int
	kids     []*uvlFeature
}

type uvlParser struct {
	file    string
	b       *fideBuilder
	section string // "", "features", "constraints"
	root    *uvlFeature
	// the open path of the tree: features and groups, by indentation
	feats  []*uvlFeature
	groups []*uvlGroup
	cons   []uvlConstraint
	nodes  int
	attrs  int // open braces of attributes spanning lines
}

// attrConstraint is where attribute text s names a constraint attribute
// ("constraint" or "constraints" as a key: after a brace, a comma or the
// start of the line, outside quotes), or -1.
func attrConstraint(s string) int {
	quoted, key := false, true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			quoted, key = !quoted, false
		case quoted:
		case c == '{' || c == ',':
			key = true
		case c == ' ' || c == '\t' || c == '\r':
		case key:
			if w := s[i:]; strings.HasPrefix(w, "constraint") {
				w = strings.TrimPrefix(strings.TrimPrefix(w, "constraint"), "s")
				if w == "" || w[0] == ' ' || w[0] == '\t' || w[0] == '[' {
					return i
				}
			}
			key = false
		}
	}
	return -1
}

// braceDepth is how many more braces s opens than it closes, outside
// quoted text.
func braceDepth(s string) int {
	d, quoted := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '{':
			d++
		case c == '}':
			d--
		}
	}
	return d
}

type uvlConstraint struct {
	src string
	pos Pos
}

func (p *uvlParser) errAt(line, col int, format string, a ...any) error {
	return &Error{Pos: Pos{File: p.file, Line: line, Col: col}, Msg: fmt.Sprintf(format, a...)}
}

// line reads one line of the file.
func (p *uvlParser) line(n int, s string) error {
	if !utf8.ValidString(s) {
		return p.errAt(n, 1, "invalid UTF-8")
	}
	if n == 1 {
		s = strings.TrimPrefix(s, "\ufeff")
	}
	s = stripUVLComment(s)
	if p.attrs > 0 { // inside a feature's attributes that span lines
		if k := attrConstraint(s); k >= 0 {
			return p.errAt(n, k+1, "a constraint among a feature's attributes is not supported: write it in the constraints section")
		}
		p.attrs += braceDepth(s)
		return nil
	}
	body := strings.TrimLeft(s, " \t")
	if strings.TrimSpace(body) == "" {
		return nil
	}
	body = strings.TrimRight(body, " \t\r")
	indent := uvlIndent(s[:len(s)-len(strings.TrimLeft(s, " \t"))])
	col := len(s) - len(strings.TrimLeft(s, " \t")) + 1
	if indent == 0 {
		word, _, _ := strings.Cut(body, " ")
		switch word {
		case "namespace":
			return nil
		case "features", "constraints":
			if word == "constraints" && p.root == nil {
				return p.errAt(n, col, "constraints before the features")
			}
			if p.section == word {
				return p.errAt(n, col, "a second %q section", word)
			}
			p.section = word
			return nil
		case "include":
			// the language levels the model uses: what it uses is
			// read or refused where it stands
			p.section = word
			return nil
		case "imports":
			return p.errAt(n, col, "%q is not supported: give the whole model in one file", word)
		}
		return p.errAt(n, col, "unexpected %s at the start of a line (want namespace, features or constraints)", typo.Quote(word))
	}
	switch p.section {
	case "features":
		return p.treeLine(n, col, indent, body)
	case "constraints":
		p.cons = append(p.cons, uvlConstraint{src: body, pos: Pos{File: p.file, Line: n, Col: col}})
		return nil
	case "include":
		return nil
	}
	return p.errAt(n, col, "indented line outside the features and constraints sections")
}

// stripUVLComment cuts a line's // comment (outside a quoted name).
func stripUVLComment(s string) string {
	quoted := false
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '"':
			quoted = !quoted
		case !quoted && s[i] == '/' && i+1 < len(s) && s[i+1] == '/':
			return s[:i]
		}
	}
	return s
}

// uvlIndent is the width of a line's indentation, a tab counting 4.
func uvlIndent(ws string) int {
	w := 0
	for _, c := range ws {
		if c == '\t' {
			w += 4
		} else {
			w++
		}
	}
	return w
}

// treeLine reads a line of the features section: a group keyword below a
// feature, or a feature below a group (the root first).
func (p *uvlParser) treeLine(n, col, indent int, body string) error {
	pos := Pos{File: p.file, Line: n, Col: col}
	p.nodes++
	if p.nodes > 4*MaxDIMACSVars {
		return p.errAt(n, col, "more than %d lines in the tree", 4*MaxDIMACSVars)
	}
	// close what this line is not below
	for len(p.groups) > 0 && p.groups[len(p.groups)-1].indent >= indent {
		p.groups = p.groups[:len(p.groups)-1]
	}
	for len(p.feats) > 0 && p.feats[len(p.feats)-1].indent >= indent {
		p.feats = p.feats[:len(p.feats)-1]
	}
	if g, ok, err := p.group(n, col, body); err != nil {
		return err
	} else if ok {
		if len(p.feats) == 0 || len(p.groups) > 0 && p.groups[len(p.groups)-1].indent > p.feats[len(p.feats)-1].indent {
			return p.errAt(n, col, "group %s below no feature", typo.Quote(body))
		}
		f := p.feats[len(p.feats)-1]
		if len(f.groups) > 0 && f.groups[0].indent != indent {
			return p.errAt(n, col, "group %s is indented %d, the group above it below %s %d: indent the groups of a feature alike", typo.Quote(body), indent, f.name, f.groups[0].indent)
		}
		g.pos, g.indent = pos, indent
		f.groups = append(f.groups, g)
		p.groups = append(p.groups, g)
		return nil
	}
	name, rest, err := p.featureName(n, col, body)
	if err != nil {
		return err
	}
	f := &uvlFeature{name: name, pos: pos, indent: indent}
	switch {
	case p.root == nil:
		if len(p.feats) > 0 {
			return p.errAt(n, col, "feature %q below no group", name)
		}
		p.root = f
	case len(p.groups) == 0 || len(p.feats) > 0 && p.feats[len(p.feats)-1].indent > p.groups[len(p.groups)-1].indent:
		if len(p.feats) == 0 {
			return p.errAt(n, col, "a second root feature %q (the first is %s at %s)", name, p.root.name, p.root.pos)
		}
		return p.errAt(n, col, "feature %q directly below feature %s: children stand in a group (mandatory, optional, alternative, or, [n..m])", name, p.feats[len(p.feats)-1].name)
	default:
		g := p.groups[len(p.groups)-1]
		if len(g.kids) > 0 && g.kids[0].indent != indent {
			return p.errAt(n, col, "feature %q is indented %d, its sibling %s %d: indent the features of a group alike", name, indent, g.kids[0].name, g.kids[0].indent)
		}
		g.kids = append(g.kids, f)
	}
	if rest != "" {
		rc := col + len(body) - len(rest)
		switch {
		case strings.HasPrefix(rest, "{"):
			// attributes (abstract, values): not read, to their closing
			// brace, which may stand on a later line
			if k := attrConstraint(rest); k >= 0 {
				return p.errAt(n, rc+k, "a constraint among a feature's attributes is not supported: write it in the constraints section")
			}
			p.attrs = max(braceDepth(rest), 0)
		case strings.HasPrefix(rest, "cardinality"):
			return p.errAt(n, rc, "feature cardinalities (clones of %s) are not supported", name)
		default:
			return p.errAt(n, rc, "unexpected %s after feature %s (want attributes in braces)", typo.Quote(rest), name)
		}
	}
	p.feats = append(p.feats, f)
	return nil
}

// group reads a group keyword line, or says it is not one.
func (p *uvlParser) group(n, col int, body string) (*uvlGroup, bool, error) {
	kw := strings.TrimSpace(body)
	switch kw {
	case "mandatory", "optional", "alternative", "or":
		return &uvlGroup{kind: kw}, true, nil
	}
	if !strings.HasPrefix(kw, "[") {
		return nil, false, nil
	}
	bad := func() (*uvlGroup, bool, error) {
		return nil, false, p.errAt(n, col, "bad group cardinality %s (want [n], [n..m] or [n..*])", typo.Quote(kw))
	}
	inner, ok := strings.CutSuffix(kw[1:], "]")
	if !ok {
		return bad()
	}
	lo, hi, ranged := strings.Cut(inner, "..")
	a, err := strconv.Atoi(strings.TrimSpace(lo))
	if err != nil || a < 0 {
		return bad()
	}
	b := a
	if ranged {
		if h := strings.TrimSpace(hi); h == "*" {
			b = -1
		} else if b, err = strconv.Atoi(h); err != nil || b < a {
			return bad()
		}
	}
	return &uvlGroup{kind: kw, min: a, max: b}, true, nil
}

// featureName reads a feature line's name (plain or quoted, after an
// optional Boolean type) and returns what follows it.
func (p *uvlParser) featureName(n, col int, body string) (string, string, error) {
	s := body
	if t, rest, ok := strings.Cut(s, " "); ok {
		switch t {
		case "Boolean":
			s = strings.TrimLeft(rest, " \t")
		case "Integer", "Real", "String":
			return "", "", p.errAt(n, col, "%s features are not supported (only Boolean ones)", t)
		}
	}
	name, rest, err := uvlName(s)
	if err != "" {
		return "", "", p.errAt(n, col+len(body)-len(s), "%s", err)
	}
	if msg := checkName(name); msg != "" {
		return "", "", p.errAt(n, col, "feature: %s", msg)
	}
	return name, strings.TrimLeft(rest, " \t"), nil
}

// uvlName reads a name at the start of s: "quoted" or a plain run of
// letters, digits, '_' and '.'.
func uvlName(s string) (name, rest string, msg string) {
	if strings.HasPrefix(s, `"`) {
		end := strings.IndexByte(s[1:], '"')
		if end < 0 {
			return "", "", "unterminated quoted name"
		}
		return s[1 : 1+end], s[2+end:], ""
	}
	i := 0
	for i < len(s) {
		r, w := utf8.DecodeRuneInString(s[i:])
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '.') {
			break
		}
		i += w
	}
	if i == 0 {
		if s == "" {
			return "", "", "a name is missing"
		}
		r, _ := utf8.DecodeRuneInString(s)
		return "", "", fmt.Sprintf("unexpected %q where a name should be", r)
	}
	return s[:i], s[i:], ""
}

// finish declares the features, writes the tree's rules and reads the
// constraints.
func (p *uvlParser) finish() (*Model, error) {
	if p.root == nil {
		return nil, &Error{Pos: Pos{File: p.file, Line: 1, Col: 1}, Msg: "no features: a UVL model starts with \"features\" and its root feature"}
	}
	b := p.b
	var declare func(f *uvlFeature) error
	declare = func(f *uvlFeature) error {
		if prev, dup := b.features[f.name]; dup {
			return &Error{Pos: f.pos, Msg: fmt.Sprintf("feature %s declared twice (first at %s)", f.name, prev)}
		}
		b.features[f.name] = f.pos
		b.names = append(b.names, f.name)
		b.m.Chars = append(b.m.Chars, &Characteristic{Name: f.name, Kind: Bool, Pos: f.pos})
		for _, g := range f.groups {
			for _, k := range g.kids {
				if err := declare(k); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := declare(p.root); err != nil {
		return nil, err
	}
	b.slabs(len(b.names), len(p.cons))
	b.rule("root", b.eq(p.root.name, p.root.pos), p.root.pos, p.root.name+" is the root feature: every configuration has it")
	var tree func(f *uvlFeature) error
	tree = func(f *uvlFeature) error {
		me := b.eq(f.name, f.pos)
		seen := map[string]int{}
		// unique names a group's rule: "alternative under G (2)" for a
		// feature's second group of a kind
		unique := func(name string) string {
			seen[name]++
			if k := seen[name]; k > 1 {
				name += " (" + strconv.Itoa(k) + ")"
			}
			return name
		}
		for _, g := range f.groups {
			var xs []Expr
			var names []string
			for _, k := range g.kids {
				x := b.eq(k.name, k.pos)
				xs, names = append(xs, x), append(names, k.name)
				b.rule("parent of "+k.name, b.imp(x, me, k.pos), k.pos, "")
				if g.kind == "mandatory" {
					b.rule("mandatory "+k.name, b.imp(me, x, k.pos), k.pos, k.name+" is mandatory below "+f.name)
				}
			}
			if len(xs) == 0 {
				continue
			}
			switch g.kind {
			case "mandatory", "optional":
			case "alternative":
				b.alternative(unique("alternative under "+f.name), me, xs, g.pos, f.name+" takes exactly one of "+nameList(names))
			case "or":
				b.rule(unique("or-group under "+f.name), b.imp(me, &Or{Xs: xs, Pos: g.pos}, g.pos), g.pos, f.name+" takes at least one of "+nameList(names))
			default:
				if len(xs) > MaxCountValues {
					return &Error{Pos: g.pos, Msg: fmt.Sprintf("group %s of %d features: at most %d (MaxCountValues)", g.kind, len(xs), MaxCountValues)}
				}
				cnt := &Count{Xs: xs, Pos: g.pos}
				var in []Expr
				if g.min > 0 {
					in = append(in, &Cmp{Op: OpGe, L: cnt, R: &IntLit{Val: int64(g.min), Pos: g.pos}, Pos: g.pos})
				}
				if g.max >= 0 {
					in = append(in, &Cmp{Op: OpLe, L: cnt, R: &IntLit{Val: int64(g.max), Pos: g.pos}, Pos: g.pos})
				}
				b.rule(unique("group "+g.kind+" under "+f.name), b.imp(me, &And{Xs: in, Pos: g.pos}, g.pos), g.pos,
					fmt.Sprintf("%s takes %s of %s", f.name, g.kind, nameList(names)))
			}
		}
		for _, g := range f.groups {
			for _, k := range g.kids {
				if err := tree(k); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := tree(p.root); err != nil {
		return nil, err
	}
	for i, c := range p.cons {
		e, err := p.constraint(c)
		if err != nil {
			return nil, err
		}
		b.rule(fmt.Sprintf("constraint %d", i+1), e, c.pos, "")
	}
	return b.m, nil
}

// constraint parses a constraint line: <=> binds loosest, then =>
// (right-associative), |, &, and ! tightest.
func (p *uvlParser) constraint(c uvlConstraint) (Expr, error) {
	cp := &uvlExpr{p: p, src: c.src, at: c.pos}
	e, err := cp.iff(0)
	if err != nil {
		return nil, err
	}
	cp.skip()
	if cp.i < len(cp.src) {
		if uvlArith(cp.src[cp.i:]) {
			return nil, cp.errf("arithmetic constraints are not supported (%s)", onlyFeatures)
		}
		return nil, cp.errf("unexpected %s in the constraint", typo.Quote(cp.src[cp.i:]))
	}
	return e, nil
}

// uvlArith says whether s starts with an operator of UVL's arithmetic
// constraints (comparisons and arithmetic), not "=>" or "<=>".
func uvlArith(s string) bool {
	switch {
	case s == "" || strings.HasPrefix(s, "=>") || strings.HasPrefix(s, "<=>"):
		return false
	case strings.HasPrefix(s, "!="):
		return true
	}
	return strings.ContainsRune("<>=+-*/", rune(s[0]))
}

type uvlExpr struct {
	p   *uvlParser
	src string
	i   int
	at  Pos
}

func (x *uvlExpr) errf(format string, a ...any) error {
	return &Error{Pos: Pos{File: x.at.File, Line: x.at.Line, Col: x.at.Col + x.i}, Msg: fmt.Sprintf(format, a...)}
}

func (x *uvlExpr) skip() {
	for x.i < len(x.src) && (x.src[x.i] == ' ' || x.src[x.i] == '\t') {
		x.i++
	}
}

func (x *uvlExpr) eat(op string) bool {
	x.skip()
	if strings.HasPrefix(x.src[x.i:], op) {
		x.i += len(op)
		return true
	}
	return false
}

func (x *uvlExpr) pos() Pos { return Pos{File: x.at.File, Line: x.at.Line, Col: x.at.Col + x.i} }

// maxUVLNesting bounds parentheses and negations in a constraint.
const maxUVLNesting = 1000

func (x *uvlExpr) iff(depth int) (Expr, error) {
	at := x.pos()
	l, err := x.imp(depth)
	if err != nil {
		return nil, err
	}
	for x.eat("<=>") {
		r, err := x.imp(depth)
		if err != nil {
			return nil, err
		}
		l = &Iff{L: l, R: r, Pos: at}
	}
	return l, nil
}

func (x *uvlExpr) imp(depth int) (Expr, error) {
	at := x.pos()
	l, err := x.or(depth)
	if err != nil {
		return nil, err
	}
	x.skip()
	if strings.HasPrefix(x.src[x.i:], "=>") {
		x.i += 2
		r, err := x.imp(depth + 1)
		if err != nil {
			return nil, err
		}
		return &Implies{L: l, R: r, Pos: at}, nil
	}
	return l, nil
}

func (x *uvlExpr) or(depth int) (Expr, error) {
	at := x.pos()
	l, err := x.and(depth)
	if err != nil {
		return nil, err
	}
	xs := []Expr{l}
	for x.eat("|") {
		r, err := x.and(depth)
		if err != nil {
			return nil, err
		}
		xs = append(xs, r)
	}
	if len(xs) == 1 {
		return l, nil
	}
	return &Or{Xs: xs, Pos: at}, nil
}

func (x *uvlExpr) and(depth int) (Expr, error) {
	at := x.pos()
	l, err := x.unary(depth)
	if err != nil {
		return nil, err
	}
	xs := []Expr{l}
	for x.eat("&") {
		r, err := x.unary(depth)
		if err != nil {
			return nil, err
		}
		xs = append(xs, r)
	}
	if len(xs) == 1 {
		return l, nil
	}
	return &And{Xs: xs, Pos: at}, nil
}

func (x *uvlExpr) unary(depth int) (Expr, error) {
	if depth > maxUVLNesting {
		return nil, x.errf("the constraint nests deeper than %d", maxUVLNesting)
	}
	x.skip()
	at := x.pos()
	switch {
	case x.eat("!"):
		e, err := x.unary(depth + 1)
		if err != nil {
			return nil, err
		}
		return &Not{X: e, Pos: at}, nil
	case x.eat("("):
		e, err := x.iff(depth + 1)
		if err != nil {
			return nil, err
		}
		if !x.eat(")") {
			return nil, x.errf("missing \")\"")
		}
		return e, nil
	}
	name, rest, msg := uvlName(x.src[x.i:])
	if msg != "" {
		if x.i < len(x.src) && strings.ContainsRune("<>=+-*/", rune(x.src[x.i])) {
			return nil, x.errf("arithmetic constraints are not supported (%s)", onlyFeatures)
		}
		return nil, x.errf("%s", msg)
	}
	if err := x.unsupported(name, rest); err != nil {
		return nil, err
	}
	if _, ok := x.p.b.features[name]; !ok {
		return nil, x.errf("unknown feature %s%s", typo.Quote(name), typo.DidYouMean(name, x.p.b.names))
	}
	x.i = len(x.src) - len(rest)
	return x.p.b.eq(name, at), nil
}

// onlyFeatures is what a constraint may hold, for the messages refusing
// the rest.
const onlyFeatures = "only !, &, |, =>, <=> over features"

// unsupported refuses, at name (which rest follows), what the UVL
// language levels beyond Boolean write where a feature stands: a function
// or aggregate (sum(price), avg(...), len(...)), an attribute of a feature
// (A.price, "A B".price), and an attribute or other name compared or in
// arithmetic (price > 3). Anything else is read as a feature's name.
func (x *uvlExpr) unsupported(name, rest string) error {
	feature := func(s string) bool { _, ok := x.p.b.features[s]; return ok }
	next := strings.TrimLeft(rest, " \t")
	switch {
	case strings.HasPrefix(next, "("):
		return x.errf("%s(...): aggregate functions and other functions of attributes are not supported (%s)", typo.Clip(name), onlyFeatures)
	case strings.HasPrefix(rest, ".") && feature(name):
		// a quoted feature's attribute: "A B".price
		attr, _, _ := uvlName(rest[1:])
		return x.errf("feature attributes are not supported: %s.%s is attribute %s of feature %s (%s)", typo.Quote(name), typo.Clip(attr), typo.Clip(attr), typo.Clip(name), onlyFeatures)
	case feature(name):
		return nil
	}
	if i := strings.LastIndexByte(name, '.'); i > 0 && feature(name[:i]) {
		return x.errf("feature attributes are not supported: %s is attribute %s of feature %s (%s)", typo.Clip(name), typo.Clip(name[i+1:]), typo.Clip(name[:i]), onlyFeatures)
	}
	if uvlArith(next) {
		return x.errf("arithmetic constraints are not supported (%s); %s is no feature (an attribute?)", onlyFeatures, typo.Quote(name))
	}
	return nil
}
