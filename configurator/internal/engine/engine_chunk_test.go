package engine

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/go-air/gini"
	"github.com/go-air/gini/z"

	"github.com/ctoplan/ctoplan/configurator/internal/formats"
	"github.com/ctoplan/ctoplan/configurator/internal/modeltest"
	"github.com/ctoplan/ctoplan/internal/cfgtune"
)

// chunkedOpt compiles with propagation by chunked backbone testing.
var chunkedOpt = Option(func(o *Options) { o.knobs = cfgtune.Knobs{Method: cfgtune.Chunked} })

// Hand-worked: x1 and x2 are forced true (units), so not-x1 and not-x2
// are dead; x3 is free. The first model holds x1, x2 and one value of
// x3; the sweep at level 0 finds not-x1 and not-x2 dead. What is left
// undecided is the other value of x3, and the one chunk call finds it
// possible (sat). With x3 forced by x1 as well, the first model holds
// every possible value and nothing is left for a chunk; with x3 and x4
// tied to each other but not to the units, one chunk holds the two
// values of the first model's complement, and a model flips both.
func TestSearchChunkedHandWorked(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		text      string
		wantDead  []string // "x1=false" ...
		wantCalls int      // chunk calls
	}{
		{"p cnf 3 2\n1 0\n2 0\n", []string{"x1=false", "x2=false"}, 1},
		{"p cnf 3 3\n1 0\n2 0\n-1 3 0\n", []string{"x1=false", "x2=false", "x3=false"}, 0},
		{"p cnf 4 4\n1 0\n2 0\n-3 4 0\n3 -4 0\n", []string{"x1=false", "x2=false"}, 1},
	} {
		m, err := formats.ReadDIMACS("hand.dimacs", strings.NewReader(tc.text))
		if err != nil {
			t.Fatal(err)
		}
		c, err := Compile(m, chunkedOpt)
		if err != nil {
			t.Fatal(err)
		}
		d, err := c.Propagate(ctx, nil)
		if err != nil || !d.Valid {
			t.Fatal(err, d.Conflict)
		}
		var dead []string
		for _, cd := range d.Chars {
			for _, v := range cd.Values {
				if v.Status == Excluded {
					dead = append(dead, cd.Char+"="+v.Value)
				}
			}
		}
		if fmt.Sprint(dead) != fmt.Sprint(tc.wantDead) {
			t.Errorf("%q: dead %v, want %v", tc.text, dead, tc.wantDead)
		}
		gl, _ := c.globalInfo(ctx)
		if n := gl.chunks.sat + gl.chunks.unsat; n != tc.wantCalls {
			t.Errorf("%q: %d chunk calls (%d sat), want %d", tc.text, n, gl.chunks.sat, tc.wantCalls)
		}
	}
}

// plantedChunkCNF is a random CNF over n variables that a random planted
// assignment satisfies: 3-clauses kept when the assignment satisfies them
// (many backbone literals out of reach of unit propagation when dense),
// and implication chains from unit clauses.
func plantedChunkCNF(r *rand.Rand, n int, ratio float64) [][]int {
	planted := make([]bool, n+1)
	for v := 1; v <= n; v++ {
		planted[v] = r.IntN(2) == 0
	}
	lit := func(v int) int {
		if planted[v] {
			return v
		}
		return -v
	}
	var cls [][]int
	for len(cls) < int(ratio*float64(n)) {
		a, b, c := 1+r.IntN(n), 1+r.IntN(n), 1+r.IntN(n)
		if a == b || b == c || a == c {
			continue
		}
		cl := []int{a, b, c}
		ok := false
		for i, v := range cl {
			if r.IntN(2) == 0 {
				cl[i] = -v
			}
			ok = ok || cl[i] == lit(v)
		}
		if ok {
			cls = append(cls, cl)
		}
	}
	for range 1 + n/25 {
		prev := 1 + r.IntN(n)
		cls = append(cls, []int{lit(prev)})
		for range 1 + r.IntN(3) {
			v := 1 + r.IntN(n)
			if v != prev {
				cls = append(cls, []int{-lit(prev), lit(v)})
				prev = v
			}
		}
	}
	return cls
}

