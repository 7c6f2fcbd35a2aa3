package engine

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/ctoplan/ctoplan/configurator/internal/formats"
)

// dimacsText writes cls over n variables as DIMACS.
func dimacsText(n int, cls [][]int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "p cnf %d %d\n", n, len(cls))
	for _, cl := range cls {
		for _, x := range cl {
			fmt.Fprintf(&b, "%d ", x)
		}
		b.WriteString("0\n")
	}
	return b.String()
}

// satisfies reports whether the model m (a target bitset of a compiled
// DIMACS model, variable v being the characteristic "x<v>") satisfies
// every clause of cls, and names the first clause it leaves false.
func satisfies(c *Compiled, m bitset, cls [][]int) (bool, []int) {
	val := func(v int) bool {
		cc := &c.chars[c.byName[fmt.Sprintf("x%d", v)]]
		return m.has(cc.first + 1) // bool values: "false", "true"
	}
	for _, cl := range cls {
		ok := false
		for _, x := range cl {
			if v := max(x, -x); val(v) == (x > 0) {
				ok = true
				break
			}
		}
		if !ok {
			return false, cl
		}
	}
	return true, nil
}

// Property: with fill (the push completed by the first model, clauses
// mended by held literals), propagation still equals one solver call per
// value on random planted CNFs, with nothing picked and under picks, and
// every model a propagation records satisfies every clause of the CNF as
// written (checked here clause by clause, not through fill's index).
// Over the rounds fill must record models, some of them mended.
func TestFillProperty(t *testing.T) {
	ctx := context.Background()
	r := rand.New(rand.NewPCG(14, 2202))
	var tries, models, mended, checked int
	for round := range 120 {
		n := 15 + r.IntN(90)
		cls := plantedChunkCNF(r, n, 2.0+3*r.Float64())
		if round%2 == 1 {
			// Wider clauses: a clause that only a free literal holds
			// true, which a held literal then makes false, is checked
			// again (fill's fragile clauses).
			cls = plantedWideCNF(r, n, 2.0+3*r.Float64())
		}
		m, err := formats.ReadDIMACS("planted.dimacs", strings.NewReader(dimacsText(n, cls)))
		if err != nil {
			t.Fatal(err)
		}
		c, err := Compile(m)
		if err != nil {
			t.Fatal(err)
		}
		var picks []Pick
		var assume []int
		for step := range 3 {
			want := possibleOneCallEach(n, cls, assume)
			ps, err := c.resolvePicks(picks)
			if err != nil {
				t.Fatal(err)
			}
			d, found, err := c.propagate(ctx, picks, ps, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !d.Valid {
				t.Fatalf("round %d step %d: invalid, the planted assignment satisfies the picks", round, step)
			}
			models := found
			if step == 0 {
				gl, _ := c.globalInfo(ctx)
				models = gl.models
			}
			for _, fm := range models {
				if ok, cl := satisfies(c, fm, cls); !ok {
					t.Fatalf("round %d step %d: a recorded model leaves clause %v false", round, step, cl)
				}
				checked++
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
			p := possible[r.IntN(len(possible))]
			name, val, _ := strings.Cut(p, "=")
			picks = append(picks, Pick{Char: name, Value: val})
			var v int
			fmt.Sscanf(name, "x%d", &v)
			if val == "false" {
				v = -v
			}
			assume = append(assume, v)
		}
		gl, _ := c.globalInfo(ctx)
		tries += gl.fills.tries
		models += gl.fills.models
		mended += gl.fills.mended
	}
	if models == 0 || mended == 0 || models == tries {
		t.Fatalf("fill over the rounds: %d tries, %d models, %d mended; the instances must exercise fills that succeed, fail and mend",
			tries, models, mended)
	}
	t.Logf("fill with nothing picked: %d tries, %d models (%d mended); %d recorded models checked", tries, models, mended, checked)
}

// plantedWideCNF is a random CNF of clauses of 2 to 5 literals that a
// random planted assignment satisfies.
func plantedWideCNF(r *rand.Rand, n int, ratio float64) [][]int {
	planted := make([]bool, n+1)
	for v := 1; v <= n; v++ {
		planted[v] = r.IntN(2) == 0
	}
	var cls [][]int
	for len(cls) < int(ratio*float64(n)) {
		k := 2 + r.IntN(4)
		seen := map[int]bool{}
		var cl []int
		ok := false
		for len(cl) < k {
			v := 1 + r.IntN(n)
			if seen[v] {
				continue
			}
			seen[v] = true
			x := v
			if r.IntN(2) == 0 {
				x = -v
			}
			ok = ok || (x > 0) == planted[v]
			cl = append(cl, x)
		}
		if ok {
			cls = append(cls, cl)
		}
	}
	return cls
}
