package mrp

import "time"

// Pos is a position in one plan's list of planned orders or of exceptions:
// Item is the index of an item in input order (for exceptions, the number
// of items stands for the late demands that follow them) and K the index
// of the entry among that item's. A position names the same entry only in
// the plan it was taken from: after a change, positions move.
type Pos struct{ Item, K int }

// ScanOrders visits the planned orders from position from on, in the order
// [Planner.AllOrders] lists them (items in input order, the orders of an
// item by due date; the items of phantoms skipped) or, when item is not
// "", only that item's orders in the order of [Planner.Orders] (phantoms'
// included). keep, if not nil, decides on an order from its kind and due
// date before the order is built (its ID and operations); fn gets each
// kept order with its position and returns false to stop. The cost is
// that of the orders visited: a page of a listing costs its size (plus
// the orders keep skips), not the size of the plan.
func (p *Planner) ScanOrders(from Pos, item string, keep func(OrderKind, time.Time) bool, fn func(Pos, PlannedOrder) bool) error {
	lo, hi := max(from.Item, 0), len(p.items)
	if item != "" {
		i, ok := p.index[item]
		if !ok {
			return &ItemError{Item: item, Err: ErrUnknownItem}
		}
		lo, hi = max(lo, int(i)), int(i)+1
	}
	var names orderNames
	for i := lo; i < hi; i++ {
		it := &p.items[i]
		if item == "" && it.in.Kind == Phantom {
			continue
		}
		kind := p.kindOf(it)
		k0 := 0
		if i == from.Item {
			k0 = max(from.K, 0)
		}
		for k := k0; k < len(it.due); k++ {
			if keep != nil && !keep(kind, p.cal.date(int(it.due[k]))) {
				continue
			}
			if !fn(Pos{i, k}, names.order(p, int32(i), k)) {
				return nil
			}
		}
	}
	return nil
}

// ScanExceptions visits the exception messages from position from on, in
// the order of [Planner.Exceptions] (per item in input order, then the
// late demands), or, when item is not "", those of that item and then all
// late demands (the caller filters those by item); fn gets each message
// with its position and returns false to stop. The items' messages cost
// what is visited; the late demands are found (on the whole plan, by
// late, or [Planner.LateDemands] when late is nil) only when the scan
// reaches them.
func (p *Planner) ScanExceptions(from Pos, item string, late func() []Exception, fn func(Pos, Exception) bool) error {
	lo, hi := max(from.Item, 0), len(p.items)
	if item != "" {
		i, ok := p.index[item]
		if !ok {
			return &ItemError{Item: item, Err: ErrUnknownItem}
		}
		lo, hi = max(lo, int(i)), min(hi, int(i)+1)
	}
	var buf []Exception
	for i := lo; i < hi; i++ {
		buf = p.itemExceptions(buf[:0], int32(i))
		k0 := 0
		if i == from.Item {
			k0 = max(from.K, 0)
		}
		for k := k0; k < len(buf); k++ {
			if !fn(Pos{i, k}, buf[k]) {
				return nil
			}
		}
	}
	p.scanLate(from, late, fn)
	return nil
}

// scanLate visits the late demands from position from on: they follow
// the items' messages, at positions {len(p.items), k}. They are found (by
// late, or [Planner.LateDemands] when late is nil) only when from reaches
// them.
func (p *Planner) scanLate(from Pos, late func() []Exception, fn func(Pos, Exception) bool) {
	n := len(p.items)
	if from.Item > n {
		return
	}
	k0 := 0
	if from.Item == n {
		k0 = max(from.K, 0)
	}
	if late == nil {
		late = p.LateDemands
	}
	ls := late()
	for k := k0; k < len(ls); k++ {
		if !fn(Pos{n, k}, ls[k]) {
			return
		}
	}
}

// LateDemands returns the late-demand messages of the plan, the last part
// of [Planner.Exceptions] (see there). They are found on the whole plan:
// a caller listing them page by page may keep them for one plan version.
func (p *Planner) LateDemands() []Exception { return p.lateDemands() }
