package mrp

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
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
// The running totals are computed per item when first needed and kept
// for the plan version (a net change drops the touched items'). Items
// with scheduled receipts (which netting may pull in) use the item's
// single-level pegging.

// runTotals returns the running totals of item i's order quantities and,
// for an item whose gross requirements net change keeps, of those.
func (p *Planner) runTotals(g *planPeg, i int32) (orders, gross []int64) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return p.runTotalsLocked(g, i)
}

func (p *Planner) runTotalsLocked(g *planPeg, i int32) (orders, gross []int64) {
	if g.cumQ == nil {
		g.cumQ = make([][]int64, len(p.items))
		g.cumG = make([][]int64, len(p.items))
		g.sups = make([]supRun, len(p.items))
	}
	it := &p.items[i]
	if len(g.cumQ[i]) == 0 {
		g.cumQ[i] = running(g.cumQ[i], it.qty) // c[k]: orders before k
	}
	if it.cached && len(g.cumG[i]) == 0 {
		g.cumG[i] = running(g.cumG[i], it.gq)
	}
	return g.cumQ[i], g.cumG[i]
}

// running returns the running totals of qs (c[k] = qs[0] + ... +
// qs[k-1], k = 0..len(qs)) in c's storage when it is large enough (a net
// change leaves an item's totals empty to be redone in place).
func running(c []int64, qs []int64) []int64 {
	if cap(c) < len(qs)+1 {
		c = make([]int64, len(qs)+1)
	}
	c = c[:len(qs)+1]
	c[0] = 0
	for k, q := range qs {
		c[k+1] = c[k] + q
	}
	return c
}

// supRun is the supply sequence of an item with scheduled receipts:
// stock, then receipts (on the day netting counts them) and planned
// orders by day, a receipt first; supply j covers [cum[j], cum[j+1]).
type supRun struct {
	sups []asup
	cum  []int64
}

// receiptRun returns item i's supply sequence (it has receipts); w is
// scratch for netting the item again to learn the receipts' days.
func (p *Planner) receiptRun(g *planPeg, w *worker, i int32) *supRun {
	g.mu.Lock()
	defer g.mu.Unlock()
	p.runTotalsLocked(g, i)
	sr := &g.sups[i]
	if sr.cum != nil {
		return sr
	}
	it := &p.items[i]
	hi := p.replan(w, i)
	clear(w.gross[:hi+1])
	sups := make([]asup, 0, 1+len(w.recDay)+len(it.due))
	if it.onhand > 0 {
		sups = append(sups, asup{kind: FromStock, ref: -1, qty: it.onhand})
	}
	ri, oi := 0, 0
	for ri < len(w.recDay) || oi < len(it.due) {
		if ri < len(w.recDay) && (oi >= len(it.due) || w.recDay[ri] <= it.due[oi]) {
			sups = append(sups, asup{kind: FromReceipt, ref: w.recs[ri], day: w.recDay[ri], qty: p.recs[w.recs[ri]].in.Qty})
			ri++
		} else {
			sups = append(sups, asup{kind: FromPlanned, ref: int32(oi), day: it.due[oi], qty: it.qty[oi]})
			oi++
		}
	}
	cum := make([]int64, len(sups)+1)
	for j := range sups {
		cum[j+1] = cum[j] + sups[j].qty
	}
	sr.sups, sr.cum = sups, cum
	return sr
}

// dayOrders returns the range of item par's orders released (clamped to
// day 0) on day d.
func (p *Planner) releasedOn(par *item, d int32) (lo, hi int) {
	n := len(par.due)
	rel := func(k int) int32 { return max(p.cal.release(par.due[k], par.lt), 0) }
	lo = sort.Search(n, func(k int) bool { return rel(k) >= d })
	hi = lo
	for hi < n && rel(hi) == d {
		hi++
	}
	return lo, hi
}

