package mrp

import (
	"fmt"
	"slices"
	"time"
)

// FiniteOrder is a production order placed by [Planner.FiniteSchedule].
type FiniteOrder struct {
	ID, Item string
	Qty      int64
	// Released is set for a released production order (a scheduled
	// receipt); otherwise it is a planned or firm planned order.
	Released bool
	// Priority is the highest priority of the sales-order lines it serves.
	Priority int
	// DueDay, StartDay and FinishDay count days from the planning date;
	// LateDays is FinishDay - DueDay when positive.
	DueDay, StartDay, FinishDay, LateDays int
	Due, Start, Finish                    time.Time
	// Forward is set when the order did not fit backwards from its due
	// date and starts as early as it can.
	Forward bool
	Ops     []FiniteOp
	// Unscheduled says why the order could not be placed (then the days
	// are zero).
	Unscheduled string
}

// FiniteOp is one operation of a [FiniteOrder].
type FiniteOp struct {
	Seq                 int
	WorkCenter          string
	Hours               float64
	StartDay, FinishDay int
	Start, Finish       time.Time // dates
	// Days are the hours the operation takes on each day it uses.
	Days []DayHours
}

// Schedule is a finite-capacity schedule of one plan version's
// production orders (see [Planner.FiniteSchedule]).
type Schedule struct {
	Orders []FiniteOrder // by item order of the plan, then due day; released orders last
	// Days is the number of days scheduled from the planning date.
	Days  int
	start time.Time
	byID  map[string]int
	dem   map[string]*demandSched
}

type demandSched struct {
	id       string
	due      int
	tops     []int // jobs at the top of its supply tree
	material int   // latest day a purchased top-level supply arrives
	matRef   string
}

// Delivery is a sales-order line's delivery date in a finite schedule.
type Delivery struct {
	Demand string
	// DueDay is the requested day, ExpectedDay the day the last order
	// of its supply tree finishes (the due day when that is earlier).
	DueDay, ExpectedDay, LateDays int
	Due, Expected                 time.Time
	// Limit is the order (or purchase) that sets ExpectedDay; Reason
	// says why it is late ("" when on time).
	Limit, Reason string
}

// scheduleSlack is how many days past the horizon a finite schedule may
// push an order.
const scheduleSlack = 730

// FiniteSchedule places every production order of the plan (planned,
// firm and released, with a routing) on its work centers' capacity c
// with [ScheduleJobs]: by priority (the highest of the sales-order lines
// an order is pegged to, all levels up), then due day; the orders of an
// order's make components (from the pegging) finish before it starts and
// it starts no earlier than its purchased components arrive (a purchase
// order due late holds it up). Purchases are not scheduled. Orders of
// items without a routing take no capacity and are not listed.
func (p *Planner) FiniteSchedule(c *Capacity) (*Schedule, error) {
	return p.finiteSchedule(c, nil)
}

// finiteSchedule is FiniteSchedule with per-demand priority overrides.
func (p *Planner) finiteSchedule(c *Capacity, prio map[string]int) (*Schedule, error) {
	days := p.cal.horizon + scheduleSlack
	s := &Schedule{Days: days, start: p.cal.start, byID: map[string]int{}, dem: map[string]*demandSched{}}
	var jobs []Job
	p.eachProductionOrder(func(i int32, ops []Operation, due int, qty int64, ko int) {
		it := &p.items[i]
		oid := p.prodOrderID(i, ko)
		o := FiniteOrder{ID: oid, Item: it.in.ID, Qty: qty, DueDay: due, Due: p.cal.date(due), Ops: make([]FiniteOp, len(ops))}
		j := Job{ID: oid, Due: due, Release: int(p.cal.release(int32(due), int32(it.in.LeadTime))), Ops: make([]JobOp, len(ops))}
		for k, op := range ops {
			h := op.SetupHours + op.RunHours*float64(qty)
			o.Ops[k] = FiniteOp{Seq: op.Seq, WorkCenter: op.WorkCenter, Hours: h}
			j.Ops[k] = JobOp{WorkCenter: op.WorkCenter, Hours: h}
		}
		s.byID[oid] = len(s.Orders)
		s.Orders = append(s.Orders, o)
		jobs = append(jobs, j)
	})
	for r := range p.recs {
		if rc := &p.recs[r]; rc.live && rc.in.Kind == ProductionOrder {
			if n, ok := s.byID[rc.in.ID]; ok {
				s.Orders[n].Released = true
			}
		}
	}
	// pegging: priorities, component precedence, material, and the
	// orders each sales-order line waits for
	for d := range p.demands {
		dm := &p.demands[d]
		if !dm.live || dm.in.Forecast {
			continue
		}
		pr := dm.in.Priority
		if v, ok := prio[dm.in.ID]; ok {
			pr = v
		}
		tree, err := p.SupplyTree(dm.in.ID)
		if err != nil {
			return nil, err
		}
		ds := &demandSched{id: dm.in.ID, due: p.cal.day(dm.in.Due), material: -1}
		s.dem[dm.in.ID] = ds
		var walk func(n *PegNode, parent int)
		walk = func(n *PegNode, parent int) {
			j, isJob := s.byID[n.Supply.ID]
			isJob = isJob && n.Supply.Kind != FromStock
			switch {
			case isJob:
				jobs[j].Priority = max(jobs[j].Priority, pr)
				s.Orders[j].Priority = jobs[j].Priority
				if parent >= 0 {
					if !slices.Contains(jobs[parent].After, j) {
						jobs[parent].After = append(jobs[parent].After, j)
					}
				} else if !slices.Contains(ds.tops, j) {
					ds.tops = append(ds.tops, j)
				}
				parent = j
			case n.Supply.Kind != FromStock && n.Children == nil:
				// a purchase (or an order without routing and components):
				// its parent waits for it to arrive
				arrive := p.arrival(n)
				if parent >= 0 {
					jobs[parent].Earliest = max(jobs[parent].Earliest, arrive)
				} else if arrive > ds.material {
					ds.material, ds.matRef = arrive, n.Supply.ID
				}
			}
			for _, c := range n.Children {
				walk(c, parent)
			}
		}
		for _, n := range tree {
			walk(n, -1)
		}
	}
	// the calendar once for all work centers
	dates, working := make([]time.Time, days), make([]bool, days)
	for d := range days {
		dates[d], working[d] = p.cal.date(d), p.workingDay(d)
	}
	lastWC, last := "", -1
	plans, err := ScheduleJobs(jobs, days, func(wc string, d int) float64 {
		if wc != lastWC || last < 0 {
			lastWC, last = wc, c.index(wc)
		}
		return c.availAt(last, dates[d], working[d])
	})
	if err != nil {
		return nil, err
	}
	for n := range s.Orders {
		o, pl := &s.Orders[n], &plans[n]
		if pl.Unscheduled != "" {
			o.Unscheduled = pl.Unscheduled
			continue
		}
		o.StartDay, o.FinishDay, o.LateDays, o.Forward = pl.Start, pl.Finish, pl.Late, pl.Forward
		o.Start, o.Finish = p.cal.date(pl.Start), p.cal.date(pl.Finish)
		for k := range o.Ops {
			op := &o.Ops[k]
			op.StartDay, op.FinishDay, op.Days = pl.Ops[k].Start, pl.Ops[k].Finish, pl.Ops[k].Days
			op.Start, op.Finish = p.cal.date(op.StartDay), p.cal.date(op.FinishDay)
		}
	}
	return s, nil
}

