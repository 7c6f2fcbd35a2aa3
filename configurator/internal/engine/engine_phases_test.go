package engine

import (
	"strings"
	"testing"

	"github.com/ctoplan/ctoplan/configurator/internal/formats"
	"github.com/ctoplan/ctoplan/configurator/internal/ginicopy"
)

// Hand-worked: three Bool characteristics x1..x3 (slots "false", "true";
// their targets are the literals not-x and x). The stored model
// x1=true, x2=false, x3=true gives the phases x1 +1, x2 -1, x3 +1, one
// per variable of a characteristic and none for the encoding's constant;
// steer writes exactly those into a solver's phase cache.
func TestBasePhases(t *testing.T) {
	m, err := formats.ReadDIMACS("phases.dimacs", strings.NewReader("p cnf 3 2\n1 2 0\n-1 -2 0\n"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := Compile(m)
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
	if len(p.vars) != 3 {
		t.Fatalf("phases of %d variables, want 3", len(p.vars))
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
