package mrp

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

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

// TestFindDueByHand: Monday to Friday working days, day 0 a Monday, and
// 19 orders due on every working day of the first four weeks but day 16
// (days 0-4, 7-11, 14 15, 17 18, 21-25). findDue guesses the working days
// from the first order's day (day 0) to the day asked for:
//
//	day  9 (Wed): 7 working days on, due[7] = 9, due[6] = 8: 7, found
//	day 18 (Fri): guess 14 (due[14] = 21 >= 18), back: due[13] = 18 and
//	              due[12] = 17 < 18: 13, found (the gap of day 16)
//	day 16 (Wed): guess 12 (due[12] = 17), due[11] = 15 < 16: 12, not found
//	day 13 (Sun): guess 9 (the Friday before: due[9] = 11 < 13), one step
//	              on, due[10] = 14: 10, not found
//	day 30 (Fri): guess 22, past the end: 18 (due[18] = 25 < 30), no
//	              order after it: 19, not found
//	day  0 and before: 0 (found on day 0 only)
//
// and 16 orders with a gap of three weeks after the first (days 0, 21-25,
// 28-32, 35-37, and 38 twice): day 22 guesses 16 working days on,
// clamped to the last order (15), steps back 8 orders (due[14] down to
// due[6], days 38 to 28, all after 22), then searches due[:7] by halves:
// 2 (day 22), found.
func TestFindDueByHand(t *testing.T) {
	k, err := compileCalendar(Calendar{Start: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), Horizon: 60}, 5)
	if err != nil {
		t.Fatal(err)
	}
	due := []int32{0, 1, 2, 3, 4, 7, 8, 9, 10, 11, 14, 15, 17, 18, 21, 22, 23, 24, 25}
	for _, c := range []struct {
		day int32
		k   int
		ok  bool
	}{{9, 7, true}, {18, 13, true}, {16, 12, false}, {13, 10, false}, {30, 19, false}, {0, 0, true}, {-3, 0, false}, {25, 18, true}, {1, 1, true}} {
		if x, ok := k.findDue(due, c.day); x != c.k || ok != c.ok {
			t.Errorf("findDue(day %d) = %d, %v; want %d, %v", c.day, x, ok, c.k, c.ok)
		}
	}
	gap := []int32{0, 21, 22, 23, 24, 25, 28, 29, 30, 31, 32, 35, 36, 37, 38, 38}
	if x, ok := k.findDue(gap, 22); x != 2 || !ok {
		t.Errorf("findDue(gap, 22) = %d, %v; want 2, true", x, ok)
	}
}

// TestFindDue checks cal.findDue against slices.BinarySearch on random
// calendars (weekends, holidays, days before the planning date) and order
// lists: one order on most working days (the lists findDue guesses well),
// sparse, with several orders on one day, clustered (long gaps), and days
// asked for outside the compiled range.
func TestFindDue(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 19))
	start := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	for x := range 3000 {
		c := Calendar{Start: start.AddDate(0, 0, rng.IntN(7)), Horizon: 30 + rng.IntN(400)}
		if rng.IntN(3) == 0 {
			c.Weekend = []time.Weekday{time.Weekday(rng.IntN(7))}
		}
		c.Days = map[time.Time]bool{}
		for range rng.IntN(20) {
			c.Days[c.Start.AddDate(0, 0, rng.IntN(c.Horizon+20)-10)] = rng.IntN(2) == 0
		}
		k, err := compileCalendar(c, rng.IntN(30))
		if err != nil {
			continue
		}
		var due []int32
		d := int32(rng.IntN(40) - 10)
		dense := x%2 == 0
		for int(d) < c.Horizon && len(due) < 3000 {
			switch {
			case dense:
				if i := int(d) + k.pre; i >= 0 && i < len(k.work) && k.work[i] && rng.IntN(20) != 0 {
					due = append(due, d)
				}
				d++
			default:
				due = append(due, d)
				if rng.IntN(4) != 0 {
					d += int32(rng.IntN(6))
				}
			}
			if x%3 == 0 && rng.IntN(60) == 0 {
				d += int32(rng.IntN(100)) // clustered
			}
		}
		for range 60 {
			day := int32(rng.IntN(c.Horizon+80) - 40)
			switch rng.IntN(20) {
			case 0:
				day = math.MinInt32
			case 1:
				day = math.MaxInt32
			}
			got, gok := k.findDue(due, day)
			want, wok := slices.BinarySearch(due, day)
			if got != want || gok != wok {
				t.Fatalf("findDue(%v, %d) = %d, %v; want %d, %v", due, day, got, gok, want, wok)
			}
		}
	}
}

