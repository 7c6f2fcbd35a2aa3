package mrp

import (
	"fmt"
	"math"
)

// MaxPlanQty bounds every quantity a plan can reach: an order, an item's
// gross requirements, their totals over the horizon. Below 2^53, so that
// each is also exact as a float64 (the RPC API's quantities).
const MaxPlanQty = 1_000_000_000_000_000

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

// checkQty figures the bound of every item's orders, refuses the plan
// when one passes MaxPlanQty, and otherwise sets the room demands have
// to grow (see above).
func (p *Planner) checkQty() error {
	orders, mul, worst := p.qtyBounds()
	room := math.Inf(1)
	for _, lv := range p.levels {
		for _, i := range lv {
			if o := orders[i]; o > MaxPlanQty {
				return p.qtyError(i, o, worst[i])
			}
			room = min(room, (MaxPlanQty-orders[i])/mul[i])
		}
	}
	p.qtyRoom, p.qtyGrowth = room, 0
	return nil
}

// qtyBounds returns, by item, the bound of its orders over the horizon
// and how much one more unit of demand can add to it (see above), and
// the parent whose orders add most to its requirements (-1: none).
func (p *Planner) qtyBounds() (orders, mul []float64, worst []int32) {
	n := len(p.items)
	orders = make([]float64, n) // req(c), then orders(c)
	mul = make([]float64, n)
	worst = make([]int32, n)
	most := make([]float64, n)
	for i := range worst {
		worst[i] = -1
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
	for _, lv := range p.levels {
		for _, i := range lv {
			it := &p.items[i]
			l := &it.in.Lot
			orders[i] += float64(it.ss) + float64(l.Qty) + float64(l.Min) + float64(l.Multiple)
			mul[i] = max(mul[i], 1)
			for k := range it.comps {
				e := &it.comps[k]
				f := float64(e.mul)
				if e.mul <= 0 {
					f = e.factor + 1
				}
				add := orders[i] * f
				orders[e.to] += add
				mul[e.to] += mul[i] * f
				if add > most[e.to] {
					most[e.to], worst[e.to] = add, i
				}
			}
		}
	}
	return orders, mul, worst
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
