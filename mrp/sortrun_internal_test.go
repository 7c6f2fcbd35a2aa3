package mrp

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSortRunHand merges three runs by hand: a parent's changes on days
// 3, 7, 9, another's on 1, 8 and a third's on 2, 3, 10 come out as
// 1 2 3 3 7 8 9 10 (the two changes of day 3, +5 and -2, are summed
// later by levelDeltas: 5 - 2 = 3).
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
