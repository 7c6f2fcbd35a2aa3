package mrp

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/ctoplan/ctoplan/internal/modroot"
)

// sharedData returns ../shared/data/<rel> beside the module root, or fails.
func sharedData(t testing.TB, rel string) string {
	t.Helper()
	p, err := modroot.SharedData(rel)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

type wwInstance struct {
	Name         string    `json:"name"`
	NumPeriods   int       `json:"num_periods"`
	HoldingCost  float64   `json:"holding_cost"`
	FixedCost    float64   `json:"fixed_cost"`
	Demand       []int64   `json:"demand"`
	PurchaseCost []float64 `json:"purchase_cost"`
	Expected     struct {
		OrderQuantities []int64 `json:"order_quantities"`
		TotalCost       float64 `json:"total_cost"`
	} `json:"expected"`
}

// TestWagnerWhitinStockpyl checks the five instances of Snyder & Shen
// (via LarrySnyder/stockpyl, MIT): optimal order plans and costs, first
// with the solver alone (with per-period purchase cost where given), then
// through the planner (zero lead time, every day a period).
func TestWagnerWhitinStockpyl(t *testing.T) {
	path := sharedData(t, "mrp/lot_sizing/wagner_whitin_stockpyl.json")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Instances []wwInstance `json:"instances"`
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Instances) != 5 {
		t.Fatalf("%d instances, want 5", len(f.Instances))
	}
	for _, in := range f.Instances {
		t.Run(in.Name, func(t *testing.T) {
			days := make([]int32, in.NumPeriods)
			for k := range days {
				days[k] = int32(k)
			}
			var unit func(int) float64
			if in.PurchaseCost != nil {
				unit = func(k int) float64 { return in.PurchaseCost[k] }
			}
			starts, cost := wwSolve(days, in.Demand, in.FixedCost, in.HoldingCost, unit)
			got := make([]int64, in.NumPeriods)
			for s, k := range starts {
				end := in.NumPeriods
				if s+1 < len(starts) {
					end = starts[s+1]
				}
				for j := k; j < end; j++ {
					got[k] += in.Demand[j]
				}
			}
			if !slices.Equal(got, in.Expected.OrderQuantities) {
				t.Errorf("orders %v, want %v", got, in.Expected.OrderQuantities)
			}
			if math.Abs(cost-in.Expected.TotalCost) > 1e-6 {
				t.Errorf("cost %v, want %v", cost, in.Expected.TotalCost)
			}
			if in.PurchaseCost != nil {
				return // the planner has no per-period purchase cost
			}
			start := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
			inp := &Input{
				Items:    []Item{{ID: "X", Kind: Buy, Lot: LotSizing{Policy: WagnerWhitin, SetupCost: in.FixedCost, HoldingCost: in.HoldingCost}}},
				Calendar: Calendar{Start: start, Horizon: in.NumPeriods + 5, Weekend: []time.Weekday{}},
			}
			for k, q := range in.Demand {
				inp.Demands = append(inp.Demands, Demand{ID: "d" + string(rune('a'+k)), Item: "X", Qty: q, Due: start.AddDate(0, 0, k)})
			}
			p, err := New(inp, DefaultOptions())
			if err != nil {
				t.Fatal(err)
			}
			plan := make([]int64, in.NumPeriods)
			var pc float64
			for k, d := range p.items[0].due {
				plan[d] += p.items[0].qty[k]
				pc += in.FixedCost
			}
			var inv int64
			for k := range in.NumPeriods {
				inv += plan[k] - in.Demand[k]
				pc += in.HoldingCost * float64(inv)
			}
			if !slices.Equal(plan, in.Expected.OrderQuantities) || math.Abs(pc-in.Expected.TotalCost) > 1e-6 {
				t.Errorf("planner: orders %v cost %v, want %v cost %v", plan, pc, in.Expected.OrderQuantities, in.Expected.TotalCost)
			}
		})
	}
}

