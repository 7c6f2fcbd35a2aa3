package configurator_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/ctoplan/ctoplan/configurator"
)

func TestReadXCSP(t *testing.T) {
	f, err := os.Open("testdata/engine/small.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := configurator.ReadXCSP("small.xml", f)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	if len(m.Chars) != 3 || strings.Join(m.Char("z").Domain(), " ") != "-1 5" || len(m.Tables) != 2 || m.Tables[1].Kind != configurator.Forbidden {
		t.Fatalf("unexpected model:\n%s", configurator.Format(m))
	}
	c, err := configurator.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	d, err := c.Propagate(context.Background(), []configurator.Pick{{Char: "x", Value: "1"}})
	if err != nil {
		t.Fatal(err)
	}
	// x=1 forces y=2 (R0), and y=2 forbids z=5 (R1).
	if st, _ := d.Status("y", "2"); st != configurator.Forced {
		t.Errorf("y=2 is %v", st)
	}
	if st, _ := d.Status("z", "5"); st != configurator.Excluded {
		t.Errorf("z=5 is %v", st)
	}
}

func TestReadXCSPErrors(t *testing.T) {
	head := `<instance><domains><domain name="D" nbValues="2">0..1</domain></domains>`
	for _, tc := range []struct{ src, want string }{
		{head + `<variables><variable name="x" domain="E"/></variables></instance>`, `unknown domain "E"`},
		{head + `<variables><variable name="x" domain="D"/></variables><relations><relation name="R" arity="2" semantics="supports">0 1|1</relation></relations></instance>`, "tuple 2 has 1 values, want 2"},
		{head + `<variables><variable name="x" domain="D"/></variables><constraints><constraint name="C" scope="x" reference="R"/></constraints></instance>`, `unknown relation "R"`},
		{head + `<variables><variable name="x" domain="D"/></variables><constraints><constraint name="C" scope="y" reference="R"/></constraints></instance>`, `unknown variable "y"`},
		{`<instance><domains><domain name="D">3..1</domain></domains></instance>`, `bad range "3..1"`},
		{`<instance><predicates></predicates></instance>`, "intensional constraints"},
		// declared counts are checked: a file cut short reads as another model
		{`<instance><domains><domain name="D" nbValues="9">0..2</domain></domains></instance>`, "domain D: nbValues=9 declared, 3 read"},
		{head + `<variables><variable name="x" domain="D"/></variables><relations><relation name="R" arity="1" nbTuples="7" semantics="supports">0|1</relation></relations></instance>`, "relation R: nbTuples=7 declared, 2 read"},
		{`<instance><domains>`, "x.xml:1"},
		// Duplicate names (issue 11): each at the second declaration,
		// naming the first.
		{`<instance><domains><domain name="D">0</domain>` + "\n" + `<domain name="D">1</domain></domains></instance>`, "x.xml:2:1: domain D declared twice (first at x.xml:1:20)"},
		{head + `<relations><relation name="R" arity="1" semantics="supports">0</relation><relation name="R" arity="1" semantics="supports">1</relation></relations></instance>`, "relation R declared twice (first at x.xml:1:"},
		{head + `<variables><variable name="x" domain="D"/><variable name="x" domain="D"/></variables></instance>`, "variable x declared twice (first at x.xml:1:"},
		{head + `<variables><variable name="x" domain="D"/></variables><relations><relation name="R" arity="1" semantics="supports">0</relation></relations><constraints><constraint name="C" scope="x" reference="R"/><constraint name="C" scope="x" reference="R"/></constraints></instance>`, "constraint C declared twice (first at x.xml:1:"},
		{`<instance><domains><domain name="a` + "\u0085" + `b">0</domain></domains></instance>`, "contains a backquote or a control character"},
		// Domains: at most MaxValues values; a range ending at the largest
		// int64 does not wrap around.
		{`<instance><domains><domain name="D">0..16384</domain></domains></instance>`, `range "0..16384" has more than 16384 values (MaxValues)`},
		{`<instance><domains><domain name="D">9223372036854775806..9223372036854775807 0..16383</domain></domains></instance>`, "more than 16384 values (MaxValues)"},
		{`<instance><domains><domain name="D">-9223372036854775808..9223372036854775807</domain></domains></instance>`, "has more than 16384 values"},
		{`<instance><domains><domain name="D">1_000</domain></domains></instance>`, `bad value "1_000"`},
		{"<instance>\n<domains><domain name=\"D\xff\">0</domain></domains></instance>", "x.xml:2:1: invalid UTF-8"},
		// A value listed twice is an error at the second, naming the
		// first (it read as one value, and a count nbValues including it
		// was "declared 2, 1 read"); so is a value of two ranges. A bad
		// value is at its own position.
		{`<instance><domains nbDomains="1"><domain name="D" nbValues="2">0 0</domain></domains></instance>`, "x.xml:1:66: domain D: value 0 is listed twice (first at x.xml:1:64)"},
		{"<instance><domains><domain name=\"D\">\n  -1 0..3\n  2..5</domain></domains></instance>", "x.xml:3:3: domain D: value 2 (of 2..5) is listed twice (first at x.xml:2:6)"},
		{"<instance><domains><domain name=\"D\">\n  0 1\n  2 x</domain></domains></instance>", `x.xml:3:5: domain D: bad value "x"`},
	} {
		_, err := configurator.ReadXCSP("x.xml", strings.NewReader(tc.src))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want %q", tc.src, err, tc.want)
		}
	}
}

