package mrp

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/ctoplan/ctoplan/internal/invariants"
)

// PromiseRequest asks when Qty of Item can be delivered, wanted on Date.
// For a configured product, Item is its resolved variant's item ID.
type PromiseRequest struct {
	Item string
	Qty  int64
	Date time.Time
	// Capacity, when set, makes capable to promise respect the work
	// centers' free capacity: what must be made is placed on the hours
	// the plan's finite schedule leaves free. Nil plans with infinite
	// capacity (material and lead times only).
	Capacity *Capacity
	// Schedule is the plan's finite schedule on Capacity
	// ([Planner.FiniteSchedule]), to reuse across promises of one plan
	// version; nil computes it. Ignored without Capacity.
	Schedule *Schedule
}

// Promise is the answer to a [PromiseRequest].
type Promise struct {
	Item string
	Qty  int64
	// Date is the earliest date the quantity can be promised: the
	// requested date or later; Day counts from the planning date.
	Date time.Time
	Day  int
	// Start is the day an order of Item delivered on Date starts (its
	// lead-time release day, not before the planning date): a configured
	// product's variant is the one in force that day, as MRP explodes it.
	Start time.Time
	// ATP is true when the current plan's uncommitted supply of the item
	// covers the request (available to promise); false when it has to be
	// made or bought (capable to promise).
	ATP bool
	// Limit is the item whose availability, lead time or capacity sets
	// Date when it is later than requested ("" when on time).
	Limit string
	// WorkCenter is the work center whose free capacity keeps Limit from
	// being made sooner ("" when material or lead time sets Date, or
	// without a [PromiseRequest.Capacity]).
	WorkCenter string
	// Late is true when Date is after the requested date.
	Late bool
}