// wwSolve solves the uncapacitated single-item lot-sizing problem over the
// requirements (day[k], qty[k]); unit, when not nil, gives the purchase
// cost per unit of an order placed at requirement k. It returns the
// indices of the requirements where orders are placed and the total cost.
// Ties go to the earlier order (the larger lot). O(n^2). Only the tests
// need the purchase cost and the placements; planning uses wagnerWhitin.
func wwSolve(day []int32, qty []int64, setup, hold float64, unit func(k int) float64) ([]int, float64) {
	n := len(day)
	best := make([]float64, n+1)
	from := make([]int, n+1)
	wwDP(best, from, day, qty, setup, hold, unit)
	var starts []int
	for j := n; j > 0; j = from[j] {
		starts = append(starts, from[j])
	}
	slices.Reverse(starts)
	return starts, best[n]
}

// TestWagnerWhitinByCuts checks the programme run cut by cut
// (wagnerWhitin) against the programme over all the requirements at once
// (wwDP) and, for up to 12 requirements, against every plan there is:
// random requirements, setup and holding costs, the cost of the plan
// cut by cut must be the least. Ties may go either way between the two
// programmes (rounding differs), so costs are compared, within 1e-9
// relative.
func TestWagnerWhitinByCuts(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	w := &worker{}
	cuts := 0
	for trial := range 4000 {
		n := 1 + r.IntN(40)
		if trial%2 == 0 {
			n = 1 + r.IntN(12)
		}
		day := make([]int32, n)
		qty := make([]int64, n)
		d := int32(r.IntN(3))
		for k := range n {
			day[k] = d
			d += int32(1 + r.IntN(6))
			qty[k] = int64(1 + r.IntN(200))
		}
		setup := float64(r.IntN(400))
		hold := r.Float64() * 2
		if trial%3 == 0 {
			setup, hold = float64(r.IntN(40)), float64(r.IntN(3)) // integral: ties
		}
		if setup == 0 && hold == 0 {
			setup = 1
		}
		cost := func(starts []int) float64 {
			var c float64
			for s, i := range starts {
				end := n
				if s+1 < len(starts) {
					end = starts[s+1]
				}
				c += setup
				for k := i; k < end; k++ {
					c += hold * float64(qty[k]) * float64(day[k]-day[i])
				}
			}
			return c
		}
		grp := wagnerWhitin(w, day, qty, setup, hold)
		var starts []int
		for k := 0; k < n; k = int(grp[k]) {
			if int(grp[k]) <= k || int(grp[k]) > n {
				t.Fatalf("trial %d: group at %d ends at %d (n %d)", trial, k, grp[k], n)
			}
			starts = append(starts, k)
		}
		for m := 1; m < n; m++ {
			if wwCut(day, qty, m, setup, hold) {
				cuts++
				if !slices.Contains(starts, m) {
					t.Fatalf("trial %d: no order at cut %d: %v", trial, m, starts)
				}
			}
		}
		got := cost(starts)
		_, whole := wwSolve(day, qty, setup, hold, nil)
		if math.Abs(got-whole) > 1e-9*max(1, whole) {
			t.Fatalf("trial %d: cut by cut %v costs %v, whole programme %v", trial, starts, got, whole)
		}
		if n <= 12 {
			least := math.Inf(1)
			for mask := 0; mask < 1<<(n-1); mask++ {
				s := []int{0}
				for k := 1; k < n; k++ {
					if mask>>(k-1)&1 == 1 {
						s = append(s, k)
					}
				}
				least = min(least, cost(s))
			}
			if math.Abs(got-least) > 1e-9*max(1, least) {
				t.Fatalf("trial %d: cut by cut %v costs %v, the best plan %v", trial, starts, got, least)
			}
		}
	}
	if cuts < 10000 {
		t.Errorf("only %d cuts in all the trials", cuts)
	}
}
