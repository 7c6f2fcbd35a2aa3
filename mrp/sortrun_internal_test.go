package mrp

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSortRunHand merges three runs by hand: a parent's changes on days
// 3, 7, 9, another's on 1, 8 and a third's on 2, 3, 10 come out as
// 1 2 3 3 7 8 9 10 (the two changes of day 3, +5 and -2, are summed
// later by prepRun: 5 - 2 = 3).
func TestSortRunHand(t *testing.T) {
	var s ncState
	run := []dday{{3, 5}, {7, 1}, {9, 1}, {1, 4}, {8, 2}, {2, 1}, {3, -2}, {10, 6}}
	// pad past the insertion-sort size with a fourth, later run
	for d := int32(20); d < 30; d++ {
		run = append(run, dday{d, 1})
	}
	s.sortRun(run)
	days := make([]int32, 0, len(run))
	for _, x := range run[:8] {
		days = append(days, x.day)
	}
	if want := []int32{1, 2, 3, 3, 7, 8, 9, 10}; !slices.Equal(days, want) {
		t.Fatalf("days %v, want %v", days, want)
	}
	var sum3 int64
	for _, x := range run[:8] {
		if x.day == 3 {
			sum3 += x.d
		}
	}
	if sum3 != 3 {
		t.Fatalf("day 3 sums to %d, want 5 - 2 = 3", sum3)
	}
}

// TestSortRunProperty: sortRun gives the same multiset in day order as
// slices.SortStableFunc, on concatenations of 0-6 sorted runs and on
// unsorted input.
func TestSortRunProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	var s ncState
	for trial := range 3000 {
		var run []dday
		if trial%5 == 0 {
			for range r.IntN(200) {
				run = append(run, dday{int32(r.IntN(50)), int64(r.IntN(9) - 4)})
			}
		} else {
			for range r.IntN(7) {
				var part []dday
				for range r.IntN(80) {
					part = append(part, dday{int32(r.IntN(400)), int64(1 + r.IntN(5))})
				}
				slices.SortFunc(part, func(a, b dday) int { return int(a.day - b.day) })
				run = append(run, part...)
			}
		}
		want := slices.Clone(run)
		slices.SortStableFunc(want, func(a, b dday) int { return int(a.day - b.day) })
		s.sortRun(run)
		if !slices.IsSortedFunc(run, func(a, b dday) int { return int(a.day - b.day) }) {
			t.Fatalf("trial %d: not in day order: %v", trial, run)
		}
		// same multiset: compare sorted by (day, d)
		key := func(a, b dday) int {
			if a.day != b.day {
				return int(a.day - b.day)
			}
			return int(a.d - b.d)
		}
		slices.SortFunc(want, key)
		got := slices.Clone(run)
		slices.SortFunc(got, key)
		if !slices.Equal(got, want) {
			t.Fatalf("trial %d: changes lost or duplicated", trial)
		}
	}
}

// TestGatherLevelProperty: the requirement changes that three workers
// (emit) and applyOne (addDelta) pass to items of several levels come out
// of markLevel, levelDeltas, scatter and prepRun as each queued item's
// run, summed by day against a map, in day order and without zeros; every
// item with a change is queued, and the counts are left at zero.
func TestGatherLevelProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	const n, levels, horizon = 300, 4, 60
	p := &Planner{cal: &cal{horizon: horizon}, llc: make([]int32, n)}
	for i := range p.llc {
		p.llc[i] = int32(r.IntN(levels))
	}
	s := &ncState{
		state: make([]uint8, n), force: make([]bool, n), regather: make([]bool, n),
		pos: make([]int32, n), cnt: make([]int32, n),
		queue: make([][]int32, levels), pend: make([][]emitted, levels),
	}
	for range 3 {
		s.ws = append(s.ws, &ncw{out: make([][]emitted, levels), first: make([][]int32, levels), cnt: make([]int32, n)})
	}
	gathered := 0
	for trial := range 200 {
		want := map[int32]map[int32]int64{}
		add := func(i, day int32, d int64) {
			if d == 0 || day >= horizon {
				return
			}
			if want[i] == nil {
				want[i] = map[int32]int64{}
			}
			want[i][day] += d
		}
		// applyOne's changes, then the workers' in runs by component
		// and in any order (a day past the horizon is dropped)
		for range r.IntN(20) {
			i, day, d := int32(r.IntN(n)), int32(r.IntN(horizon+5)), int64(r.IntN(7)-3)
			s.addDelta(p, i, day, d)
			add(i, day, d)
		}
		for range r.IntN(400) {
			c := s.ws[r.IntN(len(s.ws))]
			i := int32(r.IntN(n))
			for range 1 + r.IntN(6) {
				day, d := int32(r.IntN(horizon+5)), int64(r.IntN(9)-4)
				c.emit(p, i, day, d)
				add(i, day, d)
			}
		}
		for l := range levels {
			s.markLevel(p, l)
			q := s.queue[l]
			slices.Sort(q)
			s.levelDeltas(l, q)
			for _, c := range s.ws {
				s.scatter(c, l)
			}
			for h, i := range q {
				run := s.prepRun(s.ws[h%len(s.ws)], h)
				var exp []dday
				for day, d := range want[i] {
					if d != 0 {
						exp = append(exp, dday{day, d})
					}
				}
				slices.SortFunc(exp, func(a, b dday) int { return int(a.day - b.day) })
				if !slices.Equal(run, exp) {
					t.Fatalf("trial %d, item %d: run %v, want %v", trial, i, run, exp)
				}
				if got := s.ds[s.rs[h]:s.re[h]]; !slices.Equal(got, exp) {
					t.Fatalf("trial %d, item %d: re not set to the summed run", trial, i)
				}
				gathered += len(run)
				delete(want, i)
				s.state[i] = clean
			}
			s.queue[l] = q[:0]
		}
		if len(want) > 0 {
			t.Fatalf("trial %d: %d items with changes never queued", trial, len(want))
		}
		for _, c := range s.ws {
			if slices.ContainsFunc(c.cnt, func(k int32) bool { return k != 0 }) {
				t.Fatalf("trial %d: a worker's counts not reset", trial)
			}
		}
		if slices.ContainsFunc(s.cnt, func(k int32) bool { return k != 0 }) {
			t.Fatalf("trial %d: applyOne's counts not reset", trial)
		}
	}
	if gathered < 10000 {
		t.Fatalf("only %d changes gathered: the test does not exercise gathering", gathered)
	}
}
