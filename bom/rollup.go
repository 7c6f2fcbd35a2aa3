package bom

import (
	"fmt"
	"math"
	"time"
)

// graph is the super BOM as index arrays, built once per catalog, for the
// whole-structure roll-ups: item i is catalog.ids[i].
type graph struct {
	index map[string]int32
	items []*Item
	edges [][]edge // by parent, in line order
	topo  []int32  // every parent before its components
	cond  []bool   // the item has a conditional operation
}

type edge struct {
	child    int32
	qty      float64
	scrap    float64
	from, to Date
	line     *cline // for messages; qty is 0 and cond set for formulas
	cond     bool   // the line has a condition or a quantity formula
}

func (c *catalog) buildGraph() {
	g := &graph{index: make(map[string]int32, len(c.ids)), items: make([]*Item, len(c.ids))}
	for i, id := range c.ids {
		g.index[id] = int32(i)
		g.items[i] = c.items[id]
	}
	g.edges = make([][]edge, len(c.ids))
	g.cond = make([]bool, len(c.ids))
	indeg := make([]int32, len(c.ids))
	for i, id := range c.ids {
		ls := c.lines[id]
		if len(ls) > 0 {
			es := make([]edge, len(ls))
			for j, l := range ls {
				ch := g.index[l.Component]
				es[j] = edge{child: ch, qty: l.Qty, scrap: l.ScrapPct, from: l.ValidFrom, to: l.ValidTo, line: l,
					cond: l.Condition != "" || l.QtyExpr != ""}
				indeg[ch]++
			}
			g.edges[i] = es
		}
		for _, o := range c.ops[id] {
			if o.Condition != "" {
				g.cond[i] = true
			}
		}
	}
	g.topo = make([]int32, 0, len(c.ids))
	for i := range c.ids {
		if indeg[i] == 0 {
			g.topo = append(g.topo, int32(i))
		}
	}
	for k := 0; k < len(g.topo); k++ {
		for _, e := range g.edges[g.topo[k]] {
			indeg[e.child]--
			if indeg[e.child] == 0 {
				g.topo = append(g.topo, e.child)
			}
		}
	}
	c.graph = g
}

func (e *edge) effective(day Date) bool {
	return (e.from == 0 || day >= e.from) && (e.to == 0 || day <= e.to)
}

// Explode is the summarised explosion of several standard items at once, on
// the master data effective on the day of at: the gross requirement of
// every item for the given demand (item -> quantity), scrap applied as in
// [Variant.Explode], phantoms blown through (and not listed), sorted by
// item. It is one pass over the structure in topological order, linear in
// items and lines. Demands must be non-negative numbers. Configurable
// items, and standard items whose effective structure has a condition or a
// quantity formula, need [Store.Resolve].
func (s *Store) Explode(demand map[string]float64, at time.Time) ([]ItemTotal, error) {
	c := s.cat.Load()
	g := c.graph
	day := DateOf(at)
	need := make([]float64, len(g.items))
	for id, q := range demand {
		i, ok := g.index[id]
		if !ok {
			return nil, fmt.Errorf("%w: item %q%s", ErrNotFound, id, suggestItem(c, id))
		}
		if g.items[i].Model != "" {
			return nil, fmt.Errorf("%w: %s is configurable; resolve its configuration", ErrNotConfigurable, id)
		}
		if !(q >= 0) || math.IsInf(q, 0) {
			return nil, fmt.Errorf("bom: demand for %s must be a non-negative number, got %v", id, q)
		}
		need[i] += q
	}
	for _, i := range g.topo {
		q := need[i]
		if q == 0 {
			continue
		}
		it := g.items[i]
		f := 1 + it.ScrapPct/100
		if it.Kind == Phantom {
			f = 1
		}
		for k := range g.edges[i] {
			e := &g.edges[i][k]
			if !e.effective(day) {
				continue
			}
			if e.cond {
				return nil, noConfig(e.line.where(), "condition", it.ID, e.line.Condition+e.line.QtyExpr)
			}
			need[e.child] += q * f * e.qty * (1 + e.scrap/100)
		}
	}
	var out []ItemTotal
	for i, q := range need {
		if q != 0 && g.items[i].Kind != Phantom {
			out = append(out, ItemTotal{Item: g.items[i].ID, Qty: q})
		}
	}
	return out, nil
}

// Costs rolls up the standard cost of every standard item on the master
// data effective on the day of at, as [Variant.Cost] does for one variant
// (lot <= 0: each item's own lot size). Items whose effective structure
// depends on a configuration (conditions, quantity formulas, conditional
// operations, configurable items below them) are left out: resolve them.
// It is one pass over the structure, linear in items and lines.
func (s *Store) Costs(at time.Time, lot float64) map[string]Cost {
	c := s.cat.Load()
	g := c.graph
	day := DateOf(at)
	cost := make([]Cost, len(g.items))
	bad := make([]bool, len(g.items))
	for k := len(g.topo) - 1; k >= 0; k-- {
		i := g.topo[k]
		it := g.items[i]
		if it.Model != "" || g.cond[i] {
			bad[i] = true
			continue
		}
		x := Cost{Material: it.UnitCost}
		f := 1 + it.ScrapPct/100
		if it.Kind == Phantom {
			x.Material, f = 0, 1
		}
		for j := range g.edges[i] {
			e := &g.edges[i][j]
			if !e.effective(day) {
				continue
			}
			if e.cond || bad[e.child] {
				bad[i] = true
				break
			}
			x = x.add(cost[e.child], f*e.qty*(1+e.scrap/100))
		}
		if bad[i] {
			continue
		}
		ls := lot
		if ls <= 0 {
			ls = ownLot(it)
		}
		for _, o := range c.ops[it.ID] {
			rate := c.wcs[o.WorkCenter].RatePerHour
			x.Setup += o.SetupHours * rate / ls
			x.Run += o.RunHours * rate
		}
		cost[i] = x
	}
	out := make(map[string]Cost, len(g.items))
	for i, x := range cost {
		if !bad[i] {
			out[g.items[i].ID] = x
		}
	}
	return out
}

// levels computes low-level codes in topological order.
func (g *graph) levels() []int32 {
	llc := make([]int32, len(g.items))
	for _, i := range g.topo {
		for _, e := range g.edges[i] {
			if llc[e.child] < llc[i]+1 {
				llc[e.child] = llc[i] + 1
			}
		}
	}
	return llc
}
