package mrp

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
)

// A supply tree without whole-item pegging. Requirements and supplies of
// an item are both consumed first in, first out, so a requirement at
// position R of the item's requirement sequence (the sum of the
// requirements before it) with quantity q is covered by exactly the
// supplies whose interval of the supply sequence overlaps [R, R+q). Both
// positions follow from running totals:
//
//   - supplies (an item without scheduled receipts): stock, then the
//     planned orders by due day, so supply k covers the running total of
//     the order quantities before it, offset by the stock;
//   - requirements: R = G(d) - A, where G(d) is the item's gross
//     requirement up to and including the requirement's day d and A the
//     requirements of day d from this one on (a day's demands come first,
//     then the parents' orders by parent, BOM line and order: A only needs
//     the parents' orders released on day d, found by binary search).
//     G(d) is the running total of the gross requirements net change
//     keeps (items it does not adjust by delta), or, for a plain
//     lot-for-lot item (no receipts, no firm orders), the stock plus the
//     orders due up to d less safety stock: netting leaves the balance at
//     safety stock from the first order on, and before it every
//     requirement is covered by stock.
//
// The running totals are computed per item when first needed, only as
// far as read (totalsQ) by a plan version's first supply tree and whole
// by the later ones (see extendTotals), or for every item at once
// (allTotals), and kept for the plan version; a net change marks the
// touched items' to be redone in place when next read, from the first
// order and requirement it changed on.
// Items with scheduled receipts (which netting may pull in) place their
// supplies from the same order totals and their few receipts, on the days
// netting counts them (from the plan's reschedule-in messages,
// [Planner.receiptDays]): a receipt moves every supply after it by its
// quantity ([Planner.receiptCover]). The whole pegging and the late
// demands make their supply sequence instead ([supRun]).

// runTotals returns the running totals of item i's order quantities and,
// for an item whose gross requirements net change keeps, of those, whole.
// Once computed for a plan version they are read without the lock.
func (p *Planner) runTotals(g *planPeg, i int32) (orders, gross []int64) {
	if !g.st[i].has(okTotals) {
		p.extendTotals(g, i, math.MaxInt, noAbove, math.MaxInt)
	}
	return g.cumQ[i], g.cumG[i]
}

// A supply tree reads an item's running totals up to the days it looks
// at, and a net change leaves a touched item's to be redone: they are
// summed (in place, from the first entry the change altered) only as far
// as read, g.st[i].nQ and g.st[i].nG entries so far in this plan version (0:
// none yet). An entry once summed is not written again in the version,
// so a prefix is read without the lock.

// noAbove is the x of a read that asks for a number of entries only.
const noAbove = math.MinInt64

// totalsQ returns item i's running totals of order quantities, at least
// their first need entries (or all).
func (p *Planner) totalsQ(g *planPeg, i int32, need int) []int64 {
	n := int(g.st[i].nQ.Load())
	if n == 0 || n < need && n < len(p.items[i].qty)+1 {
		n = p.extendTotals(g, i, need, noAbove, 0)
	}
	return g.cumQ[i][:n]
}

// totalsQAbove returns item i's running totals of order quantities, all
// of them or a prefix of at least need entries whose last entry is above
// x.
func (p *Planner) totalsQAbove(g *planPeg, i int32, x int64, need int) []int64 {
	full := len(p.items[i].qty) + 1
	n := int(g.st[i].nQ.Load())
	if n == 0 || n < full && (n < need || g.cumQ[i][n-1] <= x) {
		n = p.extendTotals(g, i, need, x, 0)
	}
	return g.cumQ[i][:n]
}

// totalsG returns item i's running totals of kept gross requirements (it
// is cached), at least their first need entries (or all).
func (p *Planner) totalsG(g *planPeg, i int32, need int) []int64 {
	n := int(g.st[i].nG.Load())
	if n == 0 || n < need && n < len(p.items[i].gq)+1 {
		p.extendTotals(g, i, 0, noAbove, need)
		n = int(g.st[i].nG.Load())
	}
	return g.cumG[i][:n]
}

// extendTotals sums item i's running totals of order quantities up to at
// least needQ entries and past the first above x (see extendRun), and (a
// cached item) of kept gross requirements up to needG, and returns how
// many of the first are summed. The storage of either is set at the
// first call of a plan version that extends it (before any entry is
// published); okTotals says all are summed.
func (p *Planner) extendTotals(g *planPeg, i int32, needQ int, x int64, needG int) int {
	// a lock per stripe of items, not g.mu: a tree built on several
	// goroutines computes the totals of different items side by side
	m := &g.rtMu[uint32(i)%uint32(len(g.rtMu))]
	m.Lock()
	defer m.Unlock()
	it := &p.items[i]
	ahead := p.totalsAhead
	if ahead == 0 {
		ahead = totalsAhead
		if g.trees.Load() > 1 {
			// not the version's first tree: the item is likely
			// read by the next trees too, which then read all of
			// it without the lock
			needQ, needG = math.MaxInt, math.MaxInt
		}
	}
	// The totals of a cached item not asked for (a read of the order
	// totals only, or of the requirement totals only) are left alone:
	// extending them by nothing would only set their storage up for
	// the version (the slice header and the first entry read, most
	// often two misses); a cold tree on the 50k default plant made
	// ~4,800 such calls of ~9,700 (docs/benchmarks.md, branch i15pd).
	// Their keep holds until they are read (see Planner.pegChanged).
	nq, ng := int(g.st[i].nQ.Load()), 0
	if !it.cached || needQ > 0 || x != noAbove || needG <= 0 {
		nq = extendRun(&g.cumQ[i], &g.st[i].nQ, it.qty, int(g.st[i].keepQ), needQ, x, ahead)
	}
	if it.cached {
		ng = int(g.st[i].nG.Load())
		if needG > 0 {
			ng = extendRun(&g.cumG[i], &g.st[i].nG, it.gq, int(g.st[i].keepG), needG, noAbove, ahead)
		}
	}
	if !g.st[i].has(okTotals) && nq == len(it.qty)+1 && (!it.cached || ng == len(it.gq)+1) {
		if !it.cached {
			g.cumG[i] = g.cumG[i][:0]
		}
		g.st[i].ok.Or(okTotals)
	}
	return nq
}

// extendRun sums the running totals *c of qs (c[k] = qs[0] + ... +
// qs[k-1], k = 0..len(qs)) up to at least need entries and, when fewer
// than all, until the last one summed is above x (noAbove: no such
// condition), then ahead more, so that a reader stepping on finds them;
// *n of them are summed (a prefix, published once summed). With *n 0
// (none yet in this plan version) *c is set to hold them all, in its
// storage when large enough (a net change leaves an item's totals to be
// redone in place), where *c holds the running totals of a qs whose
// first keep entries were the same (so c[0..keep] hold): only the totals
// after those are summed, and only as far as asked. For example c = [0
// 3 5 9] of qs [3 2 4], and qs now [3 2 1 6 5] (changed from index 2,
// keep 2), ahead 1: c[0..2] = 0 3 5 stay; asked for 2 entries, nothing
// is summed (3 hold); asked for the first above 5, c[3] = 5+1 = 6 is
// summed, and c[4] = 12 ahead. It returns *n.
//
// On the 50k default plant a cold supply tree reads ~83,000 entries past
// the kept ones (~17 an item) of the touched items' totals; summing 64
// ahead of the first read, and all of them at the second, summed
// ~446,000 (docs/benchmarks.md, branch i12pc).
func extendRun(c *[]int64, n *atomic.Int32, qs []int64, keep, need int, x int64, ahead int) int {
	full := len(qs) + 1
	have := int(n.Load())
	if have == 0 {
		// the storage for this version, c[0..keep] kept
		keep = max(min(keep, len(*c)-1, len(qs)), 0)
		if cap(*c) < full {
			nc := make([]int64, full, full+len(qs)/8)
			copy(nc, (*c)[:min(keep+1, len(*c))])
			*c = nc
		}
		*c = (*c)[:full]
		(*c)[0] = 0
		have = keep + 1
	}
	cs := *c
	to := have
	if to < full && (to < need || cs[to-1] <= x) {
		// up to need, then until the last is above x, then ahead
		end := min(max(need, to), full)
		s := sumInto(cs[to:end], qs[to-1:], cs[to-1])
		d, q := cs[end:], qs[end-1:]
		q = q[:len(d)]
		k := 0
		for ; k < len(d) && s <= x; k++ {
			s += q[k]
			d[k] = s
		}
		to = end + k
		end = min(to+ahead, full)
		sumInto(cs[to:end], qs[to-1:], s)
		to = end
	}
	n.Store(int32(to))
	return to
}

// sumInto sets d[k] to s + q[0] + ... + q[k] for every k of d (q holds
// at least as many) and returns the last sum (s when d is empty).
func sumInto(d, q []int64, s int64) int64 {
	q = q[:len(d)]
	for k := range d {
		s += q[k]
		d[k] = s
	}
	return s
}

// rtStripes is how many locks guard the items' running totals (see
// planPeg.rtMu).
const rtStripes = 64

// totalsAhead is how many running totals past those asked for
// extendRun sums in a plan version's first supply tree
// (Planner.totalsAhead, when not 0, for the tests, in every tree).
const totalsAhead = 8

// supRun is the supply sequence of an item with scheduled receipts:
// stock, then receipts (on the day netting counts them) and planned
// orders by day, a receipt first; supply j covers [cum[j], cum[j+1]).
// The whole pegging ([Planner.allTotals]) and the late demands make it
// whole; a supply tree does not make it (see [Planner.receiptCover]).
// g.st[i].nS is how many supplies it holds in this plan version (0: not
// made yet, else all); recs and recDay are the receipts and their days,
// recQty their quantities and recPos where each of the first ri stands in
// sups, ri and oi the next receipt and order to merge (makeFrom goes on
// from there).
//
// A net change leaves the sequence to be redone from the first supply it
// altered (see [supRun.kept]): of the supplies made before the change
// (planPeg.keepS) those before any changed order, receipt or stock hold.
type supRun struct {
	sups   []asup
	cum    []int64
	recs   []int32
	recDay []int32
	recQty []int64
	recPos []int32
	ri, oi int
	onhand int64 // the stock the sequence was made with
	reused int32 // how many supplies the last reset kept (for the tests)
}

// supKeep says how much of an item's supply sequence may hold in the next
// plan version: made supplies were made when the last net change
// touched the item (see [Planner.pegChanged]), and its orders before
// keepO are unchanged since. It is kept apart from the sequence (in
// planPeg.keepS), so that a net change writes it for every touched item
// in a small array.
type supKeep struct{ made, keepO int32 }

