package mrp

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSelectFirst checks selectFirst against sorting: after it, the first
// n words are the n smallest and the words are the same, for random
// lengths up to 300, every n, keys drawn from a small or a large range.
func TestSelectFirst(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for run := range 400 {
		m := 2 + r.IntN(300)
		span := uint64(1) << (4 + r.IntN(40))
		ks := make([]uint64, 0, m)
		seen := map[uint64]bool{}
		for len(ks) < m {
			k := r.Uint64N(span)<<32 | uint64(len(ks)) // distinct, as ranked demands
			if !seen[k] {
				seen[k] = true
				ks = append(ks, k)
			}
		}
		sorted := slices.Sorted(slices.Values(ks))
		for _, n := range []int{1, m / 2, m - 1, 1 + r.IntN(m-1)} {
			got := slices.Clone(ks)
			selectFirst(got, n)
			first := slices.Sorted(slices.Values(got[:n]))
			if !slices.Equal(first, sorted[:n]) {
				t.Fatalf("run %d: %d words, n %d: first %v, want %v", run, m, n, first, sorted[:n])
			}
			if !slices.Equal(slices.Sorted(slices.Values(got)), sorted) {
				t.Fatalf("run %d: words changed", run)
			}
		}
	}
}