// Promise computes an available-to-promise / capable-to-promise date: the
// earliest day, not before the requested one, by which Qty of the item can
// be had without taking anything the current plan needs. The request is
// exploded through the item's BOM, and every item in it gets one need
// (summed over all paths) and one due day (the earliest day a parent that
// makes it starts). Each item covers its need first from its uncommitted
// supply in the current plan (the projected balance above safety stock
// that no later requirement needs) as it stands on its due day, then by a
// new order for the rest, started no earlier than today: bought with its
// lead time, or made with its lead time once its components are there,
// components being exploded only for what is made. Feasibility grows with
// the day (a later day frees more supply and leaves more time), so the
// earliest feasible day is found by binary search. The plan is never
// changed.
//
// With a [PromiseRequest.Capacity], an order to make also needs its
// operations' hours (setup plus run time for what is made) on its work
// centers' capacity left free by the plan's finite schedule: placed
// backwards from the end of the day it is due, in sequence, as late as
// the free hours allow, never before today. It starts on the earlier of
// its lead-time release day and its first operation's day, and its
// components are due then. Orders of one promise take hours from each
// other, parents first (they are placed latest).
//
// ctx is checked between the feasibility tests of the search.
func (p *Planner) Promise(ctx context.Context, req PromiseRequest) (*Promise, error) {
	i, ok := p.index[req.Item]
	if !ok {
		return nil, &ItemError{Item: req.Item, Err: ErrUnknownItem}
	}
	if req.Qty <= 0 || req.Qty > MaxQty {
		return nil, fmt.Errorf("%w: promise quantity %d not in (0, %d]", ErrInvalid, req.Qty, int64(MaxQty))
	}
	if req.Date.IsZero() {
		return nil, fmt.Errorf("%w: promise: no requested date", ErrInvalid)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c := &ctp{p: p, ctx: ctx, w: p.newWorker(), free: map[int32][]int64{}}
	if req.Capacity != nil {
		sc := req.Schedule
		if sc == nil {
			var err error
			if sc, err = p.FiniteSchedule(req.Capacity); err != nil {
				return nil, err
			}
		}
		c.hours = newFreeHours(p, req.Capacity, sc)
	}
	want := p.cal.day(req.Date)
	day, atp, limit, err := c.run(i, req.Qty, max(want, 0))
	if err != nil {
		return nil, err
	}
	day = max(day, want)
	out := &Promise{Item: req.Item, Qty: req.Qty, Day: day, Date: p.cal.date(day), ATP: atp}
	out.Start = p.ReleaseDate(out.Date, p.items[i].in.LeadTime)
	if day > want {
		out.Late = true
		out.Limit = p.items[limit.item].in.ID
		out.WorkCenter = limit.wc
	}
	return out, nil
}

// limit is what keeps a promise from an earlier day: an item, and the
// work center whose free capacity it lacks ("" for material or lead time).
type limit struct {
	item int32
	wc   string
}

type ctp struct {
	p    *Planner
	ctx  context.Context
	w    *worker
	free map[int32][]int64 // item -> free[t] = min over d >= t of balance - safety stock
	// hours is the work centers' free capacity (nil: infinite)
	hours *freeHours
}

// freeHours is the capacity a finite schedule leaves free, per work
// center and day (from the planning date; filled in per work center when
// first asked), with one feasibility test's tentative takes.
type freeHours struct {
	p     *Planner
	c     *Capacity
	days  int
	used  map[string][]float64 // hours the schedule takes
	free  map[string][]float64
	taken []hourTake
}

type hourTake struct {
	f []float64
	d int
	h float64
}

func newFreeHours(p *Planner, c *Capacity, s *Schedule) *freeHours {
	f := &freeHours{p: p, c: c, days: s.Days, used: map[string][]float64{}, free: map[string][]float64{}}
	used := make([][]float64, len(s.wcs))
	for _, op := range s.ops {
		if len(op.days) == 0 {
			continue
		}
		u := used[op.wc]
		if u == nil {
			u = make([]float64, f.days)
			used[op.wc] = u
			f.used[s.wcs[op.wc]] = u
		}
		for _, dh := range op.days {
			if dh.Day >= 0 && dh.Day < f.days {
				u[dh.Day] += dh.Hours
			}
		}
	}
	return f
}

// of returns the free hours of work center wc by day.
func (f *freeHours) of(wc string) []float64 {
	if x, ok := f.free[wc]; ok {
		return x
	}
	x := make([]float64, f.days)
	k := f.c.index(wc)
	u := f.used[wc]
	for d := range x {
		x[d] = f.c.availAt(k, f.p.cal.date(d), f.p.workingDay(d))
		if u != nil {
			x[d] -= u[d]
		}
		x[d] = max(x[d], 0)
	}
	f.free[wc] = x
	return x
}

// place takes the hours of ops for qty units backwards from the end of
// day due (operations in sequence; one may share a day with the next),
// as late as the free hours allow, and returns the first operation's
// start day; -1 and the work center when the hours do not fit from day 0
// on. Takes are tentative until rollback.
func (f *freeHours) place(ops []Operation, due int, qty int64) (int, string) {
	d := min(due, f.days-1)
	for k := len(ops) - 1; k >= 0; k-- {
		left := ops[k].SetupHours + ops[k].RunHours*float64(qty)
		if left <= capEps {
			continue
		}
		x := f.of(ops[k].WorkCenter)
		for {
			for d >= 0 && x[d] <= capEps {
				d--
			}
			if d < 0 {
				return -1, ops[k].WorkCenter
			}
			h := min(left, x[d])
			x[d] -= h
			f.taken = append(f.taken, hourTake{x, d, h})
			if left -= h; left <= capEps {
				break
			}
			d--
		}
	}
	return max(d, 0), ""
}

// rollback gives back the tentative takes.
func (f *freeHours) rollback() {
	for _, t := range f.taken {
		t.f[t.d] += t.h
	}
	f.taken = f.taken[:0]
}

// freeFrom returns how much of item i is free from day t on.
func (c *ctp) freeFrom(i int32, t int32) int64 {
	p := c.p
	it := &p.items[i]
	if plainLFL(it) && !it.rec.some() && len(it.firm) == 0 {
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
			// a planned order counts when it can arrive: one whose
			// release day is past arrives its lead time from today
			for oi < len(it.due) && p.arrivalOf(i, FromPlanned, int(it.due[oi])) <= d {
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

// request is the BOM of one promise request: its items in low-level-code
// order (top first, every parent before its components) and, per item,
// the positions of its components; with the per-item state of one
// feasibility check.
type request struct {
	order []int32   // items, parents first
	comps [][]int32 // comps[k]: positions of order[k]'s components (nil for buy items)
	need  []int64
	due   []int   // the day item k must be ready
	made  []int64 // what item k makes or buys
}

// capQty bounds needs in a promise (saturating: a request so large that
// its needs would overflow is simply never covered by free supply).
const capQty = int64(1) << 62

func satAdd(a, b int64) int64 {
	if b > capQty-a {
		return capQty
	}
	return a + b
}

func satReq(e *edge, q int64) int64 {
	if e.mul > 0 {
		if q > capQty/int64(e.mul) {
			return capQty
		}
		return q * int64(e.mul)
	}
	if float64(q)*e.factor >= float64(capQty) {
		return capQty
	}
	return min(e.req(q), capQty)
}

func (c *ctp) explode(top int32) *request {
	p := c.p
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
	n := len(order)
	r := &request{order: order, comps: make([][]int32, n),
		need: make([]int64, n), due: make([]int, n), made: make([]int64, n)}
	for k, i := range order {
		if p.items[i].in.Kind == Buy {
			continue
		}
		for _, e := range p.items[i].comps {
			r.comps[k] = append(r.comps[k], pos[e.to])
		}
	}
	return r
}

// latestStart is the latest day s >= 0 such that an order started on s
// with lead time lt is there on day d, or -1 if none is.
func (c *ctp) latestStart(d int, lt int) int {
	k := c.p.cal
	if d < k.horizon {
		// Within the calendar it is the release day of an order due on d
		// (a working day: a later, idle day would start on the next
		// working one, after the release day).
		return max(int(k.release(int32(d), int32(lt))), -1)
	}
	if k.addWorking(0, lt) > d {
		return -1
	}
	lo, hi := 0, d // addWorking(lo, lt) <= d; addWorking grows with s
	for lo < hi {
		m := lo + (hi-lo+1)/2
		if k.addWorking(m, lt) <= d {
			lo = m
		} else {
			hi = m - 1
		}
	}
	return lo
}

// feasible reports whether q of the request's top item can be had by day
// d, and else the first item (parents first) that cannot be had by the
// day it is due (with the work center it lacks hours on). Every item takes
// as much of its need from free supply as is free on its due day (taking
// more never hurts: it only lowers what must be made and so the
// components' needs) and makes the rest.
func (c *ctp) feasible(r *request, q int64, d int) (bool, limit) {
	if c.hours != nil {
		defer c.hours.rollback()
	}
	p := c.p
	h := p.cal.horizon
	clear(r.need)
	r.need[0] = q
	for k := range r.due {
		r.due[k] = math.MaxInt
	}
	// due on a non-working day, it is netted on the working day before
	r.due[0] = int(p.cal.demandDay(d))
	for k, i := range r.order {
		r.made[k] = 0
		if r.need[k] == 0 {
			continue
		}
		it := &p.items[i]
		m := r.need[k] - min(c.freeFrom(i, int32(min(r.due[k], h-1))), r.need[k])
		if m == 0 {
			continue
		}
		// what is made is a lot, as MRP would order it: its components
		// and hours are the lot's
		m = lotFor(it, m)
		r.made[k] = m
		s := c.latestStart(r.due[k], it.in.LeadTime)
		if s < 0 {
			return false, limit{item: i}
		}
		release := s // the BOM in force then, as MRP explodes the order
		if c.hours != nil && it.in.Kind == Make && len(it.in.Operations) > 0 {
			first, wc := c.hours.place(routing(it), r.due[k], m)
			if first < 0 {
				return false, limit{item: i, wc: wc}
			}
			s = min(s, first)
		}
		for j, ck := range r.comps[k] {
			e := &it.comps[j]
			if !e.on(int32(release)) {
				continue // a dated BOM line not in force on the order's release
			}
			r.need[ck] = satAdd(r.need[ck], satReq(e, m))
			r.due[ck] = min(r.due[ck], s)
		}
	}
	return true, limit{item: -1}
}

// lotFor is what item it orders for a net need m (> 0) in one lot, as its
// lot sizing rounds it: a fixed lot's multiple, the minimum, the
// multiple, split by the maximum (the sum of the orders). Period and
// Wagner-Whitin lots are taken as lot for lot (a promise's need is not
// grouped with the plan's own).
func lotFor(it *item, m int64) int64 {
	l := &it.in.Lot
	if it.lfl || it.in.Kind == Phantom {
		return m
	}
	need := m
	if l.Policy == FixedQty && l.Qty > 0 {
		need = (need + l.Qty - 1) / l.Qty * l.Qty
	}
	total := roundLot(l, need)
	if l.Max > 0 && total > l.Max {
		// splitLot's orders: whole chunks, the last one rounded
		chunk := l.chunk()
		n := (need - 1) / chunk
		total = n*chunk + roundLot(l, need-n*chunk)
	}
	return min(total, capQty)
}

// run returns the earliest day from want on by which q of item top can be
// had, whether the top item's free supply covers it all, and the item that
// keeps the day from being earlier (top when on time).
func (c *ctp) run(top int32, q int64, want int) (int, bool, limit, error) {
	r := c.explode(top)
	if ok, _ := c.feasible(r, q, want); ok {
		return want, r.made[0] == 0, limit{item: top}, nil
	}
	// Making everything is feasible by the day each item would be ready
	// if nothing were free: an upper bound.
	ready := make([]int, len(r.order))
	for k := len(r.order) - 1; k >= 0; k-- {
		start := 0
		for _, ck := range r.comps[k] {
			start = max(start, ready[ck])
		}
		ready[k] = c.p.cal.addWorking(start, c.p.items[r.order[k]].in.LeadTime)
	}
	lo, hi := want, max(ready[0], want) // feasible(lo) is false, feasible(hi) true
	if c.hours != nil {
		// With capacity, making everything by the ready day may not fit:
		// double the distance until it does, within the schedule's days.
		for step := max(hi-lo, 1); ; step *= 2 {
			if err := c.ctx.Err(); err != nil {
				return 0, false, limit{}, err
			}
			ok, lim := c.feasible(r, q, hi)
			if ok {
				break
			}
			if hi >= c.hours.days-1 {
				// It does not fit within the schedule's days at all: the
				// day after them, as the finite schedule dates an order it
				// cannot place ([Schedule.Delivery]).
				return c.hours.days, r.made[0] == 0, lim, nil
			}
			lo, hi = hi, min(hi+step, c.hours.days-1)
		}
	}
	for hi-lo > 1 {
		if err := c.ctx.Err(); err != nil {
			return 0, false, limit{}, err
		}
		m := lo + (hi-lo)/2
		if ok, _ := c.feasible(r, q, m); ok {
			hi = m
		} else {
			lo = m
		}
	}
	_, lim := c.feasible(r, q, hi-1)
	if ok, _ := c.feasible(r, q, hi); !ok {
		// Every item is there by its ready day when all is made (and the
		// search above found a feasible day with capacity), so this is a
		// bug, never an answer.
		return 0, false, limit{}, fmt.Errorf("mrp: promise of %s: not feasible on day %d although everything can be made by then (a bug: please report it with the plant)", c.p.items[top].in.ID, hi)
	}
	atp := r.made[0] == 0
	if invariants.Enabled {
		c.checkEarliest(r, q, want, hi) // tests again: read r's state before
	}
	return hi, atp, lim, nil
}
