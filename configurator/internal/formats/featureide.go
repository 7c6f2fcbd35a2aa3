package formats

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/ctoplan/ctoplan/internal/typo"
)

// Bounds of a FeatureIDE document: how deep elements nest (a feature tree
// deeper than this is not a product's), and the text of one element.
const (
	maxFeatureIDEDepth = 1000
	maxFeatureIDEText  = 1 << 16
)

// ReadFeatureIDE reads a feature model in FeatureIDE's XML format (root
// <featureModel> or <extendedFeatureModel>): the feature tree of <struct>
// and the propositional rules of <constraints>. Every feature becomes a
// bool characteristic of its name, and the tree's semantics rules:
//
//   - "root": the root feature is in every configuration;
//   - "parent of F": a feature needs its parent;
//   - "mandatory F": the parent of F, a mandatory child of an <and>,
//     needs F;
//   - "alternative under G": G needs exactly one of the features of its
//     <alt> group, "or-group under G" at least one of its <or> group;
//   - "constraint N": the N-th <rule> of <constraints> (var, not, conj,
//     disj, imp, eq, atmost1; its <description> is the rule's message).
//
// Attributes of features (abstract, hidden, extended-model attributes),
// descriptions and layout elements are not read. Errors say file:line:col.
func ReadFeatureIDE(filename string, r io.Reader) (*Model, error) {
	root, err := readXMLTree(filename, r)
	if err != nil {
		return nil, err
	}
	if root.name != "featureModel" && root.name != "extendedFeatureModel" {
		return nil, &Error{Pos: root.pos, Msg: fmt.Sprintf("root element <%s>: a FeatureIDE model starts with <featureModel> or <extendedFeatureModel>", root.name)}
	}
	b := &fideBuilder{m: &Model{Name: modelName(filename), Pos: Pos{File: filename, Line: 1, Col: 1}}, features: map[string]Pos{}}
	var st, cons *xnode
	for _, k := range root.kids {
		switch k.name {
		case "struct":
			if st != nil {
				return nil, k.errorf("second <struct> (the first is at %s)", st.pos)
			}
			st = k
		case "constraints":
			if cons != nil {
				return nil, k.errorf("second <constraints> (the first is at %s)", cons.pos)
			}
			cons = k
		}
	}
	if st == nil {
		return nil, root.errorf("no <struct>: the model has no feature tree")
	}
	var top []*xnode
	for _, k := range st.kids {
		if isFeature(k.name) {
			top = append(top, k)
		}
	}
	if len(top) != 1 {
		return nil, st.errorf("<struct> holds %d root features, want one", len(top))
	}
	if err := b.declare(top[0]); err != nil {
		return nil, err
	}
	nc := 0
	if cons != nil {
		nc = len(cons.kids)
	}
	b.slabs(len(b.names), nc)
	rootName := top[0].attr("name")
	b.rule("root", b.eq(rootName, top[0].pos), top[0].pos, rootName+" is the root feature: every configuration has it")
	b.tree(top[0])
	if cons != nil {
		n := 0
		for _, k := range cons.kids {
			if k.name != "rule" {
				continue
			}
			n++
			var f []*xnode
			msg := ""
			for _, x := range k.kids {
				switch x.name {
				case "description":
					msg = strings.TrimSpace(x.text)
				case "tags", "graphics":
				default:
					f = append(f, x)
				}
			}
			if len(f) != 1 {
				return nil, k.errorf("<rule> holds %d formulas, want one", len(f))
			}
			e, err := b.formula(f[0])
			if err != nil {
				return nil, err
			}
			b.rule(fmt.Sprintf("constraint %d", n), e, k.pos, msg)
		}
	}
	return b.m, nil
}

// isFeature says whether an element of <struct> is a feature: a leaf
// <feature>, or one with an <and>, <or> or <alt> group of children.
func isFeature(name string) bool {
	switch name {
	case "feature", "and", "or", "alt":
		return true
	}
	return false
}

type fideBuilder struct {
	m        *Model
	features map[string]Pos // where each feature is declared
	names    []string       // in tree order, for suggestions
	// slabs of the tree's nodes, one allocation each (sized by slabs)
	rules []Rule
	eqs   []Eq
	imps  []Implies
}

