package mrp

import (
	"math/rand/v2"
	"slices"
	"sync/atomic"
	"testing"
)

// TestExtendRunByHand: an item's running totals after a net change that
// changed its orders from index 2 on, summed only as far as read.
//
// Before the change the orders were qs = [3 2 4], totals c = [0 3 5 9]
// (c[k] = qs[0] + ... + qs[k-1]). The change makes them qs = [3 2 1 6 5
// 4]: qs[0] and qs[1] are the same, so c[0..2] = 0 3 5 hold (keep 2) and
// c[3] = 9 does not (it summed the old qs[2] = 4). The fresh totals are
// [0 3 5 6 12 17 21]. With 1 ahead:
//
//   - asked for 2 entries: c[0..2] are kept, none summed (3 published);
//     c[3] is still the stale 9, not published;
//   - asked for the first entry above 5: c[2] = 5 is not, so c[3] = 5+1
//     = 6 is summed (above 5: the one asked for) and c[4] = 6+6 = 12
//     ahead (5 published);
//   - asked for 5 entries, or for the first above 11: 5 hold, nothing
//     summed;
//   - asked for 7: c[5] = 12+5 = 17 and c[6] = 17+4 = 21, the last (none
//     ahead past it).
//
// Reusing one entry too many (keep 3) publishes the stale c[3] = 9 and
// c[4] = 15; the old rule (64 ahead, then everything) sums all of them at
// the second read.
func TestExtendRunByHand(t *testing.T) {
	c := make([]int64, 4, 7)
	copy(c, []int64{0, 3, 5, 9})
	qs := []int64{3, 2, 1, 6, 5, 4}
	var n atomic.Int32
	for _, s := range []struct {
		need int
		x    int64
		want []int64
	}{
		{2, noAbove, []int64{0, 3, 5}},
		{1, 5, []int64{0, 3, 5, 6, 12}},
		{5, noAbove, []int64{0, 3, 5, 6, 12}},
		{1, 11, []int64{0, 3, 5, 6, 12}},
		{7, noAbove, []int64{0, 3, 5, 6, 12, 17, 21}},
	} {
		got := extendRun(&c, &n, qs, 2, s.need, s.x, 1)
		if got != len(s.want) || int(n.Load()) != got || !slices.Equal(c[:got], s.want) {
			t.Fatalf("need %d above %d: %d published, totals %v, want %v", s.need, s.x, got, c[:got], s.want)
		}
		if s.need == 2 && c[3] != 9 {
			t.Fatalf("c[3] = %d summed before it was asked for", c[3])
		}
	}
	if &c[0] != &c[:1][0] || cap(c) != 7 {
		t.Fatal("the storage was not reused")
	}
}

