package mrp

// DemandOrders returns the planned orders of demand's supply tree
// ([Planner.SupplyTree]), each once, in the order the tree lists them
// (depth first): the orders a sales-order line needs. It reads the tree
// in flat form ([Planner.PegTree]): no order ID is made and parsed back.
func (p *Planner) DemandOrders(demand string) ([]PlannedOrder, error) {
	tree, err := p.PegTree(demand)
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
