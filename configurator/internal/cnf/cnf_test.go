package cnf

import (
	"testing"

	"github.com/go-air/gini/z"
)

// count returns the number of models of the builder's clauses projected on
// xs that have exactly k of xs true, for each k, by asking the solver with
// assumptions for every assignment of xs.
func feasible(b *Builder, xs []z.Lit) map[int]bool {
	g := b.Gini(nil)
	out := map[int]bool{}
	for mask := 0; mask < 1<<len(xs); mask++ {
		k := 0
		for i, x := range xs {
			if mask&(1<<i) != 0 {
				g.Assume(x)
				k++
			} else {
				g.Assume(x.Not())
			}
		}
		if g.Solve() == 1 {
			out[mask] = true
		}
		_ = k
	}
	return out
}

func TestAtMostOneEncodings(t *testing.T) {
	for _, enc := range []AMO{AMOPairwise, AMOLadder, AMOAuto} {
		for n := 1; n <= 9; n++ {
			b := New()
			b.AMO = enc
			xs := make([]z.Lit, n)
			for i := range xs {
				xs[i] = b.NewLit()
			}
			b.AtMostOne(xs...)
			ok := feasible(b, xs)
			for mask := 0; mask < 1<<n; mask++ {
				ones := 0
				for i := 0; i < n; i++ {
					if mask&(1<<i) != 0 {
						ones++
					}
				}
				if ok[mask] != (ones <= 1) {
					t.Fatalf("enc %d n %d mask %b: feasible %v", enc, n, mask, ok[mask])
				}
			}
		}
	}
}

// Totalizer outputs are exact in both directions: o[k] is true iff at
// least k inputs are.
func TestTotalizer(t *testing.T) {
	for n := 1; n <= 7; n++ {
		b := New()
		xs := make([]z.Lit, n)
		for i := range xs {
			xs[i] = b.NewLit()
		}
		o := b.Totalizer(xs)
		g := b.Gini(nil)
		for mask := 0; mask < 1<<n; mask++ {
			ones := 0
			for i, x := range xs {
				if mask&(1<<i) != 0 {
					g.Assume(x)
					ones++
				} else {
					g.Assume(x.Not())
				}
			}
			if g.Solve() != 1 {
				t.Fatalf("n %d mask %b: unsat", n, mask)
			}
			for k := 0; k <= n; k++ {
				if g.Value(o[k]) != (ones >= k) {
					t.Fatalf("n %d mask %b: o[%d] = %v", n, mask, k, g.Value(o[k]))
				}
			}
		}
	}
}

func TestGatesAndClauseSimplification(t *testing.T) {
	b := New()
	x, y := b.NewLit(), b.NewLit()
	and, or, iff := b.And(x, y), b.Or(x, y), b.Iff(x, y)
	n := b.NumClauses()
	b.Clause(x, x.Not()) // tautology: dropped
	b.Clause(b.True, x)  // satisfied: dropped
	if b.NumClauses() != n {
		t.Errorf("tautologies were added")
	}
	if b.And(x, x.Not()) != b.False() || b.Or(x, x.Not()) != b.True || b.And() != b.True || b.Or() != b.False() {
		t.Errorf("constant folding failed")
	}
	g := b.Gini(nil)
	for _, vx := range []bool{false, true} {
		for _, vy := range []bool{false, true} {
			lx, ly := x, y
			if !vx {
				lx = x.Not()
			}
			if !vy {
				ly = y.Not()
			}
			g.Assume(lx, ly)
			if g.Solve() != 1 {
				t.Fatal("unsat")
			}
			if g.Value(and) != (vx && vy) || g.Value(or) != (vx || vy) || g.Value(iff) != (vx == vy) {
				t.Errorf("x=%v y=%v: and %v or %v iff %v", vx, vy, g.Value(and), g.Value(or), g.Value(iff))
			}
		}
	}
}