// receiptRun returns item i's whole supply sequence (it has receipts); w
// is scratch (for netting the item again should its messages not give
// the receipts' days).
func (p *Planner) receiptRun(g *planPeg, w *worker, i int32) *supRun {
	if !g.st[i].has(okSeq) {
		p.makeReceiptRun(g, w, i)
	}
	return &g.sups[i]
}

// recAt is one receipt of an item as a supply tree reads it (see
// [Planner.receiptCover]): the receipt (ref), the day netting counts it
// on, its quantity, how many of the item's orders come before it (oEnd:
// those due before its day; an order due on a receipt's day comes after
// it), the quantity of the receipts before it (before) and where it
// starts in the item's supply sequence (at: stock, the orders and the
// receipts before it). An item's are in the order netting counts them, in
// one slice (one or two lines).
type recAt struct {
	ref, day, oEnd int32
	qty, before    int64
	at             int64
}

// receiptView returns item i's receipts as a supply tree reads them (it
// has receipts), found once a plan version; w is scratch (as for
// [Planner.makeReceiptRun]).
func (p *Planner) receiptView(g *planPeg, w *worker, i int32) []recAt {
	if g.st[i].has(okView) {
		return g.rv[i]
	}
	m := &g.rtMu[uint32(i)%uint32(len(g.rtMu))] // as extendTotals
	m.Lock()
	defer m.Unlock()
	if g.st[i].has(okView) {
		return g.rv[i]
	}
	it := &p.items[i]
	if !p.receiptDays(w, i) {
		hi := p.replan(w, i)
		clear(w.gross[:hi+1])
	}
	// the receipts are in the first weeks: their orders before are
	// summed here, so that a tree finds a receipt's place without them
	v, before := g.rv[i][:0], int64(0)
	at, o := max(it.onhand, 0), 0
	for k, r := range w.recs {
		q := p.recs[r].in.Qty
		oe, _ := findDay(it.due, w.recDay[k])
		for ; o < oe; o++ {
			at += it.qty[o]
		}
		v = append(v, recAt{ref: r, day: w.recDay[k], oEnd: int32(oe), qty: q, before: before, at: at})
		before += q
		at += q
	}
	g.rv[i] = v
	g.st[i].ok.Or(okView)
	return v
}

// receiptCover calls emit for each supply of item c (it has receipts)
// that overlaps positions [r, end) of its supply sequence, in sequence
// order, with the positions [s0, s1) the supply covers, and stops at the
// first error. The sequence (see [supRun]) is not made: stock (when
// positive) covers [0, stock); the orders before receipt 0 follow it,
// order k at stock + cq[k] (cq its order totals), then receipt 0 at stock
// + cq[oEnd[0]] (its at), and so on, every supply after receipt j moved
// by its quantity. The segments before the first receipt ending after r
// are passed over by the receipts' places, and only the order totals
// through the order ending at or after end are summed; by guesses the
// first order (see [firstEnding]).
//
// For example stock 5, orders O0..O3 of 10, 20, 30, 40 due on days 3 5
// 8 9, receipts R0 (day 3, 7 units) and R1 (day 8, 4): R0 before no
// order, R1 after O0 and O1 (oEnd 0 and 2, before 0 and 7), the sequence
// stock [0 5), R0 [5 12), O0 [12 22), O1 [22 42), R1 [42 46), O2 [46
// 76), O3 [76 116); positions [20, 44) are covered by O0, O1 and R1.
func (p *Planner) receiptCover(g *planPeg, w *worker, c int32, r, end int64, by int, emit func(kind SupplyKind, ref, day int32, s0, s1, qty int64) error) error {
	it := &p.items[c]
	v := p.receiptView(g, w, c)
	stock := max(it.onhand, 0)
	if r < stock {
		if err := emit(FromStock, -1, 0, 0, stock, it.onhand); err != nil {
			return err
		}
	}
	if end <= stock {
		return nil
	}
	// order totals through the first above end-1-stock: an order (or a
	// receipt after order k) starting before end has cq[k] <= end-1-stock,
	// so k < n and its end cq[k+1] is summed
	cq := p.totalsQAbove(g, c, end-1-stock, 1)
	n := len(cq) - 1
	// from the segment of the first receipt ending after r (the supplies
	// before it end by r)
	j, oa := 0, 0 // oa: the first order of the segment before receipt j
	for j < len(v) && v[j].at+v[j].qty <= r {
		j++
	}
	if j > 0 {
		oa = int(v[j-1].oEnd)
	}
	for ; j <= len(v); j++ {
		// the orders from oa to ob, after the receipts before j, and
		// the segment's end (receipt j's start)
		base, ob, segEnd := stock, len(it.due), int64(math.MaxInt64)
		if j < len(v) {
			base, ob, segEnd = stock+v[j].before, int(v[j].oEnd), v[j].at
		} else if j > 0 {
			base += v[j-1].before + v[j-1].qty
		}
		if ob > oa && segEnd > r {
			lim := min(ob, n)
			k := max(firstEnding(cq[:lim+1], r-base, by-1), oa)
			for ; k < ob; k++ {
				s0 := base + cq[k]
				if s0 >= end {
					return nil
				}
				if s1 := base + cq[k+1]; s1 > r {
					if err := emit(FromPlanned, int32(k), it.due[k], s0, s1, it.qty[k]); err != nil {
						return err
					}
				}
			}
		}
		if j == len(v) {
			return nil
		}
		s0 := v[j].at
		if s0 >= end {
			return nil
		}
		if s1 := s0 + v[j].qty; s1 > r {
			if err := emit(FromReceipt, v[j].ref, v[j].day, s0, s1, v[j].qty); err != nil {
				return err
			}
		}
		oa = ob
	}
	return nil
}

// makeReceiptRun makes item i's whole supply sequence for this plan
// version, from the supplies that hold from the last one made (see
// [supRun.kept]) on: the receipts' days are found, the storage set (before
// any supply is published) and okSeq set. w is scratch (for netting the
// item again should its messages not give the receipts' days).
func (p *Planner) makeReceiptRun(g *planPeg, w *worker, i int32) {
	m := &g.rtMu[uint32(i)%uint32(len(g.rtMu))] // as extendTotals
	m.Lock()
	defer m.Unlock()
	if g.st[i].has(okSeq) {
		return // made while this one waited
	}
	sr := &g.sups[i]
	it := &p.items[i]
	if !p.receiptDays(w, i) {
		hi := p.replan(w, i)
		clear(w.gross[:hi+1])
	}
	n := sr.makeFrom(it, sr.reset(p, it, g.st[i].keepS, w.recs, w.recDay))
	g.st[i].nS.Store(int32(n))
	g.st[i].ok.Or(okSeq)
}

// makeFrom makes item it's supplies from the n-th on to the end, by day,
// a receipt first, and returns how many there are. Most supplies are
// planned orders: those due before the next receipt's day are made in a
// loop of their own.
func (sr *supRun) makeFrom(it *item, n int) int {
	sups, cum, due, qty := sr.sups, sr.cum, it.due, it.qty
	ri, oi := sr.ri, sr.oi
	for n < len(sups) {
		rd := int32(math.MaxInt32) // the next receipt's day
		if ri < len(sr.recDay) {
			rd = sr.recDay[ri]
		}
		if oi == len(due) || rd <= due[oi] {
			r := sr.recs[ri]
			sups[n] = asup{kind: FromReceipt, ref: r, day: rd, qty: sr.recQty[ri]}
			cum[n+1] = cum[n] + sups[n].qty
			sr.recPos[ri] = int32(n)
			ri++
			n++
			continue
		}
		// orders oi.. are supplies n.., ending at cum[n+1..]
		c := cum[n]
		ds, ss, cs := due[oi:], sups[n:], cum[n+1:]
		ss = ss[:min(len(ds), len(ss))]
		ds, qs, cs := ds[:len(ss)], qty[oi:oi+len(ss)], cs[:len(ss)]
		k := 0
		for ; k < len(ss) && ds[k] < rd; k++ {
			c += qs[k]
			ss[k] = asup{kind: FromPlanned, ref: int32(oi + k), day: ds[k], qty: qs[k]}
			cs[k] = c
		}
		n, oi = n+k, oi+k
	}
	sr.ri, sr.oi = ri, oi
	return n
}

// reset sets sr for item it's supply sequence in a new plan version, with
// receipts recs counted on days recDay (see [Planner.receiptDays]), and
// returns how many of its supplies hold from the last version made (see
// [supRun.kept], with what the change left, k): the storage is set for
// the whole sequence, and makeFrom goes on from there.
func (sr *supRun) reset(p *Planner, it *item, k supKeep, recs, recDay []int32) int {
	n := sr.kept(it, k, recs, recDay, p)
	sr.reused = int32(n)
	full := len(recs) + len(it.due)
	if it.onhand > 0 {
		full++
	}
	sr.recs = append(sr.recs[:0], recs...)
	sr.recDay = append(sr.recDay[:0], recDay...)
	sr.recQty = sr.recQty[:0]
	for _, r := range recs {
		sr.recQty = append(sr.recQty, p.recs[r].in.Qty)
	}
	sr.recPos = slices.Grow(sr.recPos[:0], len(recs))[:len(recs)]
	sr.sups = slices.Grow(sr.sups[:n], full-n)[:full]
	sr.cum = slices.Grow(sr.cum[:min(n+1, len(sr.cum))], full+1)[:full+1]
	sr.onhand = it.onhand
	if n == 0 {
		sr.cum[0] = 0
		sr.ri, sr.oi = 0, 0
		if it.onhand > 0 {
			sr.sups[0] = asup{kind: FromStock, ref: -1, qty: it.onhand}
			sr.cum[1] = it.onhand
			n = 1
		}
	}
	return n
}

