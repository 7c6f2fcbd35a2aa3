package engine

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"github.com/ctoplan/ctoplan/configurator/model"
	"github.com/ctoplan/ctoplan/internal/cfgtune"
)

// chainModel is the hand-worked model of TestRepairHandWorked:
//
//	a in {0,1,2}, b in {0,1,2}, c in {0,1}
//	ab allowed (a, b): (0,0) (1,1) (2,1)
//	bc allowed (b, c): (0,0) (1,1)
//	ac forbidden (a, c): (2,1)
func chainModel() *model.Model {
	m := model.NewModel("chain")
	m.AddSingle("a", "0", "1", "2")
	m.AddSingle("b", "0", "1", "2")
	m.AddSingle("c", "0", "1")
	m.AddTable("ab", model.Allowed, "a", "b").AddRowValues("0", "0").AddRowValues("1", "1").AddRowValues("2", "1")
	m.AddTable("bc", model.Allowed, "b", "c").AddRowValues("0", "0").AddRowValues("1", "1")
	m.AddTable("ac", model.Forbidden, "a", "c").AddRowValues("2", "1")
	return m
}

// TestRepairHandWorked follows repair step by step on chainModel from the
// model a=0 b=0 c=0.
func TestRepairHandWorked(t *testing.T) {
	c, err := Compile(chainModel())
	if err != nil {
		t.Fatal(err)
	}
	if !c.rotOK {
		t.Fatal("a model of tables only must allow rotation and repair")
	}
	st := c.newState()
	r := newRepairer(st)
	base := []int32{0, 0, 0}
	target := func(char, value string) int {
		ci := c.byName[char]
		k, _ := c.valueIndex(&c.chars[ci], value)
		return c.chars[ci].first + k // targets are the slots: no multi chars
	}
	// a=1: table ab (1,0) fails; its closest tuple with a=1 is (1,1),
	// one change: b=1. Then bc (1,0) fails; b changed already (cost
	// 1+8 to change again), c=1 costs 1: (1,1). ac (1,1) is not
	// forbidden. Model a=1 b=1 c=1.
	if !r.try(base, target("a", "1")) {
		t.Fatal("a=1: repair failed")
	}
	if !slices.Equal(r.vals, []int32{1, 1, 1}) {
		t.Fatalf("a=1: repaired to %v, want [1 1 1]", r.vals)
	}
	// c=1: bc (0,1) fails; closest with c=1: (1,1), b=1. ab (0,1)
	// fails; b is changed (cost 9 to move), a=1 costs 1: (1,1). ac
	// (1,1) holds. Model a=1 b=1 c=1 again.
	if !r.try(base, target("c", "1")) || !slices.Equal(r.vals, []int32{1, 1, 1}) {
		t.Fatalf("c=1: repaired to %v, want [1 1 1]", r.vals)
	}
	// a=2 is dead (a=2 needs b=1, b=1 needs c=1, and (2,1) is
	// forbidden for (a, c)): ab (2,0) -> b=1 (one change); bc (1,0) ->
	// (1,1), c=1 (cost 1, against 9 for moving b back to 0); ac (2,1)
	// is forbidden, a is the value's own characteristic and c changed
	// already: no move, repair fails.
	if r.try(base, target("a", "2")) {
		t.Fatalf("a=2 is dead, repair returned %v", r.vals)
	}
	// b=2 has no tuple in ab: the shortest path finds none at once.
	if r.try(base, target("b", "2")) {
		t.Fatalf("b=2 is dead, repair returned %v", r.vals)
	}

	// The whole propagation: dead a=2 and b=2, the rest possible.
	d, err := c.Propagate(context.Background(), nil)
	if err != nil || !d.Valid {
		t.Fatal(err, d.Conflict)
	}
	var got []string
	for _, cd := range d.Chars {
		for _, v := range cd.Values {
			got = append(got, cd.Char+"="+v.Value+":"+v.Status.String())
		}
	}
	want := []string{"a=0:possible", "a=1:possible", "a=2:excluded", "b=0:possible", "b=1:possible", "b=2:excluded", "c=0:possible", "c=1:possible"}
	if !slices.Equal(got, want) {
		t.Fatalf("domains %v, want %v", got, want)
	}
}

// randomCSP is a random model of single, optional, int and bool
// characteristics and allowed and forbidden tables (cells: a value, a set
// or *), often unsatisfiable or with dead values.
func randomCSP(r *rand.Rand) *model.Model {
	m := model.NewModel("csp")
	n := 3 + r.IntN(8)
	var names []string
	var doms [][]string
	for i := range n {
		name := "x" + strconv.Itoa(i)
		var dom []string
		switch r.IntN(5) {
		case 0:
			m.AddBool(name)
			dom = []string{"false", "true"}
		case 1:
			lo := int64(r.IntN(3))
			hi := lo + int64(1+r.IntN(4))
			m.AddInt(name, lo, hi, 1)
			for v := lo; v <= hi; v++ {
				dom = append(dom, strconv.FormatInt(v, 10))
			}
		default:
			k := 2 + r.IntN(5)
			for v := range k {
				dom = append(dom, "v"+strconv.Itoa(v))
			}
			if r.IntN(4) == 0 {
				m.AddOptional(name, dom...)
				dom = append(dom, "")
			} else {
				m.AddSingle(name, dom...)
			}
		}
		names = append(names, name)
		doms = append(doms, dom)
	}
	for ti := range 2 + r.IntN(2*n) {
		arity := min(n, 2+r.IntN(3))
		cols := r.Perm(n)[:arity]
		kind := model.Allowed
		if r.IntN(5) == 0 {
			kind = model.Forbidden
		}
		colNames := make([]string, arity)
		for i, ci := range cols {
			colNames[i] = names[ci]
		}
		t := m.AddTable("t"+strconv.Itoa(ti), kind, colNames...)
		rows := 1 + r.IntN(12)
		if kind == model.Forbidden {
			rows = 1 + r.IntN(3)
		}
		for range rows {
			cells := make([]model.Cell, arity)
			for i, ci := range cols {
				dom := doms[ci]
				switch r.IntN(10) {
				case 0:
					cells[i] = model.AnyCell()
				case 1:
					a, b := dom[r.IntN(len(dom))], dom[r.IntN(len(dom))]
					if a == b {
						cells[i] = model.CellOf(a)
					} else {
						cells[i] = model.CellOf(a, b)
					}
				default:
					cells[i] = model.CellOf(dom[r.IntN(len(dom))])
				}
			}
			t.AddRow(cells...)
		}
	}
	return m
}

