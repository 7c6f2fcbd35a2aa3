package configurator_test

import (
	"errors"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/ctoplan/ctoplan/configurator"
)

// evalCfg is a full configuration of exprModel.
func evalCfg() configurator.Configuration {
	return configurator.Configuration{
		"mast": {"triplex"}, "lights": {"led"}, "h": {"4500"}, "w": {"-3"},
		"cab": {}, "cold": {"true"}, "max": {"false"},
	}
}

func TestEval(t *testing.T) {
	cases := []struct {
		src  string
		want bool
	}{
		{"true", true}, {"false", false},
		{"mast = triplex", true}, {"mast = duplex", false}, {"mast != duplex", true},
		{"cab = none", true}, {"cab != none", false}, {"cab = open", false},
		{"cab in {none, open}", true}, {"cab not in {none}", false},
		{"mast in {duplex, triplex}", true}, {"mast not in {duplex, triplex}", false},
		{"cold", true}, {"`max`", false}, {"cold = false", false}, {"`max` != true", true},
		{"has(lights, led)", true}, {"has(lights, beacon)", false},
		{"h = 4500", true}, {"h != 4500", false}, {"h in {2000, 4500}", true},
		{"h > 4000 and w < 0", true}, {"h >= 4500", true}, {"h <= 4499", false}, {"(h) = 4500", true},
		{"count(lights) = 1", true}, {"count(cold, `max`, mast = triplex) = 2", true}, {"count() = 0", true},
		{"w * w = 9", true}, {"w / 2 = -1", true}, {"w % 2 = -1", true}, {"7 % -2 = 1", true}, {"-7 / 2 = -3", true},
		{"h - 5000 = -500", true}, {"-w = 3", true},
		{"not cold", false}, {"cold and `max`", false}, {"cold or `max`", true},
		{"cold -> `max`", false}, {"`max` -> cold", true}, {"`max` -> false", true},
		{"cold <-> `max`", false}, {"`max` <-> false", true},
	}
	for _, tc := range cases {
		e, err := configurator.ParseExpr(exprModel, configurator.Pos{}, tc.src)
		if err != nil {
			t.Fatalf("%s: %v", tc.src, err)
		}
		got, err := configurator.Eval(e, evalCfg())
		if err != nil || got != tc.want {
			t.Errorf("Eval(%s) = %t, %v; want %t", tc.src, got, err, tc.want)
		}
	}
	// Empty And and Or, built in Go code.
	if v, err := configurator.Eval(&configurator.And{}, nil); !v || err != nil {
		t.Error("empty And is not true")
	}
	if v, err := configurator.Eval(&configurator.Or{}, nil); v || err != nil {
		t.Error("empty Or is not false")
	}
}

func TestEvalErrors(t *testing.T) {
	cases := []struct {
		src    string
		cfg    func(configurator.Configuration)
		target error
	}{
		{"mast = duplex", func(c configurator.Configuration) { delete(c, "mast") }, configurator.ErrNoValue},
		{"has(lights, led)", func(c configurator.Configuration) { delete(c, "lights") }, configurator.ErrNoValue},
		{"count(lights) > 0", func(c configurator.Configuration) { delete(c, "lights") }, configurator.ErrNoValue},
		{"mast = duplex", func(c configurator.Configuration) { c["mast"] = []string{"duplex", "triplex"} }, configurator.ErrNoValue},
		{"h > 0", func(c configurator.Configuration) { c["h"] = []string{"tall"} }, configurator.ErrNoValue},
		{"h > 0", func(c configurator.Configuration) { c["h"] = nil }, configurator.ErrNoValue},
		{"h / (w + 3) = 0", nil, configurator.ErrDivisionByZero},
		{"h % (w + 3) = 0", nil, configurator.ErrDivisionByZero},
		// No short-circuit: the error shows whatever the other operands say.
		{"false and h / (w + 3) = 0", nil, configurator.ErrDivisionByZero},
		{"true or h / (w + 3) = 0", nil, configurator.ErrDivisionByZero},
		{"false -> h / (w + 3) = 0", nil, configurator.ErrDivisionByZero},
		{"count(h / (w + 3) = 0) = 0", nil, configurator.ErrDivisionByZero},
		{"9223372036854775807 + 1 > 0", nil, configurator.ErrOverflow},
		{"-9223372036854775807 - 2 > 0", nil, configurator.ErrOverflow},
		{"4611686018427387904 * 2 > 0", nil, configurator.ErrOverflow},
		{"-9223372036854775808 / -1 > 0", nil, configurator.ErrOverflow},
		{"0 - -9223372036854775808 > 0", nil, configurator.ErrOverflow},
	}
	// An int characteristic with no value says so, not `value "", not an integer`.
	if e, err := configurator.ParseExpr(exprModel, configurator.Pos{}, "h > 0"); err == nil {
		cfg := evalCfg()
		cfg["h"] = []string{}
		if _, err := configurator.Eval(e, cfg); err == nil || !strings.HasSuffix(err.Error(), ": h has no value") {
			t.Errorf("h with no value: %v", err)
		}
	}
	for _, tc := range cases {
		e, err := configurator.ParseExpr(exprModel, configurator.Pos{}, tc.src)
		if err != nil {
			t.Fatalf("%s: %v", tc.src, err)
		}
		cfg := evalCfg()
		if tc.cfg != nil {
			tc.cfg(cfg)
		}
		if v, err := configurator.Eval(e, cfg); !errors.Is(err, tc.target) || v {
			t.Errorf("Eval(%s) = %t, %v; want false and %v", tc.src, v, err, tc.target)
		}
	}
}

