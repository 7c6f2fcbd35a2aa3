package mrp

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSortRunHand merges three runs by hand: a parent's changes on days
// 3, 7, 9, another's on 1, 8 and a third's on 2, 3, 10 come out as
// 1 2 3 3 7 8 9 10 (the two changes of day 3, +5 and -2, are summed
// later by prepRun: 5 - 2 = 3).
func TestSortRunHand(t *testing.T) {
	var s runScratch
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
	var s runScratch
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

// TestGatherRunsByHand: worker A passes item 5 the run +1 on day 2, +2
// on day 4 (and a zero and a day past the horizon, dropped), then item 7
// -3 on day 1; worker B passes item 5 +5 on day 3 and -2 on day 4;
// applyOne item 7 +4 on day 6. Laid out, item 5 (queued first) holds A's
// run (A's changes 0-1) then B's (B's 0-1), 2 4 3 4, which prepRun makes
// +1 on 2, +5 on 3, +0 on 4 dropped; item 7 holds applyOne's run (its
// change 0) then A's (A's change 2), 6 1: -3 on 1, +4 on 6. B's run to
// item 6 of a zero and a day past the horizon is no run.
func TestGatherRunsByHand(t *testing.T) {
	p := &Planner{cal: &cal{horizon: 10}, llc: make([]int32, 8)}
	s := &ncState{state: make([]uint8, 8), force: make([]bool, 8), regather: make([]bool, 8),
		pos: make([]int32, 8), cnt: make([]int32, 8), queue: make([][]int32, 1), pend: make([][]emitted, 1)}
	for range 2 {
		s.ws = append(s.ws, &ncw{out: make([][]dday, 1), runs: make([][]ncRun, 1), first: make([][]int32, 1), cnt: make([]int32, 8)})
	}
	a, b := s.ws[0], s.ws[1]
	o := a.open(p, 5)
	o.add(2, 1)
	o.add(3, 0)
	o.add(4, 2)
	o.add(12, 6)
	a.close(&o)
	a.emit(p, 7, 1, -3)
	o = b.open(p, 5)
	o.add(3, 5)
	o.add(4, -2)
	b.close(&o)
	o = b.open(p, 6) // nothing left: item 6 is not queued
	o.add(2, 0)
	o.add(11, 4)
	b.close(&o)
	s.addDelta(p, 7, 6, 4)
	// counts of runs, not of changes
	if a.cnt[5] != 1 || a.cnt[7] != 1 || b.cnt[5] != 1 || len(a.runs[0]) != 2 || len(b.runs[0]) != 1 {
		t.Fatalf("counts %d %d %d, runs %v %v", a.cnt[5], a.cnt[7], b.cnt[5], a.runs[0], b.runs[0])
	}
	s.markLevel(p, 0)
	q := s.queue[0]
	slices.Sort(q)
	if !slices.Equal(q, []int32{5, 7}) {
		t.Fatalf("queued %v, want [5 7]", q)
	}
	s.levelDeltas(0, q)
	s.scatter(a, 0, 0)
	s.scatter(b, 1, 0)
	if want := []runRef{{0, 0, 2}, {1, 0, 2}, {2, 0, 1}, {0, 2, 1}}; !slices.Equal(s.refs, want) || !slices.Equal(s.rs, []int32{0, 2, 4}) {
		t.Fatalf("laid out %v at %v, want %v at [0 2 4]", s.refs, s.rs, want)
	}
	if s.nLaid != 6 {
		t.Errorf("%d changes laid out, want 6", s.nLaid)
	}
	if got, want := s.prepRun(a, 0), []dday{{2, 1}, {3, 5}}; !slices.Equal(got, want) {
		t.Errorf("item 5: %v, want %v", got, want)
	}
	if got, want := s.prepRun(a, 1), []dday{{1, -3}, {6, 4}}; !slices.Equal(got, want) {
		t.Errorf("item 7: %v, want %v", got, want)
	}
	if len(a.runs[0])+len(b.runs[0])+len(s.pend[0]) != 0 {
		t.Error("scatter left runs behind")
	}
	s.doneLevel(0)
	if len(a.out[0])+len(b.out[0]) != 0 {
		t.Error("doneLevel left changes behind")
	}
}

// TestGatherLevelProperty: the requirement changes that three workers
// (in runs: open, add, close; or one at a time: emit) and applyOne
// (addDelta) pass to items of several levels come out
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
		s.ws = append(s.ws, &ncw{out: make([][]dday, levels), runs: make([][]ncRun, levels), first: make([][]int32, levels), cnt: make([]int32, n)})
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
			if r.IntN(8) == 0 {
				// as touch does before a chunk: room below a level
				// (the changes passed on so far stay)
				c.reserve(int32(r.IntN(levels)) - 1)
			}
			if r.IntN(4) == 0 {
				for range 1 + r.IntN(6) {
					day, d := int32(r.IntN(horizon+5)), int64(r.IntN(9)-4)
					c.emit(p, i, day, d)
					add(i, day, d)
				}
				continue
			}
			// a run (open, add, close), in day order as a parent
			// passes it on, or now and then not; zeros and days past
			// the horizon dropped, perhaps all of them
			o := c.open(p, i)
			day := int32(r.IntN(horizon / 2))
			for range r.IntN(12) {
				d := int64(r.IntN(9) - 4)
				o.add(day, d)
				add(i, day, d)
				day += int32(r.IntN(6))
				if r.IntN(10) == 0 {
					day = int32(r.IntN(horizon))
				}
			}
			c.close(&o)
		}
		for l := range levels {
			s.markLevel(p, l)
			q := s.queue[l]
			slices.Sort(q)
			s.levelDeltas(l, q)
			for w, c := range s.ws {
				s.scatter(c, w, l)
			}
			// as touch does for a chunk: one buffer each, emptied first
			for _, c := range s.ws {
				c.buf = c.buf[:0]
			}
			var runs, exps [][]dday
			for h, i := range q {
				run := s.prepRun(s.ws[h%len(s.ws)], h)
				runs = append(runs, run)
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
				exps = append(exps, exp)
				gathered += len(run)
				delete(want, i)
				s.state[i] = clean
			}
			// the runs gathered before stay as they were while others
			// are gathered after them in the same buffer
			for h, i := range q {
				if !slices.Equal(runs[h], exps[h]) {
					t.Fatalf("trial %d, item %d: run overwritten: %v, want %v", trial, i, runs[h], exps[h])
				}
			}
			s.doneLevel(l)
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

// TestPrepRunByHand: four queued items' runs, laid out by hand in two
// workers' buffers (A: srcs[0], B: srcs[1]). Item 0 has one run, A's
// changes 0-2: +2 on day 1, -1 on 3, +4 on 6, one a day in day order:
// prepRun returns it where A put it (not a copy), its capacity clipped.
// Item 1 has one run, B's 0-3: +2 on 1, -1 on 3, +1 on 3, +4 on 6, in day
// order but with two changes on day 3, which sum to zero and go: +2 on 1,
// +4 on 6 (gathered, B's buffer left as it was). Item 2 has one run, A's
// 3-4: +1 on 5, +2 on 2, out of order: +2 on 2, +1 on 5. Item 3 has two
// runs, B's 4 (+3 on 7) and A's 5 (+1 on 8), each in order and together
// too, but not in one place: gathered, +3 on 7, +1 on 8.
func TestPrepRunByHand(t *testing.T) {
	a := []dday{{1, 2}, {3, -1}, {6, 4}, {5, 1}, {2, 2}, {8, 1}}
	b := []dday{{1, 2}, {3, -1}, {3, 1}, {6, 4}, {7, 3}}
	s := &ncState{
		srcs: [][]dday{a, b},
		refs: []runRef{{0, 0, 3}, {1, 0, 4}, {0, 3, 2}, {1, 4, 1}, {0, 5, 1}},
		rs:   []int32{0, 1, 2, 3, 5},
	}
	bOld := slices.Clone(b)
	c := &ncw{}
	for h, want := range [][]dday{{{1, 2}, {3, -1}, {6, 4}}, {{1, 2}, {6, 4}}, {{2, 2}, {5, 1}}, {{7, 3}, {8, 1}}} {
		got := s.prepRun(c, h)
		if !slices.Equal(got, want) {
			t.Errorf("item %d: %v, want %v", h, got, want)
		}
		if inPlace := len(got) > 0 && &got[0] == &a[0]; inPlace != (h == 0) {
			t.Errorf("item %d: read where it lies %v, want %v", h, inPlace, h == 0)
		}
		if cap(got) != len(got) {
			t.Errorf("item %d: capacity %d past its %d changes", h, cap(got), len(got))
		}
	}
	if !slices.Equal(b, bOld) {
		t.Errorf("B's buffer changed: %v, was %v", b, bOld)
	}
}

// TestReserveRoom: reserve leaves outSlack free places in a worker's
// buffers of every level below the given one, keeping what they hold,
// and doubles a buffer it grows (so that one that reaches n changes has
// copied about n on the way); the levels at and above it stay as they
// are. By hand: level 1's 40,000 changes in a buffer of capacity 40,000
// grow to a capacity of at least 80,000 (append's growth: ~50,700);
// level 2's 10 in a buffer of 10 to at least 10+4,096; level 0's are not
// touched by reserve(0).
func TestReserveRoom(t *testing.T) {
	c := &ncw{out: make([][]dday, 3), runs: make([][]ncRun, 3)}
	fill := func(l, n int) {
		c.out[l] = make([]dday, n)
		c.runs[l] = make([]ncRun, n)
		for k := range n {
			c.out[l][k] = dday{int32(k), int64(l*100000 + k)}
			c.runs[l][k] = ncRun{int32(l), int32(k)}
		}
	}
	fill(0, 7)
	fill(1, 40000)
	fill(2, 10)
	c.reserve(0)
	if cap(c.out[0]) != 7 || cap(c.runs[0]) != 7 {
		t.Errorf("level 0 grown: capacities %d, %d", cap(c.out[0]), cap(c.runs[0]))
	}
	if got := cap(c.out[1]); got < 80000 {
		t.Errorf("level 1's changes: capacity %d, want at least twice 40,000", got)
	}
	if got := cap(c.runs[1]); got < 80000 {
		t.Errorf("level 1's runs: capacity %d, want at least twice 40,000", got)
	}
	if got := cap(c.out[2]) - len(c.out[2]); got < outSlack {
		t.Errorf("level 2: %d free places, want %d", got, outSlack)
	}
	for l, n := range []int{7, 40000, 10} {
		if len(c.out[l]) != n || len(c.runs[l]) != n {
			t.Fatalf("level %d: lengths %d, %d, want %d", l, len(c.out[l]), len(c.runs[l]), n)
		}
		for k := range n {
			if c.out[l][k] != (dday{int32(k), int64(l*100000 + k)}) || c.runs[l][k] != (ncRun{int32(l), int32(k)}) {
				t.Fatalf("level %d, change %d: %v %v, not what it held", l, k, c.out[l][k], c.runs[l][k])
			}
		}
	}
	// with room enough, nothing moves
	before := &c.out[2][0]
	c.reserve(1)
	if &c.out[2][0] != before {
		t.Error("a buffer with room enough was moved")
	}
}

// TestSumByDayDenseHand: 64 changes over the 32 days 100-131, two a day
// as two parents pass them (the first parent +1 on every day, then the
// second -1 on the even days and +2 on the odd ones): dense (32 days <=
// 2 x 64), summed by day: the even days sum to zero and go, the odd days
// 101, 103, ..., 131 keep +3 each, in day order.
func TestSumByDayDenseHand(t *testing.T) {
	var run []dday
	for d := int32(100); d < 132; d++ {
		run = append(run, dday{d, 1})
	}
	for d := int32(100); d < 132; d++ {
		if d%2 == 0 {
			run = append(run, dday{d, -1})
		} else {
			run = append(run, dday{d, 2})
		}
	}
	var s runScratch
	got := s.sumByDay(run)
	var want []dday
	for d := int32(101); d < 132; d += 2 {
		want = append(want, dday{d, 3})
	}
	if !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	if len(s.dense) != 32 || slices.ContainsFunc(s.dense, func(v int64) bool { return v != 0 }) {
		t.Fatalf("the sums by day were not taken (%d) or not left at zero: %v", len(s.dense), s.dense)
	}
}

// TestSumByDayProperty: sumByDay gives each day's sum of the changes,
// days summing to zero left out, in day order (a map of sums, then the
// days sorted), on runs dense and sparse, sorted runs of parents and
// unsorted ones, with sums that wrap. No change is zero (ncOut.add and
// addDelta drop those).
func TestSumByDayProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	var s runScratch
	dense := 0
	for trial := range 4000 {
		n := r.IntN(400)
		span := 1 + r.IntN(3*n+2)
		base := int32(r.IntN(2000) - 1000)
		var run []dday
		for len(run) < n {
			part := r.IntN(n-len(run)) + 1
			start := len(run)
			for range part {
				d := int64(r.IntN(3) + 1) // never zero: nobody passes a zero on
				if r.IntN(2) == 0 {
					d = -d
				}
				if r.IntN(50) == 0 {
					d = math.MaxInt64 - int64(r.IntN(3))
				}
				run = append(run, dday{base + int32(r.IntN(span)), d})
			}
			if trial%4 != 0 {
				slices.SortFunc(run[start:], func(a, b dday) int { return int(a.day - b.day) })
			}
		}
		sums := map[int32]int64{}
		for _, x := range run {
			sums[x.day] += x.d
		}
		var want []dday
		for d, v := range sums {
			if v != 0 {
				want = append(want, dday{d, v})
			}
		}
		slices.SortFunc(want, func(a, b dday) int { return int(a.day - b.day) })
		lo, hi := int32(math.MaxInt32), int32(math.MinInt32)
		for _, x := range run {
			lo, hi = min(lo, x.day), max(hi, x.day)
		}
		if n >= denseMin && int64(hi-lo)+1 <= denseSpan*int64(n) {
			dense++
		}
		got := s.sumByDay(slices.Clone(run))
		if !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
			t.Fatalf("trial %d (%d changes over %d days): got %v, want %v", trial, n, span, got, want)
		}
		if slices.ContainsFunc(s.dense, func(v int64) bool { return v != 0 }) {
			t.Fatalf("trial %d: sums by day left behind", trial)
		}
	}
	if dense < 500 || dense > 3500 {
		t.Fatalf("%d of 4000 runs dense: both ways should be tried", dense)
	}
}

// TestGrowBy: room for n more, the elements kept; a buffer grown a little
// at a time is at least doubled each time it moves (so each element is
// copied about once), and one that has the room is not moved.
func TestGrowBy(t *testing.T) {
	s := []dday{{1, 2}, {3, 4}}
	g := growBy(s, 5)
	if !slices.Equal(g, s) || cap(g)-len(g) < 5 || cap(g) < 2*cap(s) {
		t.Fatalf("grown %v cap %d", g, cap(g))
	}
	if h := growBy(g, 5); &h[0] != &g[0] {
		t.Fatal("moved with room to spare")
	}
	big := growBy(g, 100000)
	if cap(big)-len(big) < 100000 || !slices.Equal(big, s) {
		t.Fatalf("cap %d", cap(big))
	}
	var b []dday
	moves := 0
	for range 1 << 20 {
		if len(b) == cap(b) {
			moves++
		}
		b = append(growBy(b, 1), dday{})
	}
	if moves > 10 {
		t.Fatalf("%d moves for 2^20 appends one at a time", moves)
	}
}
