package mrp

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
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

// TestMakeFromByHand: an item's supply sequence with receipts. Receipts
// R0 (5 units, counted on day 3) and R1 (4, day 8), planned orders O0 (2,
// day 3), O1 (6, day 5), O2 (1, day 8), O3 (7, day 9), no stock: the
// sequence is, by day and a receipt first, R0 O0 O1 R1 O2 O3, ending at
// positions 5 7 13 17 18 25, R0 at index 0 and R1 at 3. Made from the
// start, and from R1 on with R0 O0 O1 kept (as supRun.kept leaves them:
// the next receipt R1, the next order O2), the same.
func TestMakeFromByHand(t *testing.T) {
	it := &item{due: []int32{3, 5, 8, 9}, qty: []int64{2, 6, 1, 7}}
	all := []asup{
		{FromReceipt, 0, 3, 5}, {FromPlanned, 0, 3, 2}, {FromPlanned, 1, 5, 6},
		{FromReceipt, 1, 8, 4}, {FromPlanned, 2, 8, 1}, {FromPlanned, 3, 9, 7},
	}
	cum := []int64{0, 5, 7, 13, 17, 18, 25}
	for _, from := range []struct{ n, ri, oi int }{{0, 0, 0}, {3, 1, 2}} {
		sr := &supRun{sups: make([]asup, 6), cum: make([]int64, 7), recs: []int32{0, 1}, recDay: []int32{3, 8}, recQty: []int64{5, 4}, recPos: make([]int32, 2)}
		copy(sr.sups, all[:from.n])
		copy(sr.cum, cum[:from.n+1])
		sr.ri, sr.oi = from.ri, from.oi
		n := sr.makeFrom(it, from.n)
		if n != 6 || !slices.Equal(sr.sups, all) || !slices.Equal(sr.cum, cum) || sr.recPos[1] != 3 || sr.ri != 2 || sr.oi != 4 {
			t.Fatalf("from %d: %d made %v %v, R1 at %d, next %d %d; want 6 %v %v, 3, 2 4", from.n, n, sr.sups, sr.cum, sr.recPos[1], sr.ri, sr.oi, all, cum)
		}
	}
}

