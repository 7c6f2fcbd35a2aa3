package configurator_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/ctoplan/ctoplan/configurator"
	"github.com/ctoplan/ctoplan/internal/cfgtune"
)

// chainModel is n int characteristics 0..20 bound in a chain a_i <=
// a_{i+1}, by rules or, with tables, by one allowed table per pair: a
// shape no benchmark model has, where every value is possible and one
// model witnesses at most one value of each characteristic. Cold
// propagation once grew with the square of n (rotation of every
// characteristic after each model; a failed-literal test per value in the
// repair pass): 17.5 s for 1,000 ints, 38.8 s for 400 tables.
func chainModel(n int, tables bool) string {
	var b strings.Builder
	b.WriteString("model chain {\n")
	for i := range n {
		fmt.Fprintf(&b, "  char a%d int 0..20\n", i)
	}
	var rows strings.Builder
	for v := range 21 {
		var set []string
		for w := v; w <= 20; w++ {
			set = append(set, fmt.Sprint(w))
		}
		fmt.Fprintf(&rows, "    (%d, {%s})\n", v, strings.Join(set, ", "))
	}
	for i := range n - 1 {
		if tables {
			fmt.Fprintf(&b, "  table t%d allowed (a%d, a%d) {\n%s  }\n", i, i, i+1, rows.String())
		} else {
			fmt.Fprintf(&b, "  rule r%d { a%d <= a%d }\n", i, i, i+1)
		}
	}
	b.WriteString("}\n")
	return b.String()
}

// BenchmarkPropagateChain: cold propagation with nothing picked of chains
// of int characteristics (chainModel), per propagation.
func BenchmarkPropagateChain(b *testing.B) {
	ctx := context.Background()
	for _, c := range []struct {
		n      int
		tables bool
	}{{1000, false}, {5000, false}, {400, true}, {1000, true}} {
		kind := "rules"
		if c.tables {
			kind = "tables"
		}
		b.Run(fmt.Sprintf("%s/n=%d", kind, c.n), func(b *testing.B) {
			cm := compileText(b, "chain.ctm", []byte(chainModel(c.n, c.tables)))
			for b.Loop() {
				d, err := cfgtune.FreshCopy(cm).Propagate(ctx, nil)
				if err != nil || !d.Valid {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/propagate")
		})
	}
}

// TestChainPropagation: every value of a chain is possible (a constant
// configuration holds it), by rules and by tables alike.
func TestChainPropagation(t *testing.T) {
	for _, tables := range []bool{false, true} {
		c := compileText(t, "chain.ctm", []byte(chainModel(60, tables)))
		d, err := c.Propagate(context.Background(), nil)
		if err != nil || !d.Valid {
			t.Fatal(err)
		}
		for i := range 60 {
			for v := range 21 {
				if st, _ := d.Status(fmt.Sprintf("a%d", i), fmt.Sprint(v)); st != configurator.Possible {
					t.Fatalf("tables %v: a%d=%d is %v, want possible", tables, i, v, st)
				}
			}
		}
	}
}

// boolChain is n bools with rules r_i { b_i -> b_{i+1} }.
func boolChain(n int) string {
	var b strings.Builder
	b.WriteString("model bc {\n")
	for i := range n {
		fmt.Fprintf(&b, "  char b%d bool\n", i)
	}
	for i := range n - 1 {
		fmt.Fprintf(&b, "  rule r%d { b%d -> b%d }\n", i, i, i+1)
	}
	b.WriteString("}\n")
	return b.String()
}

// TestLongConflict: b0 = true and b_last = false contradict the whole
// chain, every rule of it needed: the conflict names the two picks and
// every rule, whether it was minimized rule by rule (100) or, past
// maxMinimizedConstraints, is the solver's reason as it is (3,000).
func TestLongConflict(t *testing.T) {
	for _, n := range []int{100, 3000} {
		c := compileText(t, "bc.ctm", []byte(boolChain(n)))
		d, err := c.Propagate(context.Background(), []configurator.Pick{{Char: "b0", Value: "true"}, {Char: fmt.Sprintf("b%d", n-1), Value: "false"}})
		if err != nil {
			t.Fatal(err)
		}
		if d.Valid || d.Conflict == nil || len(d.Conflict.Picks) != 2 || len(d.Conflict.Constraints) != n-1 {
			t.Fatalf("n=%d: valid %v, conflict %d picks, %d constraints; want 2 and %d", n, d.Valid, len(d.Conflict.Picks), len(d.Conflict.Constraints), n-1)
		}
	}
}

// BenchmarkLongConflict: propagating picks that contradict a chain of
// 10,000 implications, whose reason is the whole chain.
func BenchmarkLongConflict(b *testing.B) {
	c := compileText(b, "bc.ctm", []byte(boolChain(10000)))
	picks := []configurator.Pick{{Char: "b0", Value: "true"}, {Char: "b9999", Value: "false"}}
	for b.Loop() {
		if d, err := c.Propagate(context.Background(), picks); err != nil || d.Valid {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/propagate")
}

// TestUnaryArithmetic: rules with arithmetic over one int characteristic,
// worked by hand on n in 0..20: n % 7 = 3 holds on 3, 10 and 17;
// 10 / (n - 3) > 1 on 4..8 (and fails to evaluate on 3, which it
// therefore excludes).
func TestUnaryArithmetic(t *testing.T) {
	for rule, want := range map[string][]int{
		"n % 7 = 3":          {3, 10, 17},
		"10 / (n - 3) > 1":   {4, 5, 6, 7, 8},
		"n * n - 10 * n < 0": {1, 2, 3, 4, 5, 6, 7, 8, 9},
	} {
		c := compileText(t, "u.ctm", []byte("model u {\n  char n int 0..20\n  rule r { "+rule+" }\n}\n"))
		d, err := c.Propagate(context.Background(), nil)
		if err != nil || !d.Valid {
			t.Fatal(err)
		}
		for v := range 21 {
			st, _ := d.Status("n", fmt.Sprint(v))
			if (st != configurator.Excluded) != slices.Contains(want, v) {
				t.Errorf("%s: n=%d is %v", rule, v, st)
			}
		}
	}
}

// BenchmarkUnaryArithmetic: cold propagation of one int 0..3000 under
// n % 7 = 3 (45 s with a gate per value of n % 7).
func BenchmarkUnaryArithmetic(b *testing.B) {
	c := compileText(b, "u.ctm", []byte("model u {\n  char n int 0..3000\n  rule r { n % 7 = 3 }\n}\n"))
	for b.Loop() {
		if d, err := cfgtune.FreshCopy(c).Propagate(context.Background(), nil); err != nil || !d.Valid {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/propagate")
}

// compileText parses and compiles a model's text, failing tb on an error.
func compileText(tb testing.TB, file string, src []byte) *configurator.Compiled {
	tb.Helper()
	m, err := configurator.Parse(file, src)
	if err != nil {
		tb.Fatal(err)
	}
	c, err := configurator.Compile(m)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}
