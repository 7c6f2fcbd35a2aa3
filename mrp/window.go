package mrp

import (
	"fmt"
	"math"
	"slices"

	"github.com/ctoplan/ctoplan/internal/invariants"
)

// netWindow is net for a lot-sized item whose only change is to its gross
// requirements by ds (in day order, from day d0 = ds[0].day; it.gd/it.gq,
// kept by net change, already hold the new ones): it keeps the orders due
// before the last order day o before d0 and lot-sizes again only from o
// on, until the lots fall back in step with the old ones past the last
// change (resync). It leaves the new orders of the stretch it lot-sized
// in w.oDue/w.oQty, in place of the old ones it.due[ja:jb] (whole days of
// them), and reports ok false, having done nothing, when the window does
// not apply; net must run then. rs is the caller's scratch space for the
// resync, which tells afterwards how much it left alone.
//
// Why the orders before o stay: netting is decided day by day, and nothing
// before d0 changed, so the net requirements before d0 stay, and so does
// the first one's day f (the first order's day, f <= o < d0). From the end
// of day f on, the balance ends every day at safety stock (the item has no
// receipts or firm orders to come), so
//
//	net requirements up to day d = gross requirements up to d + ss - onhand  (d >= f)
//
// and every later net requirement is that day's gross requirement. Lot
// sizing goes through the net requirements in order carrying one figure,
// the surplus of the orders so far over the net requirements so far; a
// period lot (PeriodQty) also starts a group at each order's day, so o,
// an order day, starts a group in the new plan as in the old one. Lot
// sizing restarted at o with
//
//	surplus = orders due before o - net requirements before o
//
// therefore places exactly the orders a full run would place from o on.
//
// It does not apply (false) to plain lot-for-lot items (net change adjusts
// them by delta), Wagner-Whitin (wwWindow), and items with firm orders
// (their balance is not pinned at safety stock). Changes on or before the
// first order's day go to netWindowFirst. An item with scheduled receipts takes it only from
// an order o after one due on or after its last receipt: from there on
// it is pinned too, its receipts counted with the stock, and its messages
// stay (see receiptsBefore).
//
// The item's exception messages stay as they are. Without receipts or
// firm orders its only one is below safety stock, which comes when its
// first order is past due (released before day 0) with safety stock: on
// the first day the balance counting past-due orders only from when they
// can arrive falls below safety stock. Before f that balance is the one
// netting kept at or above safety stock (no order yet); on f it is what
// stock and the gross requirements up to f leave, below safety stock by
// the first net requirement, unless a past-due order can already arrive
// by then. Either way the message, or its absence, is decided by day f,
// and nothing up to f changes.
func (p *Planner) netWindow(w *worker, i int32, it *item, ds []dday, rs *resync) (ja, jb int, ok bool) {
	if len(ds) == 0 {
		return 0, 0, false
	}
	d0 := ds[0].day
	if it.lfl || !it.cached || it.in.Lot.Policy == WagnerWhitin || it.in.Kind == Phantom ||
		len(it.firm) > 0 || len(it.due) == 0 {
		return 0, 0, false
	}
	due, qty := it.due, it.qty
	f := due[0]
	k, _ := findDay(due, d0) // orders due before d0: due[:k]
	if k == 0 {
		return p.netWindowFirst(w, it, ds, rs)
	}
	o := due[k-1]
	jo, _ := findDay(due, o) // the first of day o's orders
	var recs int64           // the receipts' quantities
	if it.rec.some() {
		var ok bool
		if recs, ok = p.receiptsBefore(it, jo, d0); !ok {
			return 0, 0, false
		}
	}
	gd, gq := it.gd, it.gq
	g, _ := findDay(gd, o) // gross requirements before o: gd[:g]
	w.netDay, w.netQty = w.netDay[:0], w.netQty[:0]
	var surplus int64
	exact := exactLots(&it.in.Lot)
	switch {
	case jo == 0:
		// o = f: the first net requirement is what stock and the gross
		// requirements up to f leave below safety stock (f may have no
		// gross requirement when stock starts below safety stock)
		first := it.ss - it.onhand - p.windowSums(w, i, it, 0, g)
		if g < len(gd) && gd[g] == f {
			first += gq[g]
			g++
		}
		w.netDay = append(w.netDay, f)
		w.netQty = append(w.netQty, first)
	case exact && !invariants.Enabled:
		// lots without rounding leave no surplus at a lot's first day,
		// such as o: neither sum need be read (see exactLots)
	default:
		// orders before o less gross requirements before o
		surplus = p.windowSums(w, i, it, jo, g) - (it.ss - it.onhand - recs)
		if exact && surplus != 0 {
			panic(fmt.Sprintf("mrp: invariant: %s: surplus %d on day %d, lots without rounding", it.in.ID, surplus, o))
		}
	}
	if exact && jo > 0 {
		w.nExact++
	}
	// the net requirements from o on: the gross ones, which lot sizing
	// reads where they are (skipping any not above zero), but for the
	// first one's
	reqDay, reqQty := gd[g:], gq[g:]
	if jo == 0 {
		w.netDay, w.netQty = appendPositive(w.netDay, w.netQty, gd[g:], gq[g:])
		reqDay, reqQty = w.netDay, w.netQty
	}
	w.oDue, w.oQty = w.oDue[:0], w.oQty[:0]
	w.exc = append(w.exc[:0], it.exc...) // they stay (see above)
	w.slack = it.slack                   // set by the first net requirement, which stays
	*rs = resync{after: ds[len(ds)-1].day, due: due[jo:], qty: qty[jo:], reqs: len(reqDay)}
	for _, x := range ds {
		rs.delta += x.d
	}
	// every lot is a multiple of u, so the orders from o on sum to one in
	// the new run and in the old: they can differ by delta only if u
	// divides it (see resync)
	if u := lotUnit(&it.in.Lot); rs.delta%u != 0 {
		rs.never = true
	}
	p.lotSizeFrom(w, it, surplus, rs, reqDay, reqQty)
	jb = len(due)
	if rs.cut > 0 {
		jb = jo + rs.j
	}
	return jo, jb, true
}

