package mrp

import (
	"cmp"
	"fmt"
	"math"
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
	// ID names the order: "ITEM#YYYY-MM-DD" (its due date), with ".n" added
	// for the n-th order of the item due that day (n >= 2, lots split by
	// their maximum), or the ID it was firmed with. It depends only on the
	// item, the due date and the orders of that day (and the IDs its firm
	// orders and scheduled receipts hold), so an order keeps it
	// through every net change that keeps it on its day (its quantity may
	// change) and a regenerative run of the same inputs gives the same IDs.
	ID      string
	Item    string
	Kind    OrderKind
	Qty     int64
	Release time.Time
	Due     time.Time
	// ReleaseDay and DueDay count calendar days from the planning date;
	// ReleaseDay < 0 means the order should have started already.
	ReleaseDay, DueDay int
	// Firm is set for a firm planned order ([FirmOrder]): MRP does not
	// change it.
	Firm bool
	// Operations are scheduled backwards from the end of the due day
	// (production orders of items with a routing).
	Operations []ScheduledOp
}

// ScheduledOp is one routing operation of a planned production order.
type ScheduledOp struct {
	Seq        int
	WorkCenter string
	Hours      float64
	// Start and End are the plant's wall-clock times, in its time zone
	// ([Calendar.TimeZone]).
	Start, End time.Time
}

// dayOrders returns the range [a, b) of item i's orders due on the day of
// order k, and how many of them (the first ones) are firm orders.
func (p *Planner) dayOrders(i int32, day int32) (a, b, nf int) {
	it := &p.items[i]
	a, _ = slices.BinarySearch(it.due, day)
	b = a
	for b < len(it.due) && it.due[b] == day {
		b++
	}
	// it.firm is by day: the day's firm orders are a run of it
	f, _ := slices.BinarySearchFunc(it.firm, day, func(f int32, day int32) int { return cmp.Compare(p.firms[f].day, day) })
	for f+nf < len(it.firm) && p.firms[it.firm[f+nf]].day == day {
		nf++
	}
	return a, b, nf
}

// plainIDs reports whether item i's order IDs are all "ITEM#date[.n]"
// numbered from 1 each day: no firm order, and no scheduled receipt
// holding an ID of that form to step around.
func (p *Planner) plainIDs(i int32) bool {
	it := &p.items[i]
	if it.firmd {
		return false
	}
	pre := it.in.ID + "#"
	plain := true
	it.rec.ascend(func(r int32) bool {
		plain = !strings.HasPrefix(p.recs[r].in.ID, pre)
		return plain
	})
	return plain
}

// itemOrderNums names all of item i's orders in one pass over its orders,
// firm orders and receipts, as orderID and isFirm do one by one (in num's
// storage): num[k] >= 1 is order k's number among its day's derived IDs
// ("ITEM#date" for 1, "ITEM#date.n"), num[k] < 0 makes it firm order
// p.firms[-1-num[k]], listed under its own ID. For an item with many firm
// orders or receipts, asking order by order would cost them all for each
// of its orders.
func (p *Planner) itemOrderNums(i int32, num []int32) []int32 {
	it := &p.items[i]
	n := len(it.due)
	num = slices.Grow(num[:0], n)[:n]
	held := p.heldIDs(it)
	f := 0 // into it.firm, by day
	for a := 0; a < n; {
		b := a + 1
		for b < n && it.due[b] == it.due[a] {
			b++
		}
		f = p.numberDay(it, it.due[a], num[a:b], f, held)
		a = b
	}
	return num
}

// heldIDs returns the IDs of the derived form ("ITEM#...") that the item's
// receipts (a released order keeps its ID) and firm orders hold, nil for
// none: its other orders step around them. Other IDs cannot clash.
func (p *Planner) heldIDs(it *item) map[string]bool {
	pre := it.in.ID + "#"
	var held map[string]bool
	hold := func(id string) {
		if strings.HasPrefix(id, pre) {
			if held == nil {
				held = map[string]bool{}
			}
			held[id] = true
		}
	}
	it.rec.ascend(func(r int32) bool {
		hold(p.recs[r].in.ID)
		return true
	})
	for _, f := range it.firm {
		hold(p.firms[f].in.ID)
	}
	return held
}

