package ginicopy

import (
	"slices"
	"testing"

	"github.com/go-air/gini"
	"github.com/go-air/gini/z"
)

// TestSkipModelCheck fails when a gini upgrade renames the field
// SkipModelCheck clears, and checks that the solver still answers right
// without the check: (x1 or x2), (not x1 or x2), (not x2 or x3) has the
// models with x2 = x3 = true only (x1 free).
func TestSkipModelCheck(t *testing.T) {
	g := gini.New()
	for _, c := range [][]int{{1, 2}, {-1, 2}, {-2, 3}} {
		for _, x := range c {
			g.Add(z.Dimacs2Lit(x))
		}
		g.Add(0)
	}
	if !SkipModelCheck(g) {
		t.Fatal("SkipModelCheck cannot reach gini's Cdb.checkModel: check gini's xo.Cdb and internals.go")
	}
	if r := g.Solve(); r != 1 {
		t.Fatalf("solve = %d, want 1", r)
	}
	if !g.Value(z.Dimacs2Lit(2)) || !g.Value(z.Dimacs2Lit(3)) {
		t.Error("model without x2 and x3")
	}
	g.Assume(z.Dimacs2Lit(-3))
	if r := g.Solve(); r != -1 {
		t.Errorf("solve assuming not x3 = %d, want -1", r)
	}
}

// TestPhases fails when a gini upgrade renames the phase cache, and
// checks that writing it steers the next solve: the clauses (xv or x5)
// let x1..x4 take either value, so the model follows the phases written.
func TestPhases(t *testing.T) {
	g := gini.New()
	for v := 1; v <= 4; v++ {
		// (xv or x5): any value of xv goes with x5 true.
		g.Add(z.Var(v).Pos())
		g.Add(z.Var(5).Pos())
		g.Add(0)
	}
	if r := g.Solve(); r != 1 {
		t.Fatalf("solve = %d, want 1", r)
	}
	ph := Phases(g)
	if len(ph) < 6 {
		t.Fatalf("Phases: %d entries, want at least 6 (variables 1..5): check gini's xo.Guess.cache and internals.go", len(ph))
	}
	// Round 0: odd variables true, even false; round 1 the other way.
	for _, round := range []int{0, 1} {
		// Back to level 0 first: the next solve's backtrack would save
		// over the cache the values the last model left assigned.
		g.Test(nil)
		g.Untest()
		var want [5]bool
		for v := 1; v <= 4; v++ {
			want[v] = (v%2 == 1) == (round == 0)
			ph[v] = -1
			if want[v] {
				ph[v] = 1
			}
		}
		if r := g.Solve(); r != 1 {
			t.Fatalf("round %d: solve = %d, want 1", round, r)
		}
		for v := 1; v <= 4; v++ {
			if got := g.Value(z.Var(v).Pos()); got != want[v] {
				t.Errorf("round %d: x%d = %v, the phase written was %v", round, v, got, want[v])
			}
		}
	}
}

// TestValues checks Values against g.Value on every literal of a model
// and of a test scope with unassigned variables. It fails when a gini
// upgrade renames the fields Values reaches.
func TestValues(t *testing.T) {
	g := gini.New()
	// x1 -> x2, x2 -> x3; x4 and x5 free; (x4 or x5).
	for _, c := range [][]int{{-1, 2}, {-2, 3}, {4, 5}} {
		for _, m := range c {
			g.Add(z.Dimacs2Lit(m))
		}
		g.Add(0)
	}
	check := func(what string, unassigned ...z.Var) {
		t.Helper()
		vals := Values(g)
		if len(vals) < 12 {
			t.Fatalf("%s: Values has %d entries, want at least 12 (literals of x1..x5): check gini's xo.Vars.Vals and internals.go", what, len(vals))
		}
		for v := z.Var(1); v <= 5; v++ {
			for _, m := range []z.Lit{v.Pos(), v.Neg()} {
				want := int8(-1)
				if g.Value(m) {
					want = 1
				}
				if slices.Contains(unassigned, v) {
					want = 0
				}
				if vals[m] != want {
					t.Errorf("%s: Values[%v] = %d, want %d", what, m, vals[m], want)
				}
			}
		}
	}
	if r := g.Solve(); r != 1 {
		t.Fatalf("solve = %d, want 1", r)
	}
	check("model")
	g.Assume(z.Dimacs2Lit(1))
	if r, _ := g.Test(nil); r != 0 {
		t.Fatalf("test x1 = %d, want 0", r)
	}
	check("under x1", 4, 5) // x1, x2, x3 true by propagation; x4, x5 open
	g.Untest()
}

// Props counts the literals unit propagation assigned: a Test of x1 on the
// chain x1 -> x2 -> x3 assigns three; a copy starts from zero.
func TestProps(t *testing.T) {
	g := gini.New()
	for _, c := range [][]int{{-1, 2}, {-2, 3}, {4, 5}} {
		for _, m := range c {
			g.Add(z.Dimacs2Lit(m))
		}
		g.Add(0)
	}
	p0 := Props(g)
	if p0 < 0 {
		t.Fatal("Props found no xo.Trail.Props: check gini's fields and internals.go")
	}
	g.Assume(z.Dimacs2Lit(1))
	if r, _ := g.Test(nil); r != 0 {
		t.Fatalf("test x1 = %d, want 0", r)
	}
	if d := Props(g) - p0; d != 3 {
		t.Errorf("Test of x1 on x1 -> x2 -> x3: %d propagations, want 3", d)
	}
	g.Untest()
	if h := Copy(g); Props(h) != 0 {
		t.Errorf("copy: %d propagations, want 0", Props(h))
	}
}
