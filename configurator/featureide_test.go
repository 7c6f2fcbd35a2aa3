package configurator_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ctoplan/ctoplan/configurator"
)

// carFM is a small FeatureIDE model worked by hand (TestReadFeatureIDEHand),
// with the elements FeatureIDE writes around the tree that carry no
// semantics (properties, descriptions, attributes, calculations).
const carFM = `<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<extendedFeatureModel>
	<properties><graphics key="autolayoutconstraints" value="false"/></properties>
	<struct>
		<and abstract="true" mandatory="true" name="Car">
			<description>A car</description>
			<feature mandatory="true" name="Body"/>
			<alt mandatory="true" name="Engine">
				<feature name="Petrol"><attribute name="cost" type="long" unit="" value="100"/></feature>
				<feature name="Electric"/>
				<feature name="Diesel" hidden="true"/>
			</alt>
			<or name="Extras">
				<feature name="AC"/>
				<feature name="Nav"/>
			</or>
			<feature name="Tow Bar"/>
		</and>
	</struct>
	<constraints>
		<rule>
			<description>tow needs diesel</description>
			<imp><var>Tow Bar</var><var>Diesel</var></imp>
		</rule>
		<rule><not><conj><var>Electric</var><var>AC</var></conj></not></rule>
		<rule><eq><var>Nav</var><disj><var>Petrol</var><var>Electric</var></disj></eq></rule>
	</constraints>
	<calculations Auto="true" Constraints="true" Features="true" Redundant="true" Tautology="true"/>
	<comments/>
	<featureOrder userDefined="false"/>
</extendedFeatureModel>
`

// TestReadFeatureIDEHand: the car's valid configurations, worked by hand.
// Car, Body and Engine are always in. Petrol: Nav (the eq rule), so Extras;
// AC free; no tow bar (it needs Diesel): 2. Electric: Nav, Extras, no AC
// (rule 2), no tow bar: 1. Diesel: no Nav; Extras only with AC (the or
// group needs one of AC, Nav, and AC needs Extras); tow bar free: 4.
// Seven in all; no feature is dead.
func TestReadFeatureIDEHand(t *testing.T) {
	m, err := configurator.ReadFeatureIDE("car.xml", strings.NewReader(carFM))
	if err != nil {
		t.Fatal(err)
	}
	c, err := configurator.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	names := []string{"Car", "Body", "Engine", "Petrol", "Electric", "Diesel", "Extras", "AC", "Nav", "Tow Bar"}
	var valid []string
	for mask := range 1 << len(names) {
		var picks []configurator.Pick
		var in []string
		for i, n := range names {
			v := "false"
			if mask>>i&1 == 1 {
				v = "true"
				in = append(in, n)
			}
			picks = append(picks, configurator.Pick{Char: n, Value: v})
		}
		res, err := c.Check(context.Background(), picks)
		if err != nil {
			t.Fatal(err)
		}
		if res.Valid {
			valid = append(valid, strings.Join(in[3:], "+"))
		}
	}
	want := []string{
		"Petrol+Extras+Nav", "Petrol+Extras+AC+Nav", "Electric+Extras+Nav",
		"Diesel", "Diesel+Extras+AC", "Diesel+Tow Bar", "Diesel+Extras+AC+Tow Bar",
	}
	if !sameSet(valid, want) {
		t.Errorf("valid configurations (beyond Car, Body, Engine):\n%q\nwant\n%q", valid, want)
	}
	d, err := c.Propagate(context.Background(), []configurator.Pick{{Char: "Electric", Value: "true"}})
	if err != nil {
		t.Fatal(err)
	}
	for n, want := range map[string]configurator.Status{
		"Car": configurator.Forced, "Engine": configurator.Forced, "Electric": configurator.Selected,
		"Petrol": configurator.Excluded, "Diesel": configurator.Excluded, "Extras": configurator.Forced,
		"AC": configurator.Excluded, "Nav": configurator.Forced, "Tow Bar": configurator.Excluded,
	} {
		if got, ok := d.Status(n, "true"); !ok || got != want {
			t.Errorf("after Electric: %s=true is %v, want %v", n, got, want)
		}
	}
	// the explanation names the rules of the tree and the constraint's
	// description
	e, err := c.Explain(context.Background(), []configurator.Pick{{Char: "Electric", Value: "true"}}, "Tow Bar", "true")
	if err != nil {
		t.Fatal(err)
	}
	if s := fmt.Sprint(e); !strings.Contains(s, "constraint 1") || !strings.Contains(s, "alternative under Engine") {
		t.Errorf("why not Tow Bar after Electric: %s", s)
	}
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	in := map[string]bool{}
	for _, x := range a {
		in[x] = true
	}
	for _, x := range b {
		if !in[x] {
			return false
		}
	}
	return true
}

