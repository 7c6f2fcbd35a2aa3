package mrp

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestTimelineKept checks the length and latest record a timeline keeps
// beside its tree against a plain list of the records, on random inserts
// and removes (the order, by a day and then the index, like receipts
// with equal days, has ties the index breaks).
func TestTimelineKept(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 5))
	for trial := range 200 {
		day := make([]int32, 40)
		for k := range day {
			day[k] = int32(r.IntN(10))
		}
		less := func(a, b int32) bool {
			if day[a] != day[b] {
				return day[a] < day[b]
			}
			return a < b
		}
		var tl timeline
		var in []int32 // the oracle: the records present, in any order
		check := func(op string) {
			t.Helper()
			if tl.len() != len(in) {
				t.Fatalf("trial %d after %s: len %d, want %d", trial, op, tl.len(), len(in))
			}
			want := int32(-1)
			for _, k := range in {
				if want < 0 || less(want, k) {
					want = k
				}
			}
			if got := tl.last(); got != want {
				t.Fatalf("trial %d after %s: last %d, want %d (records %v)", trial, op, got, want, in)
			}
			if got := tl.appendTo(nil); len(got) != len(in) {
				t.Fatalf("trial %d after %s: %d records in the tree, want %d", trial, op, len(got), len(in))
			}
		}
		check("nothing")
		if tl.remove(3) {
			t.Fatalf("trial %d: removed a record from an empty timeline", trial)
		}
		for range 60 {
			k := int32(r.IntN(len(day)))
			if r.IntN(3) == 0 {
				_, had := slices.BinarySearch(slices.Sorted(slices.Values(in)), k)
				if got := tl.remove(k); got != had {
					t.Fatalf("trial %d: remove %d reported %v, want %v", trial, k, got, had)
				}
				if j := slices.Index(in, k); j >= 0 {
					in = slices.Delete(in, j, j+1)
				}
				check("remove")
				continue
			}
			tl.insert(k, less)
			if !slices.Contains(in, k) {
				in = append(in, k)
			}
			check("insert")
		}
	}
}

// TestTimelineKeptHand: records 0 (day 5), 1 (day 9), 2 (day 9): the
// latest is 2 (same day, higher index), then 1 once 2 goes, then 0, then
// none.
func TestTimelineKeptHand(t *testing.T) {
	day := []int32{5, 9, 9}
	less := func(a, b int32) bool {
		if day[a] != day[b] {
			return day[a] < day[b]
		}
		return a < b
	}
	var tl timeline
	if tl.len() != 0 || tl.last() != -1 {
		t.Fatalf("empty: len %d last %d, want 0 -1", tl.len(), tl.last())
	}
	for _, k := range []int32{1, 0, 2} {
		tl.insert(k, less)
	}
	for _, step := range []struct {
		remove  int32
		n, last int
	}{{-1, 3, 2}, {2, 2, 1}, {1, 1, 0}, {0, 0, -1}} {
		if step.remove >= 0 {
			tl.remove(step.remove)
		}
		if tl.len() != step.n || int(tl.last()) != step.last {
			t.Fatalf("after removing %d: len %d last %d, want %d %d", step.remove, tl.len(), tl.last(), step.n, step.last)
		}
	}
}