// kept returns how many of the supplies sr holds from the plan version
// it was made in (k.made of them, before the change) are the same in
// item it's sequence now, with receipts recs counted on days recDay, and
// sets sr.ri and sr.oi past them: the supplies before the first one
// that is an order from k.keepO on (changed since), a receipt from the
// first one whose index, day or quantity differ on (kr), or an order
// the new receipt kr now comes before, all of them when the stock
// changed. Up to there the two sequences merge the same receipts and
// orders the same way. The position of order o in the old sequence is
// stock + o + the receipts made before it (those with at most o orders
// before them); the cut is made right after order oEnd-1, not before
// order oEnd: a receipt between the two would follow oEnd's old day,
// which may have changed.
//
// For example (no stock) receipts R0 (day 3) and R1 (day 8), orders O0
// (day 3), O1 (day 5), O2 (day 8), O3 (day 9): R0 O0 O1 R1 O2 O3. A
// change of O2 on (keepO 2) keeps R0 O0 O1 (cut after O1, before R1):
// 3; R1 moved to day 5 (kr 1) keeps R0 O0 (O1, day 5, now comes after
// R1): 2; R0's quantity changed: none.
func (sr *supRun) kept(it *item, k supKeep, recs, recDay []int32, p *Planner) int {
	made := int(k.made)
	if made == 0 || sr.onhand != it.onhand && (sr.onhand > 0 || it.onhand > 0) {
		return 0
	}
	stock := 0
	if it.onhand > 0 {
		stock = 1
	}
	kr := 0
	for kr < len(recs) && kr < len(sr.recs) && recs[kr] == sr.recs[kr] && recDay[kr] == sr.recDay[kr] && p.recs[recs[kr]].in.Qty == sr.recQty[kr] {
		kr++
	}
	madeR := sr.ri // receipts made, at recPos[:madeR]
	if kr < madeR {
		made = min(made, int(sr.recPos[kr]))
	}
	oEnd := min(int(k.keepO), len(it.due))
	if kr < len(recs) {
		o, _ := findDay(it.due[:oEnd], recDay[kr])
		oEnd = o
	}
	// right after order oEnd-1
	at := stock + oEnd
	for r := range madeR {
		if int(sr.recPos[r])-r-stock <= oEnd-1 {
			at++
		}
	}
	made = min(made, at)
	ri := 0
	for ri < madeR && int(sr.recPos[ri]) < made {
		ri++
	}
	sr.ri, sr.oi = ri, made-stock-ri
	return made
}

// receiptDays puts item i's receipts in time order in w.recs and the day
// netting counts each on in w.recDay, as [Planner.net] leaves them,
// without netting the item again: a receipt counts on its due day unless
// netting pulled it in, and netting (phase 1) records every receipt it
// pulls in as one RescheduleIn message, in receipt order, with the day it
// is pulled in to (to). The messages are kept with the item's plan
// (it.exc) and redone whenever net change nets the item; a change that
// adjusts an item with receipts by delta (tryDelta) pulls in the same
// receipts as before (only orders that stay change, each by its day's
// requirement change; or, after the order covering its last receipt's
// day, netting pulls nothing in). It reports false (w.recs, w.recDay then
// unspecified) when the messages do not fit the receipts, for the caller
// to net the item instead.
//
// For example, receipts R1 (due day 10) and R2 (day 14) with R2 pulled in
// to day 12 (message {RescheduleIn, ref R2, day 14, to 12}): w.recs =
// [R1 R2], w.recDay = [10 12].
func (p *Planner) receiptDays(w *worker, i int32) bool {
	it := &p.items[i]
	w.recs = it.rec.appendTo(w.recs[:0])
	w.recDay = w.recDay[:0]
	for _, k := range w.recs {
		w.recDay = append(w.recDay, p.recs[k].day)
	}
	k := 0 // the messages follow the receipts' order
	for x := range it.exc {
		e := &it.exc[x]
		if e.kind != RescheduleIn {
			continue
		}
		for k < len(w.recs) && w.recs[k] != e.ref {
			k++
		}
		if k == len(w.recs) || e.day != p.recs[e.ref].day || e.to > e.day {
			return false
		}
		w.recDay[k] = e.to
		k++
	}
	// netting counts them in order (a receipt pulled in to day d comes
	// before every later one, whose day or pull-in day is d or later)
	return slices.IsSorted(w.recDay)
}

// allTotals computes the running totals (and the supply sequences of
// items with receipts) of every item not yet done, the items spread over
// the pegging workers: the whole plan's first-in-first-out pegging in
// linear size (every link of any item follows from them by binary search).
func (p *Planner) allTotals(g *planPeg) {
	g.mu.Lock()
	g.workers(p)
	ws := g.ws
	// the totals' storage is set here (for the items none of whose
	// totals a tree summed yet): no tree may compute any beside it
	for k := range g.rtMu {
		g.rtMu[k].Lock()
	}
	// one block for the totals not yet computed
	n := 0
	for i := range p.items {
		if it := &p.items[i]; g.st[i].nQ.Load() == 0 && cap(g.cumQ[i]) < len(it.qty)+1 {
			n += len(it.qty) + 1
		}
	}
	slab := make([]int64, n)
	for i := range p.items {
		if it := &p.items[i]; g.st[i].nQ.Load() == 0 && cap(g.cumQ[i]) < len(it.qty)+1 {
			g.cumQ[i], slab = slab[:0:len(it.qty)+1], slab[len(it.qty)+1:]
			g.st[i].keepQ = 0
		}
	}
	for k := range g.rtMu {
		g.rtMu[k].Unlock()
	}
	g.mu.Unlock()
	var next atomic.Int64
	var wg sync.WaitGroup
	n = len(p.items)
	for _, pw := range ws {
		wg.Add(1)
		go func(w *worker) {
			defer wg.Done()
			for {
				lo := int(next.Add(256)) - 256
				if lo >= n {
					return
				}
				for i := int32(lo); i < int32(min(lo+256, n)); i++ {
					p.runTotals(g, i)
					if p.items[i].rec.some() {
						p.receiptRun(g, w, i)
					}
				}
			}
		}(pw.w)
	}
	wg.Wait()
}

// releasedOn returns the range of item par's orders released (clamped to
// day 0) on day d: orders are by due day, so by release day, and those
// released on d are the ones due from the first day released on d or
// later up to the first released after d (found in the calendar, see
// [cal.dueFrom], so that only two searches read the orders).
func (p *Planner) releasedOn(par *item, d int32) (lo, hi int) {
	due := par.due
	lo, _ = p.cal.findDue(due, p.cal.dueFrom(d, par.lt))
	end := p.cal.dueFrom(d+1, par.lt)
	hi = lo
	for hi < len(due) && due[hi] < end {
		hi++
	}
	return lo, hi
}

// dueFrom returns the first due day x whose release lt working days
// before, clamped to day 0 as [Planner.releasedOn] counts it
// (max(release(x, lt), 0)), is d or later: math.MinInt32 when every
// day's is, math.MaxInt32 when none is. For d > 0 it is the working day
// lt working days after the first working day on or after d (the
// release is that working day from then on, an earlier one before). For
// example, Monday to Friday working days and lt 2: the orders released
// on a Monday are those due on the Wednesday after it: dueFrom(Monday)
// is that Wednesday, dueFrom(Tuesday) the Thursday, and dueFrom(Saturday)
// the Wednesday after the next Monday.
func (k *cal) dueFrom(d, lt int32) int32 {
	if d <= 0 {
		return math.MinInt32
	}
	if int(d)+k.pre >= len(k.wdOf) {
		return math.MaxInt32 // releases are days of the compiled range
	}
	w := k.wdOf[int(d)+k.pre] // the latest working day on or before d
	if w < 0 || k.dayOfWd[w] < d {
		w++ // the first one after d
	}
	if int(w)+int(lt) >= len(k.dayOfWd) {
		return math.MaxInt32
	}
	return k.dayOfWd[int(w)+int(lt)]
}

// edgeDay is the requirement parent edge e puts on its component on day
// d from the parent's orders released that day.
func (p *Planner) edgeDay(e *edge, d int32) int64 {
	if !e.on(d) {
		return 0
	}
	par := &p.items[e.to]
	lo, hi := p.releasedOn(par, d)
	var s int64
	for k := lo; k < hi; k++ {
		s += e.req(par.qty[k])
	}
	return s
}

// fastPeg reports whether item i's requirements can be placed by running
// totals.
func fastPeg(it *item) bool { return it.cached || it.lfl && !it.firmd && !it.rec.some() }

// place returns the position in item c's requirement sequence of a
// requirement of q units on day d of which after units (its own and the
// later ones of the day) are not before it; ok is false when the item's
// single-level pegging must be used instead.
func (p *Planner) place(g *planPeg, c int32, d int32, q, after int64) (r int64, ok bool) {
	it := &p.items[c]
	if it.cached {
		j, found := findDay(it.gd, d)
		if found {
			j++
		}
		return p.totalsG(g, c, j+1)[j] - after, true
	}
	// plain lot-for-lot
	if len(it.due) == 0 || d < it.due0 {
		// covered by stock
		return 0, q <= max(it.onhand, 0)
	}
	k, _ := p.cal.ordersDue(it, d+1) // orders due by d
	return it.onhand + p.totalsQ(g, c, k+1)[k] - it.ss - after, true
}

// PegTree is the supply tree of a demand ([Planner.PegTree]) in flat
// form: node n, for n from 0 to Len()-1, depth first (a node before its
// children), is Qty(n) units of Supply(n) of Item(n) pegged to node
// Parent(n) (-1: to the demand itself), Level(n) below the demand. The
// nodes are indices into the plan; IDs and dates are made only when asked
// for. A PegTree reads the plan it came from: use it before the next
// change of the planner.
type PegTree struct {
	p     *Planner
	nodes []pegNode
}

// Cut reports whether the tree leaves out supplies below node n: it was
// asked for fewer levels ([Planner.PegTreeLevels]) and node n, on the
// last of them, is a planned order whose item has components on the
// order's release day. A tree of all levels cuts none.
func (t *PegTree) Cut(n int) bool { return t.nodes[n].flags&nodeCut != 0 }

type pegNode struct {
	qty    int64
	supQty int64 // the supply's whole quantity
	item   int32
	ref    int32 // planned order or receipt index, -1 for stock
	parent int32
	day    int32 // when the supply is available (receipts: as netting counts them)
	level  int32
	kind   SupplyKind
	flags  uint8 // nodePlain, nodeExpand
	nth    uint16
}

// pegNode flags of a planned order: nodePlain, its ID is ITEM#date (no
// firm order or receipt to step around), with "." + nth when nth > 1, so
// rendering reads nothing of the item but its ID; nodeExpand, its item
// has components (not bought, with BOM lines), so that a tree passes
// over its leaves without reading their items again.
const (
	nodePlain uint8 = 1 << iota
	nodeExpand
	// nodeCut: a tree cut after its level (PegTreeLevels) leaves out
	// the supplies below this node (see PegTree.Cut)
	nodeCut
)

// nodeFlags are the flags of an order of item it named as plain says.
func nodeFlags(it *item, plain bool) uint8 {
	var f uint8
	if plain {
		f |= nodePlain
	}
	if len(it.comps) > 0 && !it.buy {
		f |= nodeExpand
	}
	return f
}

// Len is the number of nodes.
func (t *PegTree) Len() int { return len(t.nodes) }