// fmNode is a feature of a random feature tree, kept by the test apart
// from the reader: the oracle evaluates the tree itself.
type fmNode struct {
	name      string
	group     string // "and", "or", "alt", "card" (UVL: [lo..hi]); leaves have no kids
	mandatory bool
	lo, hi    int // of a card group (hi < 0: no bound)
	kids      []*fmNode
}

// fmFormula is a cross-tree constraint: op "var" (feature index), "not",
// "conj", "disj", "imp", "eq", "atmost1".
type fmFormula struct {
	op   string
	v    int
	args []*fmFormula
}

func randFormula(r *rand.Rand, n, depth int) *fmFormula {
	if depth == 0 || r.IntN(3) == 0 {
		return &fmFormula{op: "var", v: r.IntN(n)}
	}
	switch k := r.IntN(6); k {
	case 0:
		return &fmFormula{op: "not", args: []*fmFormula{randFormula(r, n, depth-1)}}
	case 1, 2, 5:
		op := [...]string{1: "conj", 2: "disj", 5: "atmost1"}[k]
		f := &fmFormula{op: op}
		for range 1 + r.IntN(3) {
			f.args = append(f.args, randFormula(r, n, depth-1))
		}
		return f
	default:
		op := map[int]string{3: "imp", 4: "eq"}[k]
		return &fmFormula{op: op, args: []*fmFormula{randFormula(r, n, depth-1), randFormula(r, n, depth-1)}}
	}
}

// eval is the formula's truth under the assignment in (by feature index),
// from the definitions of the connectives.
func (f *fmFormula) eval(in []bool) bool {
	switch f.op {
	case "var":
		return in[f.v]
	case "not":
		return !f.args[0].eval(in)
	case "conj":
		for _, a := range f.args {
			if !a.eval(in) {
				return false
			}
		}
		return true
	case "disj":
		for _, a := range f.args {
			if a.eval(in) {
				return true
			}
		}
		return false
	case "imp":
		return !f.args[0].eval(in) || f.args[1].eval(in)
	case "eq":
		return f.args[0].eval(in) == f.args[1].eval(in)
	case "atmost1":
		n := 0
		for _, a := range f.args {
			if a.eval(in) {
				n++
			}
		}
		return n <= 1
	}
	panic(f.op)
}

func (f *fmFormula) xml(names []string) string {
	if f.op == "var" {
		return "<var>" + names[f.v] + "</var>"
	}
	var b strings.Builder
	b.WriteString("<" + f.op + ">")
	for _, a := range f.args {
		b.WriteString(a.xml(names))
	}
	b.WriteString("</" + f.op + ">")
	return b.String()
}

// fmValid is the definition of a feature model's configurations: the root
// is in; a feature in has its parent in; a feature in has its mandatory
// children of an and-group in, exactly one child of an alt-group and at
// least one of an or-group; every constraint holds.
func fmValid(root *fmNode, idx map[*fmNode]int, cons []*fmFormula, in []bool) bool {
	if !in[idx[root]] {
		return false
	}
	var ok func(n *fmNode) bool
	ok = func(n *fmNode) bool {
		on := in[idx[n]]
		count := 0
		for _, k := range n.kids {
			kon := in[idx[k]]
			if kon {
				count++
			}
			if kon && !on {
				return false
			}
			if on && n.group == "and" && k.mandatory && !kon {
				return false
			}
			if !ok(k) {
				return false
			}
		}
		if on && len(n.kids) > 0 {
			if n.group == "alt" && count != 1 || n.group == "or" && count == 0 {
				return false
			}
			if n.group == "card" && (count < n.lo || n.hi >= 0 && count > n.hi) {
				return false
			}
		}
		return true
	}
	if !ok(root) {
		return false
	}
	for _, f := range cons {
		if !f.eval(in) {
			return false
		}
	}
	return true
}

