package mrp

import (
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// deltaPlanner is a planner of n items on one level for deltaInPlace,
// and a worker that records what it passes on.
func deltaPlanner(t *testing.T, c Calendar, maxLT, n int) (*Planner, *ncw) {
	t.Helper()
	k, err := compileCalendar(c, maxLT)
	if err != nil {
		t.Fatal(err)
	}
	p := &Planner{cal: k, items: make([]item, n), llc: make([]int32, n)}
	w := &ncw{out: make([][]dday, 1), runs: make([][]ncRun, 1), first: make([][]int32, 1), cnt: make([]int32, n)}
	return p, w
}

// passed lists the requirement changes w passed on to level 0, with
// their items.
func passed(w *ncw) []emitted {
	var out []emitted
	at := 0
	for _, r := range w.runs[0] {
		for _, x := range w.out[0][at : at+int(r.n)] {
			out = append(out, emitted{r.to, x.day, x.d})
		}
		at += int(r.n)
	}
	return out
}

// TestDeltaInPlaceByHand: Monday to Friday, day 0 a Monday. Item A, lead
// time 2, has orders due Wed 2, Thu 3, Mon 7 and Wed 9 of 10, 5, 8 and 4,
// released Mon 0, Tue 1, Thu 3 and Mon 7; its components are B (2 per
// unit) and C (0.5 per unit, rounded up per order).
//
// Changes +3 on Thu 3 and -1 on Wed 9 give orders 10, 8, 8, 3; B gets
// +6 on day 1 and -2 on day 7; C gets ceil(8/2) - ceil(5/2) = +1 on day 1
// and ceil(3/2) - ceil(4/2) = 0 on day 7 (not passed on). The first
// changed order is the second (index 1).
//
// Refused, leaving the orders 10, 5, 8, 4 and passing nothing on: -8 on
// Mon 7 (the order would go), +1 on Tue 8 (no order that day), and, with
// safety stock and a receipt, +1 on an order due Tue 1 (released the
// Friday before day 0: it could move the below-safety-stock message).
//
// Without the receipt the same changes are taken (first order due Tue 1,
// safety stock 5): +2 on Thu 3 and +1 on Tue 1 give orders 11, 7, 8, 4,
// and the item's below-safety-stock message, on the first order's day 1
// by its quantity (see belowOnFirst), goes from 10 to 11; a later +1 on
// Thu 3 alone leaves it at 11.
func TestDeltaInPlaceByHand(t *testing.T) {
	cal := Calendar{Start: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), Horizon: 30}
	const a, b, c = 0, 1, 2
	reset := func(p *Planner, w *ncw) *item {
		it := &p.items[a]
		*it = item{due: []int32{2, 3, 7, 9}, qty: []int64{10, 5, 8, 4}, lt: 2, lfl: true,
			comps: []edge{{to: b, from: dayMin, until: dayMax, mul: 2}, {to: c, from: dayMin, until: dayMax, factor: 0.5}}}
		it.setEnds()
		w.out[0], w.runs[0], w.first[0] = w.out[0][:0], w.runs[0][:0], w.first[0][:0]
		clear(w.cnt)
		return it
	}
	p, w := deltaPlanner(t, cal, 5, 3)
	it := reset(p, w)
	if !p.deltaInPlace(w, it, []dday{{3, 3}, {9, -1}}) {
		t.Fatal("+3 on day 3, -1 on day 9: refused")
	}
	if want := []int64{10, 8, 8, 3}; !slices.Equal(it.qty, want) {
		t.Errorf("orders %v, want %v", it.qty, want)
	}
	if want := []emitted{{b, 1, 6}, {b, 7, -2}, {c, 1, 1}}; !slices.Equal(passed(w), want) {
		t.Errorf("passed on %v, want %v", passed(w), want)
	}
	if it.chgQ != math.MaxInt32-1 {
		t.Errorf("first changed order %d, want 1", math.MaxInt32-it.chgQ)
	}
	for _, ds := range [][]dday{{{3, 3}, {7, -8}}, {{3, 3}, {8, 1}}} {
		it := reset(p, w)
		if p.deltaInPlace(w, it, ds) {
			t.Errorf("%v: taken", ds)
		}
		if want := []int64{10, 5, 8, 4}; !slices.Equal(it.qty, want) || len(passed(w)) > 0 || it.chgQ != 0 {
			t.Errorf("%v refused: orders %v, passed on %v, chgQ %d; want %v, nothing, 0", ds, it.qty, passed(w), it.chgQ, want)
		}
	}
	it = reset(p, w)
	it.due[0], it.ss = 1, 5
	it.setEnds()
	it.rec.insert(0, func(a, b int32) bool { return a < b })
	if p.deltaInPlace(w, it, []dday{{3, 2}, {1, 1}}) {
		t.Error("safety stock and a receipt, +1 on an order released before day 0: taken")
	}
	if want := []int64{10, 5, 8, 4}; !slices.Equal(it.qty, want) {
		t.Errorf("safety stock and a receipt: orders %v, want %v", it.qty, want)
	}
	it = reset(p, w)
	it.due[0], it.ss = 1, 5
	it.setEnds()
	msg := []exc{{kind: BelowSafetyStock, ref: -1, day: 1, qty: 10}}
	it.exc = msg
	if !p.deltaInPlace(w, it, []dday{{3, 2}, {1, 1}}) {
		t.Error("safety stock, no receipt, +1 on an order released before day 0: refused")
	}
	if want := []int64{11, 7, 8, 4}; !slices.Equal(it.qty, want) {
		t.Errorf("safety stock, no receipt: orders %v, want %v", it.qty, want)
	}
	if want := []exc{{kind: BelowSafetyStock, ref: -1, day: 1, qty: 11}}; !slices.Equal(it.exc, want) || msg[0].qty != 10 {
		t.Errorf("safety stock, no receipt: message %v (the old one now %v), want %v (the old one left as it was)", it.exc, msg, want)
	}
	if !p.deltaInPlace(w, it, []dday{{3, 1}}) {
		t.Error("safety stock, no receipt, +1 on Thu 3: refused")
	}
	if want := []exc{{kind: BelowSafetyStock, ref: -1, day: 1, qty: 11}}; !slices.Equal(it.exc, want) {
		t.Errorf("safety stock, no receipt, +1 on Thu 3: message %v, want %v", it.exc, want)
	}
	if p.cal.release(1, 2) >= 0 {
		t.Errorf("day 1, lead time 2: released on %d, want before day 0", p.cal.release(1, 2))
	}
}