// numberDay names the item's orders due on day, out holding one entry
// each (see itemOrderNums): the day's firm orders first, from it.firm[f]
// on (it.firm is by day), then the day's derived numbers not held. It
// returns the position in it.firm past the day's firm orders.
func (p *Planner) numberDay(it *item, day int32, out []int32, f int, held map[string]bool) int {
	for f < len(it.firm) && p.firms[it.firm[f]].day < day {
		f++
	}
	k := 0
	for ; f < len(it.firm) && p.firms[it.firm[f]].day == day; f++ {
		if k < len(out) {
			out[k] = -1 - it.firm[f]
			k++
		}
	}
	var base string
	if held != nil {
		base = it.in.ID + "#" + p.cal.dateText(int(day))
	}
	for m := int32(1); k < len(out); m++ {
		if held != nil && held[derivedID(base, m)] {
			continue
		}
		out[k] = m
		k++
	}
	return f
}

// derivedID is the ID of the m-th order of a day whose first order's ID is
// base (see [PlannedOrder.ID]).
func derivedID(base string, m int32) string {
	if m == 1 {
		return base
	}
	return base + "." + strconv.Itoa(int(m))
}

// dayIDs returns the IDs of item i's orders due on day, in order: the firm
// ones' own IDs, then "ITEM#date", "ITEM#date.2", ... skipping any ID a
// firm order or a scheduled receipt of the item holds (a released order
// keeps its ID as a receipt; a new order on its day gets another).
func (p *Planner) dayIDs(i int32, day int32) []string {
	it := &p.items[i]
	a, b, _ := p.dayOrders(i, day)
	num := make([]int32, b-a)
	f, _ := slices.BinarySearchFunc(it.firm, day, func(f int32, day int32) int { return cmp.Compare(p.firms[f].day, day) })
	p.numberDay(it, day, num, f, p.heldIDs(it))
	ids := make([]string, b-a)
	base := it.in.ID + "#" + p.cal.dateText(int(day))
	for k, m := range num {
		if m < 0 {
			ids[k] = p.firms[-1-m].in.ID
		} else {
			ids[k] = derivedID(base, m)
		}
	}
	return ids
}

// orderID is the ID of item i's k-th order (see [PlannedOrder.ID]).
func (p *Planner) orderID(i int32, k int) string {
	it := &p.items[i]
	day := it.due[k]
	if !it.firmd {
		// the common case: no firm order, and no receipt holding an ID of
		// that day, to step around
		base := it.in.ID + "#" + p.cal.dateText(int(day))
		clash := false
		it.rec.ascend(func(r int32) bool {
			clash = strings.HasPrefix(p.recs[r].in.ID, base)
			return !clash
		})
		if !clash {
			a, _ := slices.BinarySearch(it.due, day)
			if k > a {
				return base + "." + strconv.Itoa(k-a+1)
			}
			return base
		}
	}
	a, _, _ := p.dayOrders(i, day)
	return p.dayIDs(i, day)[k-a]
}

// isFirm reports whether item i's k-th order is a firm planned order.
func (p *Planner) isFirm(i int32, k int) bool {
	it := &p.items[i]
	if len(it.firm) == 0 {
		return false
	}
	a, _, nf := p.dayOrders(i, it.due[k])
	return k-a < nf
}

// parseOrderID finds an order by its ID: the item index and the order
// index.
func (p *Planner) parseOrderID(id string) (int32, int, error) {
	if k, ok := p.firmIx[id]; ok {
		f := &p.firms[k]
		if int(f.day) < p.cal.horizon {
			a, _, nf := p.dayOrders(f.item, f.day)
			for h, x := range p.dayIDs(f.item, f.day)[:nf] {
				if x == id {
					return f.item, a + h, nil
				}
			}
		}
		return 0, 0, fmt.Errorf("%w: firm planned order %q is outside the horizon", ErrNotFound, id)
	}
	h := strings.LastIndexByte(id, '#')
	if h < 0 {
		return 0, 0, fmt.Errorf("%w: order %q (want ITEM#YYYY-MM-DD[.n])", ErrNotFound, id)
	}
	i, ok := p.index[id[:h]]
	if !ok {
		return 0, 0, fmt.Errorf("%w: order %q: no item %s", ErrNotFound, id, id[:h])
	}
	date, _, _ := strings.Cut(id[h+1:], ".")
	t, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return 0, 0, fmt.Errorf("%w: order %q (want ITEM#YYYY-MM-DD[.n])", ErrNotFound, id)
	}
	day := p.cal.day(t)
	if day < 0 || day >= p.cal.horizon {
		return 0, 0, fmt.Errorf("%w: order %q", ErrNotFound, id)
	}
	a, _, _ := p.dayOrders(i, int32(day))
	for k, x := range p.dayIDs(i, int32(day)) {
		if x == id {
			return i, a + k, nil
		}
	}
	return 0, 0, fmt.Errorf("%w: order %q", ErrNotFound, id)
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
	return p.orderNamed(i, k, p.orderID(i, k), p.isFirm(i, k), ops)
}

