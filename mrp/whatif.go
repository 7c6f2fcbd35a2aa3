package mrp

import (
	"fmt"
	"slices"
	"sync"
	"time"
)

// Rush is a what-if question: can the demand (a rush sales-order line,
// with its priority) be delivered by its due date, and what does it do to
// the other sales orders?
type Rush struct {
	Demand Demand
	// Items are planning items the demand needs that the plan does not
	// have yet (the nodes of a new configured variant, [BOMSource.Items]);
	// items the plan has are ignored.
	Items []Item
}

// RushAnswer is the answer to a [Rush].
type RushAnswer struct {
	Demand string
	// Requested is the rush line's due date; Promised the date it can be
	// delivered with material and capacity (finite schedule of the plan
	// with the rush line added); LateDays the difference when positive.
	Requested, Promised time.Time
	LateDays            int
	// Limit and Reason say what sets Promised when it is late.
	Limit, Reason string
	// Delayed lists the existing sales-order lines that would be
	// delivered later than they are now, by demand ID.
	Delayed []Delay
	changes []Change
}

// Delay is an existing sales-order line a rush order would push back.
type Delay struct {
	Demand           string
	Before, After    time.Time // finite delivery without and with the rush order
	Days             int       // After - Before in days
	LateBefore, Late int       // days late against the due date, without and with
}

// Accept returns the changes that book the rush line into the plan, new
// items first: apply them together ([Planner.Apply], or [Store.Apply] for
// one transaction).
func (a *RushAnswer) Accept() []Change { return slices.Clone(a.changes) }

// WhatIf answers a rush order without changing the plan: it plans a copy
// of the inputs with the rush line added (net of what stock, receipts and
// the plan already cover), schedules both plans finitely on c (base is
// the current plan's finite schedule; nil computes it), and compares every
// sales-order line's finite delivery date. To accept, apply
// [RushAnswer.Accept]; to drop, do nothing. Without base, the current
// plan's schedule is made beside the copy's plan and schedule, on a
// goroutine of its own (both only read p, as [Planner.FiniteSchedule]
// does; WhatIf returns only after both): on a 10,000-item plant the two
// schedules are most of the answer's time.
func (p *Planner) WhatIf(c *Capacity, base *Schedule, r Rush) (*RushAnswer, error) {
	d := r.Demand
	if d.ID == "" || d.Item == "" || d.Qty <= 0 || d.Due.IsZero() || d.Forecast {
		return nil, fmt.Errorf("%w: rush order: want an id, an item, a quantity > 0 and a due date (not a forecast)", ErrInvalid)
	}
	if _, ok := p.demandIx[d.ID]; ok && p.demands[p.demandIx[d.ID]].live {
		return nil, fmt.Errorf("%w: rush order %s: a demand with this ID exists", ErrInvalid, d.ID)
	}
	if base == nil {
		var wg sync.WaitGroup
		var baseErr error
		wg.Go(func() { base, baseErr = p.FiniteSchedule(c) })
		defer wg.Wait() // no return leaves it reading p
		return p.whatIf(c, r, d, func() (*Schedule, error) { wg.Wait(); return base, baseErr })
	}
	return p.whatIf(c, r, d, func() (*Schedule, error) { return base, nil })
}

// whatIf is WhatIf from the copy of the inputs on; base waits for the
// current plan's schedule.
func (p *Planner) whatIf(c *Capacity, r Rush, d Demand, base func() (*Schedule, error)) (*RushAnswer, error) {
	in := p.Input()
	var changes []Change
	for _, it := range r.Items {
		if _, ok := p.index[it.ID]; ok || slices.ContainsFunc(in.Items, func(x Item) bool { return x.ID == it.ID }) {
			continue
		}
		in.Items = append(in.Items, it)
		changes = append(changes, SetItem{Item: it})
	}
	in.Demands = append(in.Demands, d)
	q, err := New(in, p.opts)
	if err != nil {
		return nil, fmt.Errorf("rush order %s: %w", d.ID, err)
	}
	q.progress = p.progress // read only: the released orders' remaining operations
	s, err := q.FiniteSchedule(c)
	if err != nil {
		return nil, err
	}
	dl, err := s.Delivery(d.ID)
	if err != nil {
		return nil, err
	}
	bs, err := base()
	if err != nil {
		return nil, err
	}
	a := &RushAnswer{Demand: d.ID, Requested: dateOf(d.Due), Promised: dl.Expected, LateDays: dl.LateDays, Limit: dl.Limit, Reason: dl.Reason,
		changes: append(changes, SetDemand{Demand: d})}
	for k := range p.demands {
		dm := &p.demands[k]
		if !dm.live || dm.in.Forecast {
			continue
		}
		before, err1 := bs.Delivery(dm.in.ID)
		after, err2 := s.Delivery(dm.in.ID)
		if err1 != nil || err2 != nil {
			continue
		}
		if after.ExpectedDay > before.ExpectedDay {
			a.Delayed = append(a.Delayed, Delay{Demand: dm.in.ID, Before: before.Expected, After: after.Expected,
				Days: after.ExpectedDay - before.ExpectedDay, LateBefore: before.LateDays, Late: after.LateDays})
		}
	}
	slices.SortFunc(a.Delayed, func(x, y Delay) int { return cmpString(x.Demand, y.Demand) })
	return a, nil
}