// TestSupplyRunKeptByHand: an item's supply sequence with receipts after
// a net change keeps the supplies made before it up to the first one the
// change may alter, and makes the rest (see supRun.kept). Before the
// change: receipts R0 (5 units, counted on day 3) and R1 (4, day 8),
// planned orders O0 (2, day 3), O1 (6, day 5), O2 (1, day 8), O3 (7, day
// 9), no stock: R0 O0 O1 R1 O2 O3 (as in TestMakeFromByHand), R0 at index
// 0 and R1 at 3 (with 0 and 2 orders before them).
//
//   - O2's quantity 1 -> 3 (orders from index 2 on changed): kept up to
//     right after O1 (0 + 2 orders + R0, the one receipt with at most 1
//     order before it): R0 O0 O1 (3); made R1 O2 O3, ending 17 20 27.
//     Not R1, though it stays where it was here: it follows O1 only
//     because O2's old day was not before day 8.
//   - O2 moved to day 6 (orders from index 2 on changed): R0 O0 O1
//     kept (3) likewise, and here R1 has moved: R0 O0 O1 O2 R1 O3. Cut
//     before order 2 instead of right after order 1 (R1, with 2 orders
//     before it, kept too), R1 would stay at index 3, where O2 is now.
//   - R1 pulled in to day 5 (the first receipt that differs is R1): kept
//     up to R1's old index 3, and up to right after the last order due
//     before day 5 (O0): R0 O0 (2); made R1 O1 O2 O3 (R1 first on day 5).
//   - R0's quantity 5 -> 6: none kept (the first receipt differs, at 0).
//   - 10 units of stock now: none kept.
//   - a new receipt R2 (3 units, day 9): kept up to right after the last
//     order before day 9 (O2: 3 orders and both receipts): R0 O0 O1 R1
//     O2 (5); made R2 O3.
//   - with 10 units of stock before and after, and O2 changed: the stock
//     comes first, so R0 is at 1 and R1 at 4 (still 0 and 2 orders
//     before them): S R0 O0 O1 kept (4).
//
// Reusing one supply too many fails the second and third cases (O2 and
// O1 where R1 now is) and the sixth (O3 where R2 now is); ignoring a receipt's day or
// quantity, or the stock, fails the second, third and fourth.
func TestSupplyRunKeptByHand(t *testing.T) {
	type plan struct {
		onhand int64
		due    []int32
		qty    []int64
		recs   []int32
		recDay []int32
		recQty []int64 // of receipts 0, 1, 2
	}
	before := plan{0, []int32{3, 5, 8, 9}, []int64{2, 6, 1, 7}, []int32{0, 1}, []int32{3, 8}, []int64{5, 4, 3}}
	// make returns the sequence of pl, made whole
	mk := func(sr *supRun, pl plan) (*Planner, *item, int) {
		p := &Planner{}
		for _, q := range pl.recQty {
			p.recs = append(p.recs, receipt{in: Receipt{Qty: q}})
		}
		it := &item{due: pl.due, qty: pl.qty, onhand: pl.onhand}
		n := sr.reset(p, it, supKeep{}, pl.recs, pl.recDay)
		return p, it, sr.makeFrom(it, n)
	}
	for _, c := range []struct {
		name  string
		pre   func(*plan)
		after func(*plan)
		keepO int32
		kept  int
	}{
		{"O2 changed", nil, func(pl *plan) { pl.qty = []int64{2, 6, 3, 7} }, 2, 3},
		{"O2 moved", nil, func(pl *plan) { pl.due = []int32{3, 5, 6, 9} }, 2, 3},
		{"R1 pulled in", nil, func(pl *plan) { pl.recDay = []int32{3, 5} }, math.MaxInt32, 2},
		{"R0's quantity", nil, func(pl *plan) { pl.recQty = []int64{6, 4, 3} }, math.MaxInt32, 0},
		{"stock", nil, func(pl *plan) { pl.onhand = 10 }, math.MaxInt32, 0},
		{"new receipt", nil, func(pl *plan) { pl.recs, pl.recDay = []int32{0, 1, 2}, []int32{3, 8, 9} }, math.MaxInt32, 5},
		{"stock kept", func(pl *plan) { pl.onhand = 10 }, func(pl *plan) { pl.qty = []int64{2, 6, 3, 7} }, 2, 4},
	} {
		old := before
		if c.pre != nil {
			c.pre(&old)
		}
		var sr supRun
		_, _, n := mk(&sr, old)
		left := supKeep{made: int32(n), keepO: c.keepO} // as pegChanged leaves it
		cur := old
		c.after(&cur)
		var fresh supRun
		_, _, nf := mk(&fresh, cur)
		want := fresh.sups[:nf]
		// the change's sequence from sr, kept as far as it holds
		p := &Planner{}
		for _, q := range cur.recQty {
			p.recs = append(p.recs, receipt{in: Receipt{Qty: q}})
		}
		it := &item{due: cur.due, qty: cur.qty, onhand: cur.onhand}
		// (k is 1 past a fresh stock supply)
		k := sr.reset(p, it, left, cur.recs, cur.recDay)
		if int(sr.reused) != c.kept || !slices.Equal(sr.sups[:k], want[:k]) || !slices.Equal(sr.cum[:k+1], fresh.cum[:k+1]) {
			t.Fatalf("%s: kept %d, %v %v, want %d of %v %v", c.name, sr.reused, sr.sups[:k], sr.cum[:k+1], c.kept, want, fresh.cum)
		}
		n = sr.makeFrom(it, k)
		if !slices.Equal(sr.sups[:n], want) || !slices.Equal(sr.cum[:n+1], fresh.cum[:nf+1]) {
			t.Fatalf("%s: made %v %v, want %v %v", c.name, sr.sups[:n], sr.cum[:n+1], want, fresh.cum[:nf+1])
		}
	}
}