// DemandQtys returns, for every node, the part of its quantity that
// serves the tree's demand: a top node's quantity; below, a node's
// quantity (pegged to its parent's whole order) times the share of that
// order the demand takes (the parent's demand quantity over its order's
// quantity). The demand's part of a component shared with other demands
// through their common parent order: a sales order's own screws, where
// Qty is the order's. Not whole numbers in general; the sum over the
// nodes of one planned order is the demand's share of it
// ([Planner.PeggedDemands]).
func (t *PegTree) DemandQtys() []float64 {
	out := make([]float64, len(t.nodes))
	for n := range t.nodes {
		nd := &t.nodes[n]
		if nd.parent < 0 {
			out[n] = float64(nd.qty)
			continue
		}
		par := &t.nodes[nd.parent]
		if par.supQty > 0 {
			out[n] = float64(nd.qty) * out[nd.parent] / float64(par.supQty)
		}
	}
	return out
}

// Level is node n's depth: 0 for the supplies of the demanded item.
func (t *PegTree) Level(n int) int { return int(t.nodes[n].level) }

// Parent is the index of node n's parent node, -1 for a top node.
func (t *PegTree) Parent(n int) int { return int(t.nodes[n].parent) }

// Item is the ID of node n's item.
func (t *PegTree) Item(n int) string { return t.p.idOf[t.nodes[n].item] }

// Qty is the quantity of node n's supply pegged to its parent.
func (t *PegTree) Qty(n int) int64 { return t.nodes[n].qty }

// Kind is node n's kind of supply.
func (t *PegTree) Kind(n int) SupplyKind { return t.nodes[n].kind }

// Supply is node n's supply, its ID included.
func (t *PegTree) Supply(n int) Supply {
	nd := &t.nodes[n]
	s := Supply{Kind: nd.kind, Day: int(nd.day), Qty: nd.supQty}
	switch nd.kind {
	case FromReceipt:
		s.ID = t.p.recs[nd.ref].in.ID
	case FromPlanned:
		s.ID = t.orderID(nd)
	}
	return s
}

// SupplyIDs returns the IDs of every node's supply, in node order ("" for
// stock): Supply(n).ID of each n, the planned orders' made in one block
// of memory (a tree of the 50k default plant has ~28,000 nodes; making
// each ID on its own was an allocation a node).
func (t *PegTree) SupplyIDs() []string {
	ids := make([]string, len(t.nodes))
	// the plain IDs' bytes first (ITEM#YYYY-MM-DD[.n]), then one string
	// of them all, cut into the IDs
	var buf []byte
	end := make([]int32, len(t.nodes))
	for n := range t.nodes {
		nd := &t.nodes[n]
		if nd.kind == FromPlanned && nd.flags&nodePlain != 0 {
			buf = append(buf, t.p.idOf[nd.item]...)
			buf = append(buf, '#')
			buf = append(buf, t.p.cal.dateText(int(nd.day))...)
			if nd.nth > 1 {
				buf = append(buf, '.')
				buf = strconv.AppendInt(buf, int64(nd.nth), 10)
			}
		}
		end[n] = int32(len(buf))
	}
	all := string(buf)
	at := int32(0)
	for n := range t.nodes {
		nd := &t.nodes[n]
		switch {
		case end[n] > at:
			ids[n] = all[at:end[n]]
		case nd.kind == FromReceipt:
			ids[n] = t.p.recs[nd.ref].in.ID
		case nd.kind == FromPlanned:
			ids[n] = t.p.orderID(nd.item, int(nd.ref)) // IDs may step around others
		}
		at = end[n]
	}
	return ids
}

// DateText is the day node n's supply is available, as YYYY-MM-DD (a
// string of the calendar's, not made anew for days in its range).
func (t *PegTree) DateText(n int) string { return t.p.cal.dateText(int(t.nodes[n].day)) }

// orderID is the ID of a planned-order node's order.
func (t *PegTree) orderID(nd *pegNode) string {
	if nd.flags&nodePlain == 0 {
		return t.p.orderID(nd.item, int(nd.ref)) // IDs may step around others
	}
	id := t.p.idOf[nd.item]
	if nd.nth > 1 {
		return id + "#" + t.p.cal.dateText(int(nd.day)) + "." + strconv.Itoa(int(nd.nth))
	}
	return id + "#" + t.p.cal.dateText(int(nd.day))
}

// Nodes returns the tree as linked nodes ([Planner.SupplyTree]'s form).
func (t *PegTree) Nodes() []*PegNode {
	all := make([]PegNode, len(t.nodes))
	// the children lists cut from one block: count them first
	nkids := make([]int32, len(t.nodes))
	var ntop int
	for n := range t.nodes {
		if par := t.nodes[n].parent; par < 0 {
			ntop++
		} else {
			nkids[par]++
		}
	}
	ptrs := make([]*PegNode, len(t.nodes))
	top, rest := ptrs[:0:ntop], ptrs[ntop:]
	for n := range t.nodes {
		if k := nkids[n]; k > 0 {
			all[n].Children, rest = rest[:0:k], rest[k:]
		}
	}
	dq := t.DemandQtys()
	for n := range t.nodes {
		nd := &all[n]
		nd.Item, nd.Supply, nd.Qty, nd.DemandQty = t.Item(n), t.Supply(n), t.nodes[n].qty, dq[n]
		if par := t.nodes[n].parent; par < 0 {
			top = append(top, nd)
		} else {
			all[par].Children = append(all[par].Children, nd)
		}
	}
	if len(top) == 0 {
		return nil
	}
	return top
}

// PegTree returns the full multi-level supply tree of a demand (see
// [Planner.SupplyTree]) in flat form.
func (p *Planner) PegTree(demandID string) (*PegTree, error) {
	return p.PegTreeLevels(demandID, 0)
}

// PegTreeLevels is [Planner.PegTree] of the first levels levels of the
// tree only (levels <= 0: all of them): level 0 is the supplies of the
// demanded item, level 1 those of their components, and so on; [PegTree.Cut]
// tells which nodes of the last level have supplies below them that are
// left out. The nodes kept are the whole tree's, in its order. A deep bill
// of material with shared parts unfolds into more nodes than a tree may
// hold (2^20, [ErrTooLarge]); its first levels can still be asked for.
func (p *Planner) PegTreeLevels(demandID string, levels int) (*PegTree, error) {
	di, ok := p.demandIx[demandID]
	if !ok || !p.demands[di].live {
		return nil, fmt.Errorf("%w: demand %s", ErrNotFound, demandID)
	}
	g := p.pegging()
	b := treeBuilder{p: p, g: g, levels: max(levels, 0)}
	err := b.demand(di)
	if err == errSlow {
		var ns []*PegNode
		ns, err = p.supplyTreeSlow(g, di, b.levels)
		if err == nil {
			b.nodes = nil
			err = b.flatten(ns, -1, 0)
		}
	}
	if err != nil {
		if errors.Is(err, ErrTooLarge) {
			err = fmt.Errorf("%w (demand %s): ask for fewer levels", err, demandID)
		}
		return nil, err
	}
	return &PegTree{p: p, nodes: b.nodes}, nil
}

// treeBuilder builds a supply tree by running totals (see above).
type treeBuilder struct {
	p     *Planner
	g     *planPeg
	w     *worker // scratch for items with receipts, made when needed
	nodes []pegNode
	// levels is how many levels the tree keeps (0: all)
	levels int
	// base is how many nodes come before t.nodes (a chunk of a level
	// built beside others: at least the levels above it)
	base int
	qs   []treeQuery  // one level's requirements
	sc   *treeScratch // the scratch t.nodes and t.qs came from
	// tail is the last level's nodes, after t.nodes, when levelPar left
	// them in its chunks' buffers (see treeBuilder.expand)
	tail [][]pegNode
	// expandable counts the planned-order nodes added that have
	// components (nodeExpand): none, and the level added is the last
	expandable int
	sink       int64 // what the read-ahead passes read
	// workers, parMin and chunk override the goroutines for a level
	// (Options.Workers), the narrowest level built on several, and
	// their chunk (treeParMin, treeChunk) when not zero (for the tests)
	workers, parMin, chunk int
	parLevels              int // how many levels were built on several goroutines
	preLevels              int // and put in depth-first order on several
	// how many requirements were placed by a supply covering their whole
	// day, and how many by their position in it (for the tests)
	byDay, byPos int
	fromStart    int // of byPos: placed from the start of the day
	// distinct: expand each planned order once, at its first node in
	// level order (eachDistinct); first is that node's index by key
	// (see supplyKey)
	distinct bool
	first    map[int64]int32
}

// supplyKey is the key of supply (kind, ref) of item i.
func supplyKey(kind SupplyKind, i, ref int32) int64 {
	return int64(kind)<<62 | int64(i)<<32 | int64(uint32(ref))
}

// dedupLevel clears the expand flag of the nodes from lo on (one level)
// whose planned order an earlier node already has (t.distinct): its
// subtree is the same wherever it stands, and the first node expands it.
func (t *treeBuilder) dedupLevel(lo int) {
	if t.first == nil {
		t.first = map[int64]int32{}
	}
	for n := lo; n < len(t.nodes); n++ {
		nd := &t.nodes[n]
		if nd.kind != FromPlanned || nd.flags&nodeExpand == 0 {
			continue
		}
		key := supplyKey(nd.kind, nd.item, nd.ref)
		if _, ok := t.first[key]; ok {
			nd.flags &^= nodeExpand
			t.expandable--
			continue
		}
		t.first[key] = int32(n)
	}
}

// eachDistinct calls fn for every supply but stock of the supply tree of
// demand di, once, in the order the tree first lists it (depth first),
// without unfolding the tree: the levels are built as for a tree with
// each planned order expanded at its first node in level order only
// (dedupLevel), so the nodes are about the distinct supplies times their
// components, and then walked depth first from the top, a supply's
// children read at the node that expanded it and each supply entered
// once. That is the tree's order: a supply met again in the tree has
// under it only supplies met under its first place. On a 10-level plant
// a line's tree is past 2^20 nodes; its distinct supplies are not.
// Errors are treeBuilder.demand's (errSlow, ErrTooLarge).
func (t *treeBuilder) eachDistinct(di int32, fn func(i int32, kind SupplyKind, ref int32)) error {
	t.g.trees.Add(1)
	t.distinct = true
	sc := treeScratchPool.Get().(*treeScratch)
	t.nodes, t.qs, t.sc = sc.nodes[:0], sc.qs[:0], sc
	defer func() {
		sc.nodes, sc.qs = t.nodes[:0], t.qs[:0]
		t.nodes, t.qs, t.sc = nil, nil, nil
		treeScratchPool.Put(sc)
	}()
	err := t.roots(di)
	if err == nil {
		err = t.expand()
	}
	if err != nil {
		return err
	}
	nodes := t.nodes
	// the children of a node lie side by side in the next level, in
	// order: where they start and how many
	kid := slices.Grow(sc.first[:0], len(nodes))[:len(nodes)]
	cnt := slices.Grow(sc.cnt[:0], len(nodes))[:len(nodes)]
	sc.first, sc.cnt = kid, cnt
	clear(cnt)
	for n := len(nodes) - 1; n >= 0; n-- {
		if par := nodes[n].parent; par >= 0 {
			kid[par] = int32(n)
			cnt[par]++
		}
	}
	seen := make(map[int64]struct{}, len(t.first))
	var stack []int32
	for n := len(nodes) - 1; n >= 0; n-- {
		if nodes[n].parent < 0 {
			stack = append(stack, int32(n))
		}
	}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		nd := &nodes[n]
		if nd.kind == FromStock {
			continue
		}
		key := supplyKey(nd.kind, nd.item, nd.ref)
		if _, ok := seen[key]; ok {
			continue
		}
		seen[key] = struct{}{}
		fn(nd.item, nd.kind, nd.ref)
		x := n
		if f, ok := t.first[key]; ok {
			x = f // the node that expanded the order
		}
		for c := kid[x] + cnt[x] - 1; cnt[x] > 0 && c >= kid[x]; c-- {
			stack = append(stack, c)
		}
	}
	return nil
}

