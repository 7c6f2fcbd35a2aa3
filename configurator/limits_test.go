package configurator_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/ctoplan/ctoplan/configurator"
	"github.com/ctoplan/ctoplan/configurator/internal/modeltest"
)

// ctmOf builds a .ctm source: a model holding body.
func ctmOf(body string) []byte { return []byte("model m {\n" + body + "\n}\n") }

// valuesBody is "char c KIND {" with n values v0..v(n-1), then extra.
func valuesBody(kind string, n int, extra string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "char c %s {\n", kind)
	for i := range n {
		fmt.Fprintf(&b, "value v%d\n", i)
	}
	b.WriteString("}\n")
	b.WriteString(extra)
	return b.String()
}

// sumOf is "x + x + ... + x" with k terms.
func sumOf(x string, k int) string {
	return strings.Repeat(x+" + ", k-1) + x
}

// TestLanguageLimits: each limit of the language admits a model at the
// limit and refuses one beyond it with an error at the declaration that
// exceeds it (line 2 is the first declaration in ctmOf), saying which limit.
func TestLanguageLimits(t *testing.T) {
	long := strings.Repeat("a", configurator.MaxNameLen)
	text := strings.Repeat("é", configurator.MaxTextLen/2) // 2 bytes each
	for _, tc := range []struct {
		name      string
		ok, bad   string
		wantError string
	}{
		{"values of a single", valuesBody("single", configurator.MaxValues, ""), valuesBody("single", configurator.MaxValues+1, ""),
			"t.ctm:2:6: single c has 16385 values, more than the 16384 a characteristic may have (MaxValues)"},
		{"values of a multi", valuesBody("multi", configurator.MaxValues, ""), valuesBody("multi", configurator.MaxValues+1, ""),
			"t.ctm:2:6: multi c has 16385 values, more than the 16384"},
		// A multi beyond MaxCountValues is fine until it needs counting.
		{"multi bounded", valuesBody("multi max 3", configurator.MaxCountValues, ""), valuesBody("multi max 3", configurator.MaxCountValues+1, ""),
			"t.ctm:2:6: multi c has 1025 values: a min or max needs a cardinality encoding, limited to 1024 values (MaxCountValues)"},
		{"multi counted", valuesBody("multi", configurator.MaxCountValues, "rule r { count(c) > 3 }"), valuesBody("multi", configurator.MaxCountValues+1, "rule r { count(c) > 3 }"),
			// Line 2 opens c, 3..1027 hold its values, 1028 closes it; in line
			// 1029 "rule r { " is 9 bytes: count starts at column 10.
			"t.ctm:1029:10: count(c) needs a cardinality encoding of its 1025 values, limited to 1024 (MaxCountValues)"},
		{"count of conditions", "char b bool\nrule r { count(" + strings.Repeat("b, ", configurator.MaxCountValues-1) + "b) > 1 }",
			"char b bool\nrule r { count(" + strings.Repeat("b, ", configurator.MaxCountValues) + "b) > 1 }",
			"t.ctm:3:10: count of 1025 conditions: a cardinality encoding is limited to 1024 (MaxCountValues)"},
		{"name length", "char " + long + " bool", "char " + long + "b bool",
			"t.ctm:2:6: characteristic name: name \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"... is 257 bytes long (at most 256)"},
		{"value name length", "char c single { value `" + long + "` }", "char c single { value `" + long + "b` }",
			"t.ctm:2:23: value name: name \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"... is 257 bytes long (at most 256)"},
		{"label length", "char c bool { label en \"" + text + "\" }", "char c bool { label en \"" + text + "x\" }",
			"t.ctm:2:24: label en is 4097 bytes long (at most 4096)"},
		{"control character in a name", "char `a b` bool", "char `a\u0085b` bool",
			`t.ctm:2:6: characteristic name: name "a\u0085b" contains a backquote or a control character`},
		// 2*k-1 tokens for k terms; "> 0" adds two. n starts at column 10.
		{"condition size", "char n int 0..1\nrule r { " + sumOf("n", (configurator.MaxExprSize-1)/2) + " > 0 }",
			"char n int 0..1\nrule r { " + sumOf("n", configurator.MaxExprSize/2+1) + " > 0 }",
			"t.ctm:3:10: the condition has more than 65536 tokens (the limit MaxExprSize)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := configurator.Parse("t.ctm", ctmOf(tc.ok)); err != nil {
				t.Errorf("at the limit: %v", err)
			}
			_, err := configurator.Parse("t.ctm", ctmOf(tc.bad))
			if err == nil || !strings.HasPrefix(err.Error(), tc.wantError) {
				t.Errorf("beyond the limit: error\n%v\nwant it to start with\n%s", err, tc.wantError)
			}
			if !errors.Is(err, configurator.ErrInvalidModel) {
				t.Errorf("error %v is not ErrInvalidModel", err)
			}
		})
	}
}

