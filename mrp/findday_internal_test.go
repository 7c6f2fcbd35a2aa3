package mrp

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ctoplan/ctoplan/bom"
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

// TestBaseItemWagnerWhitinCosts: a ww item's setup and holding costs come
// from the BOM item when given, else from its unit cost.
func TestBaseItemWagnerWhitinCosts(t *testing.T) {
	for _, c := range []struct {
		in          bom.Item
		setup, hold float64
	}{
		{bom.Item{ID: "A", Kind: bom.Buy, UnitCost: 40, LotPolicy: bom.WagnerWhitin, SetupCost: 70, HoldingCost: 0.2}, 70, 0.2},
		{bom.Item{ID: "B", Kind: bom.Buy, UnitCost: 40, LotPolicy: bom.WagnerWhitin}, 40, 0.04},
		{bom.Item{ID: "C", Kind: bom.Buy, LotPolicy: bom.WagnerWhitin, HoldingCost: 0.5}, 1, 0.5},
	} {
		x, err := baseItem(&c.in)
		if err != nil {
			t.Fatal(err)
		}
		if x.Lot.Policy != WagnerWhitin || x.Lot.SetupCost != c.setup || math.Abs(x.Lot.HoldingCost-c.hold) > 1e-12 {
			t.Errorf("%s: got %+v, want setup %v holding %v", c.in.ID, x.Lot, c.setup, c.hold)
		}
	}
}
