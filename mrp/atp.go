package mrp

import (
	"fmt"
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

// Promise computes an available-to-promise / capable-to-promise date. It
// first looks for uncommitted supply of the item in the current plan (the
// projected balance above safety stock that no later requirement needs);
// failing that, it plans a new order for the item: a purchased item comes
// its lead time after today at the earliest, a made one its lead time after
// all components are available, each component promised the same way
// recursively (a quantity promised from a component's free supply is not
// promised twice within one request). The plan is never changed.
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
	c := &ctp{p: p, w: p.newWorker(), free: map[int32][]int64{}, used: map[int32]int64{}}
	r := max(p.cal.demandDay(p.cal.day(req.Date)), 0)
	if int(r) >= p.cal.horizon {
		r = int32(p.cal.horizon - 1)
	}
	day, atp, limit := c.promise(i, req.Qty, r, 0)
	// available on the working day before a weekend request: deliver then
	day = max(day, p.cal.day(req.Date))
	out := &Promise{Item: req.Item, Qty: req.Qty, Day: day, Date: p.cal.date(day), ATP: atp}
	if day > p.cal.day(req.Date) {
		out.Late = true
		out.Limit = p.items[limit].in.ID
	}
	return out, nil
}

type ctp struct {
	p    *Planner
	w    *worker
	free map[int32][]int64 // item -> free[t] = min over d >= t of balance - safety stock
	used map[int32]int64   // quantity promised from an item's free supply so far
}

// freeFrom returns how much of item i is free from day t on.
func (c *ctp) freeFrom(i int32, t int32) int64 {
	p := c.p
	it := &p.items[i]
	if plainLFL(it) && len(it.rec) == 0 {
		// After a lot-for-lot item's first order its balance ends every
		// day at safety stock: nothing is free. Without orders, the stock
		// above safety stock left at the end is.
		if len(it.due) > 0 {
			return 0
		}
		return max(it.slack, 0) - c.used[i]
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
				bal += p.recs[it.rec[ri]].in.Qty
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
	return max(f[t], 0) - c.used[i]
}

// promise returns the earliest day >= r that q of item i can be available,
// whether that is from free supply, and the limiting item.
func (c *ctp) promise(i int32, q int64, r int32, depth int) (int, bool, int32) {
	p := c.p
	h := int32(p.cal.horizon)
	// free supply: the suffix minimum grows with t, so scan forward.
	for t := r; t < h; t++ {
		if c.freeFrom(i, t) >= q {
			c.used[i] += q
			return int(t), true, i
		}
		if plainLFL(&p.items[i]) && len(p.items[i].rec) == 0 {
			break // constant over t
		}
	}
	it := &p.items[i]
	lt := it.in.LeadTime
	if it.in.Kind == Buy || len(it.comps) == 0 || depth > 64 {
		due := max(int(r), p.cal.addWorking(0, lt))
		return due, false, i
	}
	// make it: components are needed on the release day
	rel := p.cal.release(r, int32(lt))
	start, limit := max(rel, 0), i
	for _, e := range it.comps {
		d, _, l := c.promise(e.to, e.req(q), max(rel, 0), depth+1)
		if int32(d) > start {
			start, limit = int32(d), l
		}
	}
	due := p.cal.addWorking(int(start), lt)
	if start == max(rel, 0) {
		limit = i // on time, or late by the item's own lead time
	}
	return max(int(r), due), false, limit
}
