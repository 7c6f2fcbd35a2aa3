package mrp

// DemandOrders returns the planned orders of demand's supply tree
// ([Planner.SupplyTree]), each once, in the order the tree lists them
// (depth first): the orders a sales-order line needs.
func (p *Planner) DemandOrders(demand string) ([]PlannedOrder, error) {
	tree, err := p.SupplyTree(demand)
	if err != nil {
		return nil, err
	}
	var orders []PlannedOrder
	seen := map[string]bool{}
	var walk func(ns []*PegNode) error
	walk = func(ns []*PegNode) error {
		for _, n := range ns {
			if n.Supply.Kind == FromPlanned && !seen[n.Supply.ID] {
				seen[n.Supply.ID] = true
				o, err := p.Order(n.Supply.ID)
				if err != nil {
					return err
				}
				orders = append(orders, o)
			}
			if err := walk(n.Children); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(tree); err != nil {
		return nil, err
	}
	return orders, nil
}