// winKeep is what netWindow keeps of one item's sums between net changes
// (Planner.wk): the item's order quantities qty[:jo] less its kept gross
// requirements gq[:g], summed when it last lot-sized the item from order
// jo. The next window of the item, from order jo' with g' requirements
// before it, sums on (or back) from there: what the two sums differ by is
// qty[jo:jo'] and gq[g:g'], and net change's next change to the item in
// the benchmark's workload (a line raised, then put back) starts at the
// same order. The zero value keeps two empty sums, which is always right.
//
// It holds while no entry before jo or g changes: every writer of qty and
// gq notes the first index it changes (changedQ, changedG), takeChanged
// drops the kept figure at the end of a change that reached into it, and
// windowSums checks the notes of the change in progress. A window writes
// the item's orders from its jo on, and its requirements change only on or
// after its first change, past g: the figure it keeps survives its own
// change. What writes the orders without notes (a regenerative run, a
// plan loaded or taken over) drops them all (pegReset), as does a relink.
type winKeep struct {
	jo, g int32
	diff  int64 // sum(qty[:jo]) - sum(gq[:g])
}

// windowSums returns sum(it.qty[:jo]) - sum(it.gq[:g]) for item i, from
// its kept sums where they hold and take fewer entries to read than
// summing from the start, and keeps the result for (jo, g). Under
// invariants it checks the figure against sums from scratch.
func (p *Planner) windowSums(w *worker, i int32, it *item, jo, g int) int64 {
	var k winKeep
	if p.wkHeld[i] {
		// the notes hold this change's alone (takeChanged)
		k = p.wk[i]
	}
	kj, kg := int(k.jo), int(k.g)
	if kj > int(math.MaxInt32-it.chgQ) || kg > int(math.MaxInt32-it.chgG) ||
		jo+g < absInt(jo-kj)+absInt(g-kg) {
		// this change reached into what it summed, or it is further
		// from (jo, g) than the start
		k, kj, kg = winKeep{}, 0, 0
	}
	w.nSumRead += absInt(jo-kj) + absInt(g-kg)
	d := k.diff
	if jo >= kj {
		for _, q := range it.qty[kj:jo] {
			d += q
		}
	} else {
		for _, q := range it.qty[jo:kj] {
			d -= q
		}
	}
	if g >= kg {
		for _, q := range it.gq[kg:g] {
			d -= q
		}
	} else {
		for _, q := range it.gq[g:kg] {
			d += q
		}
	}
	if invariants.Enabled {
		var want int64
		for _, q := range it.qty[:jo] {
			want += q
		}
		for _, q := range it.gq[:g] {
			want -= q
		}
		if d != want {
			panic(fmt.Sprintf("mrp: invariant: %s: window sums %d from kept (%d, %d, %d), %d from scratch at (%d, %d)", it.in.ID, d, k.jo, k.g, k.diff, want, jo, g))
		}
	}
	p.wk[i], p.wkHeld[i] = winKeep{int32(jo), int32(g), d}, true
	w.wkMade = true
	if p.wkOwn {
		// Without a pegging the notes serve the kept sums alone, and an
		// item that held none was not taken at the end of a change: its
		// notes may go back to earlier changes. What they noted so far
		// is in the sums just made; from here on they note what changes
		// after them, taken at the end of this change.
		it.chgQ, it.chgG = 0, 0
	}
	return d
}

