package engine

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"github.com/ctoplan/ctoplan/configurator/model"
)

// TestRepairMDDShortest checks repairMDD against brute force on random
// tables: from a random configuration, with random values dead and random
// characteristics fixed (the value's own, picked ones, ones changed
// earlier in the repair), the tuple it moves to must be a tuple of the
// table, agree with the configuration off the table, and cost exactly the
// least any tuple of the table costs (0 per unchanged column, 1 per
// change, 1+changedCost per change of a characteristic changed already;
// dead values and changes of the value's own or a picked characteristic
// not allowed); it must fail exactly when no tuple is allowed.
func TestRepairMDDShortest(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 3))
	const inf = 1 << 20
	checked, failed := 0, 0
	for trial := range 3000 {
		m := model.NewModel("mdd")
		nChars := 2 + r.IntN(4)
		names := make([]string, nChars)
		doms := make([]int, nChars)
		for i := range nChars {
			names[i] = "c" + strconv.Itoa(i)
			doms[i] = 2 + r.IntN(3)
			vals := make([]string, doms[i])
			for k := range vals {
				vals[k] = "v" + strconv.Itoa(k)
			}
			m.AddSingle(names[i], vals...)
		}
		arity := 1 + r.IntN(nChars)
		cols := r.Perm(nChars)[:arity]
		colNames := make([]string, arity)
		for i, ci := range cols {
			colNames[i] = names[ci]
		}
		tab := m.AddTable("t", model.Allowed, colNames...)
		var tuples [][]int32
		for range 1 + r.IntN(10) {
			tup := make([]int32, arity)
			cells := make([]string, arity)
			for i, ci := range cols {
				tup[i] = int32(r.IntN(doms[ci]))
				cells[i] = "v" + strconv.Itoa(int(tup[i]))
			}
			tuples = append(tuples, tup)
			tab.AddRowValues(cells...)
		}
		c, err := Compile(m)
		if err != nil {
			t.Fatal(err)
		}
		if !c.rotOK || len(c.rotTables) != 1 || c.rotTables[0].next == nil {
			t.Fatalf("trial %d: want one table as a diagram", trial)
		}
		rt := &c.rotTables[0]
		for i, name := range names {
			if c.byName[name] != i {
				t.Fatalf("trial %d: characteristic %s compiled at %d, want model order", trial, name, c.byName[name])
			}
		}
		st := c.newState()
		for s := range c.slots {
			if r.IntN(6) == 0 {
				st.dead.set(s)
			}
		}
		rp := newRepairer(st)
		base := make([]int32, nChars)
		for ci := range nChars {
			base[ci] = int32(r.IntN(doms[ci]))
			rp.fixed[ci] = r.IntN(3) == 0
			rp.picked[ci] = rp.fixed[ci] && r.IntN(2) == 0
		}
		rp.target = r.IntN(nChars)
		rp.fixed[rp.target] = true
		copy(rp.vals, base)
		fixed := slices.Clone(rp.fixed) // repair fixes what it changes
		cost := func(ci int, v int32) int {
			switch {
			case v == base[ci]:
				return 0
			case st.dead.has(c.chars[ci].first + int(v)):
				return inf
			case fixed[ci] && (ci == rp.target || rp.picked[ci]):
				return inf
			case fixed[ci]:
				return 1 + changedCost
			}
			return 1
		}
		best := inf
		for _, tup := range tuples {
			sum := 0
			for i, ci := range cols {
				sum = min(inf, sum+cost(ci, tup[i]))
			}
			best = min(best, sum)
		}
		ok := rp.repairMDD(rt)
		if ok != (best < inf) {
			t.Fatalf("trial %d: repairMDD says %v, brute force least cost %d", trial, ok, best)
		}
		if !ok {
			failed++
			continue
		}
		got := make([]int32, arity)
		sum := 0
		for i, ci := range cols {
			got[i] = rp.vals[ci]
			sum += cost(ci, got[i])
		}
		if !slices.ContainsFunc(tuples, func(tup []int32) bool { return slices.Equal(tup, got) }) {
			t.Fatalf("trial %d: repaired to %v, not a tuple of %v", trial, got, tuples)
		}
		if sum != best {
			t.Fatalf("trial %d: repaired to %v at cost %d, least is %d", trial, got, sum, best)
		}
		for ci := range nChars {
			if !slices.Contains(cols, ci) && rp.vals[ci] != base[ci] {
				t.Fatalf("trial %d: characteristic %d off the table changed", trial, ci)
			}
			if rp.vals[ci] != base[ci] && !rp.fixed[ci] {
				t.Fatalf("trial %d: characteristic %d changed but not fixed after", trial, ci)
			}
		}
		checked++
	}
	if checked < 500 || failed < 100 {
		t.Fatalf("%d repairs checked, %d failures: too few of either to prove much", checked, failed)
	}
	t.Logf("%d repairs checked, %d without a tuple", checked, failed)
}