// TestDeltaLeafByHand: the calendar of TestDeltaInPlaceByHand (Monday to
// Friday, day 0 a Monday: counted from Mon 0, the working days Mon 0 ..
// Fri 4 are 0-4, Mon 7 is 5, Wed 9 is 7). A leaf (no components) has orders due Tue 1,
// Wed 2, Thu 3, Mon 7 and Wed 9 of 4, 6, 5, 8 and 3: five orders over the
// working days 1 to 7, so deltaLeaf guesses index int((wd - 1) * 4/6).
//
// +2 on Tue 1 is the first order (index 0, on deltaLeaf's own loop); +1
// on Thu 3 is guessed at int(2 * 4/6) = 1, Wed 2: off the guess, so
// deltaLeafRest goes on from there and finds index 2 by findNear; -1 on
// Mon 7, guessed at int(4 * 4/6) = 2, Thu 3, is index 3 found the same way.
// Orders 6, 6, 6, 7, 3; the first changed order is index 0.
//
// -8 on Mon 7 in place of -1 would take its order to 0: refused, the two
// changes before it (one from each loop) undone, orders 4, 6, 5, 8, 3 and
// nothing noted.
//
// With lead time 2, safety stock and a receipt, +1 on Wed 2 (released
// Mon 0) is taken and +1 on Tue 1 (released the Friday before day 0) is
// refused: it could move the below-safety-stock message. Without the
// receipt +1 on Tue 1 and +1 on Wed 2 are taken (orders 5, 8, 5, 8, 3 after
// the first +1 on Wed 2), and the message on the first order's day 1 takes
// its quantity, 4 -> 5 (belowOnFirst).
func TestDeltaLeafByHand(t *testing.T) {
	cal := Calendar{Start: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), Horizon: 30}
	p, w := deltaPlanner(t, cal, 5, 1)
	reset := func() *item {
		it := &p.items[0]
		*it = item{due: []int32{1, 2, 3, 7, 9}, qty: []int64{4, 6, 5, 8, 3}, lt: 2, lfl: true}
		it.setEnds()
		return it
	}
	it := reset()
	if w0, scale := p.cal.guessScale(it.due); w0 != p.cal.wd(0)+1 || p.cal.wd(9)-w0 != 6 || scale != 4.0/6 {
		t.Fatalf("guessScale %d %v, want Tue 1's working-day number %d, 4/6", w0, scale, p.cal.wd(1))
	}
	if !p.deltaInPlace(w, it, []dday{{1, 2}, {3, 1}, {7, -1}}) {
		t.Fatal("+2 Tue 1, +1 Thu 3, -1 Mon 7: refused")
	}
	if want := []int64{6, 6, 6, 7, 3}; !slices.Equal(it.qty, want) || it.chgQ != math.MaxInt32 {
		t.Errorf("orders %v, first changed %d; want %v, 0", it.qty, math.MaxInt32-it.chgQ, want)
	}
	it = reset()
	if p.deltaInPlace(w, it, []dday{{1, 2}, {3, 1}, {7, -8}}) {
		t.Error("-8 on Mon 7: taken")
	}
	if want := []int64{4, 6, 5, 8, 3}; !slices.Equal(it.qty, want) || it.chgQ != 0 {
		t.Errorf("refused: orders %v, chgQ %d; want %v, 0", it.qty, it.chgQ, want)
	}
	it = reset()
	it.ss = 5
	it.rec.insert(0, func(a, b int32) bool { return a < b })
	if !p.deltaInPlace(w, it, []dday{{2, 1}}) {
		t.Error("safety stock and a receipt, +1 on Wed 2 (released Mon 0): refused")
	}
	if p.deltaInPlace(w, it, []dday{{1, 1}, {2, 1}}) {
		t.Error("safety stock and a receipt, +1 on Tue 1 (released before day 0): taken")
	}
	if want := []int64{4, 7, 5, 8, 3}; !slices.Equal(it.qty, want) {
		t.Errorf("safety stock and a receipt: orders %v, want %v", it.qty, want)
	}
	it = reset()
	it.ss = 5
	it.exc = []exc{{kind: BelowSafetyStock, ref: -1, day: 1, qty: 4}}
	if !p.deltaInPlace(w, it, []dday{{2, 1}}) || !p.deltaInPlace(w, it, []dday{{1, 1}, {2, 1}}) {
		t.Error("safety stock, no receipt, +1 on Wed 2, then +1 on Tue 1 and Wed 2: refused")
	}
	if want := []int64{5, 8, 5, 8, 3}; !slices.Equal(it.qty, want) {
		t.Errorf("safety stock, no receipt: orders %v, want %v", it.qty, want)
	}
	if want := []exc{{kind: BelowSafetyStock, ref: -1, day: 1, qty: 5}}; !slices.Equal(it.exc, want) {
		t.Errorf("safety stock, no receipt: message %v, want %v", it.exc, want)
	}
	if len(passed(w)) > 0 {
		t.Errorf("a leaf passed on %v", passed(w))
	}
}

