package engine

import (
	"context"
	"strings"
	"testing"

	"github.com/ctoplan/ctoplan/configurator/internal/formats"
	"github.com/ctoplan/ctoplan/configurator/internal/ginicopy"
	"github.com/ctoplan/ctoplan/configurator/model"
	"github.com/ctoplan/ctoplan/internal/cfgtune"
)

// Hand-worked: three Bool characteristics x1..x3 (slots "false", "true";
// their targets are the literals not-x and x). The stored model
// x1=true, x2=false, x3=true gives the phases x1 +1, x2 -1, x3 +1, one
// per variable of a characteristic and none for the encoding's constant;
// steer writes exactly those into a solver's phase cache. The clauses make
// x2 equal to -x1, so this runs on the clauses as compiled (NoEquiv): with
// the substitution x2's targets are -x1 and x1 and two variables are
// steered (TestEquivHandWorked).
func TestBasePhases(t *testing.T) {
	m, err := formats.ReadDIMACS("phases.dimacs", strings.NewReader("p cnf 3 2\n1 2 0\n-1 -2 0\n"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := Compile(m, Option(func(o *Options) { o.knobs = cfgtune.Knobs{NoEquiv: true} }))
	if err != nil {
		t.Fatal(err)
	}
	st := c.newState()
	if st.basePhases() != nil {
		t.Fatal("phases without a stored model")
	}
	model := newBitset(c.nTargets)
	want := map[string]int8{"x1": 1, "x2": -1, "x3": 1}
	for ci := range c.chars {
		cc := &c.chars[ci]
		k := 0 // "false"
		if want[cc.c.Name] == 1 {
			k = 1 // "true"
		}
		model.set(cc.first + k)
	}
	st.models = append(st.models, model)
	p := st.basePhases()
	if p.len() != 3 {
		t.Fatalf("phases of %d variables, want 3", p.len())
	}
	g := c.cnf.Gini(nil)
	if g.Solve() != 1 {
		t.Fatal("unsat")
	}
	g.Test(nil)
	g.Untest()
	p.steer(g)
	cache := ginicopy.Phases(g)
	for ci := range c.chars {
		cc := &c.chars[ci]
		v := c.slots[cc.first+1].lit.Var() // the "true" slot's literal is the variable
		if got := cache[v]; got != want[cc.c.Name] {
			t.Errorf("%s: phase %d, want %d", cc.c.Name, got, want[cc.c.Name])
		}
	}
}

// Property: steering towards a stored model writes, for every target's
// variable, the value that target's literal has in the model. Checked on
// every model of a full propagation of a model with Single, Optional,
// Multi (whose "not chosen" targets share their value's variable, negated)
// and Bool characteristics.
func TestSteerFollowsEveryTarget(t *testing.T) {
	m := model.NewModel("steer")
	m.AddSingle("a", "0", "1", "2")
	m.AddOptional("b", "x", "y")
	m.AddMulti("c", 0, 2, "p", "q", "r")
	m.AddBool("d")
	m.AddTable("ab", model.Allowed, "a", "b").AddRowValues("0", "x").AddRowValues("1", "y").AddRowValues("2", "")
	c, err := Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if d, err := c.Propagate(ctx, []Pick{{Char: "c", Value: "q"}}); err != nil || !d.Valid {
		t.Fatal(err)
	}
	gl, err := c.globalInfo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(gl.models) < 2 {
		t.Fatalf("%d models, want several", len(gl.models))
	}
	for i, bm := range gl.models {
		st := c.newState()
		st.models = []bitset{bm}
		g := c.cnf.Gini(nil)
		if g.Solve() != 1 {
			t.Fatal("unsat")
		}
		g.Test(nil)
		g.Untest()
		st.basePhases().steer(g)
		cache := ginicopy.Phases(g)
		for tg, l := range c.targetLit {
			want := int8(-1)
			if bm.has(tg) == l.IsPos() {
				want = 1
			}
			if got := cache[l.Var()]; got != want {
				t.Errorf("model %d, target %d (slot %q): phase %d, want %d", i, tg, c.slots[c.targetOf[tg]].name, got, want)
			}
		}
	}
}