// TestValidateTextLimits: a model built in Go code has no positions, so
// an over-long text is named by its declaration, a rule's as a message.
func TestValidateTextLimits(t *testing.T) {
	long := strings.Repeat("m", configurator.MaxTextLen+1)
	m := configurator.NewModel("m")
	m.AddBool("b").SetLabel("en", long)
	m.AddRule("r", "", configurator.BoolExpr("b")).SetMessage("zh", long)
	m.Version = long
	want := "model m: version is 4097 bytes long (at most 4096)\n" +
		"char b: label en is 4097 bytes long (at most 4096)\n" +
		"rule r: message zh is 4097 bytes long (at most 4096)"
	if err := m.Validate(); err == nil || err.Error() != want {
		t.Errorf("Validate:\n%v\nwant\n%s", err, want)
	}
}

// TestValidateExprSize: a condition built in Go code is held to
// MaxExprSize nodes by Validate (an "or" of k equalities has k+1 nodes).
func TestValidateExprSize(t *testing.T) {
	for _, k := range []int{configurator.MaxExprSize - 1, configurator.MaxExprSize} {
		m := configurator.NewModel("m")
		m.AddBool("b")
		xs := make([]configurator.Expr, k)
		for i := range xs {
			xs[i] = configurator.BoolExpr("b")
		}
		m.AddRule("r", "", configurator.OrExpr(xs...))
		err := m.Validate()
		if k+1 <= configurator.MaxExprSize && err != nil {
			t.Errorf("%d nodes: %v", k+1, err)
		}
		if k+1 > configurator.MaxExprSize && (err == nil || !strings.Contains(err.Error(), "rule r: the condition has more than 65536 nodes")) {
			t.Errorf("%d nodes: error %v", k+1, err)
		}
	}
}

// TestSumOfOneCharacteristic is the hostile rule of issue 11: 300 terms
// "n + n + ..." used to compile to 5.4 million variables and make
// propagation run for minutes. Over one characteristic the sum is encoded
// value by value: 300*n > 5 holds exactly for n >= 1 (300*0 = 0 <= 5,
// 300*1 = 300 > 5).
func TestSumOfOneCharacteristic(t *testing.T) {
	src := ctmOf("char n int 0..10\nrule r { " + sumOf("n", 300) + " > 5 }")
	m, err := configurator.Parse("t.ctm", src)
	if err != nil {
		t.Fatal(err)
	}
	c, err := configurator.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	// 11 values: 11 variables for the order encoding, 11 for the values
	// plus a few for the comparison; nothing grows with the 300 terms.
	if st := c.Stats(); st.Vars > 100 || st.Clauses > 300 {
		t.Errorf("encoding %+v, want it independent of the number of terms", st)
	}
	d, err := c.Propagate(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	for v := 0; v <= 10; v++ {
		want := configurator.Possible
		if v == 0 {
			want = configurator.Excluded
		}
		if st, _ := d.Status("n", fmt.Sprint(v)); st != want {
			t.Errorf("n=%d is %v, want %v", v, st, want)
		}
	}
}

// TestPointwiseArithmeticOracle: arithmetic over one int characteristic
// (with constants, division and remainder that fail on some values, and a
// second characteristic mixed in) agrees with enumeration, configuration
// by configuration, in both the value-by-value and the pairwise encodings.
func TestPointwiseArithmeticOracle(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 11))
	ops := []configurator.ArithOp{configurator.OpAdd, configurator.OpSub, configurator.OpMul, configurator.OpDiv, configurator.OpMod}
	cmps := []configurator.CmpOp{configurator.OpEq, configurator.OpNe, configurator.OpLt, configurator.OpLe, configurator.OpGt, configurator.OpGe}
	var gen func(depth int) configurator.IntExpr
	gen = func(depth int) configurator.IntExpr {
		switch k := r.IntN(10); {
		case depth == 0 || k < 3:
			return configurator.IntChar("n")
		case k < 5:
			return configurator.IntConst(int64(r.IntN(7) - 3))
		case k < 6:
			return configurator.IntChar("w")
		}
		return configurator.ArithExpr(gen(depth-1), ops[r.IntN(len(ops))], gen(depth-1))
	}
	n := 300
	if testing.Short() {
		n = 60
	}
	for i := range n {
		m := configurator.NewModel("m")
		m.AddInt("n", -4, 6, 2) // -4 -2 0 2 4 6
		m.AddInt("w", 0, 2, 1)
		e := configurator.CmpExpr(gen(4), cmps[r.IntN(len(cmps))], gen(3))
		m.AddRule("r", "", e)
		if err := m.Validate(); err != nil {
			t.Fatal(err)
		}
		sols := modeltest.Solutions(m)
		c, err := configurator.Compile(m)
		if err != nil {
			t.Fatalf("%d: %v", i, err)
		}
		d, err := c.Propagate(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		if d.Valid != (len(sols) > 0) {
			t.Fatalf("%d: %s: valid %v, %d solutions", i, configurator.ExprString(e), d.Valid, len(sols))
		}
		if d.Valid {
			checkDomains(t, m, sols, nil, d)
		}
		for _, p := range []configurator.Pick{{Char: "n", Value: "0"}, {Char: "w", Value: "1"}, {Char: "n", Value: "-4"}} {
			want := consistent(sols, m, []configurator.Pick{p})
			res, err := c.Check(context.Background(), []configurator.Pick{p})
			if err != nil {
				t.Fatal(err)
			}
			if res.Valid != want {
				t.Fatalf("%d: %s with %v: valid %v, want %v", i, configurator.ExprString(e), p, res.Valid, want)
			}
		}
	}
}

