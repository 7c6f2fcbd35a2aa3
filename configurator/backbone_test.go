package configurator_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/go-air/gini"
	"github.com/go-air/gini/z"

	"github.com/ctoplan/ctoplan/configurator"
	"github.com/ctoplan/ctoplan/configurator/internal/modeltest"
	"github.com/ctoplan/ctoplan/internal/cfgtune"
)

// plantedCNF returns a random CNF over n variables that the assignment
// planted satisfies: 3-clauses drawn at random and kept when planted
// satisfies them (ratio clauses per variable), plus a few implication
// chains hanging off unit clauses. Dense planted 3-SAT has a large
// backbone, most of it out of reach of unit propagation; the chains give
// backbone literals that unit propagation finds, and dead ones behind them.
func plantedCNF(r *rand.Rand, n int, ratio float64) (clauses [][]int, planted []bool) {
	planted = make([]bool, n+1)
	for v := 1; v <= n; v++ {
		planted[v] = r.IntN(2) == 0
	}
	lit := func(v int, agree bool) int {
		if planted[v] == agree {
			return v
		}
		return -v
	}
	for len(clauses) < int(ratio*float64(n)) {
		var c []int
		ok := false
		for len(c) < 3 {
			v := 1 + r.IntN(n)
			dup := false
			for _, x := range c {
				if x == v || x == -v {
					dup = true
				}
			}
			if dup {
				continue
			}
			x := v
			if r.IntN(2) == 0 {
				x = -v
			}
			if (x > 0) == planted[v] {
				ok = true
			}
			c = append(c, x)
		}
		if ok {
			clauses = append(clauses, c)
		}
	}
	for range 1 + n/20 {
		root := 1 + r.IntN(n)
		clauses = append(clauses, []int{lit(root, true)})
		prev := root
		for range 2 + r.IntN(4) {
			v := 1 + r.IntN(n)
			if v == prev {
				continue
			}
			// prev (as planted) implies v (as planted)
			clauses = append(clauses, []int{-lit(prev, true), lit(v, true)})
			prev = v
		}
	}
	return clauses, planted
}

// possibleBySAT is the oracle: one SAT call per literal, straight on the
// clauses (no encoding of ours in between). possible[v][1] says whether
// some model has v true, possible[v][0] whether some model has it false,
// under the assumed literals.
func possibleBySAT(n int, clauses [][]int, assume []int) [][2]bool {
	g := gini.NewV(n)
	for _, c := range clauses {
		for _, x := range c {
			g.Add(z.Dimacs2Lit(x))
		}
		g.Add(0)
	}
	out := make([][2]bool, n+1)
	for v := 1; v <= n; v++ {
		for pol := range 2 {
			x := v
			if pol == 0 {
				x = -v
			}
			for _, a := range assume {
				g.Assume(z.Dimacs2Lit(a))
			}
			g.Assume(z.Dimacs2Lit(x))
			out[v][pol] = g.Solve() == 1
		}
	}
	return out
}

