package mrp

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// TestReleasedOnByHand: Monday to Friday, day 0 a Monday, lead time 2
// working days. Orders due on days 1 2 2 3 5 7 9 (Tue Wed Wed Thu Sat
// Mon Wed) are released on Fri (day -3, clamped to 0), Mon 0, Mon 0,
// Tue 1, Wed 2 (Saturday counts from Friday), Thu 3 and Mon 7.
func TestReleasedOnByHand(t *testing.T) {
	k, err := compileCalendar(Calendar{Start: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), Horizon: 30}, 5)
	if err != nil {
		t.Fatal(err)
	}
	p := &Planner{cal: k}
	par := &item{due: []int32{1, 2, 2, 3, 5, 7, 9}, lt: 2}
	for _, c := range []struct {
		d, lo, hi int
		from      int32
	}{
		{0, 0, 3, math.MinInt32}, {1, 3, 4, 3}, {2, 4, 5, 4}, {3, 5, 6, 7},
		{4, 6, 6, 8}, {5, 6, 6, 9}, {7, 6, 7, 9}, {8, 7, 7, 10},
	} {
		if lo, hi := p.releasedOn(par, int32(c.d)); lo != c.lo || hi != c.hi {
			t.Errorf("released on day %d: orders [%d, %d), want [%d, %d)", c.d, lo, hi, c.lo, c.hi)
		}
		if f := k.dueFrom(int32(c.d), 2); f != c.from {
			t.Errorf("dueFrom(%d, 2) = %d, want %d", c.d, f, c.from)
		}
	}
}

// TestReleasedOn checks releasedOn against the definition (the orders
// whose release, clamped to day 0, is the day: a run of them, after the
// orders released earlier) on random calendars (weekends, holidays,
// extra working days) and order lists, due days outside the compiled
// range among them.
func TestReleasedOn(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 5))
	calendars := 300
	if raceEnabled {
		calendars = 100 // 13 s for 300 under the race detector
	}
	for x := range calendars {
		start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(400))
		c := Calendar{Start: start, Horizon: 20 + rng.IntN(200), Days: map[time.Time]bool{}}
		if x%3 == 0 {
			c.Weekend = []time.Weekday{time.Weekday(rng.IntN(7))}
		}
		for range rng.IntN(30) {
			c.Days[start.AddDate(0, 0, rng.IntN(c.Horizon+100)-80)] = rng.IntN(3) != 0
		}
		maxLT := rng.IntN(15)
		k, err := compileCalendar(c, maxLT)
		if err != nil {
			continue // no working day
		}
		p := &Planner{cal: k}
		lo, hi := -k.pre-10, c.Horizon+10
		for range 20 {
			par := &item{lt: int32(rng.IntN(maxLT + 1))}
			day := lo + rng.IntN(40)
			for range rng.IntN(60) {
				day += rng.IntN(4) * rng.IntN(3)
				par.due = append(par.due, int32(min(day, hi)))
			}
			for d := int32(-2); d < int32(hi); d++ {
				// dueFrom: the first day released on d or later
				wf := int32(math.MaxInt32)
				if max(k.release(int32(lo-1), par.lt), 0) >= d {
					wf = math.MinInt32
				} else {
					for x := int32(lo); x < int32(hi+30); x++ {
						if max(k.release(x, par.lt), 0) >= d {
							wf = x
							break
						}
					}
				}
				if f := k.dueFrom(d, par.lt); f != wf {
					t.Fatalf("calendar %+v: dueFrom(%d, %d) = %d, want %d", c, d, par.lt, f, wf)
				}
				var before, on []int
				for o, due := range par.due {
					switch r := max(k.release(due, par.lt), 0); {
					case r < d:
						before = append(before, o)
					case r == d:
						on = append(on, o)
					}
				}
				wlo := len(before)
				glo, ghi := p.releasedOn(par, d)
				if glo != wlo || ghi != wlo+len(on) || len(on) > 0 && on[len(on)-1] != ghi-1 {
					t.Fatalf("calendar %+v lt %d orders %v day %d: released [%d, %d), want %v after %d", c, par.lt, par.due, d, glo, ghi, on, wlo)
				}
			}
		}
	}
}

// TestFirstLineByHand: lines to components 3, 67, 3 and 131 (all bit 3),
// the third out of force on day 5 but not on day 20.
func TestFirstLineByHand(t *testing.T) {
	es := []edge{
		{to: 3, from: dayMin, until: dayMax},
		{to: 67, from: dayMin, until: dayMax},
		{to: 3, from: 10, until: dayMax},
		{to: 3, from: dayMin, until: dayMax},
		{to: 131, from: dayMin, until: dayMax},
	}
	for _, c := range []struct {
		day  int32
		want []bool // per line in force
	}{
		{5, []bool{true, true, false, true}},         // lines 0 1 3 4
		{20, []bool{true, true, false, false, true}}, // all
	} {
		var seen uint64
		var got []bool
		for x := range es {
			if es[x].on(c.day) {
				got = append(got, firstLine(es, x, c.day, &seen))
			}
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("day %d: first lines %v, want %v", c.day, got, c.want)
		}
	}
}

// TestFirstLine checks firstLine against the definition (no earlier line
// in force to the same component) on random BOM lines, components drawn
// from a range where their bits collide.
func TestFirstLine(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 4))
	for range 3000 {
		es := make([]edge, rng.IntN(40))
		for x := range es {
			es[x] = edge{to: int32(rng.IntN(300)), from: dayMin, until: dayMax}
			if rng.IntN(3) == 0 {
				es[x].from = int32(rng.IntN(30))
				es[x].until = es[x].from + int32(rng.IntN(30))
			}
		}
		day := int32(rng.IntN(60))
		var seen uint64
		for x := range es {
			if !es[x].on(day) {
				continue
			}
			want := true
			for y := range x {
				if es[y].to == es[x].to && es[y].on(day) {
					want = false
				}
			}
			if got := firstLine(es, x, day, &seen); got != want {
				t.Fatalf("lines %v day %d: line %d first %v, want %v", es, day, x, got, want)
			}
		}
	}
}
