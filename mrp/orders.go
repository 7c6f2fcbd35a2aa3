package mrp

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// OrderKind says what a planned order becomes when released.
type OrderKind uint8

const (
	// Production is a planned production order (make item).
	Production OrderKind = iota
	// Requisition is a purchase requisition (buy item).
	Requisition
	// PhantomOrder is the blown-through requirement of a phantom item;
	// never released, listed only on request.
	PhantomOrder
)

func (k OrderKind) String() string {
	switch k {
	case Production:
		return "production"
	case Requisition:
		return "purchase"
	case PhantomOrder:
		return "phantom"
	}
	return fmt.Sprintf("orderkind(%d)", uint8(k))
}

// PlannedOrder is one order of the plan.
type PlannedOrder struct {
	// ID is "item#n": the n-th (1-based) order of the item by due date.
	// It is stable as long as the item's earlier orders do not change.
	ID      string
	Item    string
	Kind    OrderKind
	Qty     int64
	Release time.Time
	Due     time.Time
	// ReleaseDay and DueDay count calendar days from the planning date;
	// ReleaseDay < 0 means the order should have started already.
	ReleaseDay, DueDay int
	// Operations are scheduled backwards from the end of the due day
	// (production orders of items with a routing).
	Operations []ScheduledOp
}

// ScheduledOp is one routing operation of a planned production order.
type ScheduledOp struct {
	Seq        int
	WorkCenter string
	Hours      float64
	Start, End time.Time
}

func orderID(item string, k int) string { return item + "#" + strconv.Itoa(k+1) }

// parseOrderID splits "item#n" into the item index and the order index.
func (p *Planner) parseOrderID(id string) (int32, int, error) {
	h := strings.LastIndexByte(id, '#')
	if h < 0 {
		return 0, 0, fmt.Errorf("%w: order %q (want item#n)", ErrNotFound, id)
	}
	i, ok := p.index[id[:h]]
	n, err := strconv.Atoi(id[h+1:])
	if !ok || err != nil || n < 1 || n > len(p.items[i].due) {
		return 0, 0, fmt.Errorf("%w: order %q", ErrNotFound, id)
	}
	return i, n - 1, nil
}

func (p *Planner) kindOf(it *item) OrderKind {
	switch it.in.Kind {
	case Buy:
		return Requisition
	case Phantom:
		return PhantomOrder
	}
	return Production
}

func (p *Planner) order(i int32, k int, ops bool) PlannedOrder {
	it := &p.items[i]
	due := it.due[k]
	rel := p.cal.release(due, int32(it.in.LeadTime))
	o := PlannedOrder{
		ID: orderID(it.in.ID, k), Item: it.in.ID, Kind: p.kindOf(it), Qty: it.qty[k],
		ReleaseDay: int(rel), DueDay: int(due),
		Release: p.cal.date(int(rel)), Due: p.cal.date(int(due)),
	}
	if ops && o.Kind == Production && len(it.in.Operations) > 0 {
		o.Operations = p.scheduleBack(it, int(due), it.qty[k])
	}
	return o
}

// scheduleBack schedules the item's operations backwards from the end of
// the due day: each takes setup + run * qty hours of working time, a day
// has Options.HoursPerDay hours starting at 08:00.
func (p *Planner) scheduleBack(it *item, due int, qty int64) []ScheduledOp {
	ops := slices.Clone(it.in.Operations)
	slices.SortStableFunc(ops, func(a, b Operation) int { return a.Seq - b.Seq })
	hpd := p.opts.HoursPerDay
	at := func(day int, h float64) time.Time {
		return p.cal.date(day).Add(8*time.Hour + time.Duration(h*float64(time.Hour)))
	}
	day, h := due, hpd
	for day > -p.cal.pre && !p.cal.working(day) {
		day--
	}
	out := make([]ScheduledOp, len(ops))
	for k := len(ops) - 1; k >= 0; k-- {
		op := ops[k]
		dur := op.SetupHours + op.RunHours*float64(qty)
		end := at(day, h)
		left := dur
		for left > h+1e-9 {
			left -= h
			day--
			for day > -p.cal.pre-3650 && !p.cal.working(day) {
				day--
			}
			h = hpd
		}
		h -= left
		out[k] = ScheduledOp{Seq: op.Seq, WorkCenter: op.WorkCenter, Hours: dur, Start: at(day, h), End: end}
	}
	return out
}

// Orders returns the planned orders of one item by due date (phantom
// items' blown-through orders included, typed [PhantomOrder]).
func (p *Planner) Orders(itemID string) ([]PlannedOrder, error) {
	i, ok := p.index[itemID]
	if !ok {
		return nil, &ItemError{Item: itemID, Err: ErrUnknownItem}
	}
	out := make([]PlannedOrder, len(p.items[i].due))
	for k := range out {
		out[k] = p.order(i, k, true)
	}
	return out, nil
}

// Order returns one planned order by its ID.
func (p *Planner) Order(id string) (PlannedOrder, error) {
	i, k, err := p.parseOrderID(id)
	if err != nil {
		return PlannedOrder{}, err
	}
	return p.order(i, k, true), nil
}

// AllOrders returns every planned production order and purchase
// requisition (not phantom orders), items in input order.
func (p *Planner) AllOrders() []PlannedOrder {
	var out []PlannedOrder
	for i := range p.items {
		if p.items[i].in.Kind == Phantom {
			continue
		}
		for k := range p.items[i].due {
			out = append(out, p.order(int32(i), k, true))
		}
	}
	return out
}

// Stats summarises the plan.
type Stats struct {
	Items, Levels, Orders int
	Quantity              int64
}

// Stats counts the items, levels and planned orders (phantoms included).
func (p *Planner) Stats() Stats {
	s := Stats{Items: len(p.items), Levels: len(p.levels)}
	for i := range p.items {
		s.Orders += len(p.items[i].due)
		for _, q := range p.items[i].qty {
			s.Quantity += q
		}
	}
	return s
}

// Items returns the IDs of all items in input order.
func (p *Planner) Items() []string {
	out := make([]string, len(p.items))
	for i := range p.items {
		out[i] = p.items[i].in.ID
	}
	return out
}

// LowLevelCode returns the item's low-level code (0 for top items).
func (p *Planner) LowLevelCode(itemID string) (int, error) {
	i, ok := p.index[itemID]
	if !ok {
		return 0, &ItemError{Item: itemID, Err: ErrUnknownItem}
	}
	return int(p.items[i].llc), nil
}

// Date converts a day index (days from the planning date) into a date.
func (p *Planner) Date(day int) time.Time { return p.cal.date(day) }

// Day converts a date into a day index relative to the planning date.
func (p *Planner) Day(t time.Time) int { return p.cal.day(t) }

// ReleaseDate is the day an order due on due with leadTime working days
// starts, never before the planning date: the day its BOM is exploded on
// (see [Item.BOMChanges]).
func (p *Planner) ReleaseDate(due time.Time, leadTime int) time.Time {
	d := p.cal.demandDay(p.cal.day(due))
	return p.cal.date(int(max(p.cal.release(d, int32(leadTime)), 0)))
}

// Horizon returns the planning horizon in days.
func (p *Planner) Horizon() int { return p.cal.horizon }