// TestCompileBudget: arithmetic over two characteristics cannot be encoded
// value by value; a sum of 60 terms alternating between two 0..10 ranges
// grows past a small budget, and Compile says where and which limit.
func TestCompileBudget(t *testing.T) {
	src := ctmOf("char n int 0..10\nchar w int 0..10\nrule big { " + sumOf("n + w", 30) + " > 5 }")
	m, err := configurator.Parse("t.ctm", src)
	if err != nil {
		t.Fatal(err)
	}
	opts := configurator.DefaultOptions()
	opts.MaxClauses = 20000
	_, err = configurator.Compile(m, configurator.WithOptions(opts))
	if !errors.Is(err, configurator.ErrTooLarge) {
		t.Fatalf("error %v, want ErrTooLarge", err)
	}
	for _, want := range []string{"t.ctm:4:12: ", "rule big", "compile budget of 20000 (Options.MaxClauses"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	// The default budget holds it: 60 terms of 11 values sum to at most
	// 600, about 601*11*3 clauses per step.
	if _, err := configurator.Compile(m); err != nil {
		t.Errorf("default budget: %v", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := configurator.CompileContext(ctx, m); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled compile: error %v", err)
	}
}

// TestMultiCountEncodedOnDemand: a multi characteristic with many values
// and neither bounds nor count(...) has no cardinality encoding (it used to
// have one of about n^2 clauses whether used or not); counted, it has.
func TestMultiCountEncodedOnDemand(t *testing.T) {
	for _, tc := range []struct {
		extra       string
		maxClauses  int
		wantAtLeast int
	}{
		{"", 10, 0},
		// "count(c) >= 1000": 1000 values, a totalizer of about 1000^2
		// clauses.
		{"rule r { count(c) >= 1000 }", 1 << 30, 500000},
	} {
		m, err := configurator.Parse("t.ctm", ctmOf(valuesBody("multi", 1000, tc.extra)))
		if err != nil {
			t.Fatal(err)
		}
		c, err := configurator.Compile(m)
		if err != nil {
			t.Fatal(err)
		}
		st := c.Stats()
		if st.Clauses > tc.maxClauses || st.Clauses < tc.wantAtLeast {
			t.Errorf("%q: %d clauses, want %d..%d", tc.extra, st.Clauses, tc.wantAtLeast, tc.maxClauses)
		}
		if tc.extra == "" {
			continue
		}
		// Every value is forced: at least 1000 of the 1000.
		d, err := c.Propagate(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		if st, _ := d.Status("c", "v517"); st != configurator.Forced {
			t.Errorf("v517 is %v, want forced", st)
		}
	}
}

// TestCompileLimitsWithoutValidate: Compile holds a model built in Go
// code, never validated, to the limits that bound its encoding.
func TestCompileLimitsWithoutValidate(t *testing.T) {
	m := configurator.NewModel("m")
	vals := make([]string, configurator.MaxValues+1)
	for i := range vals {
		vals[i] = fmt.Sprint("v", i)
	}
	m.AddSingle("s", vals...)
	if _, err := configurator.Compile(m); !errors.Is(err, configurator.ErrTooLarge) || !strings.Contains(err.Error(), "MaxValues") {
		t.Errorf("single of %d values: %v", len(vals), err)
	}
	// The full int64 range has 2^64 values: (max-min)/step + 1 is 0 in
	// uint64.
	m = configurator.NewModel("m")
	m.AddInt("i", math.MinInt64, math.MaxInt64, 1)
	if _, err := configurator.Compile(m); !errors.Is(err, configurator.ErrTooLarge) || !strings.Contains(err.Error(), "Options.MaxDomain") {
		t.Errorf("int over the full range: %v", err)
	}
	m = configurator.NewModel("m")
	m.AddMulti("c", 0, 1, vals[:configurator.MaxCountValues+1]...)
	if _, err := configurator.Compile(m); !errors.Is(err, configurator.ErrTooLarge) || !strings.Contains(err.Error(), "MaxCountValues") {
		t.Errorf("bounded multi of %d values: %v", configurator.MaxCountValues+1, err)
	}
}

// TestTableBudget: a forbidden table lists, per row, every value its cells
// exclude, and the row encoding every value a "*" supports; with large
// domains that is far more than the rows. Over a 16,384-value column,
// 2,000 rows of a forbidden table are 2,000 clauses of 16,383 literals:
// 2,000 + 2,000*16,383/8 = 4,097,750 clauses' worth, past the default
// budget of 2,097,152; 200 rows (411,575) are within it.
func TestTableBudget(t *testing.T) {
	vals := make([]string, configurator.MaxValues)
	for i := range vals {
		vals[i] = fmt.Sprint("v", i)
	}
	for _, tc := range []struct {
		kind configurator.TableKind
		rows int
		ok   bool
	}{
		{configurator.Forbidden, 200, true},
		{configurator.Forbidden, 2000, false},
		// Allowed, "*" over c and one value of d per row: 16,384*2,000
		// cells for the diagram, more than MaxTableCells, so rows:
		// 2,000*3 + (2,000*16,384 + 2*2,000)/8 = 4,102,500.
		{configurator.Allowed, 2000, false},
	} {
		m := configurator.NewModel("m")
		m.AddSingle("c", vals...)
		m.AddSingle("d", vals...)
		tb := m.AddTable("t", tc.kind, "c", "d")
		for i := range tc.rows {
			if tc.kind == configurator.Forbidden {
				tb.AddRowValues(vals[i], "v0")
			} else {
				tb.AddRow(configurator.AnyCell(), configurator.CellOf(vals[i]))
			}
		}
		_, err := configurator.Compile(m)
		if tc.ok && err != nil || !tc.ok && (!errors.Is(err, configurator.ErrTooLarge) || !strings.Contains(err.Error(), "table t (")) {
			t.Errorf("%v table of %d rows: %v", tc.kind, tc.rows, err)
		}
	}
}

// TestCompileDomainLimits: Options.MaxDomain bounds int characteristics
// (below the language's MaxIntDomain), the pairs of values one operator or
// comparison combines (16 times it) and the values of an intermediate
// expression.
func TestCompileDomainLimits(t *testing.T) {
	for _, tc := range []struct {
		body      string
		maxDomain int
		want      string // "" for no error
	}{
		{"char a int 0..65535", 0, ""},
		{"char a int 0..65536", 0, "t.ctm:2:6: configurator: model too large to compile: characteristic a has 65537 values (limit Options.MaxDomain = 65536)"},
		// 2001*2001 = 4,004,001 pairs > 16*65,536 = 1,048,576; the
		// product starts at a, column 10 of line 4.
		{"char a int 0..2000\nchar b int 0..2000\nrule r { a * b > 7 }", 0, "t.ctm:4:10: configurator: model too large to compile: rule r: arithmetic over 2001 x 2001 values (limit Options.MaxDomain*16 = 1048576)"},
		{"char a int 0..2000\nchar b int 0..2000\nrule r { a < b }", 100, "t.ctm:2:6: configurator: model too large to compile: characteristic a has 2001 values (limit Options.MaxDomain = 100)"},
		// With MaxDomain 100: a*b over 0..9 x 0..9 takes 37 distinct
		// values (fine); over 0..39 x 0..39 (1,600 pairs, at the pair
		// limit) 502, more than 100.
		{"char a int 0..9\nchar b int 0..9\nrule r { a * b > 7 }", 100, ""},
		{"char a int 0..39\nchar b int 0..39\nrule r { a * b > 7 }", 100, "t.ctm:4:10: configurator: model too large to compile: rule r: an integer expression takes"},
	} {
		m, err := configurator.Parse("t.ctm", ctmOf(tc.body))
		if err != nil {
			t.Fatal(err)
		}
		opts := configurator.DefaultOptions()
		if tc.maxDomain > 0 {
			opts.MaxDomain = tc.maxDomain
		}
		_, err = configurator.Compile(m, configurator.WithOptions(opts))
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%q: %v", tc.body, err)
		case tc.want != "" && (err == nil || !strings.HasPrefix(err.Error(), tc.want) || !errors.Is(err, configurator.ErrTooLarge)):
			t.Errorf("%q: error\n%v\nwant\n%s...", tc.body, err, tc.want)
		}
	}
}
