package mrp

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestPreorderHandWorked: top nodes 0 and 1, node 0's children 2 and 3,
// node 1's child 4, node 2's child 5 (level by level) come out depth
// first as 0 2 5 3 1 4, each node's parent renumbered.
func TestPreorderHandWorked(t *testing.T) {
	par := []int32{-1, -1, 0, 0, 1, 2}
	var ns []pegNode
	for n, p := range par {
		ns = append(ns, pegNode{item: int32(n), parent: p})
	}
	out := preorder(ns, new(treeScratch))
	var items, parents []int32
	for _, nd := range out {
		items, parents = append(items, nd.item), append(parents, nd.parent)
	}
	if !slices.Equal(items, []int32{0, 2, 5, 3, 1, 4}) || !slices.Equal(parents, []int32{-1, 0, 1, 0, -1, 4}) {
		t.Errorf("items %v parents %v, want [0 2 5 3 1 4] [-1 0 1 0 -1 4]", items, parents)
	}
}

// TestPreorderRandom compares preorder, and preorderPar on 2-4
// goroutines with random chunks and narrowest parallel levels, with a
// recursive depth-first walk on random forests listed level by level,
// one scratch reused throughout.
func TestPreorderRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 12))
	sc := new(treeScratch)
	parLevels, tails := 0, 0
	for x := range 600 {
		// a forest level by level: each node's children side by side
		ns := []pegNode{}
		for r := range 1 + rng.IntN(4) {
			ns = append(ns, pegNode{item: int32(r), parent: -1})
		}
		var lv []int32 // where each level starts
		lo := 0
		for lo < len(ns) && len(ns) < 400 {
			lv = append(lv, int32(lo))
			hi := len(ns)
			for n := lo; n < hi; n++ {
				for range rng.IntN(4) {
					ns = append(ns, pegNode{item: int32(len(ns)), parent: int32(n)})
				}
			}
			lo = hi
		}
		if lo < len(ns) {
			lv = append(lv, int32(lo)) // the last level, cut short
		}
		kids := make([][]int32, len(ns))
		var want []int32
		for n := range ns {
			if p := ns[n].parent; p >= 0 {
				kids[p] = append(kids[p], int32(n))
			}
		}
		var walk func(n int32)
		walk = func(n int32) {
			want = append(want, n)
			for _, c := range kids[n] {
				walk(c)
			}
		}
		for n := range ns {
			if ns[n].parent < 0 {
				walk(int32(n))
			}
		}
		var out []pegNode
		switch {
		case x%2 == 0:
			out = preorder(ns, sc)
		case x%4 == 1 && len(lv) > 1 && leaves(ns, lv):
			// the last level (all leaves) in chunks of whole sibling
			// runs, as levelPar leaves it
			a := int(lv[len(lv)-1])
			var tail [][]pegNode
			for c := a; c < len(ns); {
				e := min(c+1+rng.IntN(6), len(ns))
				for e < len(ns) && ns[e].parent == ns[e-1].parent {
					e++
				}
				tail = append(tail, slices.Clone(ns[c:e]))
				c = e
			}
			tails++
			var par int
			nw := 1 + rng.IntN(3)
			out, par = preorderPar(ns[:a], tail, lv, sc, nw, 1+rng.IntN(8), 1+rng.IntN(6))
			parLevels += par
		default:
			var par int
			out, par = preorderPar(ns, nil, lv, sc, 2+rng.IntN(3), 1+rng.IntN(8), 1+rng.IntN(6))
			parLevels += par
		}
		var got []int32
		for x, nd := range out {
			got = append(got, nd.item)
			if p := nd.parent; p >= 0 && (p >= int32(x) || out[p].item != ns[nd.item].parent) {
				t.Fatalf("node %d (item %d): parent %d is not item %d's place", x, nd.item, p, ns[nd.item].parent)
			}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("%d nodes: order %v, want %v", len(ns), got, want)
		}
	}
	if tails < 50 {
		t.Errorf("%d forests with their last level in chunks: want more", tails)
	}
	if parLevels < 300 {
		t.Errorf("%d levels placed on several goroutines: want the parallel pass used", parLevels)
	}
}

// leaves reports whether the nodes of the last level (from lv's last
// entry on) have no children.
func leaves(ns []pegNode, lv []int32) bool {
	a := lv[len(lv)-1]
	for _, nd := range ns {
		if nd.parent >= a {
			return false
		}
	}
	return true
}

// TestPreorderTailByHand: top nodes 0 and 1, node 0's children 2 and 3,
// node 1's child 4, and the last level (leaves) in two chunks as levelPar
// leaves it: [5 6] (node 2's children) and [7] (node 4's). Subtree sizes:
// 2 -> 3, 4 -> 2, 0 -> 5, 1 -> 3. Depth first: 0 2 5 6 3 1 4 7, places 0
// to 7; node 5 goes to place 2 (node 2's first free place, 1+1), node 6
// to 3, node 7 to 7 (node 4 at 6); parents renumbered by place.
func TestPreorderTailByHand(t *testing.T) {
	par := []int32{-1, -1, 0, 0, 1, 2, 2, 4}
	var ns []pegNode
	for n, p := range par {
		ns = append(ns, pegNode{item: int32(n), parent: p})
	}
	for _, nw := range []int{1, 2} {
		out, _ := preorderPar(ns[:5], [][]pegNode{ns[5:7], ns[7:]}, []int32{0, 2, 5}, new(treeScratch), nw, 1, 1)
		var items, parents []int32
		for _, nd := range out {
			items, parents = append(items, nd.item), append(parents, nd.parent)
		}
		if !slices.Equal(items, []int32{0, 2, 5, 6, 3, 1, 4, 7}) || !slices.Equal(parents, []int32{-1, 0, 1, 1, 0, -1, 5, 6}) {
			t.Errorf("%d goroutines: items %v parents %v, want [0 2 5 6 3 1 4 7] [-1 0 1 1 0 -1 5 6]", nw, items, parents)
		}
	}
}
