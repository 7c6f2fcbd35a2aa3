package configurator_test

import (
	"fmt"
	"testing"

	c "github.com/ctoplan/ctoplan/configurator"
	"github.com/ctoplan/ctoplan/configurator/internal/modeltest"
	"github.com/ctoplan/ctoplan/configurator/model"
)

// Build a model in Go code, validate it, print it in the language and
// evaluate its rule on a configuration.
func ExampleNewModel() {
	m := c.NewModel("forklift")
	m.Version, m.Currency = "2026.1", "EUR"
	m.SetLabel("en", "Electric forklift").SetLabel("zh", "电动叉车")

	capacity := m.AddSingle("capacity", "t15", "t25").SetLabel("en", "Rated capacity").SetDefault("t15")
	capacity.Value("t25").SetLabel("en", "2.5 t").SetPrice(180000) // 1800.00 EUR
	m.AddSingle("mast", "duplex", "triplex")
	m.AddInt("lift_height", 2000, 7500, 500).SetDefault("3000")
	m.AddMulti("lights", 0, 2, "beacon", "led_front")
	m.AddBool("cold_store")

	m.AddRule("tall_triplex", "A triplex mast above 6 m needs 2.5 t",
		model.ImpliesExpr(
			model.AndExpr(model.EqExpr("mast", "triplex"), model.CmpExpr(model.IntChar("lift_height"), model.OpGt, model.IntConst(6000))),
			model.EqExpr("capacity", "t25"))).
		SetMessage("zh", "6 米以上三级门架需要 2.5 吨")
	m.AddTable("cold_lights", model.Forbidden, "cold_store", "capacity").
		AddRowValues("true", "t15")

	if err := m.Validate(); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(string(c.Format(m)))

	ok, err := c.Eval(m.Rule("tall_triplex").Expr, c.Configuration{
		"capacity": {"t15"}, "mast": {"triplex"}, "lift_height": {"6500"},
	})
	fmt.Println("tall_triplex holds:", ok, err)
	// Output:
	// model forklift {
	//   version "2026.1"
	//   currency EUR
	//   label en "Electric forklift"
	//   label zh "电动叉车"
	//
	//   char capacity single {
	//     label en "Rated capacity"
	//     default t15
	//     value t15
	//     value t25 { label en "2.5 t" price 1800 }
	//   }
	//
	//   char mast single {
	//     value duplex
	//     value triplex
	//   }
	//
	//   char lift_height int 2000..7500 step 500 {
	//     default 3000
	//   }
	//
	//   char lights multi max 2 {
	//     value beacon
	//     value led_front
	//   }
	//
	//   char cold_store bool {}
	//
	//   rule tall_triplex {
	//     message en "A triplex mast above 6 m needs 2.5 t"
	//     message zh "6 米以上三级门架需要 2.5 吨"
	//     mast = triplex and lift_height > 6000 -> capacity = t25
	//   }
	//
	//   table cold_lights forbidden (cold_store, capacity) {
	//     (true, t15)
	//   }
	// }
	// tall_triplex holds: false <nil>
}

