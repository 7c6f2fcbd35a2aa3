package mrp

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestCacheAddRun checks cacheAddRun against the definition: the kept
// gross requirements after a run of changes are the old ones plus each
// change on its day, days summing to zero dropped, the list in day order.
// The oracle is a map from day to quantity; random lists and runs of
// changes (days on and off the list, repeated, cancelling, zero), with
// room to grow in place and without.
func TestCacheAddRun(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	p := &Planner{}
	c := &ncw{}
	for round := range 3000 {
		n := r.IntN(40)
		var gd []int32
		var gq []int64
		want := map[int32]int64{}
		day := int32(r.IntN(3))
		for range n {
			day += 1 + int32(r.IntN(3))
			q := int64(1 + r.IntN(9))
			gd, gq = append(gd, day), append(gq, q)
			want[day] = q
		}
		if r.IntN(2) == 0 {
			// spare capacity: the merge may work in place
			gd, gq = slices.Grow(gd, r.IntN(8)), slices.Grow(gq, r.IntN(8))
		}
		it := &item{gd: gd, gq: gq}
		var ds []dday
		d := int32(r.IntN(4))
		for range r.IntN(12) {
			if r.IntN(4) != 0 {
				d += int32(r.IntN(4)) // 0: the same day again
			}
			x := int64(r.IntN(7) - 3)
			if w, ok := want[d]; ok && r.IntN(3) == 0 {
				x = -w // the day's requirement goes
			}
			ds = append(ds, dday{d, x})
			want[d] += x
		}
		p.cacheAddRun(nil, c, it, ds)
		var wd []int32
		for k, q := range want {
			if q != 0 {
				wd = append(wd, k)
			}
		}
		slices.Sort(wd)
		if !slices.Equal(it.gd, wd) {
			t.Fatalf("round %d: days %v, want %v (changes %v)", round, it.gd, wd, ds)
		}
		for k, day := range it.gd {
			if it.gq[k] != want[day] {
				t.Fatalf("round %d: day %d: %d, want %d (changes %v)", round, day, it.gq[k], want[day], ds)
			}
		}
		if len(it.gq) != len(it.gd) {
			t.Fatalf("round %d: %d days, %d quantities", round, len(it.gd), len(it.gq))
		}
	}
}
