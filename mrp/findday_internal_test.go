package mrp

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ctoplan/ctoplan/bom"
)

// TestFindDay checks findDay against slices.BinarySearch on random order
// lists: dense and sparse, with several orders on one day, and clustered
// (long gaps), where the guess is far from the answer.
func TestFindDay(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for x := range 4000 {
		n := rng.IntN(300)
		if x%4 == 0 {
			n = rng.IntN(3000)
		}
		due := make([]int32, n)
		day := int32(rng.IntN(5))
		gap := 1 + rng.IntN(6)
		for k := range due {
			if rng.IntN(8) != 0 {
				day += int32(rng.IntN(gap))
			}
			if x%3 == 0 && rng.IntN(100) == 0 {
				// clustered: a guess from the ends is far off, so that
				// findDay searches by halves past its steps
				day += int32(rng.IntN(400))
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

// TestFirstEnding checks firstEnding against slices.BinarySearch on
// random running totals (zero quantities among them), from every guess.
func TestFirstEnding(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	for range 2000 {
		n := rng.IntN(60)
		c := make([]int64, n+1)
		for k := range n {
			q := int64(rng.IntN(5))
			if rng.IntN(4) == 0 {
				q = 0
			}
			c[k+1] = c[k] + q
		}
		for range 20 {
			x := int64(rng.IntN(int(c[n])+3)) - 1
			want, _ := slices.BinarySearch(c[1:], x+1)
			for g := -1; g <= n+1; g++ {
				if k := firstEnding(c, x, g); k != want {
					t.Fatalf("firstEnding(%v, %d, %d) = %d; want %d", c, x, g, k, want)
				}
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
