package mrp

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// PromiseRequest asks when Qty of Item can be delivered, wanted on Date.
// For a configured product, Item is its resolved variant's item ID.
type PromiseRequest struct {
	Item string
	Qty  int64
	Date time.Time
}

// Promise is the answer to a [PromiseRequest].
type Promise struct {
	Item string
	Qty  int64
	// Date is the earliest date the quantity can be promised: the
	// requested date or later; Day counts from the planning date.
	Date time.Time
	Day  int
	// ATP is true when the current plan's uncommitted supply of the item
	// covers the request (available to promise); false when it has to be
	// made or bought (capable to promise).
	ATP bool
	// Limit is the item whose availability or lead time sets Date when it
	// is later than requested ("" when on time).
	Limit string
	// Late is true when Date is after the requested date.
	Late bool
}

// Promise computes an available-to-promise / capable-to-promise date. The
// request's quantity is exploded through the item's BOM (summed over all
// paths, so a shared component is counted once with its whole need). Then,
// components first, each item's ready day is the earlier of: the first day
// its uncommitted supply in the current plan (projected balance above
// safety stock that no later requirement needs) covers its need (ATP), and
// the day a new order could deliver it (CTP): its lead time after today for
// a purchased item, its lead time after its last component is ready for a
// made one. A second pass stops exploding below items served from free
// supply. The plan is never changed.
func (p *Planner) Promise(req PromiseRequest) (*Promise, error) {
	i, ok := p.index[req.Item]
	if !ok {
		return nil, &ItemError{Item: req.Item, Err: ErrUnknownItem}
	}
	if req.Qty <= 0 {
		return nil, fmt.Errorf("%w: promise quantity %d must be > 0", ErrInvalid, req.Qty)
	}
	if req.Date.IsZero() {
		return nil, fmt.Errorf("%w: promise: no requested date", ErrInvalid)
	}
	c := &ctp{p: p, w: p.newWorker(), free: map[int32][]int64{}}
	day, atp, limit := c.run(i, req.Qty)
	want := p.cal.day(req.Date)
	day = max(day, want)
	out := &Promise{Item: req.Item, Qty: req.Qty, Day: day, Date: p.cal.date(day), ATP: atp}
	if day > want {
		out.Late = true
		out.Limit = p.items[limit].in.ID
	}
	return out, nil
}

type ctp struct {
	p    *Planner
	w    *worker
	free map[int32][]int64 // item -> free[t] = min over d >= t of balance - safety stock
}

// freeFrom returns how much of item i is free from day t on.
func (c *ctp) freeFrom(i int32, t int32) int64 {
	p := c.p
	it := &p.items[i]
	if plainLFL(it) && it.rec.len() == 0 {
		// After a lot-for-lot item's first order its balance ends every
		// day at safety stock: nothing is free. Without orders, the stock
		// above safety stock left at the end is.
		if len(it.due) > 0 {
			return 0
		}
		return max(it.slack, 0)
	}
	f, ok := c.free[i]
	if !ok {
		w := c.w
		hi := p.replan(w, i)
		h := p.cal.horizon
		f = make([]int64, h)
		bal := it.onhand
		ri, oi := 0, 0
		for d := range h {
			for ri < len(w.recDay) && w.recDay[ri] <= int32(d) {
				bal += p.recs[w.recs[ri]].in.Qty
				ri++
			}
			for oi < len(it.due) && it.due[oi] <= int32(d) {
				bal += it.qty[oi]
				oi++
			}
			if d <= hi {
				bal -= w.gross[d]
			}
			f[d] = bal - it.in.SafetyStock
		}
		clear(w.gross[:hi+1])
		for d := h - 2; d >= 0; d-- {
			f[d] = min(f[d], f[d+1])
		}
		c.free[i] = f
	}
	return max(f[t], 0)
}

// atpDay is the first day from which q of item i is free, or -1.
func (c *ctp) atpDay(i int32, q int64) int {
	p := c.p
	it := &p.items[i]
	if plainLFL(it) && it.rec.len() == 0 {
		if c.freeFrom(i, 0) >= q {
			return 0
		}
		return -1
	}
	h := p.cal.horizon
	if c.freeFrom(i, int32(h-1)) < q {
		return -1
	}
	// free grows with t: binary search the first day that covers q
	lo, hi := 0, h-1
	for lo < hi {
		m := (lo + hi) / 2
		if c.freeFrom(i, int32(m)) >= q {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo
}

// run returns the ready day of q of item top, whether it comes from free
// supply, and the limiting item.
func (c *ctp) run(top int32, q int64) (int, bool, int32) {
	p := c.p
	// the request's BOM, in low-level-code order
	seen := map[int32]bool{top: true}
	order := []int32{top}
	for h := 0; h < len(order); h++ {
		it := &p.items[order[h]]
		if it.in.Kind == Buy {
			continue
		}
		for _, e := range it.comps {
			if !seen[e.to] {
				seen[e.to] = true
				order = append(order, e.to)
			}
		}
	}
	slices.SortStableFunc(order, func(a, b int32) int { return cmp.Compare(p.items[a].llc, p.items[b].llc) })
	pos := make(map[int32]int32, len(order))
	for k, i := range order {
		pos[i] = int32(k)
	}
	// components by position, once
	comps := make([][]int32, len(order))
	for k, i := range order {
		if p.items[i].in.Kind == Buy {
			continue
		}
		for _, e := range p.items[i].comps {
			comps[k] = append(comps[k], pos[e.to])
		}
	}
	n := len(order)
	need := make([]int64, n)
	ready := make([]int, n)
	limit := make([]int32, n)
	viaATP := make([]bool, n)
	next := make([]bool, n)
	for pass := 0; pass < 2; pass++ {
		clear(need)
		need[0] = q // top has the lowest code among its BOM's items
		for k, i := range order {
			it := &p.items[i]
			if need[k] == 0 || it.in.Kind == Buy || (pass > 0 && viaATP[k]) {
				continue
			}
			for j, e := range it.comps {
				need[comps[k][j]] += e.req(need[k])
			}
		}
		clear(next)
		for k := n - 1; k >= 0; k-- {
			if need[k] == 0 {
				ready[k], limit[k] = 0, order[k]
				continue
			}
			i := order[k]
			it := &p.items[i]
			mk, ml := 0, i
			if it.in.Kind == Buy || len(it.comps) == 0 {
				mk = p.cal.addWorking(0, it.in.LeadTime)
			} else {
				start := 0
				for _, c := range comps[k] {
					if need[c] > 0 && ready[c] > start {
						start, ml = ready[c], limit[c]
					}
				}
				mk = p.cal.addWorking(start, it.in.LeadTime)
			}
			if a := c.atpDay(i, need[k]); a >= 0 && a <= mk {
				ready[k], limit[k] = a, i
				next[k] = true
			} else {
				ready[k], limit[k] = mk, ml
			}
		}
		viaATP, next = next, viaATP
	}
	return ready[0], viaATP[0], limit[0]
}