// arrival is the day a leaf supply of a supply tree arrives: its due day,
// or for a planned order that should have been released already (a
// purchase requisition due sooner than its lead time), the lead time
// from the planning date.
func (p *Planner) arrival(n *PegNode) int {
	if n.Supply.Kind != FromPlanned {
		return n.Supply.Day
	}
	i, ok := p.index[n.Item]
	if !ok {
		return n.Supply.Day
	}
	lt := p.items[i].in.LeadTime
	if p.cal.release(int32(n.Supply.Day), int32(lt)) >= 0 {
		return n.Supply.Day
	}
	return max(n.Supply.Day, p.cal.addWorking(0, lt))
}

// workingDay is the calendar's working day, past the compiled range by
// the weekend rule alone.
func (p *Planner) workingDay(d int) bool {
	if i := d + p.cal.pre; i >= 0 && i < len(p.cal.work) {
		return p.cal.work[i]
	}
	wd := p.cal.date(d).Weekday()
	if p.calIn.Weekend == nil {
		return wd != time.Saturday && wd != time.Sunday
	}
	return !slices.Contains(p.calIn.Weekend, wd)
}

// Order returns the scheduled order id.
func (s *Schedule) Order(id string) (FiniteOrder, bool) {
	n, ok := s.byID[id]
	if !ok {
		return FiniteOrder{}, false
	}
	return s.Orders[n], true
}

// Delivery returns the finite-capacity delivery date of a sales-order
// line: the day the last production order at the top of its supply tree
// finishes (components finish before their parents start, so it waits
// for them) or its last purchased top-level supply arrives, and the
// requested day when that is earlier.
func (s *Schedule) Delivery(demandID string) (Delivery, error) {
	ds, ok := s.dem[demandID]
	if !ok {
		return Delivery{}, fmt.Errorf("%w: sales-order line %s (not in the schedule; forecasts have no delivery)", ErrNotFound, demandID)
	}
	d := Delivery{Demand: demandID, DueDay: ds.due, ExpectedDay: max(ds.due, 0)}
	if ds.material > d.ExpectedDay {
		d.ExpectedDay, d.Limit, d.Reason = ds.material, ds.matRef, "purchase "+ds.matRef+" arrives late"
	}
	for _, j := range ds.tops {
		o := &s.Orders[j]
		if o.Unscheduled != "" {
			d.ExpectedDay, d.Limit, d.Reason = s.Days, o.ID, o.Unscheduled
			break
		}
		if o.FinishDay > d.ExpectedDay {
			d.ExpectedDay, d.Limit, d.Reason = o.FinishDay, o.ID, s.why(j)
		}
	}
	d.LateDays = max(0, d.ExpectedDay-d.DueDay)
	d.Due, d.Expected = s.start.AddDate(0, 0, d.DueDay), s.start.AddDate(0, 0, d.ExpectedDay)
	switch {
	case d.LateDays == 0:
		d.Limit, d.Reason = "", ""
	case d.Reason == "":
		d.Reason = "due before the planning date"
	}
	return d, nil
}

// why explains a late order: the work centers of its operations that
// finish late, or the component order it waits for.
func (s *Schedule) why(j int) string {
	o := &s.Orders[j]
	var wcs []string
	for _, op := range o.Ops {
		if op.FinishDay > o.DueDay && !slices.Contains(wcs, op.WorkCenter) {
			wcs = append(wcs, op.WorkCenter)
		}
	}
	if len(wcs) == 0 {
		return ""
	}
	r := "order " + o.ID + " finishes on " + o.Finish.Format(time.DateOnly) + " (due " + o.Due.Format(time.DateOnly) + "): capacity of "
	for k, w := range wcs {
		if k > 0 {
			r += ", "
		}
		r += w
	}
	return r
}