func (t *treeBuilder) worker() *worker {
	if t.w == nil {
		t.w = t.p.newWorker()
	}
	return t.w
}

// demand builds the tree of demand di: its top nodes, then level by
// level the nodes below them (the requirements of one level are found in
// one pass, so that their reads of the plan, each of them to a far place
// in memory, overlap), then the nodes put in depth-first order.
func (t *treeBuilder) demand(di int32) error {
	t.g.trees.Add(1)
	sc := treeScratchPool.Get().(*treeScratch)
	t.nodes, t.qs, t.sc = sc.nodes[:0], sc.qs[:0], sc
	err := t.roots(di)
	if err == nil {
		err = t.expand()
	}
	bfs, tail := t.nodes, t.tail
	sc.nodes, sc.qs = t.nodes[:0], t.qs[:0]
	t.nodes, t.qs, t.sc, t.tail = nil, nil, nil, nil
	if err == nil {
		var par int
		t.nodes, par = preorderPar(bfs, tail, sc.lv, sc, t.nw(), t.parMinimum(), t.chunk)
		t.preLevels += par
	}
	treeScratchPool.Put(sc)
	return err
}

// nw is how many goroutines a wide level is built on.
func (t *treeBuilder) nw() int {
	nw := t.workers
	if nw == 0 {
		nw = t.p.opts.Workers
		if nw == 0 {
			nw = runtime.GOMAXPROCS(0)
		}
	}
	return nw
}

// parMinimum is the narrowest level built on several goroutines.
func (t *treeBuilder) parMinimum() int {
	if t.parMin != 0 {
		return t.parMin
	}
	return treeParMin
}

// treeScratch is a tree builder's scratch, kept for the next tree: a
// tree's nodes in the order they are found, a level's requirements, and
// preorder's arrays.
type treeScratch struct {
	nodes      []pegNode
	qs         []treeQuery
	first, cnt []int32
	lv         []int32 // where each level of nodes starts
	tailAt     []int   // where each chunk of preorderPar's tail starts
	// levelPar's: the chunks' nodes and errors, the goroutines' scratch
	outs [][]pegNode
	errs []error
	subs []*treeSub
	fin  chan struct{} // a chunk done by a helper (empty between levels)
}

var treeScratchPool = sync.Pool{New: func() any { return new(treeScratch) }}

// roots adds the top nodes of the tree of demand di.
func (t *treeBuilder) roots(di int32) error {
	p := t.p
	i := p.demands[di].item
	it := &p.items[i]
	if !fastPeg(it) {
		return errSlow
	}
	dm := &p.demands[di]
	q := dm.in.Qty
	d := dm.day
	if it.nfc == 0 && q > 0 {
		if s, ok := p.daySupply(t.g, t, i, d); ok {
			if s.kind == FromStock && q > s.qty {
				return errSlow // as place
			}
			return t.node(i, s.kind, s.ref, s.day, q, s.qty, -1, 0)
		}
	}
	// after: this demand and the later ones of its day, then every
	// dependent requirement of the day
	var after int64
	if it.nfc == 0 {
		it.dem.t.AscendGreaterOrEqual(di, func(x int32) bool {
			if p.demands[x].day != d {
				return false
			}
			after += p.demands[x].in.Qty
			return true
		})
	} else {
		// quantities after forecast consumption
		seen := false
		p.independent(it, it.dem.appendTo(nil), func(x int32, qx int64) {
			seen = seen || x == di
			if x == di {
				q = qx
			}
			if seen && p.demands[x].day == d && qx > 0 {
				after += qx
			}
		})
	}
	if q <= 0 {
		return nil
	}
	for k := range it.parents {
		after += p.edgeDay(&it.parents[k], d)
	}
	r, ok := p.place(t.g, i, d, q, after)
	if !ok {
		return errSlow
	}
	return t.cover(i, d, r, q, -1, 0)
}

// errSlow says the tree needs the single-level pegging of some item.
var errSlow = fmt.Errorf("mrp: supply tree needs whole-item pegging")

// cover adds, as children of node parent at level, the supplies of item
// c that cover the requirement at position r of q units (on day), each
// with its subtree. The first supply is looked for from the last order
// due by day (see [firstEnding]): the supplies before the requirement
// are due by its day, and most of them are used by then.
func (t *treeBuilder) cover(c, day int32, r, q int64, parent, level int32) error {
	p := t.p
	it := &p.items[c]
	end := r + q
	by, _ := p.cal.ordersDue(it, day+1) // orders due by day
	if it.rec.some() {
		return p.receiptCover(t.g, t.worker(), c, r, end, by, func(kind SupplyKind, ref, day int32, s0, s1, qty int64) error {
			if lo, hi := max(r, s0), min(end, s1); hi > lo {
				return t.node(c, kind, ref, day, hi-lo, qty, parent, level)
			}
			return nil
		})
	}
	stock := max(it.onhand, 0)
	// through the order ending at or after end (or all)
	cq := p.totalsQAbove(t.g, c, end-stock-1, 1)
	if r < stock {
		if err := t.node(c, FromStock, -1, 0, min(end, stock)-r, it.onhand, parent, level); err != nil {
			return err
		}
	}
	// order k covers [stock+cq[k], stock+cq[k+1]): the first one ending
	// after r
	k := firstEnding(cq, r-stock, by-1)
	for ; k < len(cq)-1 && stock+cq[k] < end; k++ {
		lo, hi := max(r, stock+cq[k]), min(end, stock+cq[k+1])
		if hi > lo {
			if err := t.node(c, FromPlanned, int32(k), it.due[k], hi-lo, it.qty[k], parent, level); err != nil {
				return err
			}
		}
	}
	return nil
}

// node adds the node of qty units of supply (kind, k) of item i (of
// supQty units, available on day) and its subtree.
func (t *treeBuilder) node(i int32, kind SupplyKind, k, day int32, qty, supQty int64, parent, level int32) error {
	if t.base+len(t.nodes) >= maxTreeNodes {
		return errTreeSize()
	}
	nd := pegNode{qty: qty, supQty: supQty, item: i, ref: k, parent: parent, day: day, level: level, kind: kind}
	if kind == FromPlanned {
		it := &t.p.items[i]
		var plain bool
		plain, nd.nth = orderName(it, k, day)
		nd.flags = nodeFlags(it, plain)
		if nd.flags&nodeExpand != 0 {
			t.expandable++
		}
	}
	t.nodes = append(t.nodes, nd)
	return nil
}

// orderName says how order k of item it (due on day) is named: plain
// (ITEM#date, "." + nth when nth > 1), or the long way.
func orderName(it *item, k, day int32) (plain bool, nth uint16) {
	plain = !it.firmd && !it.rec.some()
	n := 1
	for j := k - 1; j >= 0 && it.due[j] == day && n < math.MaxUint16; j-- {
		n++
	}
	if n == math.MaxUint16 {
		plain = false // rendered the long way
	}
	return plain, uint16(n)
}

// treeQuery is the requirement order k of item i (node n) puts on its
// component c on day rel, by its BOM lines to c from the x-th on; s is
// the supply of c that covers all of c's requirements of the day, when
// ok (see [Planner.daySupply]).
type treeQuery struct {
	n, i, k, c, x, rel int32
	pq                 int64 // order k's quantity
	r                  int64 // what the x-th line requires of it
	multi              bool  // other lines than the x-th lead to c
	s                  asup
	ok                 bool
	flags              uint8  // s is a planned order: its node's flags
	nth                uint16 // (see orderName)
}

// expand adds the nodes below the top nodes, level by level: a level's
// nodes are the children of the level above, in its order, each node's
// children in the order of its item's components, so that the children
// of a node are side by side in their order ([preorder] keeps it). A wide
// level is expanded on several goroutines (see [treeBuilder.levelPar]).
// A level none of whose nodes has components (t.expandable, counted as
// the nodes are added) is the last: it is not read again, and when
// levelPar made it, its nodes stay in the chunks' buffers (t.tail), from
// which preorderPar places them; on the 50k default plant that is the
// ~24,000 leaves of a ~28,000-node tree, not copied a second time.
func (t *treeBuilder) expand() error {
	nw, parMin := t.nw(), t.parMinimum()
	lv := t.sc.lv[:0]
	defer func() { t.sc.lv = lv }()
	for lo := 0; lo < len(t.nodes) || lo == len(t.nodes) && t.tail != nil; {
		lv = append(lv, int32(lo))
		if t.distinct {
			t.dedupLevel(lo)
		}
		if t.expandable == 0 {
			// no node of this level has children (levelPar may have
			// left its nodes in t.tail)
			break
		}
		if t.levels > 0 && len(lv) >= t.levels {
			// the last level asked for (not in t.tail: some of its
			// nodes have components)
			t.markCut(lo)
			break
		}
		t.expandable = 0
		hi := len(t.nodes)
		var err error
		if nw > 1 && hi-lo >= parMin {
			t.parLevels++
			err = t.levelPar(lo, hi, nw)
		} else {
			var lerr error
			lerr, err = t.level(t.nodes[:hi], lo, hi)
			if lerr != nil {
				err = lerr
			}
		}
		if err != nil {
			return err
		}
		lo = hi
	}
	return nil
}

// markCut flags the nodes from t.nodes[lo] on that level would give
// children: planned orders of items with components on their release
// day.
func (t *treeBuilder) markCut(lo int) {
	p := t.p
	for n := lo; n < len(t.nodes); n++ {
		nd := &t.nodes[n]
		if nd.kind != FromPlanned || nd.flags&nodeExpand == 0 {
			continue
		}
		it := &p.items[nd.item]
		rel := max(p.cal.release(nd.day, it.lt), 0)
		for x := range it.comps {
			if it.comps[x].on(rel) {
				nd.flags |= nodeCut
				break
			}
		}
	}
}

