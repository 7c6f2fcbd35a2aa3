package engine

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/ctoplan/ctoplan/configurator/internal/formats"
	"github.com/ctoplan/ctoplan/configurator/internal/modeltest"
	"github.com/ctoplan/ctoplan/internal/cfgtune"
	"github.com/go-air/gini/z"
)

// TestProjectHandWorked projects the stored model x1 x3 (x2, x4 false)
// onto the pick x2 = true. Unit propagation of x2 under "not both x1 and
// x2" makes x1 false, so the clauses that lose their true literal are
// those holding x1 (and none holds "not x2"). With the clause "x4 or x1
// or x3" the projection x2 x3 is a model (x3 keeps it); with "not x3 or
// x1 or x4" instead it is not (x3 is true, x4 false): nothing may be
// added without a repair, and one repair assumes the clause's first
// unassigned literal, "not x3", which gives the model x2 alone.
func TestProjectHandWorked(t *testing.T) {
	for _, tc := range []struct {
		third   []int
		repairs int
		model   bool
		witness []string // values possible after the projection
	}{
		{[]int{4, 1, 3}, 0, true, []string{"x1=false", "x2=true", "x3=true", "x4=false"}},
		{[]int{-3, 1, 4}, 0, false, nil},
		{[]int{-3, 1, 4}, 1, true, []string{"x1=false", "x2=true", "x3=false", "x4=false"}},
	} {
		name := fmt.Sprint(tc.third, " repairs ", tc.repairs)
		text := modeltest.DIMACS(4, [][]int{{1, 2}, {-1, -2}, tc.third})
		m, err := formats.ReadDIMACS("hand.dimacs", strings.NewReader(text))
		if err != nil {
			t.Fatal(err)
		}
		c, err := Compile(m)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.globalInfo(context.Background()); err != nil {
			t.Fatal(err)
		}
		ps, err := c.resolvePicks([]Pick{{Char: "x2", Value: "true"}})
		if err != nil {
			t.Fatal(err)
		}
		slot := func(char, value string) int {
			p, err := c.resolvePicks([]Pick{{Char: char, Value: value}})
			if err != nil {
				t.Fatal(err)
			}
			return p[0].slot
		}
		// The stored model x1 x3, as the targets it makes true.
		stored := newBitset(c.nTargets)
		for _, v := range []string{"x1=true", "x2=false", "x3=true", "x4=false"} {
			cv := strings.Split(v, "=")
			stored.set(slot(cv[0], cv[1]))
		}
		st := c.newState()
		st.picks = ps
		g := c.solver()
		g.Assume(litsOf(ps)...)
		r, closure := g.Test(make([]z.Lit, 0, 8))
		if r == -1 {
			t.Fatalf("%s: x2 inconsistent", name)
		}
		st.project(g, ps, closure, tc.repairs, []bitset{stored})
		untest(g, 1)
		if got := len(st.found); got != map[bool]int{true: 1, false: 0}[tc.model] {
			t.Fatalf("%s: %d models from the projection, want model %v", name, got, tc.model)
		}
		var got []string
		for _, x := range []string{"x1", "x2", "x3", "x4"} {
			for _, v := range []string{"false", "true"} {
				if st.possible.has(slot(x, v)) {
					got = append(got, x+"="+v)
				}
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(tc.witness) {
			t.Errorf("%s: possible after the projection %v, want %v", name, got, tc.witness)
		}
	}
}

// Property: on random planted CNFs with many backbone literals, seeded
// random session walks give the same domains with projection, without it
// and by one SAT call per value; every projected model is a model of the
// clauses, and over the walks projection witnesses values (or it did
// nothing).
func TestProjectSessionsProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 7))
	ctx := context.Background()
	rounds, walks, picks := 12, 4, 10
	if raceEnabled || testing.Short() {
		rounds, walks = 6, 2
	}
	// Odd rounds plant equivalence classes, so that the search solvers
	// hold substituted clauses (equiv.go) and projection must read
	// those, not the compiled ones (a projection over the compiled
	// clauses gave wrong domains there).
	projected, projectedEq := 0, 0
	for round := range rounds {
		n := 40 + r.IntN(80)
		var cls [][]int
		if round%2 == 1 {
			cls = plantedEquivCNF(r, n, false)
		} else {
			cls = plantedChunkCNF(r, n, 2.0+2*r.Float64())
		}
		text := modeltest.DIMACS(n, cls)
		compile := func(opts ...Option) *Compiled { return compileDIMACS(t, text, opts...) }
		proj, plain := compile(oneSolverOpt), compile(oneSolverOpt)
		plain.noProject = true
		withEq := proj.eq != nil
		naive := compile(Option(func(o *Options) { o.knobs = cfgtune.Knobs{Method: cfgtune.Naive} }))
		d0, err := proj.Propagate(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		for w := range walks {
			sp, sq := proj.NewSession(), plain.NewSession()
			cur := d0
			for i := range picks {
				cand := possiblePicks(cur)
				if len(cand) == 0 {
					break
				}
				p := cand[r.IntN(len(cand))]
				before := len(sp.models)
				dp, err := sp.Pick(ctx, p)
				if err != nil {
					t.Fatal(err)
				}
				dq, err := sq.Pick(ctx, p)
				if err != nil {
					t.Fatal(err)
				}
				dn, err := naive.Propagate(ctx, sp.Picks())
				if err != nil {
					t.Fatal(err)
				}
				name := fmt.Sprintf("round %d walk %d pick %d (%s)", round, w, i, p)
				sameDomains(t, name+", projection", dp, dn)
				sameDomains(t, name+", no projection", dq, dn)
				// Every model the pick added satisfies every clause.
				for _, mm := range sp.models[before:] {
					if !satisfiesCNF(proj, mm, cls) {
						t.Fatalf("%s: a stored model breaks a clause", name)
					}
				}
				if dp.SATCalls < dq.SATCalls {
					projected++
					if withEq {
						projectedEq++
					}
				}
				cur = dp
			}
		}
	}
	if projected == 0 || projectedEq == 0 {
		t.Fatalf("projection spared a solver call on %d picks, %d of them with a substitution: it must do both", projected, projectedEq)
	}
	t.Logf("picks where projection spared solver calls: %d (%d with a substitution)", projected, projectedEq)
}

// satisfiesCNF reports whether the model m (a bitset of c's targets, c
// read from DIMACS) satisfies the DIMACS clauses cls.
func satisfiesCNF(c *Compiled, m bitset, cls [][]int) bool {
	lits := make([][]z.Lit, len(cls))
	for i, cl := range cls {
		for _, x := range cl {
			lits[i] = append(lits[i], z.Dimacs2Lit(x))
		}
	}
	return satisfies(lits, func(l z.Lit) bool {
		ps, err := c.resolvePicks([]Pick{{Char: fmt.Sprintf("x%d", l.Var()), Value: "true"}})
		if err != nil {
			panic(err)
		}
		return m.has(ps[0].slot) == l.IsPos()
	})
}