// possibleOneCallEach is the oracle: one solver call per literal on the
// clauses, under the assumed literals.
func possibleOneCallEach(n int, cls [][]int, assume []int) map[string]bool {
	g := gini.NewV(n)
	for _, cl := range cls {
		for _, x := range cl {
			g.Add(z.Dimacs2Lit(x))
		}
		g.Add(0)
	}
	out := map[string]bool{}
	for v := 1; v <= n; v++ {
		for _, x := range []int{-v, v} {
			for _, a := range assume {
				g.Assume(z.Dimacs2Lit(a))
			}
			g.Assume(z.Dimacs2Lit(x))
			out[fmt.Sprintf("x%d=%v", v, x > 0)] = g.Solve() == 1
		}
	}
	return out
}

// Property: propagation with the chunked search equals one solver call
// per value on random planted CNFs with many backbone literals, with
// nothing picked and then under picks (answered from the solver that holds
// the retired chunk selectors). Over the rounds, chunk calls come back
// both sat and unsat, and unsat ones settle several values at once.
func TestSearchChunkedProperty(t *testing.T) {
	ctx := context.Background()
	r := rand.New(rand.NewPCG(14, 3003))
	var sat, unsat, settled, rounds int
	for round := range 80 {
		n := 20 + r.IntN(100)
		cls := plantedChunkCNF(r, n, 3.0+3*r.Float64())
		m, err := formats.ReadDIMACS("planted.dimacs", strings.NewReader(modeltest.DIMACS(n, cls)))
		if err != nil {
			t.Fatal(err)
		}
		c, err := Compile(m, chunkedOpt)
		if err != nil {
			t.Fatal(err)
		}
		var picks []Pick
		var assume []int
		for step := range 3 {
			want := possibleOneCallEach(n, cls, assume)
			d, err := c.Propagate(ctx, picks)
			if err != nil {
				t.Fatal(err)
			}
			if !d.Valid {
				t.Fatalf("round %d step %d: invalid, the planted assignment satisfies the picks", round, step)
			}
			var possible []string
			for _, cd := range d.Chars {
				for _, v := range cd.Values {
					key := cd.Char + "=" + v.Value
					if got := v.Status != Excluded; got != want[key] {
						t.Fatalf("round %d step %d (%d vars, %d clauses, picks %v): %s possible %v, one call per value says %v",
							round, step, n, len(cls), picks, key, got, want[key])
					}
					if want[key] {
						possible = append(possible, key)
					}
				}
			}
			// Next pick: a possible value (so the picks stay valid).
			p := possible[r.IntN(len(possible))]
			pk, v := boolPick(p)
			picks, assume = append(picks, pk), append(assume, v)
		}
		gl, _ := c.globalInfo(ctx)
		sat += gl.chunks.sat
		unsat += gl.chunks.unsat
		settled += gl.chunks.settled
		rounds++
	}
	if sat == 0 || unsat == 0 || settled <= unsat {
		t.Fatalf("chunk calls over %d rounds: %d sat, %d unsat settling %d values; the instances must exercise both answers and unsat chunks of several values",
			rounds, sat, unsat, settled)
	}
	t.Logf("chunk calls over %d rounds: %d sat, %d unsat settling %d values", rounds, sat, unsat, settled)
}

// possiblePicks lists a pick of every value d shows possible, the
// choices of a random salesperson walk.
func possiblePicks(d *Domains) []Pick {
	var cand []Pick
	for _, cd := range d.Chars {
		for _, v := range cd.Values {
			if v.Status == Possible {
				cand = append(cand, Pick{Char: cd.Char, Value: v.Value})
			}
		}
	}
	return cand
}

// boolPick is the pick "xN=true" or "xN=false" and its DIMACS literal
// (N or -N).
func boolPick(p string) (Pick, int) {
	name, val, _ := strings.Cut(p, "=")
	var v int
	fmt.Sscanf(name, "x%d", &v)
	if val == "false" {
		v = -v
	}
	return Pick{Char: name, Value: val}, v
}