// TestExtendRunRandom is the property that extendRun, after any net
// change (old totals of orders that share their first keep quantities
// with the new ones, in storage that fits them or not) and any sequence
// of reads (a count, or the first entry above a position), publishes
// exactly the fresh running totals, and exactly as many as the reads
// asked for plus ahead (all of them at most): the smallest prefix that
// answers every read so far, or, when a read is not answered by the
// prefix already published, the smallest that answers it and ahead more.
func TestExtendRunRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	reused, stopped := 0, 0
	for run := range 3000 {
		m := r.IntN(40)
		qs := make([]int64, m)
		for k := range qs {
			qs[k] = int64(r.IntN(4)) // zero quantities: equal totals side by side
		}
		fresh := make([]int64, m+1)
		for k := range qs {
			fresh[k+1] = fresh[k] + qs[k]
		}
		// the old orders: the first keep the same, then others
		keep := r.IntN(m + 1)
		old := slices.Clone(qs[:keep])
		for range r.IntN(40) {
			old = append(old, int64(r.IntN(4)))
		}
		if keep < m && len(old) > keep && old[keep] == qs[keep] {
			old[keep]++ // the change is at index keep
		}
		c := make([]int64, len(old)+1, len(old)+1+r.IntN(40))
		for k := range old {
			c[k+1] = c[k] + old[k]
		}
		if run%7 == 0 {
			c = c[:0] // no totals kept (a new item)
		}
		claimed := keep // as pegChanged leaves it: at most what holds
		if run%5 == 0 {
			claimed = r.IntN(keep + 1)
		}
		ahead := 1 + r.IntN(5)
		base := &c[:cap(c)][0]
		var n atomic.Int32
		have := 0
		for range 1 + r.IntN(6) {
			need, x := 1+r.IntN(m+2), int64(noAbove)
			if r.IntN(2) == 0 {
				need, x = 1, int64(r.IntN(int(fresh[m])+3))-1
			}
			// the model: the smallest prefix answering the read
			from := have
			if have == 0 {
				from = max(min(claimed, len(c)-1, m), 0) + 1
			}
			got := extendRun(&c, &n, qs, claimed, need, x, ahead)
			ans := from
			for ans < m+1 && (ans < need || fresh[ans-1] <= x) {
				ans++
			}
			want := ans
			if ans > from {
				want = min(ans+ahead, m+1)
				stopped++
			}
			if got != want || int(n.Load()) != got || !slices.Equal(c[:got], fresh[:got]) {
				t.Fatalf("run %d: qs %v (keep %d of old %v, claimed %d), ahead %d, read need %d above %d: %d published %v, want %d %v", run, qs, keep, old, claimed, ahead, need, x, got, c[:got], want, fresh[:want])
			}
			have = got
		}
		if claimed > 0 && &c[0] == base {
			reused++
		}
	}
	if reused == 0 || stopped == 0 {
		t.Fatalf("reused storage %d times, stopped at a read %d times: the property says nothing", reused, stopped)
	}
}

// TestMakeToByHand: an item's supply sequence with receipts, made only as
// far as read. Receipts R0 (5 units, counted on day 3) and R1 (4, day 8),
// planned orders O0 (2, day 3), O1 (6, day 5), O2 (1, day 8), O3 (7, day
// 9), no stock: the sequence is, by day and a receipt first, R0 O0 O1 R1
// O2 O3, ending at positions 5 7 13 17 18 25. With 1 ahead:
//
//   - the first supply ending after position 6: R0 ends at 5, O0 at 7, so
//     R0 and O0 are made, and O1 ahead (3 made);
//   - after 6 again: nothing is made;
//   - after 17: R1 ends at 17, O2 at 18: both made, and O3 ahead, the
//     last (6 made).
func TestMakeToByHand(t *testing.T) {
	p := &Planner{recs: []receipt{{in: Receipt{Qty: 5}}, {in: Receipt{Qty: 4}}}}
	it := &item{due: []int32{3, 5, 8, 9}, qty: []int64{2, 6, 1, 7}}
	sr := &supRun{sups: make([]asup, 6), cum: make([]int64, 7), recs: []int32{0, 1}, recDay: []int32{3, 8}}
	all := []asup{
		{FromReceipt, 0, 3, 5}, {FromPlanned, 0, 3, 2}, {FromPlanned, 1, 5, 6},
		{FromReceipt, 1, 8, 4}, {FromPlanned, 2, 8, 1}, {FromPlanned, 3, 9, 7},
	}
	n := 0
	for _, s := range []struct {
		x    int64
		want int
	}{{6, 3}, {6, 3}, {17, 6}} {
		n = sr.makeTo(p, it, n, 1, s.x, 1)
		if n != s.want || !slices.Equal(sr.sups[:n], all[:n]) || !slices.Equal(sr.cum[:n+1], []int64{0, 5, 7, 13, 17, 18, 25}[:n+1]) {
			t.Fatalf("after %d: %d made %v %v, want %d", s.x, n, sr.sups[:n], sr.cum[:n+1], s.want)
		}
	}
}
