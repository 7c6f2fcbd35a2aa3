package mrp

import "errors"

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
	tree, err := p.PegTree(demand)
	if errors.Is(err, ErrTooLarge) {
		return p.demandOrdersShared(p.demandIx[demand]), nil
	}
	if err != nil {
		return nil, err
	}
	var orders []PlannedOrder
	seen := map[int64]bool{} // item << 32 | order index
	for n := range tree.nodes {
		nd := &tree.nodes[n]
		if nd.kind != FromPlanned {
			continue
		}
		key := int64(nd.item)<<32 | int64(uint32(nd.ref))
		if seen[key] {
			continue
		}
		seen[key] = true
		orders = append(orders, p.order(nd.item, int(nd.ref), true))
	}
	return orders, nil
}

// demandOrdersShared is DemandOrders of demand di from its distinct
// supplies (supplyTreeSlow's graph): a walk of the tree depth first that
// expands each supply at its first visit only. A supply's subtree is the
// same wherever it stands, so the orders first met are those of the whole
// tree, in its order.
func (p *Planner) demandOrdersShared(di int32) []PlannedOrder {
	t, top := p.slowTreeOf(p.pegging(), di)
	var orders []PlannedOrder
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
			if s := &x.a.sups[k.sup]; s.kind == FromPlanned {
				orders = append(orders, p.order(k.item, int(s.ref), true))
			}
			walk(t.kids[x.kid:x.end])
		}
	}
	walk(top)
	return orders
}
