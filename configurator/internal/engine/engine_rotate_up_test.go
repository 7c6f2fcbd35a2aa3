package engine

import (
	"context"
	"fmt"
	"github.com/ctoplan/ctoplan/configurator/internal/modeltest"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ctoplan/ctoplan/configurator/internal/formats"
	"github.com/ctoplan/ctoplan/configurator/model"
	"github.com/ctoplan/ctoplan/internal/cfgtune"
	"github.com/go-air/gini/z"
)

const rotModel = `model rot {
  char x int 1..6 { label en "X" }
  char y single { value a value b }
  char z bool { label en "Z" }
  rule r1 { x > 4 -> y = b }
  rule r2 { z -> x < 3 }
}
`

// TestRotateUPHandWorked rotates one model of a small model by hand: with
// y = a picked, x may be 1..4, and 1..2 only when z holds.
func TestRotateUPHandWorked(t *testing.T) {
	m, err := model.Parse("rot.ctm", []byte(rotModel))
	if err != nil {
		t.Fatal(err)
	}
	c, err := Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	if c.rotOK || c.rotUPMin != minRotateUP {
		t.Fatalf("rotOK %v, rotUPMin %d: the model has rules, so rotation by unit propagation applies", c.rotOK, c.rotUPMin)
	}
	lit := func(char, value string) (z.Lit, int) {
		cc := &c.chars[c.byName[char]]
		k, ok := c.valueIndex(cc, value)
		if !ok {
			t.Fatalf("no value %s=%s", char, value)
		}
		return c.slots[cc.first+k].lit, cc.first + k
	}
	for _, tc := range []struct {
		z    string
		want []string // x values possible after rotating x=2
	}{
		{"true", []string{"1", "2"}},
		{"false", []string{"1", "2", "3", "4"}},
	} {
		ctx := context.Background()
		st := c.newState()
		ya, ySlot := lit("y", "a")
		st.picks = []pickLit{{lit: ya, slot: ySlot, want: true}}
		g := c.solver()
		g.Assume(ya)
		if r, _ := g.Test(nil); r == -1 {
			t.Fatal("y = a inconsistent")
		}
		x2, _ := lit("x", "2")
		zl, _ := lit("z", tc.z)
		g.Assume(x2, zl)
		if r, _ := g.Test(nil); r == -1 {
			t.Fatal("x = 2 inconsistent")
		}
		if r, err := solve(ctx, g, nil); err != nil || r != 1 {
			t.Fatalf("solve: %d, %v", r, err)
		}
		m0 := st.mark(g)
		untest(g, 1)
		st.rotateUP(context.Background(), g, m0, &upScratch{})
		var got []string
		for _, v := range []string{"1", "2", "3", "4", "5", "6"} {
			if _, s := lit("x", v); st.possible.has(s) {
				got = append(got, v)
			}
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("z = %s: x possible after rotation %v, want %v", tc.z, got, tc.want)
		}
		if len(st.models) != len(tc.want) {
			t.Errorf("z = %s: %d models, want %d (the solver's and one per rotated value)", tc.z, len(st.models), len(tc.want))
		}
		// Every model rotation recorded is a configuration the clauses allow.
		for i, mm := range st.models {
			as := []z.Lit{}
			for tg, l := range c.targetLit {
				if mm.has(tg) {
					as = append(as, l)
				} else {
					as = append(as, l.Not())
				}
			}
			if r, err := solve(ctx, g, as); err != nil || r != 1 {
				t.Errorf("z = %s: model %d is not a model: %d, %v", tc.z, i, r, err)
			}
			if !mm.has(ySlot) {
				t.Errorf("z = %s: model %d does not keep the pick y = a", tc.z, i)
			}
			if _, s := lit("z", tc.z); !mm.has(s) {
				t.Errorf("z = %s: model %d changed z", tc.z, i)
			}
		}
		untest(g, 1)
	}
}

// TestRotateUPForkliftSessions walks seeded random sessions over the
// forklift (the model rotation was measured on) and requires the same
// domains from a session with rotation, one without, and one SAT call
// per value; rotation must also save tests, or it did nothing.
func TestRotateUPForkliftSessions(t *testing.T) {
	m, err := formats.LoadFile("../../../testdata/forklift/forklift.ctm")
	if err != nil {
		t.Fatal(err)
	}
	one := WithOptions(Options{Solvers: 1})
	rot, err := Compile(m, one)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := Compile(m, one)
	if err != nil {
		t.Fatal(err)
	}
	plain.rotUPMin = 0
	naive, err := Compile(m, Option(func(o *Options) { o.knobs = cfgtune.Knobs{Method: cfgtune.Naive} }))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	d0, err := rot.Propagate(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	n0, err := naive.Propagate(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	sameDomains(t, "nothing picked", d0, n0)
	// Two solvers rotating at once, sharing the witnesses (run under
	// -race too).
	atLeastTwoProcs(t)
	for _, opt := range []Option{WithOptions(Options{Solvers: 2}), joinNowOpt} {
		for range 5 {
			c2, err := Compile(m, opt)
			if err != nil {
				t.Fatal(err)
			}
			d2, err := c2.Propagate(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			sameDomains(t, "nothing picked, two solvers", d2, n0)
		}
	}
	walks, picks := 12, 14
	if raceEnabled || testing.Short() {
		walks = 3
	}
	r := rand.New(rand.NewPCG(14, 1))
	calls := map[*Compiled]int{}
	for w := range walks {
		sr, sp := rot.NewSession(), plain.NewSession()
		var cur *Domains = d0
		for i := range picks {
			cand := possiblePicks(cur)
			if len(cand) == 0 {
				break
			}
			p := cand[r.IntN(len(cand))]
			dr, err := sr.Pick(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			dp, err := sp.Pick(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			dn, err := naive.Propagate(ctx, sr.Picks())
			if err != nil {
				t.Fatal(err)
			}
			name := fmt.Sprintf("walk %d pick %d (%s)", w, i, p)
			sameDomains(t, name+", rotation", dr, dn)
			sameDomains(t, name+", no rotation", dp, dn)
			calls[rot] += dr.SATCalls
			calls[plain] += dp.SATCalls
			cur = dr
		}
	}
	if calls[rot] >= calls[plain] {
		t.Fatalf("solver calls with rotation %d, without %d: rotation saved nothing", calls[rot], calls[plain])
	}
	t.Logf("solver calls over %d walks: %d with rotation, %d without", walks, calls[rot], calls[plain])
}

// A DIMACS model (two values per characteristic) never rotates by unit
// propagation, so its searches skip looking for characteristics to rotate.
func TestRotateUPOffOnDIMACS(t *testing.T) {
	c := compileDIMACS(t, modeltest.DIMACS(3, [][]int{{1, 2}, {-2, 3}}))
	if c.rotUPMin != 0 {
		t.Fatalf("rotUPMin %d on a DIMACS model, want 0", c.rotUPMin)
	}
}
