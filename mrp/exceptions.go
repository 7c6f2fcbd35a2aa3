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
	// Late: a demand cannot be met on time with the lead times given: a
	// supply pegged to it arrives after its day. To is the earliest day
	// that supply can arrive (past-due orders started today, their parents
	// started when their components arrive), Limit the item of the
	// past-due order this delay starts from.
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
// order the netting messages and past-due releases, then late demands.
//
// A demand is late when a supply pegged to it cannot be there by its day.
// Dates travel up the pegging: a past-due order can start on day 0 and
// arrives its lead time later; an order whose pegged component supply
// arrives after its release starts then instead. An order is late for a
// requirement only if it arrives after that requirement's day, so the
// surplus of a late lot that covers a later requirement in time is not
// late (the lateness goes to the requirements it really misses).
func (p *Planner) Exceptions() []Exception {
	var out []Exception
	for i := range p.items {
		out = p.itemExceptions(out, int32(i))
	}
	return append(out, p.lateDemands()...)
}

// delay is when a requirement's supply arrives at the earliest, and the
// past-due order that delay starts from.
type delay struct {
	day    int32
	origin int32 // item of the past-due order
}

// lateDemands finds the late demands (see [Planner.Exceptions]). Items
// are visited components first (highest low-level code first), so an
// order's start is known before it is pushed to its parents; only past-due
// orders and the orders they delay are pegged.
func (p *Planner) lateDemands() []Exception {
	g := p.pegging()
	pw := &pegWorker{w: p.newWorker()}
	// start[(item, order)]: the latest arrival of a component supply
	// pegged to that order, when after its release.
	start := map[int64]delay{}
	// started[i]: start holds an order of item i (most items' orders are
	// not delayed: they skip the look-up)
	started := make([]bool, len(p.items))
	lates := map[int32]delay{}
	for l := len(p.levels) - 1; l >= 0; l-- {
		for _, i := range p.levels[l] {
			it := &p.items[i]
			lt := int32(it.in.LeadTime)
			var a *alloc
			delayed := started[i]
			for k, due := range it.due {
				rel := p.cal.release(due, lt)
				st := delay{day: rel, origin: -1}
				if rel < 0 {
					st = delay{day: 0, origin: i}
				}
				if !delayed {
					if rel >= 0 {
						// on time, and so are the later orders: their
						// release days do not fall
						break
					}
				} else if s, ok := start[int64(i)<<32|int64(k)]; ok && s.day > st.day {
					st = s
				}
				if st.origin < 0 {
					continue // starts on its release: arrives on time
				}
				arr := max(due, int32(p.cal.addWorking(int(st.day), it.in.LeadTime)))
				if arr <= due && rel >= 0 {
					continue
				}
				if a == nil {
					a = p.itemAlloc(g, i, pw)
				}
				if k >= len(a.ordSup) {
					continue
				}
				for _, lk := range a.supLinks(a.ordSup[k]) {
					r := &a.reqs[lk.req]
					if arr <= r.day {
						continue // this requirement is covered in time
					}
					d := delay{day: arr, origin: st.origin}
					if r.dem >= 0 {
						if x, ok := lates[r.dem]; !ok || d.day > x.day {
							lates[r.dem] = d
						}
						continue
					}
					started[r.par] = true
					key := int64(r.par)<<32 | int64(r.ord)
					if x, ok := start[key]; !ok || d.day > x.day {
						start[key] = d
					}
				}
			}
		}
	}
	dems := make([]int32, 0, len(lates))
	for d := range lates {
		dems = append(dems, d)
	}
	slices.SortFunc(dems, func(a, b int32) int { return cmp.Compare(p.demands[a].in.ID, p.demands[b].in.ID) })
	out := make([]Exception, 0, len(dems))
	for _, d := range dems {
		l := lates[d]
		dm := &p.demands[d]
		out = append(out, Exception{Kind: Late, Item: dm.in.Item, Ref: dm.in.ID, Date: p.cal.date(int(dm.day)),
			To: p.cal.date(int(l.day)), Qty: dm.in.Qty, Limit: p.items[l.origin].in.ID})
	}
	return out
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
	for x := range it.exc {
		out = append(out, p.excMessage(i, x))
	}
	for k := range it.due {
		if p.cal.release(it.due[k], it.lt) >= 0 {
			// the orders are sorted by due day and the release day never
			// falls as the due day rises: no later order is past due
			break
		}
		out = append(out, p.pastDue(i, k))
	}
	return out
}

// excMessage is item i's netting message x (it.exc[x]).
func (p *Planner) excMessage(i int32, x int) Exception {
	it := &p.items[i]
	m := &it.exc[x]
	e := Exception{Kind: m.kind, Item: it.in.ID, Date: p.cal.date(int(m.day)), Qty: m.qty}
	if m.ref >= 0 {
		e.Ref = p.recs[m.ref].in.ID
	} else if m.ref <= -2 {
		e.Ref = p.firms[-2-m.ref].in.ID // a firm planned order
	}
	if m.to >= 0 && m.kind != BelowSafetyStock {
		e.To = p.cal.date(int(m.to))
	}
	return e
}

// pastDue is the release-past-due message of item i's order k (released
// before the planning date).
func (p *Planner) pastDue(i int32, k int) Exception {
	it := &p.items[i]
	rel, due := p.cal.release(it.due[k], it.lt), it.due[k]
	return Exception{Kind: ReleasePastDue, Item: it.in.ID, Ref: p.orderID(i, k),
		Date: p.cal.date(int(rel)), To: p.cal.date(int(due)), Qty: it.qty[k]}
}