// TestExtendTotalsAskedByHand: extendTotals extends only the totals a
// read asks for, of a cached item's two (order totals cumQ, requirement
// totals cumG), and a net change between two reads keeps what each had.
//
// Item 0 is cached, with orders qty = [3 2 4] and kept gross requirements
// gq = [1 5 2 6]: fresh totals cumQ = [0 3 5 9], cumG = [0 1 6 8 14].
// With 1 ahead, in a plan version's first tree:
//
//   - totalsG(2): cumG[0..2] = 0 1 6 (2 asked, 1 ahead); the order
//     totals are not asked for: nQ stays 0 and their storage is not
//     set up (cumQ nil);
//   - totalsQ(2): cumQ[0..2] = 0 3 5 (1 ahead); nG stays 3;
//   - a net change alters gq[1] (5 -> 7, gq = [1 7 2 6], cumG = [0 1 8
//     10 16]) and qty[2] (4 -> 1, cumQ = [0 3 5 6]): keepG = min(3-1, 1)
//     = 1, keepQ = min(3-1, 2) = 2;
//   - totalsQ(4) after it: cumQ[3] = 5+1 = 6 summed from the kept
//     cumQ[2] = 5; the requirement totals again left alone (nG 0);
//   - totalsG(5): cumG[2..4] = 8 10 16 from cumG[1] = 1: both whole,
//     okTotals.
//
// Setting the order totals up at the first read of the requirement
// totals (the rule before) publishes nQ = 1 there.
func TestExtendTotalsAskedByHand(t *testing.T) {
	p := &Planner{items: []item{{qty: []int64{3, 2, 4}, gq: []int64{1, 5, 2, 6}, cached: true}}, totalsAhead: 1}
	g := &planPeg{}
	g.reset(1)
	p.peg = g
	g.trees.Store(1)
	check := func(step string, wantQ, wantG []int64, ok bool) {
		t.Helper()
		nq, ng := int(g.st[0].nQ.Load()), int(g.st[0].nG.Load())
		if nq != len(wantQ) || ng != len(wantG) || !slices.Equal(g.cumQ[0][:nq], wantQ) || !slices.Equal(g.cumG[0][:ng], wantG) || g.st[0].has(okTotals) != ok {
			t.Fatalf("%s: order totals %v (%d published), requirement totals %v (%d), whole %v; want %v, %v, %v", step, g.cumQ[0], nq, g.cumG[0], ng, g.st[0].has(okTotals), wantQ, wantG, ok)
		}
	}
	if c := p.totalsG(g, 0, 2); !slices.Equal(c, []int64{0, 1, 6}) {
		t.Fatalf("totalsG(2) = %v", c)
	}
	check("totalsG(2)", []int64{}, []int64{0, 1, 6}, false)
	if g.cumQ[0] != nil {
		t.Fatalf("order totals set up (%v) though not asked for", g.cumQ[0])
	}
	p.totalsQ(g, 0, 2)
	check("totalsQ(2)", []int64{0, 3, 5}, []int64{0, 1, 6}, false)
	// the net change: gq[1] and qty[2] altered
	p.items[0].gq[1], p.items[0].qty[2] = 7, 1
	p.items[0].changedG(1)
	p.items[0].changedQ(2)
	p.pegChanged([]int32{0}, nil, false)
	if g.st[0].keepQ != 2 || g.st[0].keepG != 1 {
		t.Fatalf("keepQ %d keepG %d after the change, want 2 1", g.st[0].keepQ, g.st[0].keepG)
	}
	g.trees.Store(1)
	p.totalsQ(g, 0, 4)
	check("totalsQ(4) after the change", []int64{0, 3, 5, 6}, []int64{}, false)
	p.totalsG(g, 0, 5)
	check("totalsG(5) after the change", []int64{0, 3, 5, 6}, []int64{0, 1, 8, 10, 16}, true)
}