func TestArithmeticEdges(t *testing.T) {
	cases := []struct {
		op   configurator.ArithOp
		l, r int64
		want int64
		ok   bool
	}{
		{configurator.OpMul, math.MinInt64, 1, math.MinInt64, true},
		{configurator.OpMul, -1 << 31, 1 << 32, math.MinInt64, true},
		{configurator.OpMul, 1 << 31, 1 << 32, 0, false},
		{configurator.OpMul, math.MinInt64, -1, 0, false},
		{configurator.OpAdd, math.MaxInt64, -1, math.MaxInt64 - 1, true},
		{configurator.OpSub, math.MinInt64, -1, math.MinInt64 + 1, true},
		{configurator.OpSub, 0, math.MinInt64, 0, false},
		{configurator.OpMod, math.MinInt64, -1, 0, true},
		{configurator.OpDiv, -7, 2, -3, true},
		{configurator.OpMod, -7, 2, -1, true},
	}
	for _, tc := range cases {
		got, err := configurator.Arithmetic(tc.op, tc.l, tc.r)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("%d %s %d = %d, %v; want %d ok=%t", tc.l, tc.op, tc.r, got, err, tc.want, tc.ok)
		}
	}
}

func TestEvalTable(t *testing.T) {
	m := configurator.NewModel("t")
	m.AddSingle("a", "x", "y", "z")
	m.AddOptional("b", "p", "q")
	m.AddInt("n", 1, 3, 1)
	allowed := m.AddTable("ok", configurator.Allowed, "a", "b", "n").
		AddRowValues("x", "p", "1").
		AddRow(configurator.CellOf("y", "z"), configurator.CellOf(""), configurator.AnyCell())
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	forbidden := *allowed
	forbidden.Kind = configurator.Forbidden
	cases := []struct {
		a, b, n string
		match   bool
	}{
		{"x", "p", "1", true}, {"x", "p", "2", false}, {"x", "", "1", false},
		{"y", "", "3", true}, {"z", "", "1", true}, {"z", "q", "1", false},
	}
	for _, tc := range cases {
		cfg := configurator.Configuration{"a": {tc.a}, "b": {}, "n": {tc.n}}
		if tc.b != "" {
			cfg["b"] = []string{tc.b}
		}
		if ok, err := configurator.EvalTable(allowed, cfg); err != nil || ok != tc.match {
			t.Errorf("allowed %v = %t, %v; want %t", cfg, ok, err, tc.match)
		}
		if ok, err := configurator.EvalTable(&forbidden, cfg); err != nil || ok == tc.match {
			t.Errorf("forbidden %v = %t, %v; want %t", cfg, ok, err, !tc.match)
		}
	}
	if _, err := configurator.EvalTable(allowed, configurator.Configuration{"a": {"x"}}); !errors.Is(err, configurator.ErrNoValue) {
		t.Errorf("missing column: %v", err)
	}
}

func TestViolations(t *testing.T) {
	m, err := configurator.Parse("v.ctm", []byte(`model v {
  char a single { value x value y }
  char o optional { value p }
  char l multi min 1 max 2 { value u value v value w }
  char n int 0..4 step 2
  rule r1 { a = x -> n > 0 }
  rule r2 { n / (n - 2) >= 0 }
  table t forbidden (a, o) { (y, p) }
}`))
	if err != nil {
		t.Fatal(err)
	}
	cfg := func(a, o string, l []string, n string) configurator.Configuration {
		c := configurator.Configuration{"a": {a}, "o": {}, "l": l, "n": {n}}
		if o != "" {
			c["o"] = []string{o}
		}
		return c
	}
	valid := []configurator.Configuration{cfg("x", "", []string{"u"}, "4"), cfg("y", "", []string{"u", "w"}, "0")}
	for _, c := range valid {
		if bad, err := m.Violations(c); err != nil || bad != nil {
			t.Errorf("Violations(%v) = %v, %v; want valid", c, bad, err)
		}
	}
	broken := []struct {
		cfg  configurator.Configuration
		want []string
	}{
		{cfg("x", "", []string{"u"}, "0"), []string{"r1"}},
		{cfg("y", "p", []string{"u"}, "2"), []string{"r2", "t"}}, // r2 divides by zero
	}
	for _, b := range broken {
		if bad, err := m.Violations(b.cfg); err != nil || !slices.Equal(bad, b.want) {
			t.Errorf("Violations(%v) = %v, %v; want %v", b.cfg, bad, err, b.want)
		}
	}
	notFull := []configurator.Configuration{
		{"a": {"x"}, "o": {}, "l": {"u"}},                          // n missing
		{"a": {"x"}, "o": {}, "l": {"u"}, "n": {"4"}, "zz": {"1"}}, // unknown char
		{"a": {"x", "y"}, "o": {}, "l": {"u"}, "n": {"4"}},         // two values
		{"a": {}, "o": {}, "l": {"u"}, "n": {"4"}},                 // none for a non-optional
		{"a": {"x"}, "o": {}, "l": {}, "n": {"4"}},                 // below min
		{"a": {"x"}, "o": {}, "l": {"u", "v", "w"}, "n": {"4"}},    // above max
		{"a": {"x"}, "o": {}, "l": {"u", "u"}, "n": {"4"}},         // duplicate
		{"a": {"x"}, "o": {}, "l": {"u"}, "n": {"3"}},              // off step
		{"a": {"x"}, "o": {}, "l": {"u"}, "n": {"04"}},             // not canonical
		{"a": {"q"}, "o": {}, "l": {"u"}, "n": {"4"}},              // unknown value
		{"a": {"x"}, "o": {"p", "p"}, "l": {"u"}, "n": {"4"}},      // optional twice
	}
	for _, c := range notFull {
		if _, err := m.Violations(c); !errors.Is(err, configurator.ErrNoValue) {
			t.Errorf("Violations(%v): err = %v, want ErrNoValue", c, err)
		}
	}
}