// TestDeltaDatedStretchByHand: the calendar and item A of
// TestDeltaInPlaceByHand (orders due Wed 2, Thu 3, Mon 7, Wed 9, released
// Mon 0, Tue 1, Thu 3, Mon 7), with one component D, 1 per unit, on a BOM
// line dated from day 1 until day 7 (it holds for releases Tue 1 to Fri 4). +1 on every
// order passes D +1 on day 1 and +1 on day 3: the stretch of the
// release days 0, 1, 3, 7 the edge holds (day 0 is before it, day 7 is
// its end).
func TestDeltaDatedStretchByHand(t *testing.T) {
	cal := Calendar{Start: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), Horizon: 30}
	const a, d = 0, 1
	p, w := deltaPlanner(t, cal, 5, 2)
	it := &p.items[a]
	*it = item{due: []int32{2, 3, 7, 9}, qty: []int64{10, 5, 8, 4}, lt: 2, lfl: true,
		comps: []edge{{to: d, from: 1, until: 7, mul: 1}}}
	it.setEnds()
	if !p.deltaInPlace(w, it, []dday{{2, 1}, {3, 1}, {7, 1}, {9, 1}}) {
		t.Fatal("+1 on every order: refused")
	}
	if want := []emitted{{d, 1, 1}, {d, 3, 1}}; !slices.Equal(passed(w), want) {
		t.Errorf("passed on %v, want %v", passed(w), want)
	}
}