// TestFindNear checks findNear against slices.BinarySearch from every
// guess, on random order lists (several orders on one day among them) and
// days after the first order and on or before the last.
func TestFindNear(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 5))
	for x := range 1500 {
		n := 2 + rng.IntN(60)
		due := make([]int32, n)
		day := int32(rng.IntN(5))
		for k := range due {
			if rng.IntN(4) != 0 {
				day += int32(rng.IntN(1 + x%5))
			}
			if rng.IntN(30) == 0 {
				day += int32(rng.IntN(40))
			}
			due[k] = day
		}
		if due[0] == due[n-1] {
			continue
		}
		for range 10 {
			d := due[0] + 1 + int32(rng.IntN(int(due[n-1]-due[0])))
			wk, wok := slices.BinarySearch(due, d)
			for g := range n {
				if k, ok := findNear(due, d, g); k != wk || ok != wok {
					t.Fatalf("findNear(%v, %d, %d) = %d, %v; want %d, %v", due, d, g, k, ok, wk, wok)
				}
			}
		}
	}
}

// TestGuessScaleByHand: Monday to Friday, day 0 a Monday (working days
// 0-4, 7-11, 14-18 are numbered 0-14 by cal.wd, counted from day 0's; a
// Saturday or Sunday takes the Friday's number).
//
// Orders on every working day from Wed 2 to Fri 18 (13 orders, indices
// 0-12): the first is working day 2 and the last 14, 12 working days for
// 12 orders after the first, so scale is 1 and the guess for each order
// day is its index: Mon 14 (working day 10) is index 8, where a guess by
// calendar days, 12 * (14 - 2) / 16 = 9, lands on Tue 15.
//
// Orders every other working day, Wed 2, Fri 4, Tue 8, Thu 10, Mon 14,
// Wed 16, Fri 18 (working days 2, 4, 6, 8, 10, 12, 14): scale is 6 / 12 =
// 0.5, and the guess for Thu 10, int((8 - 2) * 0.5) = 3, is its index.
//
// One order (Wed 2): no scale (0). Orders Sat 5 and Sun 6 only: both
// are working day 4, no scale.
func TestGuessScaleByHand(t *testing.T) {
	k, err := compileCalendar(Calendar{Start: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), Horizon: 30}, 5)
	if err != nil {
		t.Fatal(err)
	}
	guess := func(due []int32, day int32) int {
		w0, scale := k.guessScale(due)
		return min(int(float64(k.wd(day)-w0)*scale), len(due)-1)
	}
	w00 := k.wd(0) // cal.wd counts from the compiled range's start
	every := []int32{2, 3, 4, 7, 8, 9, 10, 11, 14, 15, 16, 17, 18}
	if w0, scale := k.guessScale(every); w0-w00 != 2 || scale != 1 {
		t.Errorf("every working day: w0 %d, scale %v; want 2, 1", w0-w00, scale)
	}
	for i, d := range every {
		if g := guess(every, d); g != i {
			t.Errorf("every working day: guess for day %d is %d, want %d", d, g, i)
		}
	}
	other := []int32{2, 4, 8, 10, 14, 16, 18}
	if w0, scale := k.guessScale(other); w0-w00 != 2 || scale != 0.5 {
		t.Errorf("every other working day: w0 %d, scale %v; want 2, 0.5", w0-w00, scale)
	}
	if g := guess(other, 10); g != 3 {
		t.Errorf("every other working day: guess for day 10 is %d, want 3", g)
	}
	for _, due := range [][]int32{{2}, {5, 6}} {
		if _, scale := k.guessScale(due); scale != 0 {
			t.Errorf("orders %v: scale %v, want 0", due, scale)
		}
	}
	// release by working day is release, on this calendar and on one
	// whose compiled range starts on a Sunday (days before it clamp to
	// that first day, not to the first working day)
	k2, err := compileCalendar(Calendar{Start: time.Date(2026, 1, 4, 0, 0, 0, 0, time.UTC), Horizon: 30}, 5)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []*cal{k, k2} {
		for d := int32(-k.pre - 3); d < int32(k.horizon)+5; d++ {
			for lt := int32(0); lt < 4; lt++ {
				if a, b := k.releaseWd(k.wd(d), lt), k.release(d, lt); a != b {
					t.Fatalf("releaseWd(wd(%d), %d) = %d, release = %d", d, lt, a, b)
				}
			}
		}
	}
}