func TestDomainAndPrice(t *testing.T) {
	m := configurator.NewModel("d")
	m.Currency = "EUR"
	s := m.AddSingle("s", "a", "b")
	s.Values[1].SetPrice(12050)
	l := m.AddMulti("l", 0, -1, "u", "v")
	l.Values[0].SetPrice(100)
	l.Values[1].SetPrice(-30)
	m.AddInt("n", -4, 4, 4)
	m.AddBool("f")
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{"s": {"a", "b"}, "l": {"u", "v"}, "n": {"-4", "0", "4"}, "f": {"false", "true"}}
	for name, d := range want {
		c := m.Char(name)
		if !slices.Equal(c.Domain(), d) || c.DomainSize() != len(d) {
			t.Errorf("%s: Domain = %v (size %d), want %v", name, c.Domain(), c.DomainSize(), d)
		}
		for _, v := range d {
			if !c.InDomain(v) {
				t.Errorf("%s: %q not InDomain", name, v)
			}
		}
	}
	for _, v := range []string{"", "c", "2", "-0", "+4", "04", "TRUE"} {
		for name := range want {
			if m.Char(name).InDomain(v) {
				t.Errorf("%s: %q is InDomain", name, v)
			}
		}
	}
	if p := m.Price(configurator.Configuration{"s": {"b"}, "l": {"u", "v"}, "n": {"0"}, "f": {"true"}}); p != 12050+100-30 {
		t.Errorf("Price = %d", p)
	}
	if m.Char("nope") != nil {
		t.Error("Char found an unknown name")
	}
}

func TestCharIndexFollowsChanges(t *testing.T) {
	m := configurator.NewModel("x")
	m.AddBool("a")
	if m.Char("a") == nil {
		t.Fatal("a not found")
	}
	m.AddBool("b")
	if m.Char("b") == nil {
		t.Fatal("added b not found")
	}
	m.Chars[0].Name = "c"
	if m.Char("a") != nil || m.Char("c") == nil {
		t.Fatal("renamed characteristic not followed")
	}
	// Many values: the value index follows changes too.
	s := m.AddSingle("s")
	for _, v := range []string{"v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9"} {
		s.AddValue(v)
	}
	if s.Value("v9") == nil {
		t.Fatal("v9 not found")
	}
	s.Values[9].Name = "w9"
	if s.Value("v9") != nil || s.Value("w9") == nil {
		t.Fatal("renamed value not followed")
	}
}

func TestConcurrentReads(t *testing.T) {
	m := exprModel.Clone()
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 200 {
				if m.Char("lights") == nil || !m.Char("mast").InDomain("triplex") {
					t.Error("lookup failed")
					return
				}
				configurator.Format(m)
			}
		}()
	}
	wg.Wait()
}

func TestDefaultConfiguration(t *testing.T) {
	m, err := configurator.ParseFile(filepath.Join("testdata", "lang", "kitchen.ctm"))
	if err != nil {
		t.Fatal(err)
	}
	got := m.DefaultConfiguration()
	want := configurator.Configuration{
		"capacity": {"t25"}, "positioner": {}, "lights": {"beacon", "led_front"},
		"lift_height": {"3000"}, "cold_store": {"false"},
	}
	if len(got) != len(want) {
		t.Fatalf("DefaultConfiguration = %v, want %v", got, want)
	}
	for k, v := range want {
		if g, ok := got[k]; !ok || !slices.Equal(g, v) {
			t.Errorf("%s: got %v, want %v", k, g, v)
		}
	}
}