// orderNamed is order for an order whose ID and firmness are known.
func (p *Planner) orderNamed(i int32, k int, id string, firm, ops bool) PlannedOrder {
	it := &p.items[i]
	due := it.due[k]
	rel := p.cal.release(due, int32(it.in.LeadTime))
	o := PlannedOrder{
		ID: id, Item: it.in.ID, Kind: p.kindOf(it), Qty: it.qty[k],
		ReleaseDay: int(rel), DueDay: int(due), Firm: firm,
		Release: p.cal.date(int(rel)), Due: p.cal.date(int(due)),
	}
	if ops && o.Kind == Production && len(it.in.Operations) > 0 {
		o.Operations = p.scheduleBack(it, int(due), it.qty[k])
	}
	return o
}

// scheduleBack schedules the item's operations backwards from the end of
// the due day: each takes setup + run * qty hours of working time; its
// work center's day has [Operation.HoursPerDay] hours (Options.HoursPerDay
// when unset) starting at the plant's shift start (Calendar.ShiftStart,
// wall clock in Calendar.TimeZone). An operation whose work center works
// fewer hours than the next one's ends no later than its own day's end.
func (p *Planner) scheduleBack(it *item, due int, qty int64) []ScheduledOp {
	ops := routing(it) // read only: not copied when in sequence
	at := p.cal.at
	day, h := due, math.MaxFloat64
	for day > -p.cal.pre && !p.cal.working(day) {
		day--
	}
	out := make([]ScheduledOp, len(ops))
	for k := len(ops) - 1; k >= 0; k-- {
		op := ops[k]
		hpd := op.hoursPerDay(p.opts.HoursPerDay)
		h = min(h, hpd)
		dur := op.SetupHours + op.RunHours*float64(qty)
		end := at(day, h)
		left := dur
		for left > h+1e-9 {
			if day <= -p.cal.pre {
				// before the compiled calendar every day is a working
				// day: the rest takes n whole or part days, counted at
				// once (an operation of years must not take a step a day)
				var n int
				n, left = p.cal.backBefore(day, left-h, hpd)
				day -= n
				h = hpd
				break
			}
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
	var names orderNames
	out := make([]PlannedOrder, len(p.items[i].due))
	for k := range out {
		out[k] = names.order(p, i, k)
	}
	return out, nil
}

// orderNames builds orders item after item, naming the orders of an item
// whose IDs are not plain ([Planner.plainIDs]) all at once
// ([Planner.itemOrderIDs]) when the first of them is asked for.
type orderNames struct {
	ok    bool  // names of item are held
	item  int32 //
	plain bool  // item's IDs are plain: orderID is cheap
	num   []int32
}

// order returns item i's k-th order, as [Planner.order] does.
func (n *orderNames) order(p *Planner, i int32, k int) PlannedOrder {
	if !n.ok || n.item != i {
		n.item, n.ok, n.plain = i, true, p.plainIDs(i)
		if !n.plain {
			n.num = p.itemOrderNums(i, n.num)
		}
	}
	if n.plain {
		return p.order(i, k, true)
	}
	if m := n.num[k]; m < 0 {
		return p.orderNamed(i, k, p.firms[-1-m].in.ID, true, true)
	}
	base := p.items[i].in.ID + "#" + p.cal.dateText(int(p.items[i].due[k]))
	return p.orderNamed(i, k, derivedID(base, n.num[k]), false, true)
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
	var names orderNames
	for i := range p.items {
		if p.items[i].in.Kind == Phantom {
			continue
		}
		for k := range p.items[i].due {
			out = append(out, names.order(p, int32(i), k))
		}
	}
	return out
}

// Firm returns the change that firms planned order id: it becomes a
// [FirmOrder] with the same ID, of qty units due on due (0 and the zero
// time keep the order's own). An order firm already is changed.
// Apply the change with [Planner.Apply] (or [Store.Apply]).
func (p *Planner) Firm(id string, qty int64, due time.Time) (Change, error) {
	o, err := p.Order(id)
	if err != nil {
		return nil, err
	}
	if o.Kind == PhantomOrder {
		return nil, fmt.Errorf("%w: order %s is a phantom's: it cannot be firmed", ErrInvalid, id)
	}
	if k, ok := p.firmIx[id]; ok {
		o.Due = p.firms[k].in.Due // keep the date as the planner gave it
	}
	f := FirmOrder{ID: o.ID, Item: o.Item, Qty: o.Qty, Due: o.Due}
	if qty != 0 {
		f.Qty = qty
	}
	if !due.IsZero() {
		f.Due = due
	}
	return SetFirm{Order: f}, nil
}

// Release returns the changes that release planned (or firm planned) order
// id: it becomes a scheduled receipt with the same ID, quantity and due
// date (a production order for a make item, a purchase order for a buy
// item). Apply them with [Planner.Apply] (or [Store.Apply]). As for every
// scheduled receipt, its components are no longer required by the plan
// (they are taken to be issued or reserved for it).
func (p *Planner) Release(id string) ([]Change, error) {
	o, err := p.Order(id)
	if err != nil {
		return nil, err
	}
	kind := PurchaseOrder
	switch o.Kind {
	case Production:
		kind = ProductionOrder
	case PhantomOrder:
		return nil, fmt.Errorf("%w: order %s is a phantom's: it cannot be released", ErrInvalid, id)
	}
	if _, dup := p.recIx[id]; dup {
		return nil, fmt.Errorf("%w: a scheduled receipt %s exists already", ErrInvalid, id)
	}
	var cs []Change
	if _, ok := p.firmIx[id]; ok {
		cs = append(cs, RemoveFirm{ID: id})
	}
	return append(cs, SetReceipt{Receipt: Receipt{ID: id, Item: o.Item, Qty: o.Qty, Due: o.Due, Kind: kind}}), nil
}

// Stats summarises the plan.
type Stats struct {
	Items, Levels, Orders int
	Quantity              int64
	// Demands and Receipts count the plan's demands and scheduled
	// receipts.
	Demands, Receipts int
	// PastHorizon counts the demands due on or after the horizon's end,
	// which are not planned (see [Calendar.Horizon]).
	PastHorizon int
}

// Stats counts the items, levels and planned orders (phantoms included),
// the demands and receipts, and the demands past the horizon.
func (p *Planner) Stats() Stats {
	s := Stats{Items: len(p.items), Levels: len(p.levels)}
	for i := range p.items {
		s.Orders += len(p.items[i].due)
		for _, q := range p.items[i].qty {
			s.Quantity += q
		}
	}
	for k := range p.demands {
		if d := &p.demands[k]; d.live {
			s.Demands++
			if int(d.day) >= p.cal.horizon {
				s.PastHorizon++
			}
		}
	}
	for k := range p.recs {
		if p.recs[k].live {
			s.Receipts++
		}
	}
	return s
}

// Size is Stats().Items and Stats().Orders without the quantities summed
// (a net change's summary reads them: on a plan of 12 million orders the
// sum took 10 ms).
func (p *Planner) Size() (items, orders int) {
	for i := range p.items {
		orders += len(p.items[i].due)
	}
	return len(p.items), orders
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

// DateText is p.Date(day) as YYYY-MM-DD ([time.DateOnly]), formatted once
// per day of the plan's calendar (a listing of a whole plan names two
// dates of millions of orders).
func (p *Planner) DateText(day int) string { return p.cal.dateText(day) }

// ReleasedReceipt is the scheduled receipt that the changes of
// [Planner.Release] create (false when they hold none).
func ReleasedReceipt(cs []Change) (Receipt, bool) {
	for _, c := range cs {
		if r, ok := c.(SetReceipt); ok {
			return r.Receipt, true
		}
	}
	return Receipt{}, false
}

// Day converts a date into a day index relative to the planning date.
func (p *Planner) Day(t time.Time) int { return p.cal.day(t) }

// ReleaseDate is the day an order due on due with leadTime working days
// starts, never before the planning date: the day its BOM is exploded on
// (see [Item.BOMChanges]).
func (p *Planner) ReleaseDate(due time.Time, leadTime int) time.Time {
	d := p.cal.demandDay(p.cal.day(due))
	return p.cal.date(max(p.cal.releaseFar(int(d), int32(leadTime)), 0))
}

// Horizon returns the planning horizon in days.
func (p *Planner) Horizon() int { return p.cal.horizon }

// PastHorizon reports whether a demand due on due is past the horizon:
// not planned (as [PlanStats.PastHorizon] counts them).
func (p *Planner) PastHorizon(due time.Time) bool {
	return int(p.cal.demandDay(p.cal.day(due))) >= p.cal.horizon
}