// compileWithNaive compiles m twice, as the engine does and with the
// naive method (one SAT call per value) as the reference; with rows, both
// compile their tables as rows (MaxTableCells 2) rather than diagrams.
func compileWithNaive(t *testing.T, m *Model, rows bool) (c, ref *Compiled) {
	t.Helper()
	var opts []Option
	if rows {
		opts = append(opts, func(o *Options) { o.MaxTableCells = 2 })
	}
	c, err := Compile(m, opts...)
	if err != nil {
		t.Fatal(err)
	}
	ref, err = Compile(m, append(opts, func(o *Options) { o.knobs = cfgtune.Knobs{Method: cfgtune.Naive} })...)
	if err != nil {
		t.Fatal(err)
	}
	return c, ref
}

// TestRepairProperty checks propagation with repair against the naive
// method (one SAT call per value) on random table models, with nothing
// picked, after random picks and along sessions (which seed repair with
// the models of earlier picks), with tables as diagrams and as rows (a
// tiny MaxTableCells). It also checks every configuration repair returns
// against the model's own definition of validity (model.Violations), and
// fails when repair found no model at all (the test would then prove
// nothing about it).
func TestRepairProperty(t *testing.T) {
	ctx := context.Background()
	r := rand.New(rand.NewPCG(14, 22))
	repaired, checked := 0, 0
	for i := range 400 {
		m := randomCSP(r)
		if err := m.Validate(); err != nil {
			t.Fatalf("model %d: %v", i, err)
		}
		c, ref := compileWithNaive(t, m, i%3 == 2)
		name := fmt.Sprintf("model %d", i)
		want, err := ref.Propagate(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		got, err := c.Propagate(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		sameDomains(t, name+", nothing picked", got, want)
		if !want.Valid {
			continue
		}
		// Repair from every model found, towards every value: each
		// success must be a valid configuration.
		gl, _ := c.globalInfo(ctx)
		st := c.newState()
		copy(st.dead, gl.dead)
		st.models = gl.models
		rp := newRepairer(st)
		for mi := range gl.models {
			for tg := range c.nTargets {
				if rp.try(rp.valsOf(mi), tg) {
					repaired++
					cfg := model.Configuration{}
					for ci, k := range rp.vals {
						cc := &c.chars[ci]
						if v := c.slots[cc.first+int(k)].name; v != "" {
							cfg[cc.c.Name] = []string{v}
						} else {
							cfg[cc.c.Name] = nil
						}
					}
					if bad, err := m.Violations(cfg); err != nil || len(bad) > 0 {
						t.Fatalf("%s: repair towards target %d returned %v, which violates %v (%v)", name, tg, cfg, bad, err)
					}
				}
			}
		}
		// Random picks (some exclusions), as single queries and along a
		// session.
		s := c.NewSession()
		var picks []Pick
		for range 4 {
			var cand []Pick
			for _, cd := range want.Chars {
				for _, v := range cd.Values {
					if v.Status == Possible {
						cand = append(cand, Pick{Char: cd.Char, Value: v.Value, Exclude: r.IntN(4) == 0})
					}
				}
			}
			if len(cand) == 0 {
				break
			}
			p := cand[r.IntN(len(cand))]
			picks = append(picks, p)
			pname := fmt.Sprintf("%s, picks %v", name, picks)
			if want, err = ref.Propagate(ctx, picks); err != nil {
				t.Fatal(err)
			}
			if got, err = c.Propagate(ctx, picks); err != nil {
				t.Fatal(err)
			}
			sameDomains(t, pname, got, want)
			// Set, not Pick: Pick replaces earlier picks of the same
			// characteristic, an exclusion among them.
			sd, err := s.Set(ctx, picks)
			if err != nil {
				t.Fatal(err)
			}
			sameDomains(t, pname+" (session)", sd, want)
			checked++
			if !want.Valid {
				break
			}
		}
	}
	for _, n := range []int{repaired, checked} {
		if n == 0 {
			t.Fatalf("repaired %d configurations, checked %d pick sets: the test exercised nothing", repaired, checked)
		}
	}
	t.Logf("%d repaired configurations checked, %d pick sets", repaired, checked)
}

// sameDomains fails unless got and want agree on validity and on every
// value's status.
func sameDomains(t *testing.T, name string, got, want *Domains) {
	t.Helper()
	if got.Valid != want.Valid {
		t.Fatalf("%s: valid %v, naive says %v", name, got.Valid, want.Valid)
	}
	if !got.Valid {
		return
	}
	if len(got.Chars) != len(want.Chars) {
		t.Fatalf("%s: %d characteristics, naive %d", name, len(got.Chars), len(want.Chars))
	}
	for i, cd := range want.Chars {
		for j, v := range cd.Values {
			if g := got.Chars[i].Values[j]; g != v {
				t.Fatalf("%s: %s=%s is %v, naive says %v", name, cd.Char, v.Value, g.Status, v.Status)
			}
		}
	}
}
