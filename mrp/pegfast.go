package mrp

import (
	"fmt"
	"sort"
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
	if g.cumQ == nil {
		g.cumQ = make([][]int64, len(p.items))
		g.cumG = make([][]int64, len(p.items))
	}
	it := &p.items[i]
	if g.cumQ[i] == nil {
		c := make([]int64, len(it.qty)+1) // c[k]: orders before k
		for k, q := range it.qty {
			c[k+1] = c[k] + q
		}
		g.cumQ[i] = c
	}
	if it.cached && g.cumG[i] == nil {
		c := make([]int64, len(it.gq)+1)
		for k, q := range it.gq {
			c[k+1] = c[k] + q
		}
		g.cumG[i] = c
	}
	return g.cumQ[i], g.cumG[i]
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
func fastPeg(it *item) bool { return it.rec.len() == 0 && (it.cached || it.lfl && !it.firmd) }

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

// covering calls fn for each supply of item c (kind, order index) that
// covers part of the requirement at position r of q units, with that part.
func (p *Planner) covering(g *planPeg, c int32, r, q int64, fn func(kind SupplyKind, k int32, part int64) error) error {
	it := &p.items[c]
	cq, _ := p.runTotals(g, c)
	end := r + q
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
	p  *Planner
	g  *planPeg
	pw *pegWorker
	n  int
}

// demand returns the top nodes of demand di.
func (t *fastTree) demand(di int32) ([]*PegNode, error) {
	p := t.p
	i := p.demands[di].item
	it := &p.items[i]
	if !fastPeg(it) || it.nfc > 0 {
		return nil, errSlow
	}
	dm := &p.demands[di]
	q := dm.in.Qty
	if q <= 0 {
		return nil, nil
	}
	d := dm.day
	// after: this demand and the later ones of its day, then every
	// dependent requirement of the day
	var after int64
	it.dem.t.AscendGreaterOrEqual(di, func(x int32) bool {
		if p.demands[x].day != d {
			return false
		}
		after += p.demands[x].in.Qty
		return true
	})
	for k := range it.parents {
		after += p.edgeDay(&it.parents[k], d, -1)
	}
	r, ok := p.place(t.g, i, d, q, after)
	if !ok {
		return nil, errSlow
	}
	var out []*PegNode
	err := p.covering(t.g, i, r, q, func(kind SupplyKind, k int32, part int64) error {
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
	case FromPlanned:
		nd.Supply.ID = p.pegOrderID(i, k)
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
		return t.compSlow(nd, i, k, rel, c)
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
		err := p.covering(t.g, c, r, own[x].q, func(kind SupplyKind, s int32, part int64) error {
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

// compSlow is comp from component c's single-level pegging.
func (t *fastTree) compSlow(nd *PegNode, i, k, rel, c int32) error {
	p := t.p
	ca := p.itemAlloc(t.g, c, t.pw)
	lo := sort.Search(len(ca.reqs), func(r int) bool {
		x := &ca.reqs[r]
		if x.day != rel {
			return x.day > rel
		}
		return x.dem < 0 && x.par >= i
	})
	for r := lo; r < len(ca.reqs) && ca.reqs[r].day == rel && ca.reqs[r].dem < 0 && ca.reqs[r].par == i; r++ {
		if ca.reqs[r].ord != k {
			continue
		}
		for _, l := range ca.reqLinks(int32(r)) {
			s := &ca.sups[l.sup]
			if s.kind == FromReceipt {
				// a receipt has no subtree
				t.n++
				if t.n > maxTreeNodes {
					return fmt.Errorf("%w: supply tree larger than %d nodes", ErrInvalid, maxTreeNodes)
				}
				nd.Children = append(nd.Children, &PegNode{Item: p.items[c].in.ID, Supply: p.supply(c, s), Qty: l.qty})
				continue
			}
			ch, err := t.node(c, s.kind, s.ref, l.qty)
			if err != nil {
				return err
			}
			nd.Children = append(nd.Children, ch)
		}
	}
	return nil
}