// TestDeltaInPlaceProperty compares deltaInPlace with its definition on
// random lot-for-lot items (orders on random days of a calendar with
// weekends and holidays, or on every working day, lead times, safety stock, kept gross
// requirements, components by a whole multiple or a factor, dated edges)
// and random changes in day order: it takes the changes exactly when each
// falls on a day with an order that stays positive and, with safety
// stock and receipts, is released on day 0 or later; then the orders
// change by them, a below-safety-stock message (given to an item without
// receipts whose first order is released past due) takes the first
// order's new quantity,
// the kept requirements too, each component gets the difference of its
// requirement for each changed order released on a day its edge holds
// (in day order, component by component), and the first changed order is
// noted; else nothing changes.
func TestDeltaInPlaceProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 4))
	taken, refused, msgMoved := 0, 0, 0
	for trial := range 3000 {
		start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(300))
		cal := Calendar{Start: start, Horizon: 40 + r.IntN(100), Days: map[time.Time]bool{}}
		for range r.IntN(6) {
			cal.Days[start.AddDate(0, 0, r.IntN(cal.Horizon))] = r.IntN(2) == 0
		}
		const n = 6
		p, w := deltaPlanner(t, cal, 8, n)
		it := &p.items[0]
		it.lt, it.lfl = int32(r.IntN(9)), true
		if r.IntN(3) == 0 {
			it.ss = int64(1 + r.IntN(20))
		}
		horizon := int32(p.cal.horizon)
		if trial%3 == 0 {
			// an order on every working day (where deltaInPlace's guess
			// by working days is exact), some past the horizon (released
			// on or after it: passed on to no component)
			for d := int32(r.IntN(10)); d < horizon+int32(r.IntN(20)); d++ {
				if p.cal.working(int(d)) {
					it.due = append(it.due, d)
					it.qty = append(it.qty, int64(1+r.IntN(30)))
				}
			}
		} else {
			for d := int32(r.IntN(10)); d < horizon; d += int32(1 + r.IntN(4)) {
				it.due = append(it.due, d)
				it.qty = append(it.qty, int64(1+r.IntN(30)))
			}
		}
		it.setEnds()
		if r.IntN(2) == 0 {
			it.rec.insert(0, func(a, b int32) bool { return a < b })
		} else if it.ss > 0 && len(it.due) > 0 && p.cal.release(it.due[0], it.lt) < 0 {
			it.exc = []exc{{kind: BelowSafetyStock, ref: -1, day: it.due[0], qty: it.qty[0]}}
		}
		oldExc := it.exc
		if r.IntN(3) == 0 {
			it.cached = true
			for d := int32(0); d < horizon; d += int32(1 + r.IntN(3)) {
				it.gd = append(it.gd, d)
				it.gq = append(it.gq, int64(1+r.IntN(30)))
			}
		}
		for range r.IntN(4) {
			e := edge{to: int32(1 + r.IntN(n-1)), from: dayMin, until: dayMax}
			if r.IntN(2) == 0 {
				e.mul = int32(1 + r.IntN(3))
			} else {
				e.factor = []float64{0.5, 1.1, 0.3, 2.5}[r.IntN(4)]
			}
			if r.IntN(3) == 0 {
				e.from, e.until = int32(r.IntN(20)), int32(20+r.IntN(60))
			}
			it.comps = append(it.comps, e)
		}
		oldQ, oldG := slices.Clone(it.qty), map[int32]int64{}
		for k, d := range it.gd {
			oldG[d] = it.gq[k]
		}
		// changes on distinct days in order, most on order days
		// (past the horizon too where there are orders there)
		var ds []dday
		end := horizon
		if trial%3 == 0 {
			end += 20
		}
		for d := int32(0); d < end; d++ {
			if r.IntN(6) != 0 {
				continue
			}
			_, on := slices.BinarySearch(it.due, d)
			if !on && r.IntN(8) != 0 {
				continue
			}
			x := int64(r.IntN(11) - 5)
			if x == 0 {
				x = 1
			}
			if r.IntN(10) == 0 {
				x = -40
			}
			ds = append(ds, dday{d, x})
		}
		if len(it.exc) > 0 && r.IntN(2) == 0 && (len(ds) == 0 || ds[0].day > it.due[0]) {
			// the first order changed, so that the message moves
			ds = append([]dday{{it.due[0], int64(1 + r.IntN(3))}}, ds...)
		}
		if len(ds) == 0 {
			continue
		}
		// the definition
		want := true
		newQ := slices.Clone(oldQ)
		first := len(it.due)
		for _, x := range ds {
			k, on := slices.BinarySearch(it.due, x.day)
			if !on || oldQ[k]+x.d <= 0 || (it.ss > 0 && p.cal.release(x.day, it.lt) < 0 && it.rec.some()) {
				want = false
				break
			}
			newQ[k] += x.d
			first = min(first, k)
		}
		var wantOut []emitted
		wantG := oldG
		if want {
			for _, e := range it.comps {
				for _, x := range ds {
					k, _ := slices.BinarySearch(it.due, x.day)
					rel := max(p.cal.release(x.day, it.lt), 0)
					if d := e.req(newQ[k]) - e.req(oldQ[k]); e.on(rel) && d != 0 && rel < horizon {
						wantOut = append(wantOut, emitted{e.to, rel, d})
					}
				}
			}
			if it.cached {
				wantG = map[int32]int64{}
				for d, q := range oldG {
					wantG[d] = q
				}
				for _, x := range ds {
					wantG[x.day] += x.d
					if wantG[x.day] == 0 {
						delete(wantG, x.day)
					}
				}
			}
		} else {
			newQ = oldQ
		}
		got := p.deltaInPlace(w, it, ds)
		if got != want {
			t.Fatalf("trial %d: took %v, want %v (orders %v %v, ss %d, lt %d, changes %v)", trial, got, want, it.due, oldQ, it.ss, it.lt, ds)
		}
		if !slices.Equal(it.qty, newQ) {
			t.Fatalf("trial %d (took %v): orders %v, want %v", trial, got, it.qty, newQ)
		}
		wantExc := oldExc
		if len(oldExc) > 0 {
			wantExc = []exc{{kind: BelowSafetyStock, ref: -1, day: it.due[0], qty: newQ[0]}}
			if newQ[0] != oldQ[0] {
				msgMoved++
			}
		}
		if !slices.Equal(it.exc, wantExc) || len(oldExc) > 0 && oldExc[0].qty != oldQ[0] {
			t.Fatalf("trial %d (took %v): message %v, want %v (the old one %v, of %d)", trial, got, it.exc, wantExc, oldExc, oldQ[0])
		}
		if !slices.Equal(passed(w), wantOut) {
			t.Fatalf("trial %d (took %v): passed on %v, want %v", trial, got, passed(w), wantOut)
		}
		gotG := map[int32]int64{}
		for k, d := range it.gd {
			gotG[d] = it.gq[k]
		}
		if !maps.Equal(gotG, wantG) || !slices.IsSorted(it.gd) {
			t.Fatalf("trial %d: kept requirements %v %v, want %v", trial, it.gd, it.gq, wantG)
		}
		wantChg := int32(0)
		if want {
			wantChg = int32(math.MaxInt32 - first)
		}
		if it.chgQ != wantChg {
			t.Fatalf("trial %d: first changed order noted %d, want %d", trial, math.MaxInt32-it.chgQ, first)
		}
		if want {
			taken++
		} else {
			refused++
		}
	}
	if taken < 300 || refused < 300 || msgMoved < 15 {
		t.Fatalf("taken %d, refused %d, messages moved %d: the trials do not reach each", taken, refused, msgMoved)
	}
	t.Logf("taken %d, refused %d, messages moved %d", taken, refused, msgMoved)
}