// randFM makes a random feature tree of n features (names with spaces and
// markup characters among them) and its FeatureIDE document, or with uvl
// its UVL document (with cardinality groups too).
func randFM(r *rand.Rand, n int, uvl bool) (root *fmNode, nodes []*fmNode, cons []*fmFormula, doc string) {
	flat := r.IntN(4) == 0 // one wide group below the root
	for i := range n {
		name := fmt.Sprintf("f%d", i)
		switch r.IntN(5) {
		case 0:
			name = fmt.Sprintf("F %d & co", i)
		case 1:
			name = fmt.Sprintf("<x%d>", i)
		}
		nd := &fmNode{name: name, group: [...]string{"and", "and", "or", "alt"}[r.IntN(4)], mandatory: r.IntN(3) == 0}
		if uvl && r.IntN(5) == 0 {
			nd.group, nd.lo, nd.hi = "card", r.IntN(3), r.IntN(4)-1
			if nd.hi >= 0 && nd.hi < nd.lo {
				nd.lo, nd.hi = nd.hi, nd.lo
			}
		}
		if i > 0 {
			p := nodes[r.IntN(i)]
			if flat {
				p = nodes[0]
			}
			p.kids = append(p.kids, nd)
		}
		nodes = append(nodes, nd)
	}
	names := make([]string, n)
	for i, nd := range nodes {
		names[i] = xmlEscape(nd.name)
	}
	for range r.IntN(4) {
		cons = append(cons, randFormula(r, n, 3))
	}
	if uvl {
		return nodes[0], nodes, cons, uvlDoc(nodes, cons)
	}
	var b strings.Builder
	b.WriteString("<featureModel>\n<struct>\n")
	var write func(nd *fmNode)
	write = func(nd *fmNode) {
		tag := nd.group
		if len(nd.kids) == 0 {
			tag = "feature"
		}
		fmt.Fprintf(&b, "<%s name=\"%s\" mandatory=\"%v\">", tag, xmlEscape(nd.name), nd.mandatory)
		for _, k := range nd.kids {
			write(k)
		}
		fmt.Fprintf(&b, "</%s>\n", tag)
	}
	write(nodes[0])
	b.WriteString("</struct>\n<constraints>\n")
	for _, f := range cons {
		b.WriteString("<rule>" + f.xml(names) + "</rule>\n")
	}
	b.WriteString("</constraints>\n</featureModel>\n")
	return nodes[0], nodes, cons, b.String()
}

// uvlDoc writes a feature tree and its constraints in UVL: an and-group's
// children in a mandatory and an optional group, names quoted, atmost1
// as the conjunction of its pairs' exclusions.
func uvlDoc(nodes []*fmNode, cons []*fmFormula) string {
	var b strings.Builder
	b.WriteString("namespace random\n\nfeatures\n")
	var write func(nd *fmNode, depth int)
	write = func(nd *fmNode, depth int) {
		ind := strings.Repeat("\t", depth)
		fmt.Fprintf(&b, "%s%q {abstract}\n", ind, nd.name)
		group := func(kw string, kids []*fmNode) {
			if len(kids) == 0 {
				return
			}
			fmt.Fprintf(&b, "%s\t%s\n", ind, kw)
			for _, k := range kids {
				write(k, depth+2)
			}
		}
		switch nd.group {
		case "and":
			var mand, opt []*fmNode
			for _, k := range nd.kids {
				if k.mandatory {
					mand = append(mand, k)
				} else {
					opt = append(opt, k)
				}
			}
			group("optional", opt)
			group("mandatory", mand)
		case "or", "alt":
			group(map[string]string{"or": "or", "alt": "alternative"}[nd.group], nd.kids)
		case "card":
			hi := "*"
			if nd.hi >= 0 {
				hi = fmt.Sprint(nd.hi)
			}
			group(fmt.Sprintf("[%d..%s]", nd.lo, hi), nd.kids)
		}
	}
	write(nodes[0], 1)
	b.WriteString("\nconstraints\n")
	var f func(x *fmFormula) string
	f = func(x *fmFormula) string {
		var args []string
		for _, a := range x.args {
			args = append(args, f(a))
		}
		switch x.op {
		case "var":
			return fmt.Sprintf("%q", nodes[x.v].name)
		case "not":
			return "!" + args[0]
		case "conj":
			return "(" + strings.Join(args, " & ") + ")"
		case "disj":
			return "(" + strings.Join(args, " | ") + ")"
		case "imp":
			return "(" + args[0] + " => " + args[1] + ")"
		case "eq":
			return "(" + args[0] + " <=> " + args[1] + ")"
		}
		// atmost1
		if len(args) == 1 {
			return "(" + args[0] + " | !" + args[0] + ")"
		}
		var pairs []string
		for i := range args {
			for j := i + 1; j < len(args); j++ {
				pairs = append(pairs, "!("+args[i]+" & "+args[j]+")")
			}
		}
		return "(" + strings.Join(pairs, " & ") + ")"
	}
	for _, x := range cons {
		b.WriteString("\t" + f(x) + " // a comment\n")
	}
	return b.String()
}

func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}

