package mrp

import (
	"fmt"
	"math"
)

// MaxPlanQty bounds every quantity a plan can reach: an order, an item's
// gross requirements, their totals over the horizon. Below 2^53, so that
// each is also exact as a float64 (the RPC API's quantities).
const MaxPlanQty = 1_000_000_000_000_000

// DefaultMaxSplitOrders is [Options.MaxSplitOrders] when it is 0: at
// most about 10 million orders more than one lot per item and day
// (~0.5 GB).
const DefaultMaxSplitOrders = 10_000_000

// The bounds of each input quantity (MaxQty, MaxQtyPer) do not bound
// their products down a bill of material: eight levels of 100,000 per
// took a demand of 5 to 5e40 units, and int64 wrapped silently (orders
// of 1.9e18, then negative requirements, components left out). So [New]
// and [Planner.Apply] refuse inputs whose plan could pass MaxPlanQty, by
// a bound of each item's orders over the horizon, figured from the
// definition of netting and lot sizing, in low-level-code order:
//
//	req(c)    = demands(c) + sum over its BOM lines p -> c of orders(p) x (f + 1)
//	orders(c) = req(c) + safety stock + firm orders + lot quantity + minimum + multiple
//
// where f is the line's quantity per with scrap; + 1 because each parent
// order's requirement is rounded up (at most one unit per order, and an
// order is at least one unit). Netting orders at most the requirements
// plus safety stock; lot sizing carries its surplus from lot to lot, so
// over the horizon it orders at most one lot quantity, minimum and
// multiple more than it needs; firm orders are supply on top, and
// explode like the others. Stock and receipts only lower it.
//
// The bound grows with the demands linearly: one more unit of demand on
// any item adds at most mul(c) to orders(c), where
//
//	mul(c) = max(1, sum over its BOM lines p -> c of mul(p) x (f + 1))
//
// so after a full check, demands and firm orders may grow by
// room = min over items of (MaxPlanQty - orders(c)) / mul(c) units before
// the bound must be figured again (qtyGrowth, qtyRoom); an item's change
// (its BOM, lot sizing, safety stock) figures it again at once.
//
// The rounding term above is tighter than one unit per unit ordered:
// each parent order rounds up once, and an item has at most
//
//	count(c) = lots(c) + splits(c) + its firm orders
//
// orders, where lots(c) <= the horizon's days (netting makes at most one
// net requirement a day from day 0 on, and lot sizing one lot from one
// or more of them) and splits(c) = orders(c) / chunk(c) for an item with
// a maximum lot size (a lot of q above it is split into at most q/chunk
// + 1 orders, chunk the maximum rounded down to the multiple; the lots'
// q sum to at most orders(c)); so a parent p adds orders(p) x f +
// min(orders(p), count(p)) for a line of fractional f. The splits bound
// the plan's size: a maximum of 30 on an item needing a billion units
// would make 33 million orders of it, gigabytes, from one changed
// field. So the plan's splits, summed over its items, may not pass
// Options.MaxSplitOrders; one more unit of demand adds at most mul(c)/chunk(c)
// to splits(c), which bounds the room too.

// checkQty figures the bound of every item's orders, refuses the plan
// when one passes MaxPlanQty, and otherwise sets the room demands have
// to grow (see above).
func (p *Planner) checkQty() error {
	b := p.qtyBounds()
	room := math.Inf(1)
	var splits, perUnit float64 // the splits summed, and what a unit of demand adds to them
	most := int32(-1)           // the item with the most splits
	for _, lv := range p.levels {
		for _, i := range lv {
			if o := b.orders[i]; o > MaxPlanQty {
				return p.qtyError(i, o, b.worst[i])
			}
			room = min(room, (MaxPlanQty-b.orders[i])/b.mul[i])
			if ch := lotChunk(&p.items[i]); ch > 0 {
				splits += b.splits[i]
				perUnit += b.mul[i] / float64(ch)
				if most < 0 || b.splits[i] > b.splits[most] {
					most = i
				}
			}
		}
	}
	limit := p.opts.maxSplits()
	if splits > limit {
		return p.splitError(most, b.orders[most], b.splits[most], splits, limit)
	}
	if perUnit > 0 {
		room = min(room, (limit-splits)/perUnit)
	}
	p.qtyRoom, p.qtyGrowth = room, 0
	return nil
}

