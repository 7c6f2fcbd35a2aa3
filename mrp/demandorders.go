package mrp

import (
	"errors"
	"fmt"
)

// DemandOrders returns the planned orders of demand's supply tree
// ([Planner.SupplyTree]), each once, in the order the tree lists them
// (depth first): the orders a sales-order line needs. It reads the tree
// in flat form ([Planner.PegTree]): no order ID is made and parsed back.
//
// A deep bill of material with shared parts unfolds into a tree too large
// to build ([ErrTooLarge]) over far fewer distinct orders: those are then
// found from the demand's distinct supplies, each expanded once (the
// subtree under a supply is the same wherever it stands), in the same
// order.
func (p *Planner) DemandOrders(demand string) ([]PlannedOrder, error) {
	var orders []PlannedOrder
	err := p.demandSupplies(demand, false, func(i int32, kind SupplyKind, ref int32) {
		if kind == FromPlanned {
			orders = append(orders, p.order(i, int(ref), true))
		}
	})
	return orders, err
}

// demandSupplies calls fn for every supply of demand's supply tree but
// stock, once, in the order the tree first lists it (depth first): its
// item, kind and order or receipt index. The tree is read in flat form,
// or, when too large to build (or shared is set), from the demand's
// distinct supplies (demandSuppliesShared).
func (p *Planner) demandSupplies(demand string, shared bool, fn func(i int32, kind SupplyKind, ref int32)) error {
	di, ok := p.demandIx[demand]
	if !ok || !p.demands[di].live {
		return fmt.Errorf("%w: demand %s", ErrNotFound, demand)
	}
	if !shared {
		// the tree's levels by running totals, each order expanded
		// once; where that needs whole-item pegging (errSlow) the walk
		// of distinct supplies below reads the same
		b := treeBuilder{p: p, g: p.pegging()}
		err := b.eachDistinct(di, fn)
		if err == nil {
			return nil
		}
		if err != errSlow && !errors.Is(err, ErrTooLarge) {
			return err
		}
	}
	p.demandSuppliesShared(di, fn)
	return nil
}

// demandSuppliesShared is demandSupplies of demand di from its distinct
// supplies (supplyTreeSlow's graph): a walk of the tree depth first that
// expands each supply at its first visit only. A supply's subtree is the
// same wherever it stands, so the supplies first met are those of the
// whole tree, in its order.
func (p *Planner) demandSuppliesShared(di int32, fn func(i int32, kind SupplyKind, ref int32)) {
	t, top := p.slowTreeOf(p.pegging(), di)
	expanded := map[slowKey]bool{}
	var walk func(kids []slowKid)
	walk = func(kids []slowKid) {
		for _, k := range kids {
			key := slowKey{k.item, k.sup}
			if expanded[key] {
				continue
			}
			expanded[key] = true
			x := &t.nodes[t.visit(k.item, k.sup)]
			if s := &x.a.sups[k.sup]; s.kind != FromStock {
				fn(k.item, s.kind, s.ref)
			}
			walk(t.kids[x.kid:x.end])
		}
	}
	walk(top)
}
