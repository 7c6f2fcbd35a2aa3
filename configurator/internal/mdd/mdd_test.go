package mdd

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// paths lists every root-to-terminal path of d as a tuple.
func paths(d *MDD) [][]int32 {
	var out [][]int32
	var walk func(n int32, prefix []int32)
	walk = func(n int32, prefix []int32) {
		if n == d.Terminal {
			out = append(out, slices.Clone(prefix))
			return
		}
		for _, e := range d.Edges {
			if e.From == n {
				walk(e.To, append(prefix, e.Val))
			}
		}
	}
	if len(d.Edges) > 0 {
		walk(0, nil)
	}
	return out
}

// The diagram holds exactly the tuples it was built from, and it is
// reduced: no two nodes have the same out-edges.
func TestBuildRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for iter := 0; iter < 300; iter++ {
		arity := 1 + r.IntN(4)
		n := r.IntN(20)
		var tuples [][]int32
		for range n {
			tup := make([]int32, arity)
			for i := range tup {
				tup[i] = int32(r.IntN(3))
			}
			tuples = append(tuples, tup)
		}
		want := slices.Clone(tuples)
		slices.SortFunc(want, slices.Compare)
		want = slices.CompactFunc(want, slices.Equal)
		d := Build(arity, tuples)
		got := paths(d)
		slices.SortFunc(got, slices.Compare)
		if !slices.EqualFunc(got, want, slices.Equal) {
			t.Fatalf("tuples %v: paths %v", want, got)
		}
		seen := map[string]bool{}
		for node := 0; node < d.Nodes; node++ {
			var key []int32
			for _, e := range d.Edges {
				if int(e.From) == node {
					key = append(key, e.Val, e.To)
				}
			}
			if node == int(d.Terminal) {
				continue
			}
			k := string(rune(d.Layer[node])) + ":" + string(slices.Collect(func(yield func(rune) bool) {
				for _, x := range key {
					if !yield(rune(x + 1)) {
						return
					}
				}
			}))
			if seen[k] {
				t.Fatalf("tuples %v: two nodes with the same out-edges", want)
			}
			seen[k] = true
		}
	}
}