// TestOrdersDueByHand: ordersDue is findDue for an item's orders with
// the first order's day taken from due0 (kept by setEnds) instead of
// due[0]. The calendar and the 19 orders of TestFindDueByHand (days 0-4,
// 7-11, 14 15, 17 18, 21-25), due0 = 0: day 9 -> 7, found; day 18 -> 13,
// found; day 16 -> 12, not found; day 0 -> 0, found; day -3 -> 0, not
// found. The same orders without their first (days 1-4, 7-11, ...: 18
// orders, due0 = 1): day 9 is 6 working days after day 1, due[6] = 9:
// 6, found; day 1 -> 0, found; day 0 -> 0, not found. Three orders
// (days 2, 5, 5), searched by halves: day 5 -> 1, found; day 3 -> 1,
// not found. An item whose due0 says day 7 while its orders start on
// day 0 (as no item is kept) shows which is read: day 9 then guesses 2
// working days on (due[2] = 2 < 9), steps on to due[7] = 9: 7, found,
// and day 5, on or before "the first" day 7, gives 0, not found; with
// due[0] read, day 5 would give 5 (due[5] = 7 >= 5, due[4] = 4 < 5).
func TestOrdersDueByHand(t *testing.T) {
	k, err := compileCalendar(Calendar{Start: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), Horizon: 60}, 5)
	if err != nil {
		t.Fatal(err)
	}
	type dueCase struct {
		day int32
		k   int
		ok  bool
	}
	all := []int32{0, 1, 2, 3, 4, 7, 8, 9, 10, 11, 14, 15, 17, 18, 21, 22, 23, 24, 25}
	items := []struct {
		due  []int32
		due0 int32 // -1: as setEnds notes it
		cs   []dueCase
	}{
		{all, -1, []dueCase{{9, 7, true}, {18, 13, true}, {16, 12, false}, {0, 0, true}, {-3, 0, false}}},
		{all[1:], -1, []dueCase{{9, 6, true}, {1, 0, true}, {0, 0, false}}},
		{[]int32{2, 5, 5}, -1, []dueCase{{5, 1, true}, {3, 1, false}}},
		{all, 7, []dueCase{{9, 7, true}, {5, 0, false}}},
	}
	for n, c := range items {
		it := &item{due: c.due}
		it.setEnds()
		if c.due0 >= 0 {
			it.due0 = c.due0
		}
		for _, q := range c.cs {
			if x, ok := k.ordersDue(it, q.day); x != q.k || ok != q.ok {
				t.Errorf("item %d (orders %v, due0 %d): ordersDue(day %d) = %d, %v; want %d, %v", n, c.due, it.due0, q.day, x, ok, q.k, q.ok)
			}
		}
	}
}
