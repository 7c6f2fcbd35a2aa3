package engine

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ctoplan/ctoplan/configurator/model"
	"github.com/ctoplan/ctoplan/internal/cfgtune"
)

// Hand-worked: from a=0 b=0 c=0 on the model below, both tables are
// queued and the last queued, bc, is repaired first: (0,0) is not
// allowed; (2,0) is one change away (b=2), (1,1) two. Changing b queues
// ab and bc again; bc now holds (repaired to a tuple). ab (0,2) is not
// allowed: b changed already (cost 9 to move again), a=1 costs 1: (1,2).
// Every table holds: a=1 b=2 c=0, a model found without the solver.
//
//	a in {0,1}, b in {0,1,2}, c in {0,1}
//	ab allowed (a, b): (1,1) (1,2)
//	bc allowed (b, c): (1,1) (2,0)
func TestSettleHandWorked(t *testing.T) {
	m := model.NewModel("settle")
	m.AddSingle("a", "0", "1")
	m.AddSingle("b", "0", "1", "2")
	m.AddSingle("c", "0", "1")
	m.AddTable("ab", model.Allowed, "a", "b").AddRowValues("1", "1").AddRowValues("1", "2")
	m.AddTable("bc", model.Allowed, "b", "c").AddRowValues("1", "1").AddRowValues("2", "0")
	c, err := Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	st := c.newState()
	if !st.settle() {
		t.Fatal("settle found no model")
	}
	want := []string{"a=1", "b=2", "c=0"}
	var got []string
	for ci := range c.chars {
		cc := &c.chars[ci]
		for k := range cc.n {
			if st.models[0].has(cc.first + k) {
				got = append(got, cc.c.Name+"="+c.slots[cc.first+k].name)
			}
		}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("settled on %v, want %v", got, want)
	}
	d, err := c.Propagate(context.Background(), nil)
	if err != nil || !d.Valid {
		t.Fatal(err, d.Conflict)
	}
	naive, err := Compile(m, func(o *Options) { o.knobs = cfgtune.Knobs{Method: cfgtune.Naive} })
	if err != nil {
		t.Fatal(err)
	}
	ref, err := naive.Propagate(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	sameDomains(t, "settle", d, ref)
}

// Property: on random table models (often unsatisfiable, often with dead
// values), every configuration settle records satisfies every rule and
// table of the model (checked by the model's own Violations, not by the
// diagrams settle walks), settle never succeeds on a model without a
// configuration, and it succeeds on some.
func TestSettleProperty(t *testing.T) {
	ctx := context.Background()
	r := rand.New(rand.NewPCG(14, 1203))
	naive := func(o *Options) { o.knobs = cfgtune.Knobs{Method: cfgtune.Naive} }
	settled, failed := 0, 0
	for i := range 400 {
		m := randomCSP(r)
		c, err := Compile(m)
		if err != nil {
			t.Fatal(err)
		}
		if !c.rotOK {
			continue
		}
		ref, err := Compile(m, naive)
		if err != nil {
			t.Fatal(err)
		}
		want, err := ref.Propagate(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		st := c.newState()
		if !st.settle() {
			failed++
			continue
		}
		settled++
		if !want.Valid {
			t.Fatalf("model %d: settle found a configuration of a model that has none", i)
		}
		cfg := model.Configuration{}
		for ci := range c.chars {
			cc := &c.chars[ci]
			n := 0
			for k := range cc.n {
				if st.models[0].has(cc.first + k) {
					n++
					if v := c.slots[cc.first+k].name; v != "" {
						cfg[cc.c.Name] = []string{v}
					} else {
						cfg[cc.c.Name] = nil
					}
				}
			}
			if n != 1 {
				t.Fatalf("model %d: %s has %d values in the settled configuration", i, cc.c.Name, n)
			}
		}
		if bad, err := m.Violations(cfg); err != nil || len(bad) > 0 {
			t.Fatalf("model %d: settled on %v, which violates %v (%v)", i, cfg, bad, err)
		}
		got, err := c.Propagate(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		sameDomains(t, fmt.Sprintf("model %d", i), got, want)
	}
	if settled == 0 || failed == 0 {
		t.Fatalf("settle succeeded on %d models and failed on %d: the test must see both", settled, failed)
	}
	t.Logf("settle succeeded on %d models, failed on %d", settled, failed)
}