// Full propagation (nothing picked, then a few picks the planted
// assignment satisfies) equals one SAT call per value on random CNFs with
// many backbone literals: the shape where each dead or forced value costs
// the naive method a call and chunked or probing methods save most (every
// other round compiles with cfgtune.Chunked: chunked backbone testing).
func TestPropagateBackboneProperty(t *testing.T) {
	ctx := context.Background()
	r := rand.New(rand.NewPCG(14, 2026))
	rounds := 60
	if raceEnabled || testing.Short() {
		rounds = 15
	}
	backbone, total := 0, 0
	for round := range rounds {
		n := 20 + r.IntN(60)
		ratio := 3.5 + 2.5*r.Float64()
		clauses, planted := plantedCNF(r, n, ratio)
		m, err := configurator.ReadDIMACS("planted.dimacs", strings.NewReader(modeltest.DIMACS(n, clauses)))
		if err != nil {
			t.Fatal(err)
		}
		// Odd rounds: nothing picked decided by chunked backbone testing.
		var opts []configurator.Option
		if round%2 == 1 {
			opts = append(opts, cfgtune.Option[configurator.Option](cfgtune.Knobs{Method: cfgtune.Chunked}))
		}
		c, err := configurator.Compile(m, opts...)
		if err != nil {
			t.Fatal(err)
		}
		// Picks: up to three variables at their planted value, so the
		// picks stay satisfiable.
		var picks []configurator.Pick
		var assume []int
		for step := 0; step < 4; step++ {
			want := possibleBySAT(n, clauses, assume)
			d, err := c.Propagate(ctx, picks)
			if err != nil {
				t.Fatal(err)
			}
			if !d.Valid {
				t.Fatalf("round %d: picks %v: invalid, but the planted assignment satisfies them", round, picks)
			}
			for v := 1; v <= n; v++ {
				name := m.Chars[v-1].Name
				tr, _ := d.Status(name, "true")
				fa, _ := d.Status(name, "false")
				gotT := tr != configurator.Excluded
				gotF := fa != configurator.Excluded
				if gotT != want[v][1] || gotF != want[v][0] {
					t.Fatalf("round %d (%d vars, %d clauses), picks %v: %s true/false possible %v/%v, one SAT call per value says %v/%v",
						round, n, len(clauses), picks, name, gotT, gotF, want[v][1], want[v][0])
				}
				if step == 0 {
					total++
					if !want[v][0] || !want[v][1] {
						backbone++
					}
				}
			}
			v := 1 + r.IntN(n)
			val := "false"
			a := -v
			if planted[v] {
				val, a = "true", v
			}
			picks = append(picks, configurator.Pick{Char: m.Chars[v-1].Name, Value: val})
			assume = append(assume, a)
		}
	}
	// The generator must produce the shape the test is about.
	if backbone*3 < total {
		t.Errorf("only %d of %d variables in the backbone: the instances do not test what they should", backbone, total)
	}
	t.Logf("%d of %d variables in the backbone with nothing picked", backbone, total)
}

// withEquivalences appends k cycles of implications between planted
// literals (a -> b -> c -> a: the three are equivalent, an atomic set),
// and hangs on each cycle a fresh "guard" implication from a literal the
// planted assignment falsifies, so that a dead value proven by a solver
// call makes a whole cycle's other polarity false at level 0.
func withEquivalences(r *rand.Rand, n int, clauses [][]int, planted []bool, k int) [][]int {
	lit := func(v int) int {
		if planted[v] {
			return v
		}
		return -v
	}
	for range k {
		a, b, c := 1+r.IntN(n), 1+r.IntN(n), 1+r.IntN(n)
		if a == b || b == c || a == c {
			continue
		}
		clauses = append(clauses,
			[]int{-lit(a), lit(b)}, []int{-lit(b), lit(c)}, []int{-lit(c), lit(a)})
		// not-planted(d) -> planted(a): keeps every clause true under the
		// planted assignment.
		d := 1 + r.IntN(n)
		if d != a {
			clauses = append(clauses, []int{lit(d), lit(a)})
		}
	}
	return clauses
}