// level adds to t.nodes the children of the nodes src[lo:hi] (the nodes
// above them are src[:lo]); src may be t.nodes itself. listErr says a
// component needs its item's single-level pegging (found before any node
// is added), err that adding the nodes failed.
func (t *treeBuilder) level(src []pegNode, lo, hi int) (listErr, err error) {
	p := t.p
	qs := t.qs[:0]
	for n := lo; n < hi; n++ {
		if (n-lo)%readAhead == 0 {
			t.readAheadNodes(src[n:min(n+readAhead, hi)])
		}
		nd := &src[n]
		if nd.kind != FromPlanned || nd.flags&nodeExpand == 0 {
			continue
		}
		it := &p.items[nd.item]
		// a planned node's day and supply quantity are its order's
		rel := max(p.cal.release(nd.day, it.lt), 0)
		comps := it.comps
		var seen uint64 // see firstLine
		for x := range comps {
			e := &comps[x]
			if !e.on(rel) {
				continue
			}
			if !firstLine(comps, x, rel, &seen) {
				// another line to that component: its query
				// reads them all
				for j := len(qs) - 1; j >= 0 && qs[j].n == int32(n); j-- {
					if qs[j].c == e.to {
						qs[j].multi = true
					}
				}
				continue
			}
			qs = append(qs, treeQuery{n: int32(n), i: nd.item, k: nd.ref, c: e.to, x: int32(x), rel: rel, pq: nd.supQty, r: e.req(nd.supQty)})
		}
	}
	t.qs = qs
	// the components' days, in a pass of their own; what the nodes
	// need of the component is read here too
	for c0 := 0; c0 < len(qs); c0 += readAhead {
		chunk := qs[c0:min(c0+readAhead, len(qs))]
		t.readAhead(chunk)
		for j := range chunk {
			q := &chunk[j]
			ci := &p.items[q.c]
			if !fastPeg(ci) {
				return errSlow, nil
			}
			q.s, q.ok = p.daySupply(t.g, t, q.c, q.rel)
			if q.ok && q.s.kind == FromPlanned {
				var plain bool
				plain, q.nth = orderName(ci, q.s.ref, q.s.day)
				q.flags = nodeFlags(ci, plain)
			}
		}
	}
	for j := range qs {
		if err := t.comp(&qs[j], src[qs[j].n].level+1); err != nil {
			return nil, err
		}
	}
	return nil, nil
}

// treeParMin is the narrowest level expanded on several goroutines, and
// treeChunk the most of its nodes a goroutine takes at a time (a level
// is cut into at least treeChunks chunks when they hold treeChunkMin
// nodes or more, so that a goroutine that starts late still finds work).
// On the 50k default plant a tree's levels have about 1, 10, 60, 500,
// 3,500 and 24,000 nodes: the last three are expanded on both cores.
const (
	treeParMin   = 256
	treeChunk    = 256
	treeChunks   = 16
	treeChunkMin = 16
)

// levelPar is [treeBuilder.level] of t.nodes[lo:hi] on nw goroutines
// (this one among them): the level is cut into chunks of consecutive
// nodes, taken by whichever goroutine is free (the machine may be busy),
// each chunk's children put in a buffer of its own; the buffers are then
// appended in chunk order, so the nodes are the same, in the same order,
// as those of one goroutine, and so is the error: a component needing
// its item's single-level pegging anywhere in the level (errSlow, as the
// serial listing finds before adding any node), else the first chunk's
// error or the tree's size limit, counted as the serial builder counts.
// The running totals and supply sequences the chunks compute are kept
// for the plan version as before (computed once, under their locks).
func (t *treeBuilder) levelPar(lo, hi, nw int) error {
	sc := t.sc
	chunk := t.chunk
	if chunk == 0 {
		chunk = min(max((hi-lo)/treeChunks, treeChunkMin), treeChunk)
	}
	nch := (hi - lo + chunk - 1) / chunk
	nw = min(nw, nch)
	for len(sc.outs) < nch {
		sc.outs = append(sc.outs, nil)
	}
	sc.errs = slices.Grow(sc.errs[:0], nch)[:nch]
	for len(sc.subs) < nw {
		sc.subs = append(sc.subs, new(treeSub))
	}
	if cap(sc.fin) < nch {
		sc.fin = make(chan struct{}, nch)
	}
	fin := sc.fin
	src := t.nodes[:hi]
	var next atomic.Int32
	var slow atomic.Bool
	// work takes chunks until none is left and returns how many it
	// finished. A helper that finds none left touches nothing else: this
	// goroutine does not wait for the helpers to end (on a busy machine
	// one may start late, or never before the level is done) but for the
	// chunks they took, each reported on fin once its nodes, errors,
	// counts and scratch are stored.
	work := func(sub *treeSub, helper bool) (n int) {
		var b treeBuilder
		for {
			ci := int(next.Add(1)) - 1
			if ci >= nch {
				break
			}
			n++
			if slow.Load() {
				// the level's answer is errSlow: skip the chunk
				if helper {
					fin <- struct{}{}
				}
				continue
			}
			if b.p == nil {
				b = treeBuilder{p: t.p, g: t.g, w: sub.w, qs: sub.qs, base: hi}
			}
			clo := lo + ci*chunk
			b.nodes = sc.outs[ci][:0]
			lerr, err := b.level(src, clo, min(clo+chunk, hi))
			sc.outs[ci], sc.errs[ci] = b.nodes, err
			if lerr != nil {
				slow.Store(true)
			}
			sub.w, sub.qs = b.w, b.qs
			sub.byDay, sub.byPos, sub.fromStart, sub.sink, sub.expandable = b.byDay, b.byPos, b.fromStart, b.sink, b.expandable
			if helper {
				fin <- struct{}{}
			}
		}
		return n
	}
	for _, sub := range sc.subs[:nw] {
		sub.byDay, sub.byPos, sub.fromStart, sub.sink, sub.expandable = 0, 0, 0, 0, 0
	}
	for _, sub := range sc.subs[1:nw] {
		go work(sub, true)
	}
	// every chunk has been taken when work returns here, by this
	// goroutine or a helper: wait for the helpers' to be done
	for range nch - work(sc.subs[0], false) {
		<-fin
	}
	for _, sub := range sc.subs[:nw] {
		t.byDay, t.byPos, t.fromStart, t.sink = t.byDay+sub.byDay, t.byPos+sub.byPos, t.fromStart+sub.fromStart, t.sink+sub.sink
		t.expandable += sub.expandable
	}
	if slow.Load() {
		return errSlow
	}
	// the serial builder would have added the chunks' nodes one after
	// another, failing on the first past the limit or at a chunk's error
	total := t.base + hi
	for ci := range nch {
		if total+len(sc.outs[ci]) > maxTreeNodes {
			return errTreeSize()
		}
		if err := sc.errs[ci]; err != nil {
			return err
		}
		total += len(sc.outs[ci])
	}
	if t.expandable == 0 && !t.distinct {
		// the last level: left in the chunks' buffers for preorderPar
		t.tail = sc.outs[:nch]
		return nil
	}
	t.nodes = slices.Grow(t.nodes, total-t.base-hi)
	for ci := range nch {
		t.nodes = append(t.nodes, sc.outs[ci]...)
	}
	return nil
}

// treeSub is the scratch of one goroutine of [treeBuilder.levelPar],
// kept with the tree scratch, and what it counted.
type treeSub struct {
	w                                   *worker
	qs                                  []treeQuery
	byDay, byPos, fromStart, expandable int
	sink                                int64
}

// errTreeSize says a supply tree has more than maxTreeNodes nodes.
func errTreeSize() error {
	return fmt.Errorf("%w: supply tree larger than %d nodes", ErrTooLarge, maxTreeNodes)
}

// readAhead is how many requirements [treeBuilder.readAhead] reads at
// once: what they read stays in the core's cache until it is used.
const readAhead = 128

// readAhead reads, for a run of requirements, what finding their
// supplies reads of the plan, in passes of reads that do not depend on
// each other (the components' fields, due0 among them; the orders at
// [cal.ordersDue]'s guess for the requirement's day, the lines the
// searches then read), so that the processor has many of them under way
// at once instead of one at a time: each is far in memory. The sum read
// is kept only so that the reads are made. The first order's day is
// due0, not due[0]: a pass of its own read the line of due[0], which the
// searches no longer need (branch i18ra).
func (t *treeBuilder) readAhead(qs []treeQuery) {
	p := t.p
	var sink int64
	for j := range qs {
		ci := &p.items[qs[j].c]
		// not rec.len(): the receipts' B-tree header, which nothing
		// later needs (see timeline.some), cost 0.18 M instructions a
		// tree and no last-level misses (branch i18ra; round i14pd had
		// counted 15 k more a warm tree without it)
		sink += ci.onhand + ci.ss + int64(len(ci.due))
	}
	k := p.cal
	wd, pre := k.wdOf, k.pre
	cached := false
	for j := range qs {
		ci := &p.items[qs[j].c]
		if ci.cached {
			// daySupply's findDay in the kept requirements: their
			// ends first (its guess below, in a pass of its own)
			if gd := ci.gd; len(gd) >= 16 {
				sink += int64(gd[0]) + int64(gd[len(gd)-1])
				cached = true
			}
			continue
		}
		due := ci.due
		n := len(due)
		if n == 0 {
			continue
		}
		// ordersDue's guess, from due0 (read in the first pass's line)
		var g int
		if a, b := uint(int(ci.due0)+pre), uint(int(qs[j].rel)+pre); a < uint(len(wd)) && b < uint(len(wd)) {
			g = int(wd[b] - wd[a])
		} else {
			g = k.wdBetween(ci.due0, qs[j].rel)
		}
		g = min(max(g, 0), n-1)
		sink += int64(due[g]) + ci.qty[g]
	}
	if cached {
		for j := range qs {
			ci := &p.items[qs[j].c]
			gd := ci.gd
			if !ci.cached || len(gd) < 16 {
				continue
			}
			// findDay's guess
			n, first, last, d := len(gd), gd[0], gd[len(gd)-1], qs[j].rel
			if first < d && d <= last {
				sink += int64(gd[int(int64(n-1)*int64(d-first)/int64(last-first))])
			}
		}
	}
	t.sink += sink
}

// readAheadNodes is [treeBuilder.readAhead] for what expanding nodes
// reads: their items' fields and components.
func (t *treeBuilder) readAheadNodes(ns []pegNode) {
	p := t.p
	var sink int64
	for j := range ns {
		if ns[j].kind == FromPlanned && ns[j].flags&nodeExpand != 0 {
			it := &p.items[ns[j].item]
			sink += int64(len(it.comps)) + int64(it.lt)
		}
	}
	for j := range ns {
		if ns[j].kind == FromPlanned && ns[j].flags&nodeExpand != 0 {
			if cs := p.items[ns[j].item].comps; len(cs) > 0 {
				sink += int64(cs[0].to) + int64(cs[len(cs)-1].to)
			}
		}
	}
	t.sink += sink
}