// slabs sizes the builder's slabs for n features and k constraints: a
// feature's tree rules are at most three (parent, mandatory, group) with
// two literals and two implications.
func (b *fideBuilder) slabs(n, k int) {
	b.rules = make([]Rule, 0, 3*n+1+k)
	b.eqs = make([]Eq, 0, 2*n+1)
	b.imps = make([]Implies, 0, 3*n)
	b.m.Rules = make([]*Rule, 0, 3*n+1+k)
}

// eq is "feature name is in", from the slab while it lasts.
func (b *fideBuilder) eq(name string, at Pos) *Eq {
	if len(b.eqs) == cap(b.eqs) {
		return &Eq{Char: name, Value: "true", Pos: at}
	}
	b.eqs = append(b.eqs, Eq{Char: name, Value: "true", Pos: at})
	return &b.eqs[len(b.eqs)-1]
}

// imp is "l -> r", from the slab while it lasts.
func (b *fideBuilder) imp(l, r Expr, at Pos) *Implies {
	if len(b.imps) == cap(b.imps) {
		return &Implies{L: l, R: r, Pos: at}
	}
	b.imps = append(b.imps, Implies{L: l, R: r, Pos: at})
	return &b.imps[len(b.imps)-1]
}

// declare makes a bool characteristic of every feature of the tree at f,
// in tree order, checking names.
func (b *fideBuilder) declare(f *xnode) error {
	if f.depth > maxFeatureIDEDepth {
		return f.errorf("features nested deeper than %d levels", maxFeatureIDEDepth)
	}
	name, ok := f.attrOK("name")
	if !ok {
		return f.errorf("<%s> without a name", f.name)
	}
	if msg := checkName(name); msg != "" {
		return f.errorf("feature: %s", msg)
	}
	if prev, dup := b.features[name]; dup {
		return f.errorf("feature %s declared twice (first at %s)", name, prev)
	}
	b.features[name] = f.pos
	b.names = append(b.names, name)
	b.m.Chars = append(b.m.Chars, &Characteristic{Name: name, Kind: Bool, Pos: f.pos})
	for _, k := range f.kids {
		if isFeature(k.name) {
			if f.name == "feature" {
				return k.errorf("<%s> inside the leaf <feature name=%s>: children of a feature stand in <and>, <or> or <alt>", k.name, typo.Quote(name))
			}
			if err := b.declare(k); err != nil {
				return err
			}
		}
	}
	return nil
}

// tree writes the rules of the tree at f (declared).
func (b *fideBuilder) tree(f *xnode) {
	name := f.attr("name")
	var kids []*xnode
	var xs []Expr
	var names []string
	for _, k := range f.kids {
		if isFeature(k.name) {
			kids = append(kids, k)
			names = append(names, k.attr("name"))
			xs = append(xs, b.eq(names[len(names)-1], k.pos))
		}
	}
	if len(kids) == 0 {
		return
	}
	me := b.eq(name, f.pos)
	for i, k := range kids {
		kn := names[i]
		// no message: the rule's name says it, and a map per feature
		// was a third of reading a large model
		b.rule("parent of "+kn, b.imp(xs[i], me, k.pos), k.pos, "")
		if f.name == "and" && k.attr("mandatory") == "true" {
			b.rule("mandatory "+kn, b.imp(me, xs[i], k.pos), k.pos, kn+" is mandatory below "+name)
		}
	}
	switch f.name {
	case "alt":
		b.alternative("alternative under "+name, me, xs, f.pos, name+" takes exactly one of "+nameList(names))
	case "or":
		b.rule("or-group under "+name, b.imp(me, &Or{Xs: xs, Pos: f.pos}, f.pos), f.pos, name+" takes at least one of "+nameList(names))
	}
	for _, k := range kids {
		b.tree(k)
	}
}

// groupChunk is the most conditions exactlyOne and atMostOne count at
// once.
const groupChunk = 8

// atMostOne is "at most one of xs": a count of xs when they are few, else
// the commander encoding: at most one of each chunk of groupChunk, and at
// most one chunk with any (the "or" of a chunk is its commander), so that
// a wide group needs neither a count of all of its conditions (quadratic,
// and limited to MaxCountValues) nor a clause per pair.
func atMostOne(xs []Expr, at Pos) Expr {
	if len(xs) <= groupChunk {
		return &Cmp{Op: OpLe, L: &Count{Xs: xs, Pos: at}, R: &IntLit{Val: 1, Pos: at}, Pos: at}
	}
	var all, cmds []Expr
	for i := 0; i < len(xs); i += groupChunk {
		c := xs[i:min(i+groupChunk, len(xs))]
		all = append(all, atMostOne(c, at))
		cmds = append(cmds, &Or{Xs: c, Pos: at})
	}
	return &And{Xs: append(all, atMostOne(cmds, at)), Pos: at}
}