// TestReceiptCoverByHand: the supplies of an item with receipts that
// cover positions [r, end) of its supply sequence, placed from its order
// totals and receipts without making the sequence (receiptCover).
//
// Stock 5; orders O0..O3 of 10, 20, 30, 40 due on days 3, 5, 8, 9;
// receipts R0 (day 3, 7 units) and R1 (day 8, 4 units). A receipt comes
// before an order due on its day: the sequence is stock, R0, O0, O1, R1,
// O2, O3 (oEnd 0 and 2: no order before R0, O0 and O1 before R1; before
// 0 and 7: the receipts' quantity before each), covering
//
//	stock [0 5)  R0 [5 12)  O0 [12 22)  O1 [22 42)  R1 [42 46)  O2 [46 76)  O3 [76 116)
//
// (O1 starts at stock + cq[1] + R0 = 5 + 10 + 7 = 22, R1 at 5 + cq[2] +
// R0 = 5 + 30 + 7 = 42, O2 at 5 + cq[2] + R0 + R1 = 5 + 30 + 11 = 46).
// Positions [20 44) are covered by O0, O1 and R1; [0 3) by the stock; [3
// 13) by the stock, R0 and O0; [11 12) by R0 (its last unit); [46 47) by
// O2; [100 200) by O3; [116 120) by nothing. With 1 total ahead, [0 3) sums no order total, [3 13)
// those through the first above 13-1-5 = 7 and one more: cq = [0 10 30],
// and [20 44) through the first above 44-1-5 = 38 and one more: all,
// [0 10 30 60 100].
func TestReceiptCoverByHand(t *testing.T) {
	p := &Planner{items: []item{{onhand: 5, due: []int32{3, 5, 8, 9}, qty: []int64{10, 20, 30, 40}, cached: true}}, totalsAhead: 1}
	g := &planPeg{}
	g.reset(1)
	g.trees.Store(1)
	g.rv[0] = []recAt{{ref: 0, day: 3, oEnd: 0, qty: 7, before: 0, at: 5}, {ref: 1, day: 8, oEnd: 2, qty: 4, before: 7, at: 42}}
	g.st[0].ok.Or(okView)
	for _, c := range []struct {
		r, end int64
		want   string
		summed int
	}{
		{0, 3, "S[0 5)", 0},
		{3, 13, "S[0 5) R0[5 12) O0[12 22)", 3},
		{11, 12, "R0[5 12)", 3},
		{20, 44, "O0[12 22) O1[22 42) R1[42 46)", 5},
		{46, 47, "O2[46 76)", 5},
		{100, 200, "O3[76 116)", 5},
		{116, 120, "", 5},
	} {
		var got []string
		err := p.receiptCover(g, nil, 0, c.r, c.end, 0, func(kind SupplyKind, ref, day int32, s0, s1, qty int64) error {
			name := "S"
			switch kind {
			case FromReceipt:
				name = "R" + strconv.Itoa(int(ref))
				if day != g.rv[0][ref].day || qty != g.rv[0][ref].qty {
					t.Errorf("[%d %d): receipt %d on day %d of %d", c.r, c.end, ref, day, qty)
				}
			case FromPlanned:
				name = "O" + strconv.Itoa(int(ref))
				if day != p.items[0].due[ref] || qty != p.items[0].qty[ref] {
					t.Errorf("[%d %d): order %d on day %d of %d", c.r, c.end, ref, day, qty)
				}
			}
			got = append(got, fmt.Sprintf("%s[%d %d)", name, s0, s1))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if s := strings.Join(got, " "); s != c.want {
			t.Errorf("[%d %d): %q, want %q", c.r, c.end, s, c.want)
		}
		if n := int(g.st[0].nQ.Load()); n != c.summed {
			t.Errorf("[%d %d): %d order totals summed, want %d", c.r, c.end, n, c.summed)
		}
	}
}