// TestPassDiffListsByHand: the calendar of TestDeltaInPlaceByHand (Monday
// to Friday, day 0 a Monday). Item A, lead time 2, has orders due Wed 2
// (10), Thu 3 (5 and 4: two orders), Mon 7 (5 and 3) and Wed 9 (4), and
// new ones due Wed 2 (10), Thu 3 (6 and 6), Mon 7 (6 and 6) and Tue 8
// (3). Its components: B, 2 per unit, only for orders released on day 2
// or later (a dated edge), and C, 0.5 per unit rounded up per order.
//
// Wed 2 is unchanged. Thu 3, released Tue 1: 9 -> 12 units; B's edge does
// not hold (day 1), C gets ceil(3) + ceil(3) - ceil(2.5) - ceil(2) = +1 on
// day 1. Mon 7, released Thu 3: 8 -> 12, B +8, C 3 + 3 - 3 - 2 = +1 on
// day 3. Tue 8, released Fri 4: 0 -> 3, B +6 and C ceil(1.5) = +2 on day
// 4. Wed 9, released Mon 7: 4 -> 0, B -8, C -2 on day 7. The first
// changed order is the second (index 1).
func TestPassDiffListsByHand(t *testing.T) {
	cal := Calendar{Start: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), Horizon: 30}
	const a, b, c = 0, 1, 2
	p, w := deltaPlanner(t, cal, 5, 3)
	it := &p.items[a]
	*it = item{due: []int32{2, 3, 3, 7, 7, 9}, qty: []int64{10, 5, 4, 5, 3, 4}, lt: 2,
		comps: []edge{{to: b, from: 2, until: dayMax, mul: 2}, {to: c, from: dayMin, until: dayMax, factor: 0.5}}}
	nd, nq := []int32{2, 3, 3, 7, 7, 8}, []int64{10, 6, 6, 6, 6, 3}
	if !p.passDiffLists(w, it, it.due, it.qty, nd, nq, 0) {
		t.Fatal("no difference found")
	}
	if want := []emitted{{b, 3, 8}, {b, 4, 6}, {b, 7, -8}, {c, 1, 1}, {c, 3, 1}, {c, 4, 2}, {c, 7, -2}}; !slices.Equal(passed(w), want) {
		t.Errorf("passed on %v, want %v", passed(w), want)
	}
	if it.chgQ != math.MaxInt32-1 {
		t.Errorf("first changed order %d, want 1", math.MaxInt32-it.chgQ)
	}
}
