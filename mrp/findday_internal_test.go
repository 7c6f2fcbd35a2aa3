package mrp

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestFindDay checks findDay against slices.BinarySearch on random order
// lists: dense and sparse, with several orders on one day.
func TestFindDay(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for range 3000 {
		n := rng.IntN(300)
		due := make([]int32, n)
		day := int32(rng.IntN(5))
		gap := 1 + rng.IntN(6)
		for k := range due {
			if rng.IntN(8) != 0 {
				day += int32(rng.IntN(gap))
			}
			due[k] = day
		}
		for range 40 {
			x := int32(rng.IntN(int(day) + 10))
			k, ok := findDay(due, x)
			wk, wok := slices.BinarySearch(due, x)
			if k != wk || ok != wok {
				t.Fatalf("findDay(%v, %d) = %d, %v; want %d, %v", due, x, k, ok, wk, wok)
			}
		}
	}
}