// The same property on planted CNFs with atomic sets (equivalence cycles)
// on top of the backbone: values proven dead by a solver call take their
// whole cycle with them at level 0, which propagation reads off in one
// sweep instead of testing each value.
func TestPropagateBackboneEquivalences(t *testing.T) {
	ctx := context.Background()
	r := rand.New(rand.NewPCG(14, 2027))
	rounds := 40
	if raceEnabled || testing.Short() {
		rounds = 10
	}
	for round := range rounds {
		n := 30 + r.IntN(50)
		clauses, planted := plantedCNF(r, n, 3.0+2*r.Float64())
		clauses = withEquivalences(r, n, clauses, planted, n/4)
		m, err := configurator.ReadDIMACS("planted.dimacs", strings.NewReader(modeltest.DIMACS(n, clauses)))
		if err != nil {
			t.Fatal(err)
		}
		c, err := configurator.Compile(m)
		if err != nil {
			t.Fatal(err)
		}
		want := possibleBySAT(n, clauses, nil)
		d, err := c.Propagate(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !d.Valid {
			t.Fatalf("round %d: invalid, but the planted assignment satisfies the clauses", round)
		}
		for v := 1; v <= n; v++ {
			name := m.Chars[v-1].Name
			tr, _ := d.Status(name, "true")
			fa, _ := d.Status(name, "false")
			if got := [2]bool{fa != configurator.Excluded, tr != configurator.Excluded}; got != want[v] {
				t.Fatalf("round %d (%d vars, %d clauses): %s false/true possible %v, one SAT call per value says %v",
					round, n, len(clauses), name, got, want[v])
			}
		}
	}
}

// greedyBySAT is Complete's rule decided by one SAT call per preference,
// straight on the clauses: variables in order, each takes the first value
// of its domain order that is consistent with the assumed literals and
// the values taken before it.
func greedyBySAT(m *configurator.Model, n int, clauses [][]int, assume []int) []bool {
	g := gini.NewV(n)
	for _, c := range clauses {
		for _, x := range c {
			g.Add(z.Dimacs2Lit(x))
		}
		g.Add(0)
	}
	acc := append([]int(nil), assume...)
	out := make([]bool, n+1)
	for v := 1; v <= n; v++ {
		for _, val := range m.Chars[v-1].Domain() {
			x := -v
			if val == "true" {
				x = v
			}
			for _, a := range acc {
				g.Assume(z.Dimacs2Lit(a))
			}
			g.Assume(z.Dimacs2Lit(x))
			if g.Solve() == 1 {
				acc = append(acc, x)
				out[v] = x > 0
				break
			}
		}
	}
	return out
}

// Complete equals the greedy rule decided by one SAT call per preference
// on planted CNFs with many backbone literals, where taking each
// variable's first value under unit propagation alone runs into conflicts
// that only search finds (so Complete's push is refuted, shrunk by the
// failed assumptions and resumed, many times per call).
func TestCompleteBackboneProperty(t *testing.T) {
	ctx := context.Background()
	r := rand.New(rand.NewPCG(14, 2028))
	rounds := 60
	if raceEnabled || testing.Short() {
		rounds = 15
	}
	for round := range rounds {
		n := 20 + r.IntN(60)
		clauses, planted := plantedCNF(r, n, 3.5+2.5*r.Float64())
		if round%2 == 1 {
			clauses = withEquivalences(r, n, clauses, planted, n/4)
		}
		m, err := configurator.ReadDIMACS("planted.dimacs", strings.NewReader(modeltest.DIMACS(n, clauses)))
		if err != nil {
			t.Fatal(err)
		}
		c, err := configurator.Compile(m)
		if err != nil {
			t.Fatal(err)
		}
		var picks []configurator.Pick
		var assume []int
		for range 3 {
			want := greedyBySAT(m, n, clauses, assume)
			cfg, err := c.Complete(ctx, picks)
			if err != nil {
				t.Fatalf("round %d, picks %v: %v", round, picks, err)
			}
			for v := 1; v <= n; v++ {
				name := m.Chars[v-1].Name
				wantVal := "false"
				if want[v] {
					wantVal = "true"
				}
				if got := cfg[name]; len(got) != 1 || got[0] != wantVal {
					t.Fatalf("round %d (%d vars, %d clauses), picks %v: Complete gives %s=%v, one SAT call per preference gives %s",
						round, n, len(clauses), picks, name, got, wantVal)
				}
			}
			v := 1 + r.IntN(n)
			val, a := "false", -v
			if planted[v] {
				val, a = "true", v
			}
			picks = append(picks, configurator.Pick{Char: m.Chars[v-1].Name, Value: val})
			assume = append(assume, a)
		}
	}
}

// Complete on a compiled model whose propagation with nothing picked has
// run (so Complete pushes its preferences before it checks the picks),
// with random picks, valid or not, against the brute-force oracle.
func TestOracleCompleteWarm(t *testing.T) {
	ctx := context.Background()
	oracleModels(t, 300, func(t *testing.T, r *rand.Rand, m *configurator.Model, c *configurator.Compiled, sols []configurator.Configuration) {
		if _, err := c.Propagate(ctx, nil); err != nil {
			t.Fatal(err)
		}
		for range 3 {
			picks := randomPicks(r, m, 1+r.IntN(4))
			cfg, err := c.Complete(ctx, picks)
			if !consistent(sols, m, picks) {
				var ce *configurator.ConflictError
				if !errors.As(err, &ce) {
					t.Fatalf("Complete(%v) on invalid picks = %v, %v; want a conflict", picks, cfg, err)
				}
				continue
			}
			if err != nil {
				t.Fatalf("Complete(%v): %v", picks, err)
			}
			if want := greedyComplete(m, sols, picks); normalized(cfg) != normalized(want) {
				t.Fatalf("Complete(%v) = %v, the greedy preference order gives %v", picks, cfg, want)
			}
		}
	})
}