// edgeDay is the requirement parent edge e puts on its component on day d
// from the parent's orders from..hi-1 released that day (from < 0: all).
func (p *Planner) edgeDay(e *edge, d int32, from int) int64 {
	if !e.on(d) {
		return 0
	}
	par := &p.items[e.to]
	lo, hi := p.releasedOn(par, d)
	if from >= 0 {
		lo = max(lo, from)
	}
	var s int64
	for k := lo; k < hi; k++ {
		s += e.req(par.qty[k])
	}
	return s
}

// fastPeg reports whether item i's requirements can be placed by running
// totals.
func fastPeg(it *item) bool { return it.cached || it.lfl && !it.firmd && it.rec.len() == 0 }

// place returns the position in item c's requirement sequence of a
// requirement of q units on day d of which after units (its own and the
// later ones of the day) are not before it; ok is false when the item's
// single-level pegging must be used instead.
func (p *Planner) place(g *planPeg, c int32, d int32, q, after int64) (r int64, ok bool) {
	it := &p.items[c]
	cq, cg := p.runTotals(g, c)
	if it.cached {
		j := sort.Search(len(it.gd), func(j int) bool { return it.gd[j] > d })
		return cg[j] - after, true
	}
	// plain lot-for-lot
	if len(it.due) == 0 || d < it.due[0] {
		// covered by stock
		return 0, q <= max(it.onhand, 0)
	}
	k := sort.Search(len(it.due), func(k int) bool { return it.due[k] > d })
	return it.onhand + cq[k] - it.ss - after, true
}

// covering calls fn for each supply of item c (kind, order or receipt
// index) that covers part of the requirement at position r of q units,
// with that part.
func (p *Planner) covering(g *planPeg, w *worker, c int32, r, q int64, fn func(kind SupplyKind, k int32, part int64) error) error {
	it := &p.items[c]
	end := r + q
	if it.rec.len() > 0 {
		sr := p.receiptRun(g, w, c)
		j := sort.Search(len(sr.sups), func(j int) bool { return sr.cum[j+1] > r })
		for ; j < len(sr.sups) && sr.cum[j] < end; j++ {
			lo, hi := max(r, sr.cum[j]), min(end, sr.cum[j+1])
			if hi > lo {
				if err := fn(sr.sups[j].kind, sr.sups[j].ref, hi-lo); err != nil {
					return err
				}
			}
		}
		return nil
	}
	cq, _ := p.runTotals(g, c)
	stock := max(it.onhand, 0)
	if r < stock {
		if err := fn(FromStock, -1, min(end, stock)-r); err != nil {
			return err
		}
	}
	// order k covers [stock+cq[k], stock+cq[k+1])
	k := sort.Search(len(it.qty), func(k int) bool { return stock+cq[k+1] > r })
	for ; k < len(it.qty) && stock+cq[k] < end; k++ {
		lo, hi := max(r, stock+cq[k]), min(end, stock+cq[k+1])
		if hi > lo {
			if err := fn(FromPlanned, int32(k), hi-lo); err != nil {
				return err
			}
		}
	}
	return nil
}

// fastTree is [Planner.SupplyTree] by running totals (see above).
type fastTree struct {
	p     *Planner
	g     *planPeg
	pw    *pegWorker
	n     int
	dates dateStrings
}

// orderID is p.orderID(i, k), with the dates formatted once per tree.
func (t *fastTree) orderID(i, k int32) string {
	it := &t.p.items[i]
	if it.firmd || it.rec.len() > 0 {
		return t.p.orderID(i, int(k)) // IDs may step around others
	}
	day := it.due[k]
	n := 1
	for j := k - 1; j >= 0 && it.due[j] == day; j-- {
		n++
	}
	if t.dates.c == nil {
		t.dates.c = t.p.cal
	}
	if n > 1 {
		return it.in.ID + "#" + t.dates.of(day) + "." + strconv.Itoa(n)
	}
	return it.in.ID + "#" + t.dates.of(day)
}

