package mrp

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestWagnerWhitinKeptHand works one restart by hand: six requirements of
// 10 on days 0..5, setup 25, holding 1 per unit and day.
//
// The first run: row 0 stops at k=3 (10*3 > 25), so reach[0] = 3; row 1 at
// k=4, reach[1] = 4; best = 0 25 35 55 70 90 105 and the orders are at 0
// (covering 0,1), 2 (2,3) and 4 (4,5).
//
// Then the last requirement becomes 40: the first changed one is c = 5.
// Rows 0 and 1 reached 3 and 4 < 5 and are kept; rows 2..4 now stop at
// k=5 (40*3, 40*2, 40*1 > 25) and row 5 gives best[6] = 90+25 = 115. The
// backtrack redoes the orders before c too: 0 (0,1), 2 (2,3,4), 5 (5).
func TestWagnerWhitinKeptHand(t *testing.T) {
	day := []int32{0, 1, 2, 3, 4, 5}
	qty := []int64{10, 10, 10, 10, 10, 10}
	w, it := &worker{}, &item{}
	grp := wagnerWhitinKept(w, it, day, qty, 25, 1)
	if want := []float64{0, 25, 35, 55, 70, 90, 105}; !slices.Equal(it.ww.best, want) {
		t.Fatalf("first run: best %v, want %v", it.ww.best, want)
	}
	if want := []int32{3, 4, 5, 6, 6, 6}; !slices.Equal(it.ww.reach, want) {
		t.Fatalf("first run: reach %v, want %v", it.ww.reach, want)
	}
	if g := []int32{grp[0], grp[2], grp[4]}; !slices.Equal(g, []int32{2, 4, 6}) || w.wwKept != 0 {
		t.Fatalf("first run: groups %v (at 0, 2, 4), want [2 4 6]; %d rows kept, want 0", g, w.wwKept)
	}
	qty[5] = 40
	w.wwKept = 0
	grp = wagnerWhitinKept(w, it, day, qty, 25, 1)
	if want := []float64{0, 25, 35, 55, 70, 90, 115}; !slices.Equal(it.ww.best, want) {
		t.Fatalf("restart: best %v, want %v", it.ww.best, want)
	}
	if g := []int32{grp[0], grp[2], grp[5]}; !slices.Equal(g, []int32{2, 5, 6}) {
		t.Fatalf("restart: groups %v (at 0, 2, 5), want [2 5 6]", g)
	}
	if w.wwKept != 2 {
		t.Fatalf("restart: %d rows kept, want 2 (rows 0 and 1)", w.wwKept)
	}
}

// wwBrute is the cheapest plan's cost by the definition: every set of
// requirements where orders are placed (the first always), each order
// covering the requirements up to the next, costing setup plus holding
// per unit and day held.
func wwBrute(day []int32, qty []int64, setup, hold float64) float64 {
	n := len(day)
	if n == 0 {
		return 0
	}
	best := math.Inf(1)
	for mask := 0; mask < 1<<(n-1); mask++ {
		cost, start := 0.0, 0
		for k := range n {
			if k == 0 || mask&(1<<(k-1)) != 0 {
				start = k
				cost += setup
			}
			cost += hold * float64(qty[k]) * float64(day[k]-day[start])
		}
		best = min(best, cost)
	}
	return best
}

// TestWagnerWhitinKeptOracle runs chains of random edits of the net
// requirements (a quantity, a day, one added or removed, the tail cut or
// grown, now and then the costs) through wagnerWhitinKept and checks each
// run against a fresh wwDP (the same costs and choices bit for bit, the
// same groups) and, for short runs, the cheapest plan by enumeration.
func TestWagnerWhitinKeptOracle(t *testing.T) {
	trials := 2000
	if testing.Short() {
		trials = 400
	}
	r := rand.New(rand.NewPCG(12, 6))
	rows, kept := 0, 0
	for trial := range trials {
		setup, hold := float64(r.IntN(120)), 0.25*float64(1+r.IntN(12))
		n := r.IntN(26)
		var day []int32
		var qty []int64
		d := int32(r.IntN(3))
		for range n {
			day = append(day, d)
			qty = append(qty, int64(1+r.IntN(20)))
			d += int32(1 + r.IntN(3))
		}
		w, it := &worker{}, &item{}
		for step := range 6 {
			if step > 0 {
				switch k := r.IntN(10); {
				case k < 4 && len(qty) > 0:
					qty[r.IntN(len(qty))] = int64(1 + r.IntN(30))
				case k < 5 && len(day) > 1:
					// a day moves between its neighbours
					j := 1 + r.IntN(len(day)-1)
					hi := int32(1 << 20)
					if j+1 < len(day) {
						hi = day[j+1]
					}
					if day[j-1]+1 < hi {
						day[j] = day[j-1] + 1 + int32(r.IntN(int(hi-day[j-1]-1)))
					}
				case k < 6 && len(day) > 0:
					j := r.IntN(len(day))
					day, qty = slices.Delete(day, j, j+1), slices.Delete(qty, j, j+1)
				case k < 7:
					// a requirement on a new day after the last
					last := int32(0)
					if len(day) > 0 {
						last = day[len(day)-1]
					}
					day, qty = append(day, last+int32(1+r.IntN(4))), append(qty, int64(1+r.IntN(20)))
				case k < 8 && len(day) > 0:
					j := r.IntN(len(day))
					day, qty = day[:j], qty[:j]
				case k < 9:
					setup = float64(r.IntN(120))
				default:
					hold = 0.25 * float64(1+r.IntN(12))
				}
			}
			n := len(day)
			w.wwRows, w.wwKept = 0, 0
			grp := slices.Clone(wagnerWhitinKept(w, it, day, qty, setup, hold))
			rows, kept = rows+w.wwRows, kept+w.wwKept
			best := make([]float64, n+1)
			from := make([]int, n+1)
			wwDP(best, from, day, qty, setup, hold, nil)
			m := it.ww
			for j := 1; j <= n; j++ {
				if m.best[j] != best[j] || int(m.from[j]) != from[j] {
					t.Fatalf("trial %d step %d (setup %v hold %v day %v qty %v): best[%d] %v from %d, fresh %v from %d", trial, step, setup, hold, day, qty, j, m.best[j], m.from[j], best[j], from[j])
				}
			}
			fresh := wagnerWhitin(&worker{}, day, qty, setup, hold)
			for k := 0; k < n; k = int(fresh[k]) {
				if grp[k] != fresh[k] {
					t.Fatalf("trial %d step %d: group at %d ends at %d, fresh %d", trial, step, k, grp[k], fresh[k])
				}
			}
			if n <= 12 {
				if b := wwBrute(day, qty, setup, hold); math.Abs(b-m.best[n]) > 1e-6 {
					t.Fatalf("trial %d step %d (setup %v hold %v day %v qty %v): cost %v, cheapest plan %v", trial, step, setup, hold, day, qty, m.best[n], b)
				}
			}
		}
	}
	t.Logf("%d rows run, %d kept from the last run", rows, kept)
	if kept < rows/10 {
		t.Errorf("only %d of %d rows kept: the test does not reach the restart", kept, rows)
	}
}