// preorder returns the nodes (level by level, the children of a node
// side by side, in the order of their parents) in depth-first order, a
// node before its children. Without a stack: a backward pass sums the
// subtree sizes, a forward pass gives each node its place (its parent's
// next free place; a node's children then start right after it) and
// copies it there. Both passes read the nodes in order.
func preorder(nodes []pegNode, sc *treeScratch) []pegNode {
	out, _ := preorderPar(nodes, nil, nil, sc, 1, 0, 0)
	return out
}

// preorderPar is [preorder] with the forward pass of each level of at
// least parMin nodes (levels start at nodes[lv[0]], nodes[lv[1]], ...;
// nil: one level) on nw goroutines: a node's place depends only on its
// parent's (placed with the level above) and on its elder siblings', so a
// level is cut into chunks of about chunk nodes (0: as [treeBuilder.levelPar]
// cuts) where the parent changes, each placing the children of its own
// parents. par is how many levels were placed so.
//
// The nodes of the last level may be in tail instead (levelPar's chunks,
// after nodes, in order; lv's last entry is len(nodes)): leaves, each
// chunk holding all the children of its parents, so that the chunks are
// placed side by side as they are.
func preorderPar(nodes []pegNode, tail [][]pegNode, lv []int32, sc *treeScratch, nw, parMin, chunk int) (out []pegNode, par int) {
	n32 := len(nodes)
	for _, c := range tail {
		n32 += len(c)
	}
	if n32 == 0 {
		return nil, 0
	}
	// span[n]: n's subtree size until n is placed, then the place of n's
	// next child
	span := slices.Grow(sc.first[:0], n32)[:n32]
	at := slices.Grow(sc.cnt[:0], n32)[:n32] // n's place
	for n := range span {
		span[n] = 1
	}
	for _, c := range tail {
		// leaves: their subtrees are themselves
		for j := range c {
			if par := c[j].parent; par >= 0 {
				span[par]++
			}
		}
	}
	for n := len(nodes) - 1; n >= 0; n-- {
		if par := nodes[n].parent; par >= 0 {
			span[par] += span[n]
		}
	}
	out = make([]pegNode, n32)
	var top int32 // the next top node's place
	if len(lv) == 0 {
		placeNodes(nodes, 0, out, span, at, &top)
	}
	for l := range lv {
		a, b := int(lv[l]), len(nodes)
		if l+1 < len(lv) {
			b = int(lv[l+1])
		}
		if a == len(nodes) {
			break // the tail
		}
		if l == 0 || nw < 2 || b-a < max(parMin, 1) {
			placeNodes(nodes[a:b], a, out, span, at, &top)
			continue
		}
		par++
		ch := chunk
		if ch == 0 {
			ch = min(max((b-a)/treeChunks, treeChunkMin), treeChunk)
		}
		// chunk ci starts at the first node from a+ci*ch on that is its
		// parent's first child
		cut := func(ci int) int {
			x := min(a+ci*ch, b)
			for x > a && x < b && nodes[x].parent == nodes[x-1].parent {
				x++
			}
			return x
		}
		onChunks(sc, (b-a+ch-1)/ch, nw, func(ci int) {
			x, y := cut(ci), cut(ci+1)
			placeNodes(nodes[x:y], x, out, span, at, nil)
		})
	}
	if len(tail) > 0 {
		// where each chunk starts
		base := slices.Grow(sc.tailAt[:0], len(tail)+1)[:len(tail)+1]
		base[0] = len(nodes)
		for ci, c := range tail {
			base[ci+1] = base[ci] + len(c)
		}
		sc.tailAt = base
		if nw < 2 || n32-len(nodes) < max(parMin, 1) {
			for ci, c := range tail {
				placeNodes(c, base[ci], out, span, at, &top)
			}
		} else {
			par++
			onChunks(sc, len(tail), nw, func(ci int) {
				placeNodes(tail[ci], base[ci], out, span, at, nil)
			})
		}
	}
	sc.first, sc.cnt = span, at
	return out, par
}

// placeNodes is preorder's forward pass over nodes, the nodes from a on
// in the level-by-level order; top is the next top node's place (nil:
// the nodes have parents).
func placeNodes(nodes []pegNode, a int, out []pegNode, span, at []int32, top *int32) {
	for j := range nodes {
		n := a + j
		nd := nodes[j]
		var x int32
		if par := nd.parent; par < 0 {
			x = *top
			*top += span[n]
		} else {
			x = span[par]
			span[par] += span[n]
			nd.parent = at[par]
		}
		at[n], span[n] = x, x+1
		out[x] = nd
	}
}

// onChunks runs fn(ci) for every ci in [0, nch) on nw goroutines (this
// one among them), each chunk taken by whichever is free, and returns
// once every chunk is done: it waits for the chunks the helpers took,
// not for the helpers (see [treeBuilder.levelPar]); a helper that finds
// no chunk left touches nothing.
func onChunks(sc *treeScratch, nch, nw int, fn func(ci int)) {
	if cap(sc.fin) < nch {
		sc.fin = make(chan struct{}, nch)
	}
	fin := sc.fin
	var next atomic.Int32
	work := func(helper bool) (n int) {
		for {
			ci := int(next.Add(1)) - 1
			if ci >= nch {
				return n
			}
			fn(ci)
			n++
			if helper {
				fin <- struct{}{}
			}
		}
	}
	for range min(nw, nch) - 1 {
		go work(true)
	}
	for range nch - work(false) {
		<-fin
	}
}

// firstLine reports whether line x of es, in force on day, is the first
// line in force that day to its component. seen holds one bit per
// component (its index mod 64) of the lines in force before x, and gets
// x's: a line whose bit is clear is the first to its component without
// a look at the lines before it (most items have no two lines to one
// component). For example lines to components 3, 67 and 3: the second
// finds bit 3 set and looks (no line to 67 before it), the third looks
// and finds the first.
func firstLine(es []edge, x int, day int32, seen *uint64) bool {
	bit := uint64(1) << (uint32(es[x].to) % 64)
	first := *seen&bit == 0
	*seen |= bit
	return first || !seenComp(es[:x], es[x].to, day)
}

// seenComp reports whether one of es in force on day leads to c.
func seenComp(es []edge, c, day int32) bool {
	for x := range es {
		if es[x].to == c && es[x].on(day) {
			return true
		}
	}
	return false
}

// comp adds, as children of node q.n at level, the supplies of component
// q.c pegged to the requirements order q.k of item q.i puts on it on day
// q.rel.
func (t *treeBuilder) comp(q *treeQuery, level int32) error {
	p := t.p
	nd, i, k, rel, c := q.n, q.i, q.k, q.rel, q.c
	ci := &p.items[c]
	if q.ok {
		t.byDay++
		// one supply covers all of c's requirements of the day: ours
		// are covered by it wherever they are in the day; i's lines to
		// c are, in their order, those of c's where-used from i
		s := q.s
		var comps []edge
		if q.multi {
			comps = p.items[i].comps
		}
		for x := q.x; x == q.x || x < int32(len(comps)); x++ {
			r := q.r
			if x > q.x {
				e := &comps[x]
				if e.to != c || !e.on(rel) {
					continue
				}
				r = e.req(q.pq)
			}
			if r <= 0 {
				continue
			}
			if s.kind == FromStock && r > s.qty {
				return errSlow // as place
			}
			if t.base+len(t.nodes) >= maxTreeNodes {
				return errTreeSize()
			}
			t.nodes = append(t.nodes, pegNode{qty: r, supQty: s.qty, item: c, ref: s.ref, parent: nd, day: s.day, level: level, kind: s.kind, flags: q.flags, nth: q.nth})
			if s.kind == FromPlanned && q.flags&nodeExpand != 0 {
				t.expandable++
			}
		}
		return nil
	}
	t.byPos++
	// The requirements of the day, in order: parents by index (stable:
	// a parent's BOM lines to c in their order), each line's orders by
	// due day. Ours are those of order k on each line from i; after sums
	// ours and everything later that day, walking the lines backwards.
	type mine struct{ q, after int64 } // (or, from the start, its position)
	var buf [4]mine
	own := buf[:0]
	var after int64
	pi := &p.items[i]
	// order k's neighbours released the same day
	lo, hi := int(k), int(k)+1
	if len(ci.parents) > 0 {
		lt, kc := pi.lt, p.cal
		for lo > 0 && max(kc.release(pi.due[lo-1], lt), 0) == rel {
			lo--
		}
		for hi < len(pi.due) && max(kc.release(pi.due[hi], lt), 0) == rel {
			hi++
		}
	}
	// The other parents' orders of the day are found by a search in each
	// parent's orders: when fewer parents come before i than after it,
	// count from the start of the day instead (where the day's
	// requirements start is known when the day holds no demand).
	nb, na := 0, 0
	for x := range ci.parents {
		if to := ci.parents[x].to; to < i {
			nb++
		} else if to > i {
			na++
		}
	}
	if nb < na {
		if at, ok := p.dayStart(t.g, c, rel); ok {
			t.fromStart++
			for x := range ci.parents {
				e := &ci.parents[x]
				switch {
				case e.to > i:
				case e.to < i:
					at += p.edgeDay(e, rel)
				case e.on(rel):
					var upto, line int64 // orders of the line before k; all of them
					for o := lo; o < hi; o++ {
						q := e.req(pi.qty[o])
						line += q
						if o < int(k) {
							upto += q
						}
					}
					own = append(own, mine{e.req(pi.qty[k]), at + upto})
					at += line
				}
			}
			// here own is in line order, with positions
			for x := range own {
				if own[x].q <= 0 {
					continue
				}
				if err := t.cover(c, rel, own[x].after, own[x].q, nd, level); err != nil {
					return err
				}
			}
			return nil
		}
	}
	for x := len(ci.parents) - 1; x >= 0; x-- {
		e := &ci.parents[x]
		switch {
		case e.to < i:
		case e.to > i:
			after += p.edgeDay(e, rel)
		case e.on(rel):
			var from, line int64 // orders k.. of the line; all of them
			for o := lo; o < hi; o++ {
				q := e.req(pi.qty[o])
				line += q
				if o >= int(k) {
					from += q
				}
			}
			own = append(own, mine{e.req(pi.qty[k]), after + from})
			after += line
		}
	}
	// own was collected from the last line back
	for x := len(own) - 1; x >= 0; x-- {
		if own[x].q <= 0 {
			continue
		}
		r, ok := p.place(t.g, c, rel, own[x].q, own[x].after)
		if !ok {
			return errSlow
		}
		if err := t.cover(c, rel, r, own[x].q, nd, level); err != nil {
			return err
		}
	}
	return nil
}

