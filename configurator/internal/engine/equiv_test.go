package engine

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/ctoplan/ctoplan/configurator/internal/formats"
	"github.com/ctoplan/ctoplan/configurator/internal/modeltest"
	"github.com/ctoplan/ctoplan/internal/cfgtune"
	"github.com/go-air/gini"
	"github.com/go-air/gini/z"
)

// noEquivOpt compiles without the substitution: the search solvers get
// the clauses as compiled.
var noEquivOpt = Option(func(o *Options) { o.knobs = cfgtune.Knobs{NoEquiv: true} })

func compileDIMACS(t *testing.T, text string, opts ...Option) *Compiled {
	t.Helper()
	m, err := formats.ReadDIMACS("equiv.dimacs", strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	c, err := Compile(m, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Hand-worked, six variables, nine clauses (rule i is the i-th line):
//
//	1: x1            x1 is a unit
//	2: -x1 x2        so x2 is one at level 0
//	3: -x3 x4        with 4: x3 <-> x4
//	4: -x4 x3
//	5: x3 x5         with 6: x5 <-> -x3
//	6: -x3 -x5
//	7: -x4 x6        becomes -x3 x6
//	8: -x3 x6 -x1    -x1 is false: -x3 x6 again, dropped as repeated
//	9: x5 x6 -x2     -x2 is false, x5 is -x3: -x3 x6 again, dropped
//
// Units: the encoding's constant, x1, x2. Classes: {x3, x4, -x5} with x3
// the representative (smallest variable), x6 alone. The search clauses:
// the three units, units fixing the replaced x4 and x5 (so that the
// solver never decides them), and -x3 x6: six clauses. The models are
// x1 x2 and either x3 x4 -x5 x6, or -x3 -x4 x5 with x6 free: every value
// of x3..x6 is possible, x1 and x2 are forced. Picking x3=true forces x4
// (rule 3) and x6 (rules 3 and 7: the explanation is found on the clauses
// as compiled, where x6 follows from x4, not from the class's -x3 x6; 1
// and 8 would be the other minimal pair).
func TestEquivHandWorked(t *testing.T) {
	text := modeltest.DIMACS(6, [][]int{{1}, {-1, 2}, {-3, 4}, {-4, 3}, {3, 5}, {-3, -5}, {-4, 6}, {-3, 6, -1}, {5, 6, -2}})
	c := compileDIMACS(t, text)
	plain := compileDIMACS(t, text, noEquivOpt)
	e := c.eq
	if e == nil {
		t.Fatal("no substitution")
	}
	if e.nUnits != 3 || e.nElim != 2 || e.nCl != 6 {
		t.Fatalf("units %d, replaced %d, search clauses %d; want 3, 2, 6", e.nUnits, e.nElim, e.nCl)
	}
	lit := func(v int) z.Lit { // the compiled literal of x<v>
		cc := &c.chars[c.byName[fmt.Sprintf("x%d", v)]]
		return c.slots[cc.first+1].lit // the "true" slot
	}
	for v, want := range map[int]z.Lit{1: lit(1), 2: lit(2), 3: lit(3), 4: lit(3), 5: lit(3).Not(), 6: lit(6)} {
		if got := c.sl(lit(v)); got != want {
			t.Errorf("x%d: search literal %v, want %v", v, got, want)
		}
		if got := c.sl(lit(v).Not()); got != want.Not() {
			t.Errorf("-x%d: search literal %v, want %v", v, got, want.Not())
		}
	}
	// The clauses that are not units: exactly -x3 x6.
	var long [][]z.Lit
	start := 0
	for i, m := range e.lits {
		if m == 0 {
			if i-start > 1 {
				long = append(long, e.lits[start:i])
			}
			start = i + 1
		}
	}
	if len(long) != 1 || !slices.Equal(long[0], []z.Lit{lit(3).Not(), lit(6)}) {
		t.Fatalf("search clauses beyond the units: %v, want [[%v %v]]", long, lit(3).Not(), lit(6))
	}
	ctx := context.Background()
	d, err := c.Propagate(ctx, nil)
	if err != nil || !d.Valid {
		t.Fatal(err)
	}
	for _, cd := range d.Chars {
		for _, v := range cd.Values {
			want := Possible
			if cd.Char == "x1" || cd.Char == "x2" {
				want = Forced
				if v.Value == "false" {
					want = Excluded
				}
			}
			if v.Status != want {
				t.Errorf("%s=%s: %v, want %v", cd.Char, v.Value, v.Status, want)
			}
		}
	}
	pick := []Pick{{Char: "x3", Value: "true"}}
	for _, x := range []struct{ char, want string }{
		{"x4", "x4=true is forced because of x3=true; rule c3"},
		{"x6", "x6=true is forced because of x3=true; rule c3; rule c7"},
	} {
		ex, err := c.Explain(ctx, pick, x.char, "true")
		if err != nil {
			t.Fatal(err)
		}
		if ex.String() != x.want {
			t.Errorf("%s under x3=true: %v, want %s", x.char, ex, x.want)
		}
		ep, err := plain.Explain(ctx, pick, x.char, "true")
		if err != nil {
			t.Fatal(err)
		}
		if ex.String() != ep.String() {
			t.Errorf("%s under x3=true: %v, without the substitution %v", x.char, ex, ep)
		}
	}
}

// plantedEquivCNF is plantedChunkCNF (random 3-clauses true under a
// planted assignment, chains of implications from planted units) with
// equivalence classes planted on top: cycles of binary clauses through
// literals of the same planted value (some with a chord, some sharing a
// literal with another cycle) and open chains. With unsat, one cycle also
// holds a literal and its negation: no model.
func plantedEquivCNF(r *rand.Rand, n int, unsat bool) [][]int {
	cls := plantedChunkCNF(r, n, 0.5+2*r.Float64())
	// Cycles through literals of one value under a model of these
	// clauses keep them satisfiable.
	planted := plantedOf(n, cls)
	lit := func(v int, same bool) int {
		if planted[v] == same {
			return v
		}
		return -v
	}
	var prev []int
	for k := range 1 + r.IntN(max(1, n/8)) {
		size := 2 + r.IntN(5)
		same := r.IntN(2) == 0
		var cyc []int
		if k > 0 && r.IntN(3) == 0 {
			x := prev[r.IntN(len(prev))]
			cyc = append(cyc, x)
			same = planted[max(x, -x)] == (x > 0) // x's value
		}
		for len(cyc) < size {
			cyc = append(cyc, lit(1+r.IntN(n), same))
		}
		if unsat && k == 0 {
			cyc = append(cyc, -cyc[0])
		}
		closed := r.IntN(4) != 0
		for i := range cyc {
			if i+1 < len(cyc) {
				cls = append(cls, []int{-cyc[i], cyc[i+1]})
			} else if closed {
				cls = append(cls, []int{-cyc[i], cyc[0]})
			}
		}
		if closed && len(cyc) > 3 {
			cls = append(cls, []int{-cyc[0], cyc[2]}) // a chord
		}
		prev = cyc
	}
	r.Shuffle(len(cls), func(i, j int) { cls[i], cls[j] = cls[j], cls[i] })
	return cls
}

// plantedOf returns a model of cls (satisfiable: plantedChunkCNF's
// clauses hold under its planted assignment).
func plantedOf(n int, cls [][]int) []bool {
	g := gini.NewV(n)
	for _, cl := range cls {
		for _, x := range cl {
			g.Add(z.Dimacs2Lit(x))
		}
		g.Add(0)
	}
	if g.Solve() != 1 {
		panic("plantedChunkCNF gave an unsatisfiable formula")
	}
	out := make([]bool, n+1)
	for v := 1; v <= n; v++ {
		out[v] = g.Value(z.Dimacs2Lit(v))
	}
	return out
}

// describe renders what a query answered, errors included.
func describe(d *Domains, err error) string {
	if err != nil {
		var ce *ConflictError
		if errors.As(err, &ce) {
			return "conflict " + ce.Conflict.String()
		}
		return "error " + err.Error()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "valid %v", d.Valid)
	if d.Conflict != nil {
		fmt.Fprintf(&b, " conflict %s", d.Conflict)
	}
	for _, cd := range d.Chars {
		for _, v := range cd.Values {
			fmt.Fprintf(&b, " %s=%s:%v", cd.Char, v.Value, v.Status)
		}
	}
	return b.String()
}

// Property: on random CNFs with planted equivalent literals (cycles and
// chains of binary clauses, units, some formulas made unsat by a cycle
// through x and -x), the engine with the substitution answers exactly as
// the one without it: domains with nothing picked and under random picks
// (valid or not, conflicts included), Complete, and Explain of every
// value (eight variables per step); and the domains equal one SAT call
// per value on the raw clauses.
func TestEquivProperty(t *testing.T) {
	ctx := context.Background()
	r := rand.New(rand.NewPCG(14, 1414))
	rounds := 60
	if testing.Short() || raceEnabled {
		rounds = 15
	}
	substituted, replaced := 0, 0
	for round := range rounds {
		n := 8 + r.IntN(60)
		unsat := round%10 == 9
		cls := plantedEquivCNF(r, n, unsat)
		text := modeltest.DIMACS(n, cls)
		c := compileDIMACS(t, text)
		plain := compileDIMACS(t, text, noEquivOpt)
		if c.eq != nil {
			substituted++
			replaced += c.eq.nElim
		}
		var picks []Pick
		var assume []int
		for step := range 4 {
			what := fmt.Sprintf("round %d (%d vars, %d clauses) step %d picks %v", round, n, len(cls), step, picks)
			d, err := c.Propagate(ctx, picks)
			dp, errp := plain.Propagate(ctx, picks)
			got, want := describe(d, err), describe(dp, errp)
			if got != want {
				t.Fatalf("%s:\nsubstituted %s\nas compiled %s", what, got, want)
			}
			if err != nil {
				t.Fatal(err)
			}
			if d.Valid {
				checkOneCallEach(t, what, d, possibleOneCallEach(n, cls, assume))
			} else if !unsat && step == 0 {
				t.Fatalf("%s: invalid with nothing picked", what)
			}
			cfg, err := c.Complete(ctx, picks)
			cfgp, errp := plain.Complete(ctx, picks)
			if fmt.Sprint(cfg, err) != fmt.Sprint(cfgp, errp) {
				t.Fatalf("%s: Complete %v %v, as compiled %v %v", what, cfg, err, cfgp, errp)
			}
			for range 8 {
				v := 1 + r.IntN(n)
				for _, val := range []string{"false", "true"} {
					char := fmt.Sprintf("x%d", v)
					ex, err := c.Explain(ctx, picks, char, val)
					ep, errp := plain.Explain(ctx, picks, char, val)
					if fmt.Sprint(ex, err) != fmt.Sprint(ep, errp) {
						t.Fatalf("%s: Explain %s=%s: %v %v, as compiled %v %v", what, char, val, ex, err, ep, errp)
					}
				}
			}
			if !d.Valid {
				break
			}
			// The next pick: any value, possible or not (an excluded one
			// makes the next step a conflict to explain).
			v := 1 + r.IntN(n)
			if r.IntN(2) == 0 {
				v = -v
			}
			pk, _ := boolPick(fmt.Sprintf("x%d=%v", max(v, -v), v > 0))
			picks, assume = append(picks, pk), append(assume, v)
		}
	}
	if substituted < rounds/2 || replaced == 0 {
		t.Fatalf("the substitution ran on %d of %d models, replacing %d variables: the property does not exercise it", substituted, rounds, replaced)
	}
	t.Logf("substituted %d of %d models, %d variables replaced", substituted, rounds, replaced)
}

// Property, by brute force on small CNFs: the search clauses with every
// variable read through the substitution have exactly the models of the
// clauses as compiled, and each of those models, with the replaced
// variables set true, satisfies the search clauses.
func TestEquivModelsBrute(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 1415))
	checked := 0
	for round := range 300 {
		n := 3 + r.IntN(9)
		cls := plantedEquivCNF(r, n, round%10 == 9)
		c := compileDIMACS(t, modeltest.DIMACS(n, cls))
		var orig [][]z.Lit
		c.cnf.Clauses(func(_ int, l []z.Lit) { orig = append(orig, slices.Clone(l)) })
		nv := c.cnf.NumVars()
		models := map[uint64]bool{}
		for a := uint64(0); a < 1<<nv; a++ {
			if satisfies(orig, func(m z.Lit) bool { return holds(a, m) }) {
				models[a] = true
			}
		}
		e := c.eq
		if e == nil {
			short := 0
			for _, cl := range orig {
				if len(cl) <= 2 {
					short++
				}
			}
			if len(models) > 0 && short*minShortShare >= len(orig) {
				// the constant is always a unit: a satisfiable formula
				// with enough short clauses always gets a substitution
				t.Fatalf("round %d: satisfiable, yet no substitution", round)
			}
			continue
		}
		checked++
		var search [][]z.Lit
		start := 0
		for i, m := range e.lits {
			if m == 0 {
				search = append(search, e.lits[start:i])
				start = i + 1
			}
		}
		got := map[uint64]bool{}
		for s := uint64(0); s < 1<<nv; s++ {
			if !satisfies(search, func(m z.Lit) bool { return holds(s, m) }) {
				continue
			}
			var a uint64
			for v := z.Var(1); int(v) <= nv; v++ {
				if holds(s, e.sub[v.Pos()]) {
					a |= 1 << (v - 1)
				}
			}
			if !models[a] {
				t.Fatalf("round %d: search model %b reads as %b, not a model of the clauses", round, s, a)
			}
			got[a] = true
		}
		if len(got) != len(models) {
			t.Fatalf("round %d: %d models through the substitution, %d of the clauses", round, len(got), len(models))
		}
		for a := range models {
			s := a
			for v := z.Var(1); int(v) <= nv; v++ {
				if e.sub[v.Pos()].Var() != v {
					s |= 1 << (v - 1)
				}
			}
			if !satisfies(search, func(m z.Lit) bool { return holds(s, m) }) {
				t.Fatalf("round %d: model %b (replaced variables set) breaks the search clauses", round, a)
			}
		}
	}
	if checked < 200 {
		t.Fatalf("only %d of 300 models substituted", checked)
	}
}

func holds(a uint64, m z.Lit) bool { return (a>>(m.Var()-1))&1 == 1 == m.IsPos() }

func satisfies(cls [][]z.Lit, val func(z.Lit) bool) bool {
	for _, cl := range cls {
		ok := false
		for _, m := range cl {
			if val(m) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}