// alternative writes the rules of an alternative group: rule name, "me
// needs exactly one of xs", while they are few (groupChunk); else "me
// needs one of xs" and their at most one in rules of their own, "name, at
// most one (k)", one a chunk of the commander encoding (see atMostOne), so
// that no rule names a feature of the group twice: a rule's .ctm text is
// at most MaxExprSize tokens, which one rule of a group of thousands
// passed. The at-most-one rules need not name me: a feature of the group
// needs its parent anyway.
func (b *fideBuilder) alternative(name string, me Expr, xs []Expr, at Pos, msg string) {
	if len(xs) <= groupChunk {
		b.rule(name, b.imp(me, exactlyOne(xs, at), at), at, msg)
		return
	}
	b.rule(name, b.imp(me, &Or{Xs: xs, Pos: at}, at), at, msg)
	k := 0
	for level := xs; len(level) > 1; {
		var cmds []Expr
		for i := 0; i < len(level); i += groupChunk {
			c := level[i:min(i+groupChunk, len(level))]
			if len(c) == 1 {
				cmds = append(cmds, c[0])
				continue
			}
			k++
			b.rule(fmt.Sprintf("%s, at most one (%d)", name, k), atMostOne(c, at), at, msg)
			cmds = append(cmds, &Or{Xs: c, Pos: at})
		}
		level = cmds
	}
}

// exactlyOne is "exactly one of xs" (see atMostOne).
func exactlyOne(xs []Expr, at Pos) Expr {
	if len(xs) <= groupChunk {
		return &Cmp{Op: OpEq, L: &Count{Xs: xs, Pos: at}, R: &IntLit{Val: 1, Pos: at}, Pos: at}
	}
	return &And{Xs: []Expr{&Or{Xs: xs, Pos: at}, atMostOne(xs, at)}, Pos: at}
}

// nameList names a group's features for a message, at most eight.
func nameList(names []string) string {
	if len(names) > 8 {
		return strings.Join(names[:8], ", ") + fmt.Sprintf(", ... (%d in all)", len(names))
	}
	return strings.Join(names, ", ")
}

func (b *fideBuilder) rule(name string, e Expr, at Pos, msg string) {
	var r *Rule
	if len(b.rules) < cap(b.rules) {
		b.rules = append(b.rules, Rule{})
		r = &b.rules[len(b.rules)-1]
	} else {
		r = &Rule{}
	}
	r.Name, r.Expr, r.Pos = name, e, at
	if msg != "" {
		r.Message = Labels{"en": msg}
	}
	b.m.Rules = append(b.m.Rules, r)
}

// formula reads a constraint's formula element.
func (b *fideBuilder) formula(x *xnode) (Expr, error) {
	if x.depth > maxFeatureIDEDepth {
		return nil, x.errorf("formula nested deeper than %d levels", maxFeatureIDEDepth)
	}
	if x.name == "var" {
		name := strings.TrimSpace(x.text)
		if _, ok := b.features[name]; !ok {
			return nil, x.errorf("unknown feature %s%s", typo.Quote(name), typo.DidYouMean(name, b.names))
		}
		return &Eq{Char: name, Value: "true", Pos: x.pos}, nil
	}
	var xs []Expr
	for _, k := range x.kids {
		e, err := b.formula(k)
		if err != nil {
			return nil, err
		}
		xs = append(xs, e)
	}
	want := func(n int) error {
		if len(xs) != n {
			return x.errorf("<%s> holds %d formulas, want %d", x.name, len(xs), n)
		}
		return nil
	}
	switch x.name {
	case "not":
		if err := want(1); err != nil {
			return nil, err
		}
		return &Not{X: xs[0], Pos: x.pos}, nil
	case "conj", "and":
		return &And{Xs: xs, Pos: x.pos}, nil
	case "disj", "or":
		return &Or{Xs: xs, Pos: x.pos}, nil
	case "imp":
		if err := want(2); err != nil {
			return nil, err
		}
		return &Implies{L: xs[0], R: xs[1], Pos: x.pos}, nil
	case "eq":
		if err := want(2); err != nil {
			return nil, err
		}
		return &Iff{L: xs[0], R: xs[1], Pos: x.pos}, nil
	case "atmost1":
		return atMostOne(xs, x.pos), nil
	}
	return nil, x.errorf("unknown formula element <%s> (want var, not, conj, disj, imp, eq or atmost1)", x.name)
}