// dayStart returns where item c's requirements of day d start in its
// requirement sequence (G(d-1), see above), when the item has no demands
// (the day's requirements are then its parents' orders) and the running
// totals give it: a kept requirement of day d, or a plain lot-for-lot
// item after its first order's day.
func (p *Planner) dayStart(g *planPeg, c, d int32) (int64, bool) {
	it := &p.items[c]
	if it.dem.some() {
		return 0, false
	}
	if it.cached {
		j, found := findDay(it.gd, d)
		if !found {
			return 0, false
		}
		return p.totalsG(g, c, j+1)[j], true
	}
	if len(it.due) == 0 || d <= it.due0 {
		return 0, false
	}
	k0, _ := p.cal.ordersDue(it, d) // the orders due before d
	return it.onhand + p.totalsQ(g, c, k0+1)[k0] - it.ss, true
}

// daySupply reports whether one supply s of item c (placed by running
// totals) covers every requirement of c on day d, so that a requirement
// of that day is covered by s alone wherever it falls in the day: then
// its position in the day (the requirements of the day after it, which
// take a search of every parent's orders) is not needed. A plain
// lot-for-lot item without safety stock has this on every day after its
// first order's (the balance ends each day at zero, so the orders due on
// d cover exactly the requirements of d), a lot-sized item on the days
// inside one lot.
//
// For the stock, s.qty is the item's on-hand, and a requirement larger
// than it needs the single-level pegging (as [Planner.place] says).
func (p *Planner) daySupply(g *planPeg, t *treeBuilder, c, d int32) (s asup, ok bool) {
	it := &p.items[c]
	if !it.cached && it.ss == 0 && it.onhand >= 0 && len(it.due) > 0 && (d > it.due0 || d == it.due0 && it.onhand == 0) {
		// plain lot-for-lot without safety stock (fastPeg), after its
		// first order's day: G(d-1) = onhand + cq[k0] is where order k0
		// (the first due on d) starts, G(d) where the orders due on d
		// end; one order due on d covers the day, without the totals.
		// Without stock the first order's day too: nothing is required
		// before it (it would have been ordered), G(d-1) = 0.
		k0, _ := p.cal.ordersDue(it, d)
		if k0 == len(it.due) || it.due[k0] != d || k0+1 < len(it.due) && it.due[k0+1] == d || it.qty[k0] <= 0 {
			return s, false
		}
		return asup{kind: FromPlanned, ref: int32(k0), day: d, qty: it.qty[k0]}, true
	}
	var lo, hi int64 // the day's requirements are [lo, hi) of the sequence
	if it.cached {
		j, found := findDay(it.gd, d)
		if !found {
			return s, false
		}
		cg := p.totalsG(g, c, j+2)
		lo, hi = cg[j], cg[j+1]
	} else {
		// plain lot-for-lot (place): G(d) = onhand + orders due by d - ss
		// from the first order's day on; before it, stock covers all
		if len(it.due) == 0 || d < it.due0 {
			return asup{kind: FromStock, ref: -1, qty: max(it.onhand, 0)}, true
		}
		if d == it.due0 {
			return s, false // G(d-1) unknown
		}
		k0, _ := p.cal.ordersDue(it, d)
		k1 := k0
		for k1 < len(it.due) && it.due[k1] == d {
			k1++
		}
		cq := p.totalsQ(g, c, k1+1)
		lo, hi = it.onhand+cq[k0]-it.ss, it.onhand+cq[k1]-it.ss
	}
	if lo < 0 || hi <= lo {
		return s, false
	}
	if it.rec.some() {
		// the supply that holds position lo
		by, _ := p.cal.ordersDue(it, d+1)
		p.receiptCover(g, t.worker(), c, lo, lo+1, by, func(kind SupplyKind, ref, day int32, s0, s1, qty int64) error {
			if s0 <= lo && s1 >= hi {
				s, ok = asup{kind: kind, ref: ref, day: day, qty: qty}, true
			}
			return nil
		})
		return s, ok
	}
	stock := max(it.onhand, 0)
	if hi <= stock {
		return asup{kind: FromStock, ref: -1, qty: it.onhand}, true
	}
	if lo < stock {
		return s, false
	}
	// the first order ending after lo, stepping from the last order due
	// by d (a lot covering d starts on or before it)
	by, _ := p.cal.ordersDue(it, d+1)
	cq := p.totalsQAbove(g, c, lo-stock, by+1) // through the order ending after lo
	k := firstEnding(cq, lo-stock, by-1)
	if k < len(cq)-1 && stock+cq[k] <= lo && stock+cq[k+1] >= hi {
		return asup{kind: FromPlanned, ref: int32(k), day: it.due[k], qty: it.qty[k]}, true
	}
	return s, false
}

// findDue is [findDay] for a supply tree: slices.BinarySearch(due, day)
// for an order list in day order, guessing the position from the first
// order's day alone: a lot-for-lot item has about one order per working
// day from its first order on, so the answer is about the number of
// working days from the first order's day up to day. findDay guesses from
// the first and the last day, whose two reads are on two other cache
// lines than the guess's in the long lists of the 50k default plant (~250
// orders, 1 KB of days): a tree reads one line less an item (the last
// day's), and the guess is as near (on the answer's line for 98-99.7% of
// a tree's searches there, against 96% from the two ends; see
// docs/benchmarks.md, branch i14pd). From the guess it steps as findDay does,
// searching by halves past findStep orders (items with gaps: lot sizes,
// stock).
//
// For example, Monday to Friday working days, day 0 a Monday, and 19
// orders due on every working day of the first four weeks but day 16
// (days 0-4, 7-11, 14 15, 17 18, 21-25): day 9 (the second Wednesday) is 7
// working days after day 0, and due[7] = 9 after due[6] = 8: found at 7;
// day 18 guesses 14 (due[14] = 21), one step back finds due[13] = 18 (the
// gap of day 16); day 16 guesses 12 (due[12] = 17, due[11] = 15): 12,
// not found; day 13 (a Sunday) guesses 9 (the Friday before, due[9] =
// 11), one step on: 10 (day 14), not found; day 30 guesses past the last
// order: 19, not found.
func (k *cal) findDue(due []int32, day int32) (int, bool) {
	if len(due) == 0 {
		return 0, false
	}
	return k.findDueFrom(due, due[0], day)
}

// ordersDue is [cal.findDue] for item it's orders, with their first day
// from it.due0 (the item's second line, which a supply tree reads
// anyway) instead of due[0]: the line of due[0] is then read only when
// the search steps to it. One call, so that it is inlined.
func (k *cal) ordersDue(it *item, day int32) (int, bool) {
	return k.findDueFrom(it.due, it.due0, day)
}

// findDueFrom is [cal.findDue] for orders due, the first due on day first
// (not read below 16 orders, searched by halves).
func (k *cal) findDueFrom(due []int32, first, day int32) (int, bool) {
	n := len(due)
	if n < 16 {
		return slices.BinarySearch(due, day)
	}
	if day <= first {
		return 0, day == first
	}
	// day > first: the answer is in [1, n]
	var g int
	if i, j := uint(int(first)+k.pre), uint(int(day)+k.pre); i < uint(len(k.wdOf)) && j < uint(len(k.wdOf)) {
		g = int(k.wdOf[j] - k.wdOf[i]) // both in the compiled range
	} else {
		g = k.wdBetween(first, day)
	}
	g = min(max(g, 1), n-1)
	if due[g] < day {
		// after g
		for x := g + 1; x <= g+findStep; x++ {
			if x == n {
				return n, false
			}
			if due[x] >= day {
				return x, due[x] == day
			}
		}
		lo := g + findStep + 1 // <= n: due[lo-1] < day
		x, ok := slices.BinarySearch(due[lo:], day)
		return lo + x, ok
	}
	// at g or before (due[0] < day ends the steps)
	m := max(g-findStep, 1)
	for x := g; x >= m; x-- {
		if due[x-1] < day {
			return x, due[x] == day
		}
	}
	// due[m-1] >= day, m > 1: the answer is before m
	return slices.BinarySearch(due[:m], day)
}

// wdBetween is how many working days follow day a up to day b: wdAt(b)
// - wdAt(a).
func (k *cal) wdBetween(a, b int32) int { return int(k.wdAt(b) - k.wdAt(a)) }

// wdAt is the number of the latest working day on or before day d (-1
// when none), days outside the compiled range clamped to its ends.
func (k *cal) wdAt(d int32) int32 {
	i := int(d) + k.pre
	if i < 0 {
		return -1
	}
	return k.wdOf[min(i, len(k.wdOf)-1)]
}

// firstEnding is slices.BinarySearch(c[1:], x+1) for running totals c
// (non-decreasing): the first k with c[k+1] > x, len(c)-1 when none. It
// steps from the guess g towards the answer, searching by halves past
// findStep steps.
func firstEnding(c []int64, x int64, g int) int {
	n := len(c) - 1
	g = min(max(g, 0), n)
	if g < n && c[g+1] <= x {
		// after g
		for k := g + 1; k <= min(g+findStep, n); k++ {
			if k == n || c[k+1] > x {
				return k
			}
		}
		lo := g + findStep + 1 // < n: c[lo] <= x
		k, _ := slices.BinarySearch(c[lo+1:], x+1)
		return lo + k
	}
	// at g or before: g is an answer unless an earlier one ends after x
	m := max(g-findStep, 1)
	for k := g; k >= m; k-- {
		if c[k] <= x {
			return k
		}
	}
	// c[m] > x: the answer is before m
	k, _ := slices.BinarySearch(c[1:m], x+1)
	return k
}

// flatten adds a tree of linked nodes (from the single-level pegging).
func (t *treeBuilder) flatten(ns []*PegNode, parent, level int32) error {
	p := t.p
	for _, x := range ns {
		n := pegNode{qty: x.Qty, supQty: x.Supply.Qty, item: p.index[x.Item], ref: -1, parent: parent, day: int32(x.Supply.Day), level: level, kind: x.Supply.Kind}
		if x.cut {
			n.flags = nodeCut
		}
		switch x.Supply.Kind {
		case FromReceipt:
			n.ref = p.recIx[x.Supply.ID]
		case FromPlanned:
			_, k, err := p.parseOrderID(x.Supply.ID)
			if err != nil {
				return err
			}
			n.ref = int32(k)
		}
		t.nodes = append(t.nodes, n)
		if err := t.flatten(x.Children, int32(len(t.nodes)-1), level+1); err != nil {
			return err
		}
	}
	return nil
}