func TestBuilderMatchesParser(t *testing.T) {
	src := `model b {
  char s single { default x value x value y { price 2.5 } }
  char o optional { value p }
  char l multi min 1 max 2 { default {u} value u value v }
  char n int -2..4 step 2 { default 0 }
  char f bool { label en "F" }
  rule r1 { message en "one" not f or s in {x} }
  rule r2 { count(l) + n * 2 <= 4 <-> has(l, v) }
  rule r3 { o = none -> count(f, s != y) >= 1 }
  table t allowed (s, o) { (x, *) (y, {none, p}) }
}`
	want, err := c.Parse("b.ctm", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	m := c.NewModel("b")
	m.AddSingle("s", "x", "y").SetDefault("x").Value("y").SetPrice(250)
	m.AddOptional("o", "p")
	m.AddMulti("l", 1, 2, "u", "v").SetDefault("u")
	m.AddInt("n", -2, 4, 2).SetDefault("0")
	m.AddBool("f").SetLabel("en", "F")
	m.AddRule("r1", "one", c.OrExpr(c.NotExpr(c.BoolExpr("f")), c.InExpr("s", "x")))
	m.AddRule("r2", "", c.IffExpr(
		c.CmpExpr(c.ArithExpr(c.CountValues("l"), c.OpAdd, c.ArithExpr(c.IntChar("n"), c.OpMul, c.IntConst(2))), c.OpLe, c.IntConst(4)),
		c.HasExpr("l", "v")))
	m.AddRule("r3", "", c.ImpliesExpr(c.EqExpr("o", ""), c.CmpExpr(c.CountTrue(c.BoolExpr("f"), c.NeExpr("s", "y")), c.OpGe, c.IntConst(1))))
	m.AddTable("t", c.Allowed, "s", "o").AddRow(c.CellOf("x"), c.AnyCell()).AddRow(c.CellOf("y"), c.CellOf("", "p"))
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	if d := modeltest.Diff(want, m); d != "" {
		t.Fatalf("builder and parser disagree: %s", d)
	}
	if f := c.BoolExpr("f"); c.AndExpr(f) != c.Expr(f) || c.OrExpr(f) != c.Expr(f) {
		t.Error("AndExpr of one operand is not that operand")
	}
	if modeltest.DumpExpr(c.AndExpr()) != "Lit(true)" || modeltest.DumpExpr(c.OrExpr()) != "Lit(false)" {
		t.Error("empty AndExpr/OrExpr are not the constants")
	}
}

func TestValidateBuiltModels(t *testing.T) {
	cases := []struct {
		name  string
		build func(m *c.Model)
		want  string
	}{
		{"empty domain", func(m *c.Model) { m.AddSingle("s") }, "char s: single s has no values"},
		{"bad name", func(m *c.Model) { m.AddBool("a`b") }, "char a`b: characteristic name: name \"a`b\" contains a backquote or a control character"},
		{"dup value", func(m *c.Model) { m.AddSingle("s", "x", "x") }, `char s: duplicate value "x" for s`},
		{"dup char", func(m *c.Model) { m.AddBool("f"); m.AddBool("f") }, `char f: duplicate characteristic "f"`},
		{"int step", func(m *c.Model) { m.AddInt("n", 0, 9, 2) }, "char n: range 0..9 is not a multiple of step 2"},
		{"int empty", func(m *c.Model) { m.AddInt("n", 5, 1, 1) }, "char n: empty range 5..1"},
		{"int huge", func(m *c.Model) { m.AddInt("n", 0, 1<<40, 1) }, "char n: range 0..1099511627776 step 1 has more than 1048576 values"},
		{"multi min", func(m *c.Model) { m.AddMulti("l", 3, -1, "a", "b") }, "char l: min 3 exceeds the 2 values of l"},
		{"optional int", func(m *c.Model) { m.AddInt("n", 0, 1, 1).Optional = true }, "char n: only a single characteristic can be optional"},
		{"stray count", func(m *c.Model) { m.AddBool("f").MaxCount = 2 }, "char f: value counts apply only to multi characteristics"},
		{"stray values", func(m *c.Model) { m.AddBool("f").AddValue("x") }, "char f: bool characteristic f cannot have enumerated values"},
		{"default", func(m *c.Model) { m.AddSingle("s", "triplex").SetDefault("triplx") }, `char s: default: unknown value "triplx" for s (did you mean "triplex"?)`},
		{"two defaults", func(m *c.Model) { m.AddSingle("s", "a", "b").SetDefault("a", "b") }, "char s: single characteristic s has more than one default"},
		{"nil rule expr", func(m *c.Model) { m.AddRule("r", "", nil) }, "rule r: rule has no expression"},
		{"unknown char", func(m *c.Model) { m.AddBool("mast"); m.AddRule("r", "", c.BoolExpr("mst")) }, `rule r: unknown characteristic "mst" (did you mean "mast"?)`},
		{"eq multi", func(m *c.Model) { m.AddMulti("l", 0, -1, "a"); m.AddRule("r", "", c.EqExpr("l", "a")) }, "rule r: l is a multi characteristic: write has(l, a)"},
		{"nil child", func(m *c.Model) { m.AddRule("r", "", c.NotExpr(nil)) }, "rule r: missing expression"},
		{"nil int", func(m *c.Model) { m.AddRule("r", "", c.CmpExpr(nil, c.OpLt, c.IntConst(1))) }, "rule r: missing integer expression"},
		{"intref bool", func(m *c.Model) { m.AddBool("f"); m.AddRule("r", "", c.CmpExpr(c.IntChar("f"), c.OpLt, c.IntConst(1))) }, "rule r: f is a bool characteristic, not an int characteristic"},
		{"count both", func(m *c.Model) {
			m.AddMulti("l", 0, -1, "a")
			m.AddRule("r", "", c.CmpExpr(&c.Count{Char: "l", Xs: []c.Expr{c.LitExpr(true)}}, c.OpLt, c.IntConst(1)))
		}, "rule r: count of l cannot also count expressions"},
		{"in dup", func(m *c.Model) { m.AddSingle("s", "a"); m.AddRule("r", "", c.InExpr("s", "a", "a")) }, "rule r: value a listed twice"},
		{"dup rule", func(m *c.Model) { m.AddRule("r", "", c.LitExpr(true)); m.AddTable("r", c.Allowed) }, "table r: duplicate rule or table name \"r\"\ntable r: table has no columns"},
		{"cell any and values", func(m *c.Model) {
			m.AddBool("f")
			m.AddTable("t", c.Allowed, "f").AddRow(c.Cell{Any: true, Values: []string{"true"}})
		}, "table t row 1: cell is both * and a value set"},
		{"cell none", func(m *c.Model) { m.AddSingle("s", "a"); m.AddTable("t", c.Allowed, "s").AddRowValues("") }, "table t row 1: none for s: only an optional characteristic can be empty"},
		{"price", func(m *c.Model) { m.AddSingle("s", "a").Values[0].SetPrice(-1 << 63) }, "char s: price of a is out of range"},
		{"dup column", func(m *c.Model) { m.AddBool("f"); m.AddTable("t", c.Allowed, "f", "f") }, "table t: column f appears twice"},
	}
	for _, tc := range cases {
		m := c.NewModel("v")
		tc.build(m)
		err := m.Validate()
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s:\ngot  %v\nwant %s", tc.name, err, tc.want)
		}
	}
	if err := c.NewModel("").Validate(); err == nil || err.Error() != "model: model name: empty name" {
		t.Errorf("empty model name: %v", err)
	}
}
