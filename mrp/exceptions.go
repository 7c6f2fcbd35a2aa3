package mrp

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// ExceptionKind names an exception message.
type ExceptionKind uint8

const (
	// RescheduleIn: a scheduled receipt is needed before its due date
	// (Date) and the plan counts it on To.
	RescheduleIn ExceptionKind = iota
	// RescheduleOut: a scheduled receipt is not needed until To.
	RescheduleOut
	// Cancel: a scheduled receipt is not needed within the horizon.
	Cancel
	// ReleasePastDue: a planned order should have been released before the
	// planning date (Date is its release date, To its due date).
	ReleasePastDue
	// BelowSafetyStock: from Date the balance falls below safety stock by
	// Qty, because replenishment cannot arrive in time.
	BelowSafetyStock
	// Late: a demand cannot be met on time with the lead times given; To
	// is an estimate of when it can, Limit the item whose order should
	// have been released earliest.
	Late
)

func (k ExceptionKind) String() string {
	switch k {
	case RescheduleIn:
		return "reschedule-in"
	case RescheduleOut:
		return "reschedule-out"
	case Cancel:
		return "cancel"
	case ReleasePastDue:
		return "release-past-due"
	case BelowSafetyStock:
		return "below-safety-stock"
	case Late:
		return "late"
	}
	return fmt.Sprintf("exception(%d)", uint8(k))
}

// Exception is one exception message.
type Exception struct {
	Kind ExceptionKind
	Item string
	// Ref is the receipt (reschedule, cancel), planned order (release past
	// due) or demand (late) concerned.
	Ref   string
	Date  time.Time
	To    time.Time // zero when not applicable
	Qty   int64
	Limit string // Late: the limiting item
}

func (e Exception) String() string {
	s := fmt.Sprintf("%s %s %s %s qty %d", e.Kind, e.Item, e.Ref, e.Date.Format(time.DateOnly), e.Qty)
	if !e.To.IsZero() {
		s += " -> " + e.To.Format(time.DateOnly)
	}
	if e.Limit != "" {
		s += " limited by " + e.Limit
	}
	return s
}

// Exceptions returns all exception messages of the plan: per item in input
// order the netting messages and past-due releases, then late demands
// (found by pegging past-due orders up to the demands they serve).
func (p *Planner) Exceptions() []Exception {
	var out []Exception
	type late struct {
		item  int32
		lag   int
		order int
	}
	lates := map[int32]late{}
	g := p.newPegger()
	for i := range p.items {
		it := &p.items[i]
		out = p.itemExceptions(out, int32(i))
		lt := int32(it.in.LeadTime)
		for k, due := range it.due {
			rel := p.cal.release(due, lt)
			if rel >= 0 {
				continue
			}
			lag := p.workingBetween(int(rel), 0)
			for _, s := range g.up(int32(i), int32(k)) {
				if l, ok := lates[s.dem]; !ok || lag > l.lag {
					lates[s.dem] = late{item: int32(i), lag: lag, order: k}
				}
			}
		}
	}
	dems := make([]int32, 0, len(lates))
	for d := range lates {
		dems = append(dems, d)
	}
	slices.SortFunc(dems, func(a, b int32) int { return cmp.Compare(p.demands[a].in.ID, p.demands[b].in.ID) })
	for _, d := range dems {
		l := lates[d]
		dm := &p.demands[d]
		out = append(out, Exception{Kind: Late, Item: dm.in.Item, Ref: dm.in.ID, Date: p.cal.date(int(dm.day)),
			To: p.cal.date(p.cal.addWorking(int(dm.day), l.lag)), Qty: dm.in.Qty, Limit: p.items[l.item].in.ID})
	}
	return out
}

// workingBetween counts working days in [a, b).
func (p *Planner) workingBetween(a, b int) int {
	n := 0
	for d := a; d < b; d++ {
		if p.cal.working(d) {
			n++
		}
	}
	return n
}

// ItemExceptions returns the exception messages of one item (all kinds but
// [Late], which belongs to demands: see [Planner.Exceptions]).
func (p *Planner) ItemExceptions(itemID string) ([]Exception, error) {
	i, ok := p.index[itemID]
	if !ok {
		return nil, &ItemError{Item: itemID, Err: ErrUnknownItem}
	}
	return p.itemExceptions(nil, i), nil
}

func (p *Planner) itemExceptions(out []Exception, i int32) []Exception {
	it := &p.items[i]
	for _, x := range it.exc {
		e := Exception{Kind: x.kind, Item: it.in.ID, Date: p.cal.date(int(x.day)), Qty: x.qty}
		if x.ref >= 0 {
			e.Ref = p.recs[x.ref].in.ID
		}
		if x.to >= 0 && x.kind != BelowSafetyStock {
			e.To = p.cal.date(int(x.to))
		}
		out = append(out, e)
	}
	lt := int32(it.in.LeadTime)
	for k, due := range it.due {
		if rel := p.cal.release(due, lt); rel < 0 {
			out = append(out, Exception{Kind: ReleasePastDue, Item: it.in.ID, Ref: orderID(it.in.ID, k),
				Date: p.cal.date(int(rel)), To: p.cal.date(int(due)), Qty: it.qty[k]})
		}
	}
	return out
}