func absInt(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// netWindowFirst is netWindow for changes on or before the first order's
// day f (d0 <= f) of an item without receipts: it nets again from day 0
// up to the first net requirement, on a day f' that may differ from f,
// and lot-sizes from there until the lots fall back in step with the old
// ones (resync) on a day after both the last change and f - 1. The
// window's orders replace it.due[:jb].
//
// Why: netting visits day 0 and each day with a gross requirement, the
// balance (stock less the requirements so far) above safety stock until
// the first day f' it falls below, which gets the first net requirement
// (safety stock less that balance); from then on the balance ends every
// day at safety stock, and every later requirement is a net requirement
// of its own size. Lot sizing starts with no surplus. The resync rule
// (see resync) needs the net requirements of the old and the new run up
// to the day it is asked about to differ by the changes' sum: from f' and
// from f on, both are the gross requirements so far plus safety stock
// less stock, and resync is asked only from f on (after >= f - 1).
//
// The item's only possible message is below safety stock (no receipts or
// firm orders), and it is decided by f' (see netWindow): the balance
// counting past-due orders only from the day L they can arrive is
// netting's before f', and on f' it is below safety stock by the first
// net requirement exactly when the orders on f' are past due and arrive after
// f' (L > f'); from L on it is netting's again. So it is set again here.
//
// For example (TestNetChangeWindowFirstHand), stock 10, safety stock 2,
// fixed lots of 20, gross requirements 5 on days 3, 6, 9 and 12: the
// balance falls to 0 on day 6 (f = 6, net requirement 2; lot 20, surplus
// 18), days 9 and 12 from the surplus (8 left). Day 3 raised to 8 leaves
// the balance 2 on day 3 and -3 on day 6 (net requirement 5, lot 20,
// surplus 15, then 10 and 5): the order stays, and the lots are in step
// again on no day (3 is no multiple of 20). Day 3 raised to 10 instead:
// the balance is 0 on day 3 (f' = 3, net requirement 2, lot 20, surplus
// 18, then 13, 8, 3): the order moves to day 3.
func (p *Planner) netWindowFirst(w *worker, it *item, ds []dday, rs *resync) (ja, jb int, ok bool) {
	if it.rec.some() {
		return 0, 0, false
	}
	f1, slack, g := p.firstNet(w, it)
	if f1 >= 0 {
		w.netDay, w.netQty = appendPositive(w.netDay, w.netQty, it.gd[g:], it.gq[g:])
	}
	p.firstBelow(w, it, f1)
	w.slack = slack
	w.oDue, w.oQty = w.oDue[:0], w.oQty[:0]
	*rs = resync{after: max(ds[len(ds)-1].day, it.due[0]-1), due: it.due, qty: it.qty, reqs: len(w.netDay)}
	for _, x := range ds {
		rs.delta += x.d
	}
	if u := lotUnit(&it.in.Lot); rs.delta%u != 0 {
		rs.never = true
	}
	p.lotSizeFrom(w, it, 0, rs, w.netDay, w.netQty)
	jb = len(it.due)
	if rs.cut > 0 {
		jb = rs.j
	}
	w.nFirst++
	return 0, jb, true
}

// firstNet nets item it (without receipts or firm orders) from day 0 up
// to its first net requirement, from its kept gross requirements, and
// leaves that requirement alone in w.netDay/w.netQty. It returns its day
// (-1 if there is none), the stock above safety stock before it (the
// item's slack, as net sets it) and the index in it.gd of the first gross
// requirement after it. Netting visits day 0 and each day with a gross
// requirement; the first day the balance (stock less the requirements so
// far) falls below safety stock gets the first net requirement, safety
// stock less that balance.
func (p *Planner) firstNet(w *worker, it *item) (f1 int32, slack int64, g int) {
	gd, gq := it.gd, it.gq
	ss, bal := it.ss, it.onhand
	w.netDay, w.netQty = w.netDay[:0], w.netQty[:0]
	if (len(gd) == 0 || gd[0] > 0) && bal < ss {
		// day 0, without a requirement of its own
		w.netDay = append(w.netDay, 0)
		w.netQty = append(w.netQty, ss-bal)
		return 0, bal - ss, 0
	}
	for ; g < len(gd); g++ {
		bal -= gq[g]
		if bal < ss {
			w.netDay = append(w.netDay, gd[g])
			w.netQty = append(w.netQty, ss-bal)
			return gd[g], bal - ss + gq[g], g + 1
		}
	}
	return -1, bal - ss, g
}

// firstBelow sets w.exc to the below-safety-stock message, if any, of an
// item without receipts or firm orders whose first net requirement
// (w.netQty[0]) falls on day f1 (-1: none), for netWindowFirst and
// wwWindowFirst.
func (p *Planner) firstBelow(w *worker, it *item, f1 int32) {
	w.exc = w.exc[:0]
	if invariants.Enabled && (len(it.exc) > 1 || len(it.exc) == 1 && it.exc[0].kind != BelowSafetyStock) {
		panic(fmt.Sprintf("mrp: invariant: %s: messages %v of a lot-sized item without receipts or firm orders", it.in.ID, it.exc))
	}
	if it.ss > 0 && f1 >= 0 && p.cal.release(f1, it.lt) < 0 {
		// (released before day 0, f' lies less than a lead time of
		// working days from day 0: L > f')
		if invariants.Enabled && int32(p.cal.addWorking(0, it.in.LeadTime)) <= f1 {
			panic(fmt.Sprintf("mrp: invariant: %s: order on day %d released past due arrives by then (day %d)", it.in.ID, f1, p.cal.addWorking(0, it.in.LeadTime)))
		}
		w.exc = append(w.exc, exc{kind: BelowSafetyStock, ref: -1, day: f1, qty: w.netQty[0]})
	}
	if !slices.Equal(w.exc, it.exc) {
		w.nFirstMsg++
	}
}

// receiptsBefore says whether netWindow (or wwWindow) may lot-size item
// it, which has scheduled receipts and no firm orders, again from its
// order jo on (due on day o, before the first change, day d0), and
// returns the receipts' total quantity. It may when an order before o
// (jo > 0) is due on or after the last receipt's due day r. Why:
//
//   - Netting: that order's day x is a net requirement's, after every
//     receipt was counted (netting pulls receipts in, never out), so from
//     the end of day x on the balance ends every day at safety stock with
//     nothing more to come: the window's rule holds with the receipts
//     counted with the stock (net requirements up to a day d >= x = gross
//     requirements up to d + safety stock - stock - receipts; every one
//     from o on is that day's gross requirement). Nothing before d0
//     changes, so nothing else is pulled in (reschedule-in messages stay).
//   - Receipt messages: the lot on day x covers the net requirements of
//     its group (to day e, before o: the next lot starts a later group)
//     that the orders before x do not: those orders, stock and every
//     receipt fall short of the gross requirements up to e plus safety
//     stock (netting ends day e at safety stock). What lies ahead of a
//     receipt R counted on its due date in the supply sequence is less
//     than that by R at least, so R is needed by e, before d0: its need
//     day was found on days the change leaves alone, and the orders from
//     o on come after every receipt (balanceExceptions). None is
//     cancelled.
//   - Below safety stock: with safety stock and a past-due first order
//     (day f <= x), the balance counting past-due orders when they can
//     arrive is below safety stock on f already (by its net requirement):
//     the message is out before o. Without past-due orders, that balance
//     is netting's, lot-sized, at or above safety stock every day.
//
// The second and third are implied, and checked under invariants only.
func (p *Planner) receiptsBefore(it *item, jo int, d0 int32) (recs int64, ok bool) {
	if jo == 0 {
		return 0, false
	}
	var r int32
	it.rec.ascend(func(k int32) bool {
		recs += p.recs[k].in.Qty
		r = p.recs[k].day
		return true
	})
	if it.due[jo-1] < r {
		return 0, false
	}
	if invariants.Enabled {
		below := it.ss == 0 || p.cal.release(it.due[0], it.lt) >= 0
		for _, e := range it.exc {
			switch {
			case e.kind == BelowSafetyStock:
				below = below || e.day < it.due[jo]
			case e.kind == Cancel, e.kind == RescheduleOut && e.to >= d0:
				panic(fmt.Sprintf("mrp: invariant: %s: receipt message %v past the window's first change on day %d", it.in.ID, e, d0))
			}
		}
		if !below {
			panic(fmt.Sprintf("mrp: invariant: %s: below-safety-stock message not out before the window's start on day %d", it.in.ID, it.due[jo]))
		}
	}
	return recs, true
}

// appendPositive appends the requirements of gd/gq above zero to day and
// qty, grown first: appending one at a time inside netWindow kept
// spilling and reloading the window's other figures. (A window after the
// first order lot-sizes the kept requirements where they are: only one
// starting at it copies them, after the first net requirement.)
func appendPositive(day []int32, qty []int64, gd []int32, gq []int64) ([]int32, []int64) {
	n := len(day)
	day = slices.Grow(day, len(gq))[:n+len(gq)]
	qty = slices.Grow(qty, len(gq))[:n+len(gq)]
	gd = gd[:len(gq)]
	k := n
	for g, q := range gq {
		if q > 0 {
			day[k], qty[k] = gd[g], q
			k++
		}
	}
	return day[:k], qty[:k]
}

// wwWindow is net for a Wagner-Whitin item whose only change is to its
// gross requirements by ds (in day order; it.gd/it.gq already hold the new
// ones), as netWindow is for the other lot sizes: it lot-sizes again only
// the requirements between two cuts of the programme around the changes
// (see wagnerWhitin and wwCut) and keeps the orders outside them. It
// leaves the new orders of that stretch in w.oDue/w.oQty, in place of the
// old ones it.due[ja:jb] (whole days of them), and the requirements it
// lot-sized in w.netDay/w.netQty; ok false, having done nothing, when it
// does not apply and net must run. Changes on or before the first order
// go to wwWindowFirst.
//
// Why that is the plan: as in netWindow, the item has no firm orders, its
// messages stay, and every change falls after its first order's day f, so
// its net requirements are the first one (on f, unchanged) and then its
// positive gross requirements after f. (With scheduled receipts, after
// the first order day F on or after the last receipt's: the window starts
// at a cut after an order due on or after it, receiptsBefore, so the cut
// and the requirement before it lie on or after F.) The
// window starts at a net requirement a before the first change (day d0)
// that is a cut: a and the one before it are unchanged, so it is a cut in
// the old and in the new requirements, and the clusters before it,
// lot-sized from a cost of 0 each, place the same orders, all due before
// a's day. (Without such a cut after f it starts at the first net
// requirement, recomputed as in netWindow, where the programme starts.)
// It ends at a cut b after the last change (day d1) whose predecessor
// also lies after d1 (else the end of the requirements), a cut in both
// for the same reason, with the same clusters and orders from it on. In
// between, the clusters are those of the new requirements from a to b,
// which wagnerWhitin finds on that stretch alone, as the stretch starts
// at a cut. Each lot is the sum of the requirements it covers: the window
// applies only when no minimum, maximum or multiple rounds a lot (so no
// surplus carries from lot to lot).
func (p *Planner) wwWindow(w *worker, it *item, ds []dday) (ja, jb int, ok bool) {
	l := &it.in.Lot
	if len(ds) == 0 || it.lfl || !it.cached || l.Policy != WagnerWhitin || it.in.Kind == Phantom ||
		len(it.firm) > 0 || len(it.due) == 0 ||
		l.Min > 1 || l.Max > 0 || l.Multiple > 1 {
		return 0, 0, false
	}
	due := it.due
	f := due[0]
	d0, d1 := ds[0].day, ds[len(ds)-1].day
	if d0 <= f {
		return p.wwWindowFirst(w, it, d1)
	}
	gd, gq := it.gd, it.gq
	setup, hold := l.SetupCost, l.HoldingCost
	// a: back from the last net requirement before d0
	g0, _ := findDay(gd, d0)
	ga := -1
	for e := g0 - 1; e >= 0 && gd[e] > f; {
		if gq[e] <= 0 {
			e--
			continue
		}
		pe := e - 1 // the net requirement before e: a positive one after f, else f's
		for pe >= 0 && gd[pe] > f && gq[pe] <= 0 {
			pe--
		}
		prev := f
		if pe >= 0 && gd[pe] > f {
			prev = gd[pe]
		}
		if wwHeld(gq[e], gd[e]-prev, setup, hold) {
			ga = e
			break
		}
		e = pe
	}
	// no cut between f and d0: the window starts at the first net
	// requirement (on f), where the programme starts
	first := ga < 0
	if it.rec.some() {
		// from a cut after an order due after the last receipt only:
		// every requirement from the one before the cut on is a net
		// requirement of its own size (see receiptsBefore)
		if first {
			return 0, 0, false
		}
		j, _ := findDay(due, gd[ga])
		if _, ok := p.receiptsBefore(it, j, d0); !ok {
			return 0, 0, false
		}
	}
	// b: on from the first net requirement after d1
	g1, _ := findDay(gd, d1+1)
	gb := wwCutFrom(gd, gq, g1, setup, hold)
	w.netDay, w.netQty = w.netDay[:0], w.netQty[:0]
	if first {
		// what stock and the gross requirements up to f leave below
		// safety stock, as in netWindow
		q := it.ss - it.onhand
		for ga = 0; ga < len(gd) && gd[ga] <= f; ga++ {
			q += gq[ga]
		}
		w.netDay = append(w.netDay, f)
		w.netQty = append(w.netQty, q)
	}
	for e := ga; e < gb; e++ {
		if gq[e] > 0 {
			w.netDay = append(w.netDay, gd[e])
			w.netQty = append(w.netQty, gq[e])
		}
	}
	ja = 0
	if !first {
		ja, _ = findDay(due, gd[ga])
	}
	jb = len(due)
	if gb < len(gd) {
		jb, _ = findDay(due, gd[gb])
	}
	w.oDue, w.oQty = w.oDue[:0], w.oQty[:0]
	grp := wagnerWhitin(w, w.netDay, w.netQty, setup, hold)
	for k := 0; k < len(w.netDay); k = int(grp[k]) {
		var sum int64
		for _, q := range w.netQty[k:grp[k]] {
			sum += q
		}
		w.oDue = append(w.oDue, w.netDay[k])
		w.oQty = append(w.oQty, sum)
	}
	w.exc = append(w.exc[:0], it.exc...) // they stay (see netWindow)
	w.slack = it.slack                   // set by the first net requirement, which stays
	return ja, jb, true
}

// wwWindowFirst is wwWindow for changes on or before the first order's
// day f (the last on day d1) of an item without receipts: it nets again
// up to the first net requirement, on a day f' that may differ from f
// (firstNet), and lot-sizes the programme from there to the first cut b
// after d1, f and f' whose predecessor also lies after them (else the end
// of the requirements), keeping the orders from b's day on.
//
// Why: b and its predecessor are positive gross requirements after f and
// f', so net requirements of their own size in the old run and the new,
// and unchanged (after d1): b is a cut in both, and the clusters from b on
// are the same (see wwWindow). Before b the new programme starts at f',
// where lot sizing starts. Its message is set again as in netWindowFirst.
//
// For example (TestNetChangeWWWindowFirstHand), 10 on hand, setup 100,
// holding 1 a unit and day, requirements 20 on day 2, 30 on day 3 and 50
// on day 20: the first net requirement is 10 on day 2; holding 30 for a
// day (30) costs less than an order, holding 50 for 17 days (850) more:
// orders 40 on day 2 and 50 on day 20. Day 2 lowered to 5 moves the first
// net requirement to day 3 (25): orders 25 on day 3, 50 on day 20 (kept).
func (p *Planner) wwWindowFirst(w *worker, it *item, d1 int32) (ja, jb int, ok bool) {
	if it.rec.some() {
		return 0, 0, false
	}
	f1, slack, g := p.firstNet(w, it)
	if f1 < 0 {
		return 0, 0, false // no order at all: net runs
	}
	l := &it.in.Lot
	setup, hold := l.SetupCost, l.HoldingCost
	gd, gq := it.gd, it.gq
	g1, _ := findDay(gd, max(d1, it.due[0], f1)+1)
	gb := wwCutFrom(gd, gq, g1, setup, hold)
	for e := g; e < gb; e++ {
		if gq[e] > 0 {
			w.netDay = append(w.netDay, gd[e])
			w.netQty = append(w.netQty, gq[e])
		}
	}
	jb = len(it.due)
	if gb < len(gd) {
		jb, _ = findDay(it.due, gd[gb])
	}
	w.oDue, w.oQty = w.oDue[:0], w.oQty[:0]
	grp := wagnerWhitin(w, w.netDay, w.netQty, setup, hold)
	for k := 0; k < len(w.netDay); k = int(grp[k]) {
		var sum int64
		for _, q := range w.netQty[k:grp[k]] {
			sum += q
		}
		w.oDue = append(w.oDue, w.netDay[k])
		w.oQty = append(w.oQty, sum)
	}
	p.firstBelow(w, it, f1)
	w.slack = slack
	w.nFirst++
	return 0, jb, true
}

// wwCutFrom returns the first cut among the net requirements (gq > 0) of
// gd/gq from index g1 on whose predecessor is one too (from g1 on), or
// len(gd) when there is none: the end of a Wagner-Whitin window whose
// changes lie before g1 (see [Planner.wwWindow]).
func wwCutFrom(gd []int32, gq []int64, g1 int, setup, hold float64) int {
	for e, prev := g1, -1; e < len(gd); e++ {
		if gq[e] <= 0 {
			continue
		}
		if prev >= 0 && wwHeld(gq[e], gd[e]-gd[prev], setup, hold) {
			return e
		}
		prev = e
	}
	return len(gd)
}