// xnode is an element of a small XML document: its children elements and
// its text, with where it starts.
type xnode struct {
	name  string
	attrs []xml.Attr
	kids  []*xnode
	text  string
	pos   Pos
	depth int
}

func (x *xnode) attrOK(name string) (string, bool) {
	for _, a := range x.attrs {
		if a.Name.Local == name {
			return a.Value, true
		}
	}
	return "", false
}

func (x *xnode) attr(name string) string {
	v, _ := x.attrOK(name)
	return v
}

func (x *xnode) errorf(format string, a ...any) error {
	return &Error{Pos: x.pos, Msg: fmt.Sprintf(format, a...)}
}

// readXMLTree reads a whole XML document into its root element. Elements
// nested deeper than maxFeatureIDEDepth+2 are refused.
func readXMLTree(filename string, r io.Reader) (*xnode, error) {
	dec := xml.NewDecoder(r)
	var stack []*xnode
	var text [][]byte // the text of each open element
	var root *xnode
	for {
		l, c := dec.InputPos()
		p := Pos{File: filename, Line: l, Col: c}
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, xmlError(filename, p, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if root != nil && len(stack) == 0 {
				return nil, &Error{Pos: p, Msg: "a second root element <" + t.Name.Local + ">"}
			}
			if len(stack) > maxFeatureIDEDepth+2 {
				return nil, &Error{Pos: p, Msg: fmt.Sprintf("elements nested deeper than %d levels", maxFeatureIDEDepth)}
			}
			n := &xnode{name: t.Name.Local, attrs: t.Copy().Attr, pos: p, depth: len(stack)}
			if len(stack) > 0 {
				top := stack[len(stack)-1]
				top.kids = append(top.kids, n)
			} else {
				root = n
			}
			stack = append(stack, n)
			text = append(text, nil)
		case xml.CharData:
			if len(stack) == 0 || !keepsText(stack[len(stack)-1].name) {
				continue // the whitespace between elements, mostly
			}
			k := len(text) - 1
			if len(text[k])+len(t) > maxFeatureIDEText {
				return nil, stack[k].errorf("the text of <%s> is longer than %d bytes", stack[k].name, maxFeatureIDEText)
			}
			text[k] = append(text[k], t...)
		case xml.EndElement:
			n := stack[len(stack)-1]
			if t := text[len(text)-1]; len(t) > 0 {
				n.text = string(t)
			}
			stack, text = stack[:len(stack)-1], text[:len(text)-1]
		}
	}
	if root == nil {
		return nil, &Error{Pos: Pos{File: filename}, Msg: "empty document"}
	}
	return root, nil
}

// keepsText says whether the text of an element named so is read: a
// variable's name or a description.
func keepsText(name string) bool { return name == "var" || name == "description" }

// ReadXML reads a model from an XML document by its root element: XCSP
// 2.1 (<instance>, [ReadXCSP]) or FeatureIDE (<featureModel>,
// <extendedFeatureModel>, [ReadFeatureIDE]).
func ReadXML(filename string, r io.Reader) (*Model, error) {
	src, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filename, err)
	}
	dec := xml.NewDecoder(bytes.NewReader(src))
	for {
		l, c := dec.InputPos()
		tok, err := dec.RawToken()
		if err != nil {
			// the reader of XCSP says what is wrong, where
			return ReadXCSP(filename, bytes.NewReader(src))
		}
		if t, ok := tok.(xml.StartElement); ok {
			switch t.Name.Local {
			case "instance":
				return ReadXCSP(filename, bytes.NewReader(src))
			case "featureModel", "extendedFeatureModel":
				return ReadFeatureIDE(filename, bytes.NewReader(src))
			}
			return nil, &Error{Pos: Pos{File: filename, Line: l, Col: c}, Msg: fmt.Sprintf("root element <%s>: want XCSP 2.1's <instance> or FeatureIDE's <featureModel>", t.Name.Local)}
		}
	}
}