// TestReadXCSPRangeAtMaxInt: a range ending at the largest int64 has its
// values and no more (the loop "v <= hi" used to wrap around there).
func TestReadXCSPRangeAtMaxInt(t *testing.T) {
	src := `<instance><domains><domain name="D">9223372036854775806..9223372036854775807</domain></domains><variables><variable name="x" domain="D"/></variables></instance>`
	m, err := configurator.ReadXCSP("x.xml", strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(m.Char("x").Domain(), " "); got != "9223372036854775806 9223372036854775807" {
		t.Errorf("domain %s", got)
	}
}

func FuzzReadXCSP(f *testing.F) {
	src, err := os.ReadFile("testdata/engine/small.xml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(src)
	f.Add([]byte(`<instance><domains><domain name="D">0 1</domain></domains><variables><variable name="a" domain="D"/></variables></instance>`))
	f.Fuzz(func(t *testing.T, src []byte) {
		m, err := configurator.ReadXCSP("f.xml", strings.NewReader(string(src)))
		if err != nil {
			_ = err.Error()
			return
		}
		// What is read is a model of the language, within its limits.
		if err := m.Validate(); err != nil {
			t.Fatalf("imported model does not validate: %v", err)
		}
		if len(m.Chars) > 100 {
			return
		}
		for _, c := range m.Chars {
			if len(c.Values) > 200 {
				return
			}
		}
		c, err := configurator.Compile(m)
		if err != nil {
			t.Fatalf("imported model does not compile: %v", err)
		}
		if _, err := c.Propagate(context.Background(), nil); err != nil {
			t.Fatal(err)
		}
	})
}

// TestReadXCSPRepeatedScope: a variable twice in a scope means its
// positions hold one value. Hand-worked on x, y in 0..2: supports (0 1),
// (1 1), (2 2 1) over "x x y" allow x=1 (y free) and x=2 with y=1; the
// conflicts (0 0), (0 1) over "x x" forbid x=0 only. The model's .ctm text
// reads back with the same meaning.
func TestReadXCSPRepeatedScope(t *testing.T) {
	src := `<instance><presentation format="XCSP 2.1"/>
<domains nbDomains="1"><domain name="D" nbValues="3">0..2</domain></domains>
<variables nbVariables="2"><variable name="x" domain="D"/><variable name="y" domain="D"/></variables>
<relations nbRelations="3">
<relation name="S" arity="2" nbTuples="2" semantics="supports">0 1|1 1</relation>
<relation name="T" arity="3" nbTuples="3" semantics="supports">1 1 0|1 1 2|2 2 1</relation>
<relation name="F" arity="2" nbTuples="2" semantics="conflicts">0 0|0 1</relation>
</relations>
<constraints nbConstraints="2">
<constraint name="C1" arity="3" scope="x x y" reference="T"/>
<constraint name="C2" arity="2" scope="x x" reference="F"/>
</constraints></instance>`
	m, err := configurator.ReadXCSP("rep.xml", strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	back, err := configurator.Parse("rep.ctm", configurator.Format(m))
	if err != nil {
		t.Fatalf("the .ctm text does not read back: %v\n%s", err, configurator.Format(m))
	}
	// valid (x, y): (1, 0), (1, 2), (2, 1)
	valid := map[[2]string]bool{{"1", "0"}: true, {"1", "2"}: true, {"2", "1"}: true}
	for _, mm := range []*configurator.Model{m, back} {
		c, err := configurator.Compile(mm)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range []string{"0", "1", "2"} {
			for _, y := range []string{"0", "1", "2"} {
				err := c.ValidateConfiguration(context.Background(), configurator.Configuration{"x": {x}, "y": {y}})
				if (err == nil) != valid[[2]string{x, y}] {
					t.Errorf("x=%s y=%s: %v, want valid %v", x, y, err, valid[[2]string{x, y}])
				}
			}
		}
	}
}
