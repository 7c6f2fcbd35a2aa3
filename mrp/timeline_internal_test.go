package mrp

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func lessInt32(a, b int32) bool { return a < b }

// TestTimelineSomeByHand: some() follows the records, and the tree is
// dropped with the last one.
func TestTimelineSomeByHand(t *testing.T) {
	var tl timeline
	if tl.some() || tl.len() != 0 || tl.remove(3) {
		t.Fatal("empty timeline: some, len or remove wrong")
	}
	tl.insert(3, lessInt32)
	tl.insert(1, lessInt32)
	if !tl.some() || tl.len() != 2 {
		t.Fatalf("after inserting 3, 1: some %v len %d, want true 2", tl.some(), tl.len())
	}
	if !tl.remove(1) || !tl.some() {
		t.Fatal("after removing 1 of 3, 1: want removed and some")
	}
	if tl.remove(7) || !tl.some() {
		t.Fatal("removing 7 (absent): want not removed and some")
	}
	if !tl.remove(3) {
		t.Fatal("removing 3: want removed")
	}
	if tl.some() || tl.t != nil || tl.len() != 0 {
		t.Fatalf("after removing the last record: some %v, tree nil %v, len %d; want false true 0", tl.some(), tl.t == nil, tl.len())
	}
	tl.insert(5, lessInt32)
	if got := tl.appendTo(nil); !tl.some() || !slices.Equal(got, []int32{5}) {
		t.Fatalf("after inserting 5 again: some %v records %v", tl.some(), got)
	}
}

// TestTimelineSomeRandom runs random inserts and removes on a timeline
// and checks it against a set of the records after each: some() says
// whether the set is empty, len and the records in order are the set's.
func TestTimelineSomeRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 6))
	for run := 0; run < 200; run++ {
		var tl timeline
		set := map[int32]bool{}
		nk := 1 + r.IntN(6)
		for step := 0; step < 60; step++ {
			k := int32(r.IntN(nk))
			if r.IntN(2) == 0 {
				tl.insert(k, lessInt32)
				set[k] = true
			} else {
				got := tl.remove(k)
				if got != set[k] {
					t.Fatalf("run %d step %d: remove(%d) = %v, want %v", run, step, k, got, set[k])
				}
				delete(set, k)
			}
			var want []int32
			for x := range set {
				want = append(want, x)
			}
			slices.Sort(want)
			if tl.some() != (len(want) > 0) || tl.len() != len(want) || !slices.Equal(tl.appendTo(nil), want) {
				t.Fatalf("run %d step %d: some %v len %d records %v, want records %v", run, step, tl.some(), tl.len(), tl.appendTo(nil), want)
			}
			if last := tl.last(); len(want) > 0 && last != want[len(want)-1] || len(want) == 0 && last != -1 {
				t.Fatalf("run %d step %d: last %d, want of %v", run, step, last, want)
			}
		}
	}
}