// lotChunk is the most one order of item it holds when its lots are split
// (splitLot): its maximum lot size rounded down to the multiple; 0 when
// its lots are never split (no maximum, or a phantom).
func lotChunk(it *item) int64 {
	if it.in.Lot.Max <= 0 || it.in.Kind == Phantom {
		return 0
	}
	return max(it.in.Lot.chunk(), 1)
}

// qtyBound holds, by item, the bounds checkQty figures (see above).
type qtyBound struct {
	orders []float64 // the bound of its orders' quantities over the horizon
	mul    []float64 // how much one more unit of demand can add to it
	splits []float64 // the bound of the orders its maximum lot size adds (0: none)
	count  []float64 // the bound of how many orders it has
	worst  []int32   // the parent whose orders add most to its requirements (-1: none)
}

// qtyBounds figures the bounds of every item (see above).
func (p *Planner) qtyBounds() qtyBound {
	n := len(p.items)
	b := qtyBound{
		orders: make([]float64, n), // req(c), then orders(c)
		mul:    make([]float64, n),
		splits: make([]float64, n),
		count:  make([]float64, n),
		worst:  make([]int32, n),
	}
	orders, mul := b.orders, b.mul
	most := make([]float64, n)
	for i := range b.worst {
		b.worst[i] = -1
	}
	for k := range p.demands {
		if d := &p.demands[k]; d.live {
			orders[d.item] += float64(d.in.Qty)
		}
	}
	for k := range p.firms {
		if f := &p.firms[k]; f.live {
			orders[f.item] += float64(f.in.Qty)
		}
	}
	lots := float64(p.cal.horizon)
	for _, lv := range p.levels {
		for _, i := range lv {
			it := &p.items[i]
			l := &it.in.Lot
			orders[i] += float64(it.ss) + float64(l.Qty) + float64(l.Min) + float64(l.Multiple)
			mul[i] = max(mul[i], 1)
			if ch := lotChunk(it); ch > 0 {
				b.splits[i] = orders[i] / float64(ch)
			}
			// each order holds at least one unit
			b.count[i] = min(orders[i], lots+b.splits[i]+float64(len(it.firm)))
			for k := range it.comps {
				e := &it.comps[k]
				var add, f float64
				if e.mul > 0 {
					f = float64(e.mul)
					add = orders[i] * f
				} else {
					// each order's requirement rounded up
					f = e.factor + 1
					add = orders[i]*e.factor + b.count[i]
				}
				orders[e.to] += add
				mul[e.to] += mul[i] * f
				if add > most[e.to] {
					most[e.to], b.worst[e.to] = add, i
				}
			}
		}
	}
	return b
}

// qtyError is the error of item i whose orders could reach o (parent: the
// item whose orders add most to its requirements, -1 for none).
func (p *Planner) qtyError(i int32, o float64, parent int32) error {
	why := "its demands, safety stock and lot sizes"
	if parent >= 0 {
		why = "the orders of " + p.items[parent].in.ID + " times its quantity per"
	}
	return &ItemError{Item: p.items[i].in.ID, Err: fmt.Errorf(
		"%w: its planned quantity could reach %.3g (%s), more than a plan holds (%.0e): lower the quantities per down the bill of material, the lot sizes or the demand",
		ErrInvalid, o, why, float64(MaxPlanQty))}
}

// splitError is the error of a plan whose maximum lot sizes could split
// its lots into splits orders in all, more than limit, item i's (the
// most) into own (its orders' quantities bounded by o).
func (p *Planner) splitError(i int32, o, own, splits, limit float64) error {
	return &ItemError{Item: p.items[i].in.ID, Err: fmt.Errorf(
		"%w: its maximum lot size %d could split its orders into %.3g (its planned quantity could reach %.3g), the plan's maximum lot sizes into %.3g orders in all, more than a plan holds (%.0e, Options.MaxSplitOrders): raise its maximum lot size, or lower the demand or the quantities per above it",
		ErrInvalid, p.items[i].in.Lot.Max, own, o, splits, limit)}
}
