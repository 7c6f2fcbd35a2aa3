package ginicopy

import (
	"testing"

	"github.com/go-air/gini"
	"github.com/go-air/gini/z"
)

// TestSolverCopyKeepsDecay checks the repair of gini's Guess.Copy: the
// copy must carry the decay schedule of its source (gini v1.0.4 leaves it
// zero, which drives the bump increment to +Inf). It fails when a gini
// upgrade renames the fields Copy reaches.
func TestSolverCopyKeepsDecay(t *testing.T) {
	if !Fixed() {
		t.Fatal("Copy cannot reach gini's Guess fields: check gini's Guess.Copy and ginicopy.go")
	}
	g := gini.New()
	// A pigeonhole formula (5 pigeons, 4 holes): many conflicts.
	const P, H = 5, 4
	v := func(p, h int) z.Lit { return z.Var(p*H + h + 1).Pos() }
	for p := range P {
		for h := range H {
			g.Add(v(p, h))
		}
		g.Add(0)
	}
	for h := range H {
		for p := range P {
			for q := p + 1; q < P; q++ {
				g.Add(v(p, h).Not())
				g.Add(v(q, h).Not())
				g.Add(0)
			}
		}
	}
	raw, fixed := g.Copy(), Copy(g)
	for _, name := range guessCopyFields[2:] { // the float fields
		want := guessOf(g).FieldByName(name).Float()
		if got := guessOf(fixed).FieldByName(name).Float(); got != want {
			t.Errorf("copy's %s = %v, want %v", name, got, want)
		}
	}
	if r := fixed.Solve(); r != -1 {
		t.Fatalf("pigeonhole solved %d, want -1", r)
	}
	if inc := guessOf(fixed).FieldByName("bumpInc").Float(); inc > 1e100 {
		t.Errorf("repaired copy's bump increment %v after one solve", inc)
	}
	raw.Solve()
	t.Logf("unrepaired copy's bump increment after the same solve: %v", guessOf(raw).FieldByName("bumpInc").Float())
}