// TestFeatureIDEOracle: on random feature trees with random cross-tree
// constraints, every value's status after random picks (taken from a
// valid configuration, so that they are consistent) equals the one found
// by enumerating every assignment against the definition (fmValid):
// forced where every valid configuration extending the picks agrees,
// excluded where none has the value, possible otherwise.
func TestFeatureIDEOracle(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 1123))
	models, checked := 400, 0
	if testing.Short() || raceEnabled {
		models = 60
	}
	for m := range models {
		n := 1 + r.IntN(13)
		uvl := m%2 == 1
		root, nodes, cons, doc := randFM(r, n, uvl)
		idx := map[*fmNode]int{}
		for i, nd := range nodes {
			idx[nd] = i
		}
		var valid [][]bool
		for mask := range 1 << n {
			in := make([]bool, n)
			for i := range n {
				in[i] = mask>>i&1 == 1
			}
			if fmValid(root, idx, cons, in) {
				valid = append(valid, in)
			}
		}
		read := configurator.ReadFeatureIDE
		if uvl {
			read = configurator.ReadUVL
		}
		model, err := read("r.xml", strings.NewReader(doc))
		if err != nil {
			t.Fatalf("model %d: %v\n%s", m, err, doc)
		}
		c, err := configurator.Compile(model)
		if err != nil {
			t.Fatalf("model %d: %v\n%s", m, err, doc)
		}
		d, err := c.Propagate(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		if d.Valid != (len(valid) > 0) {
			t.Fatalf("model %d: valid %v, %d valid configurations by enumeration\n%s", m, d.Valid, len(valid), doc)
		}
		// its .ctm form (model fmt, PutModel) propagates the same
		ctm := configurator.Format(model)
		back, err := configurator.Parse("r.ctm", ctm)
		if err != nil {
			t.Fatalf("model %d: its .ctm form does not parse: %v\n%s", m, err, ctm)
		}
		cb, err := configurator.Compile(back)
		if err != nil {
			t.Fatal(err)
		}
		db, err := cb.Propagate(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		if x, y := fmt.Sprint(d.Valid, d.Chars), fmt.Sprint(db.Valid, db.Chars); x != y {
			t.Fatalf("model %d: read %s\nits .ctm form %s\n%s", m, x, y, ctm)
		}
		if len(valid) == 0 {
			continue
		}
		for k := range 3 {
			// picks: some features of a valid configuration
			w := valid[r.IntN(len(valid))]
			picked := map[int]bool{}
			var picks []configurator.Pick
			for i := range n {
				if k > 0 && r.IntN(3) == 0 {
					picked[i] = true
					picks = append(picks, configurator.Pick{Char: nodes[i].name, Value: fmt.Sprint(w[i])})
				}
			}
			d, err := c.Propagate(context.Background(), picks)
			if err != nil {
				t.Fatal(err)
			}
			for i, nd := range nodes {
				can := [2]bool{}
				for _, v := range valid {
					agree := true
					for j := range picked {
						agree = agree && v[j] == w[j]
					}
					if agree {
						can[b2i(v[i])] = true
					}
				}
				for vi, val := range [2]string{"false", "true"} {
					want := configurator.Possible
					switch {
					case picked[i] && w[i] == (vi == 1):
						want = configurator.Selected
					case !can[vi]:
						want = configurator.Excluded
					case !can[1-vi]:
						want = configurator.Forced
					}
					got, ok := d.Status(nd.name, val)
					if !ok || got != want {
						t.Fatalf("model %d picks %v: %s=%s is %v, want %v\n%s", m, picks, nd.name, val, got, want, doc)
					}
					checked++
				}
			}
		}
	}
	t.Logf("%d value statuses checked", checked)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestFeatureIDEWideGroups: an alternative group and an atmost1 rule of
// 70 features (wider than one count: chunks, and chunks of chunks) allow
// exactly the configurations with one feature of the group (alt), or at
// most one (atmost1): every single feature, every pair and none checked.
func TestFeatureIDEWideGroups(t *testing.T) {
	const n = 70
	var kids, vars strings.Builder
	for i := range n {
		fmt.Fprintf(&kids, `<feature name="A%d"/>`, i)
		fmt.Fprintf(&vars, `<var>B%d</var>`, i)
	}
	var bs strings.Builder
	for i := range n {
		fmt.Fprintf(&bs, `<feature name="B%d"/>`, i)
	}
	doc := `<featureModel><struct><and name="R"><alt name="A" mandatory="true">` + kids.String() + `</alt><and name="B" mandatory="true">` + bs.String() +
		`</and></and></struct><constraints><rule><atmost1>` + vars.String() + `</atmost1></rule></constraints></featureModel>`
	m, err := configurator.ReadFeatureIDE("wide.xml", strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	c, err := configurator.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	check := func(group string, on ...int) bool {
		var picks []configurator.Pick
		for i := range n {
			v := "false"
			if slices.Contains(on, i) {
				v = "true"
			}
			picks = append(picks, configurator.Pick{Char: fmt.Sprintf("%s%d", group, i), Value: v})
		}
		res, err := c.Check(context.Background(), picks)
		if err != nil {
			t.Fatal(err)
		}
		return res.Valid
	}
	if check("A") || !check("B") {
		t.Errorf("none: alt valid %v (want false), atmost1 valid %v (want true)", check("A"), check("B"))
	}
	step := 1 // pairs: all, or a seventh of them under the race detector
	if raceEnabled {
		step = 7
	}
	for i := range n {
		if !check("A", i) || !check("B", i) {
			t.Fatalf("only %d: alt valid %v, atmost1 valid %v, want both", i, check("A", i), check("B", i))
		}
		for j := i + 1 + i%step; j < n; j += step {
			if check("A", i, j) || check("B", i, j) {
				t.Fatalf("%d and %d: alt valid %v, atmost1 valid %v, want neither", i, j, check("A", i, j), check("B", i, j))
			}
		}
	}
}

// TestFeatureIDEWideGroupAsCTM: an alternative group of 5,000 features
// keeps every rule of its .ctm form under the parser's bound on a rule's
// size (its at-most-one stands in rules of its own), so that the form
// model fmt prints and PutModel stores parses back.
func TestFeatureIDEWideGroupAsCTM(t *testing.T) {
	var kids strings.Builder
	for i := range 5000 {
		fmt.Fprintf(&kids, `<feature name="A%d"/>`, i)
	}
	m, err := configurator.ReadFeatureIDE("w.xml", strings.NewReader(`<featureModel><struct><alt name="R">`+kids.String()+`</alt></struct></featureModel>`))
	if err != nil {
		t.Fatal(err)
	}
	back, err := configurator.Parse("w.ctm", configurator.Format(m))
	if err != nil {
		t.Fatalf("the .ctm form does not parse back: %.300v", err)
	}
	if len(back.Rules) != len(m.Rules) || back.Rule("alternative under R, at most one (1)") == nil {
		t.Errorf("%d rules read back of %d", len(back.Rules), len(m.Rules))
	}
}

func TestReadFeatureIDEErrors(t *testing.T) {
	tree := `<featureModel><struct><and name="R"><feature name="A"/><feature name="B"/></and></struct>`
	for _, tc := range []struct{ src, want string }{
		{tree + `<constraints><rule><var>C</var></rule></constraints></featureModel>`, `f.xml:1:109: unknown feature "C"`},
		{tree + `<constraints><rule><imp><var>A</var><var>Bb</var></imp></rule></constraints></featureModel>`, `unknown feature "Bb" (did you mean "B"?)`},
		{tree + `<constraints><rule><imp><var>A</var></imp></rule></constraints></featureModel>`, "f.xml:1:109: <imp> holds 1 formulas, want 2"},
		{tree + `<constraints><rule><xor><var>A</var></xor></rule></constraints></featureModel>`, "unknown formula element <xor>"},
		{tree + `<constraints><rule><var>A</var><var>B</var></rule></constraints></featureModel>`, "<rule> holds 2 formulas, want one"},
		{`<featureModel><struct><and name="R"><feature name="A"/><feature name="A"/></and></struct></featureModel>`, "f.xml:1:56: feature A declared twice (first at f.xml:1:37)"},
		{`<featureModel><struct><and><feature name="A"/></and></struct></featureModel>`, "f.xml:1:23: <and> without a name"},
		{`<featureModel><struct><feature name="R"><feature name="A"/></feature></struct></featureModel>`, `<feature> inside the leaf <feature name="R">`},
		{`<featureModel><struct></struct></featureModel>`, "<struct> holds 0 root features, want one"},
		{`<featureModel></featureModel>`, "no <struct>"},
		{`<featureModel><struct><feature name="R"/></struct></featureModel><x/>`, "a second root element <x>"},
		{`<featureModel><struct><feature name="R">`, "f.xml:1:1: unexpected EOF"},
		{`<feature name="R"/>`, "root element <feature>: a FeatureIDE model starts with <featureModel>"},
		{"<featureModel><struct>\n<feature name=\"a\x01b\"/></struct></featureModel>", "f.xml:2:"},
		{strings.Repeat("<and name=\"x\">", 1100), "elements nested deeper than 1000 levels"},
	} {
		_, err := configurator.ReadFeatureIDE("f.xml", strings.NewReader(tc.src))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%.80q: error %v, want %q", tc.src, err, tc.want)
		}
	}
}

// TestLoadFileXML: a .xml file is read by its root element; one that is
// neither XCSP nor FeatureIDE is refused, naming its root.
func TestLoadFileXML(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	m, err := configurator.LoadFile(write("car.xml", carFM))
	if err != nil || len(m.Chars) != 10 || m.Name != "car" {
		t.Fatalf("FeatureIDE: %v, %v", m, err)
	}
	m, err = configurator.LoadFile(write("csp.xml", `<?xml version="1.0"?><!-- a comment --><instance><domains><domain name="D" nbValues="2">0..1</domain></domains><variables><variable name="X" domain="D"/></variables></instance>`))
	if err != nil || len(m.Chars) != 1 {
		t.Fatalf("XCSP: %v, %v", m, err)
	}
	for src, want := range map[string]string{
		"<?xml version=\"1.0\"?>\n<vm name=\"x\"/>": "other.xml:2:1: root element <vm>: want XCSP 2.1's <instance> or FeatureIDE's <featureModel>",
		"":              "empty document",
		"<instance><a>": "other.xml:1",
	} {
		_, err := configurator.LoadFile(write("other.xml", src))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", src, err, want)
		}
	}
	// ReadXCSP itself refuses a document of another kind instead of
	// reading no variables from it
	if _, err := configurator.ReadXCSP("car.xml", strings.NewReader(carFM)); err == nil || !strings.Contains(err.Error(), "root element <extendedFeatureModel>") {
		t.Errorf("ReadXCSP of a FeatureIDE model: %v", err)
	}
}

func FuzzReadFeatureIDE(f *testing.F) {
	f.Add(carFM)
	f.Add(`<featureModel><struct><alt name="R"><feature name="A"/></alt></struct><constraints><rule><atmost1><var>A</var><var>R</var></atmost1></rule></constraints></featureModel>`)
	f.Fuzz(func(t *testing.T, src string) {
		m, err := configurator.ReadFeatureIDE("f.xml", strings.NewReader(src))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.xml") {
				t.Fatalf("error without its file: %v", err)
			}
			return
		}
		if c, err := configurator.Compile(m); err == nil {
			if _, err := c.Propagate(context.Background(), nil); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// bigFeatureIDE is a generated FeatureIDE model of 30,000 features (a
// tree of and/or/alt groups, parents mostly among the last 50 features, a
// fifth of the children mandatory) and 3,000 cross-tree rules: 1.7 MB,
// the size of the largest public feature models.
func bigFeatureIDE() []byte {
	const n = 30000
	r := rand.New(rand.NewPCG(5, 30000))
	kids := make([][]int, n)
	for i := 1; i < n; i++ {
		p := r.IntN(i)
		if r.IntN(10) < 7 {
			p = max(0, i-50) + r.IntN(min(i, 50))
		}
		kids[p] = append(kids[p], i)
	}
	group := make([]string, n)
	for i := range group {
		group[i] = [...]string{"and", "and", "and", "or", "alt"}[r.IntN(5)]
	}
	var b bytes.Buffer
	b.WriteString("<featureModel>\n<struct>\n")
	var write func(i int)
	write = func(i int) {
		tag := group[i]
		if len(kids[i]) == 0 {
			tag = "feature"
		}
		fmt.Fprintf(&b, "<%s name=\"F%d\" mandatory=\"%v\">", tag, i, r.IntN(5) == 0)
		for _, k := range kids[i] {
			write(k)
		}
		fmt.Fprintf(&b, "</%s>\n", tag)
	}
	write(0)
	b.WriteString("</struct>\n<constraints>\n")
	for range 3000 {
		x, y := r.IntN(n), r.IntN(n)
		if r.IntN(2) == 0 {
			fmt.Fprintf(&b, "<rule><imp><var>F%d</var><var>F%d</var></imp></rule>\n", x, y)
		} else {
			fmt.Fprintf(&b, "<rule><not><conj><var>F%d</var><var>F%d</var></conj></not></rule>\n", x, y)
		}
	}
	b.WriteString("</constraints>\n</featureModel>\n")
	return b.Bytes()
}

// carUVL is carFM in UVL.
const carUVL = `namespace Car

features
    Car {abstract}
        mandatory
            Body
            Engine
                alternative
                    Petrol
                    Electric
                    Diesel
        optional
            Extras
                or
                    AC
                    Nav
            "Tow Bar" {abstract true}

constraints
    "Tow Bar" => Diesel  // towing
    !(Electric & AC)
    Nav <=> (Petrol | Electric)
`

// TestReadUVLHand: the car in UVL propagates as in FeatureIDE after every
// single pick, and the constraints' operators bind as UVL says: ! tightest,
// then &, |, => (to the right) and <=>.
func TestReadUVLHand(t *testing.T) {
	a, err := configurator.ReadFeatureIDE("car.xml", strings.NewReader(carFM))
	if err != nil {
		t.Fatal(err)
	}
	b, err := configurator.ReadUVL("car.uvl", strings.NewReader(carUVL))
	if err != nil {
		t.Fatal(err)
	}
	ca, err := configurator.Compile(a)
	if err != nil {
		t.Fatal(err)
	}
	cb, err := configurator.Compile(b)
	if err != nil {
		t.Fatal(err)
	}
	for _, ch := range a.Chars {
		for _, v := range []string{"true", "false"} {
			picks := []configurator.Pick{{Char: ch.Name, Value: v}}
			da, err := ca.Propagate(context.Background(), picks)
			if err != nil {
				t.Fatal(err)
			}
			db, err := cb.Propagate(context.Background(), picks)
			if err != nil {
				t.Fatal(err)
			}
			if x, y := fmt.Sprint(da.Valid, da.Chars), fmt.Sprint(db.Valid, db.Chars); x != y {
				t.Errorf("after %s=%s, FeatureIDE:\n%s\nUVL:\n%s", ch.Name, v, x, y)
			}
		}
	}
	m, err := configurator.ReadUVL("p.uvl", strings.NewReader("features\n\tA\n\t\toptional\n\t\t\tB\n\t\t\tC\n\t\t\tD\nconstraints\n"+
		"\tA => B => C\n\tA | B & !C\n\tA <=> B => C | D\n\t!!A & (B | C)\n"))
	if err != nil {
		t.Fatal(err)
	}
	// printed with the fewest parentheses of the .ctm language, where
	// and binds tighter than or, or than ->, -> than <->, and -> groups
	// to the right
	want := []string{"A = true -> B = true -> C = true", "A = true or B = true and not C = true",
		"A = true <-> B = true -> C = true or D = true", "not not A = true and (B = true or C = true)"}
	for i, w := range want {
		r := m.Rule(fmt.Sprintf("constraint %d", i+1))
		if r == nil {
			t.Fatalf("no constraint %d", i+1)
		}
		if got := configurator.ExprString(r.Expr); got != w {
			t.Errorf("constraint %d: %s, want %s", i+1, got, w)
		}
	}
}

// TestReadUVLAttributes: attributes that span lines and the include
// section of language levels are skipped; the tree reads as without them.
func TestReadUVLAttributes(t *testing.T) {
	src := "namespace Bike\ninclude\n\tBoolean.*\n\tType.*\nfeatures\n\tBike {abstract,\n\t\tweight 10, note \"{ a brace, constraint }\", constraintless 1\n\t}\n" +
		"\t\toptional\n\t\t\tBell {price 5}\n\t\t\tLight {\n\t\t\t\tdefault true\n\t\t\t}\nconstraints\n\tLight => Bell\n"
	m, err := configurator.ReadUVL("b.uvl", strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range m.Chars {
		names = append(names, c.Name)
	}
	if got := strings.Join(names, ","); got != "Bike,Bell,Light" || m.Rule("constraint 1") == nil {
		t.Errorf("features %s, rules %d", got, len(m.Rules))
	}
	if _, err := configurator.ReadUVL("b.uvl", strings.NewReader("features\n\tBike {abstract,\n")); err == nil || !strings.Contains(err.Error(), "not closed") {
		t.Errorf("unclosed attributes: %v", err)
	}
}

func TestReadUVLErrors(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"features\n\tA\n\t\toptional\n\t\t\tB\nconstraints\n\tA => C\n", `u.uvl:6:7: unknown feature "C"`},
		{"features\n\tA\n\t\toptional\n\t\t\tBee\nconstraints\n\tA => Be\n", `unknown feature "Be" (did you mean "Bee"?)`},
		{"features\n\tA\n\t\toptional\n\t\t\tB\nconstraints\n\t(A => B\n", `u.uvl:6:9: missing ")"`},
		{"features\n\tA\n\t\toptional\n\t\t\tB\nconstraints\n\tA B\n", `u.uvl:6:4: unexpected "B" in the constraint`},
		{"features\n\tA\n\t\toptional\n\t\t\tB\nconstraints\n\tA > 3\n", "arithmetic constraints are not supported"},
		// Attributes and aggregates are refused as arithmetic is, at
		// their position (they read as unknown features "A.price", "sum").
		{"features\n\tR\n\t\toptional\n\t\t\tA {price 3}\n\t\t\tB\nconstraints\n\tA.price > 3\n",
			"u.uvl:7:2: feature attributes are not supported: A.price is attribute price of feature A (only !, &, |, =>, <=> over features)"},
		{"features\n\tR\n\t\toptional\n\t\t\t\"A a\"\nconstraints\n\tR => \"A a\".price > 3\n",
			`u.uvl:6:7: feature attributes are not supported: "A a".price is attribute price of feature A a`},
		{"features\n\tR\n\t\toptional\n\t\t\tA\n\t\t\tB\nconstraints\n\tsum(price) > 3\n",
			"u.uvl:7:2: sum(...): aggregate functions and other functions of attributes are not supported (only !, &, |, =>, <=> over features)"},
		{"features\n\tR\n\t\toptional\n\t\t\tA\nconstraints\n\tA & avg (A.price) > 3\n",
			"u.uvl:6:6: avg(...): aggregate functions"},
		{"features\n\tR\n\t\toptional\n\t\t\tA\nconstraints\n\tprice != 3\n",
			`u.uvl:6:2: arithmetic constraints are not supported (only !, &, |, =>, <=> over features); "price" is no feature (an attribute?)`},
		{"features\n\tR\n\t\toptional\n\t\t\tA\n\t\t\tB\nconstraints\n\tA != B\n",
			"u.uvl:7:4: arithmetic constraints are not supported"},
		{"features\n\tA\n\t\tB\n", `u.uvl:3:3: feature "B" directly below feature A: children stand in a group`},
		{"features\n\tA\n\t\toptional\n\t\t\tmandatory\n", `u.uvl:4:4: group "mandatory" below no feature`},
		{"features\n\tA\n\tB\n", `u.uvl:3:2: a second root feature "B" (the first is A at u.uvl:2:2)`},
		{"features\n\tA\n\t\toptional\n\t\t\tB\n\t\t\tB\n", "u.uvl:5:4: feature B declared twice (first at u.uvl:4:4)"},
		{"features\n\tA\n\t\t[3..1]\n\t\t\tB\n", `bad group cardinality "[3..1]"`},
		// an indentation between two levels: which group B is in is a guess
		{"features\n    Root\n        optional\n            A\n          B\n", `u.uvl:5:11: feature "B" is indented 10, its sibling A 12: indent the features of a group alike`},
		{"features\n    Root\n        optional\n            A\n      mandatory\n            B\n", `u.uvl:5:7: group "mandatory" is indented 6, the group above it below Root 8`},
		{"features\n\tInteger A\n", "Integer features are not supported"},
		{"features\n\tA cardinality [1..3]\n", "feature cardinalities (clones of A) are not supported"},
		{"imports\n\tx as y\n", `"imports" is not supported`},
		{"constraints\n\tA\n", "constraints before the features"},
		{"namespace x\n", "no features"},
		{"features\n\t\"A\n", "unterminated quoted name"},
		{"features\n\tA\n\t\toptional\n\t\t\tB\nconstraints\n\t" + strings.Repeat("(", 2000) + "A" + strings.Repeat(")", 2000) + "\n", "nests deeper than 1000"},
		{"features\n\tA\xff\n", "u.uvl:2:1: invalid UTF-8"},
		// Old Mac OS line ends (a lone CR) end lines, as LF and CRLF do.
		{"features\r    R\r        optional\r            A\rconstraints\r    A => B\r", `u.uvl:6:10: unknown feature "B" (did you mean "R"?)`},
		{"features\r\n    R\r\n        optional\r\n            A\r\nconstraints\r\n    A => B\r\n", `u.uvl:6:10: unknown feature "B" (did you mean "R"?)`},
		{"features\n\tA {abstract, constraint B => A}\n", "u.uvl:2:15: a constraint among a feature's attributes is not supported"},
		{"features\n\tA {\n\t\tcost 3,\n\t\tconstraints [B => A]\n\t}\n", "u.uvl:4:3: a constraint among a feature's attributes"},
	} {
		_, err := configurator.ReadUVL("u.uvl", strings.NewReader(tc.src))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%.60q: error %v, want %q", tc.src, err, tc.want)
		}
	}
}

func FuzzReadUVL(f *testing.F) {
	f.Add(carUVL)
	f.Add("features\n\tA\n\t\t[1..*]\n\t\t\tB\n\t\t\tC\nconstraints\n\t!B | (C <=> A)\n")
	f.Fuzz(func(t *testing.T, src string) {
		m, err := configurator.ReadUVL("u.uvl", strings.NewReader(src))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "u.uvl") {
				t.Fatalf("error without its file: %v", err)
			}
			return
		}
		if c, err := configurator.Compile(m); err == nil {
			if _, err := c.Propagate(context.Background(), nil); err != nil {
				t.Fatal(err)
			}
		}
	})
}