// demand returns the top nodes of demand di.
func (t *fastTree) demand(di int32) ([]*PegNode, error) {
	p := t.p
	i := p.demands[di].item
	it := &p.items[i]
	if !fastPeg(it) {
		return nil, errSlow
	}
	dm := &p.demands[di]
	q := dm.in.Qty
	d := dm.day
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
		return nil, nil
	}
	for k := range it.parents {
		after += p.edgeDay(&it.parents[k], d, -1)
	}
	r, ok := p.place(t.g, i, d, q, after)
	if !ok {
		return nil, errSlow
	}
	var out []*PegNode
	err := p.covering(t.g, t.pw.w, i, r, q, func(kind SupplyKind, k int32, part int64) error {
		nd, err := t.node(i, kind, k, part)
		out = append(out, nd)
		return err
	})
	return out, err
}

// errSlow says the tree needs the single-level pegging of some item.
var errSlow = fmt.Errorf("mrp: supply tree needs whole-item pegging")

// node returns the node of qty units of supply (kind, k) of item i and
// its subtree.
func (t *fastTree) node(i int32, kind SupplyKind, k int32, qty int64) (*PegNode, error) {
	t.n++
	if t.n > maxTreeNodes {
		return nil, fmt.Errorf("%w: supply tree larger than %d nodes", ErrInvalid, maxTreeNodes)
	}
	p := t.p
	it := &p.items[i]
	nd := &PegNode{Item: it.in.ID, Qty: qty, Supply: Supply{Kind: kind}}
	switch kind {
	case FromStock:
		nd.Supply.Qty = it.onhand
	case FromReceipt:
		// (on the day netting counts it)
		sr := p.receiptRun(t.g, t.pw.w, i)
		j := slices.IndexFunc(sr.sups, func(s asup) bool { return s.kind == FromReceipt && s.ref == k })
		nd.Supply = p.supply(i, &sr.sups[j])
	case FromPlanned:
		nd.Supply.ID = t.orderID(i, k)
		nd.Supply.Day, nd.Supply.Qty = int(it.due[k]), it.qty[k]
	}
	if kind != FromPlanned || it.in.Kind == Buy {
		return nd, nil
	}
	rel := max(p.cal.release(it.due[k], it.lt), 0)
	var seen []int32
	for _, e := range it.comps {
		if !e.on(rel) || containsI32(seen, e.to) {
			continue
		}
		seen = append(seen, e.to)
		if err := t.comp(nd, i, k, rel, e.to); err != nil {
			return nil, err
		}
	}
	return nd, nil
}

func containsI32(s []int32, x int32) bool {
	for _, y := range s {
		if y == x {
			return true
		}
	}
	return false
}

// comp adds to nd the supplies of component c pegged to the requirements
// order k of item i puts on it on day rel.
func (t *fastTree) comp(nd *PegNode, i, k, rel, c int32) error {
	p := t.p
	ci := &p.items[c]
	if !fastPeg(ci) {
		return errSlow
	}
	// The requirements of the day, in order: parents by index (stable:
	// a parent's BOM lines to c in their order), each line's orders by
	// due day. Ours are those of order k on each line from i; after sums
	// ours and everything later that day, walking the lines backwards.
	type mine struct{ q, after int64 }
	var buf [4]mine
	own := buf[:0]
	var after int64
	pi := &p.items[i]
	for x := len(ci.parents) - 1; x >= 0; x-- {
		e := &ci.parents[x]
		switch {
		case e.to < i:
		case e.to > i:
			after += p.edgeDay(e, rel, -1)
		case e.on(rel):
			lo, hi := p.releasedOn(pi, rel)
			var from, line int64 // orders k.. of the line; all of them
			for o := lo; o < hi; o++ {
				q := e.req(pi.qty[o])
				line += q
				if o >= int(k) {
					from += q
				}
			}
			if int(k) >= lo && int(k) < hi {
				own = append(own, mine{e.req(pi.qty[k]), after + from})
			}
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
		err := p.covering(t.g, t.pw.w, c, r, own[x].q, func(kind SupplyKind, s int32, part int64) error {
			ch, err := t.node(c, kind, s, part)
			if err != nil {
				return err
			}
			nd.Children = append(nd.Children, ch)
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}
