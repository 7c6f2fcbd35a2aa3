package mrp

import (
	"cmp"
	"fmt"
	"math"
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
// safety stock that no later requirement needs) covers its whole need
// (ATP), and the day a new order for the rest — the need less what is free
// today — could deliver it (CTP): its lead time after today for a
// purchased item, its lead time after its last component is ready for a
// made one. Components are exploded only for what is made, and the passes
// repeat until no item's choice changes, so a component's free stock may
// cover a smaller rest where it could not cover the whole request. The
// plan is never changed.
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
	want := p.cal.day(req.Date)
	day, atp, limit := c.run(i, req.Qty, want)
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
	if plainLFL(it) && it.rec.len() == 0 && len(it.firm) == 0 {
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
	if plainLFL(it) && it.rec.len() == 0 && len(it.firm) == 0 {
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
//
// A dated BOM ([Item.BOMChanges]) is exploded as the plan would for a
// delivery on the requested day want: the top item on the day its order
// for that day would start, each component on the day its order would
// start for the earliest of its parents' explosion days.
func (c *ctp) run(top int32, q int64, want int) (int, bool, int32) {
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
	// explosion days, top-down (parents have lower codes)
	exd := make([]int32, n)
	for k := range exd {
		exd[k] = dayMax
	}
	start := func(i int32, due int32) int32 {
		return max(p.cal.release(min(due, int32(p.cal.horizon-1)), p.items[i].lt), 0)
	}
	exd[0] = start(top, int32(min(max(want, 0), p.cal.horizon-1)))
	for k, i := range order {
		if exd[k] == dayMax {
			continue // reached only through edges not in force
		}
		for j, e := range p.items[i].comps {
			if p.items[i].in.Kind != Buy && e.on(exd[k]) {
				ck := comps[k][j]
				exd[ck] = min(exd[ck], start(e.to, exd[k]))
			}
		}
	}
	need := make([]int64, n)
	mkq := make([]int64, n) // units each item makes (or buys); components are provisioned for them
	ready := make([]int, n)
	limit := make([]int32, n)
	viaATP := make([]bool, n)
	for k := range mkq {
		mkq[k] = math.MaxInt64 // before the first pass: make everything
	}
	// makeDay is when item k could make (or buy) what it makes, and the
	// item that limits it.
	makeDay := func(k int) (int, int32) {
		i := order[k]
		it := &p.items[i]
		if it.in.Kind == Buy || len(it.comps) == 0 {
			return p.cal.addWorking(0, it.in.LeadTime), i
		}
		start, lim := 0, i
		for _, c := range comps[k] {
			if need[c] > 0 && ready[c] > start {
				start, lim = ready[c], limit[c]
			}
		}
		return p.cal.addWorking(start, it.in.LeadTime), lim
	}
	for pass := 0; pass < 8; pass++ {
		// needs, top-down: a component serves what its parents make
		clear(need)
		need[0] = q // top has the lowest code among its BOM's items
		for k, i := range order {
			it := &p.items[i]
			mkq[k] = min(mkq[k], need[k])
			if mkq[k] == 0 || it.in.Kind == Buy {
				continue
			}
			for j, e := range it.comps {
				if e.on(exd[k]) {
					need[comps[k][j]] += e.req(mkq[k])
				}
			}
		}
		// ready days, components first. An item takes the earlier of: all
		// of its need from free supply (the first day enough is free), or
		// what is free today plus the rest made, which its components are
		// provisioned for when the rest is at most what it makes (mkq).
		// Needs and mkq only fall from pass to pass, so an option taken
		// in one pass stays open in the next: the passes end at a fixed
		// point where every item's choice is provisioned.
		changed := false
		for k := n - 1; k >= 0; k-- {
			i := order[k]
			if need[k] == 0 {
				ready[k], limit[k], viaATP[k] = 0, i, false
				continue
			}
			rest := need[k] - min(c.freeFrom(i, 0), need[k])
			mk, ml := 0, i
			if rest > 0 {
				mk, ml = makeDay(k)
			}
			m := rest
			if a := c.atpDay(i, need[k]); a >= 0 && (rest > mkq[k] || a <= mk) {
				ready[k], limit[k], viaATP[k], m = a, i, true, 0
			} else {
				// rest > mkq[k] here would mean components not provisioned
				// for it; the fixed point rules that out, and if it ever
				// happened the next pass would provision them.
				ready[k], limit[k], viaATP[k] = mk, ml, rest == 0
			}
			if m != mkq[k] {
				mkq[k], changed = m, true
			}
		}
		if !changed {
			break
		}
	}
	return ready[0], viaATP[0], limit[0]
}
