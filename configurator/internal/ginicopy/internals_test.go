package ginicopy

import (
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
