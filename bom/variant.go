package bom

import (
	"fmt"
	"math"
	"slices"
	"sync"

	"github.com/ctoplan/ctoplan/configurator"
)

// Variant is the exact multi-level BOM and routing of one item for one
// configuration at one date: a DAG of shared, content-addressed [Node]s
// below Root. A Variant is immutable and safe for concurrent use.
type Variant struct {
	// ID is the hex SHA-256 of the item, the configuration key and the
	// effectivity epoch: the same configuration of the same item resolved on
	// any day of the same epoch has the same ID.
	ID   string
	Item string
	// ConfigKey is the configurator's canonical key of the configuration
	// ("" for a standard item).
	ConfigKey string
	// Config is the configuration as resolved (nil for a standard item).
	// It is shared: do not modify it.
	Config configurator.Configuration
	// Epoch is the first day of the effectivity period the variant holds
	// for (the zero Date: from the beginning until the first change).
	Epoch Date
	Root  Hash

	// nodes are the variant's distinct nodes: all of them once full has
	// run. A variant resolved on stored sub-assemblies holds their nodes
	// but not those below them (a resolve stays as small as the item's
	// own lines, not its whole BOM: on a plant 20 levels deep, resolving
	// every item's variant copied each one's whole sub-DAG); the first
	// read that needs them adds them from more, the store's nodes.
	nodes map[Hash]*Node
	more  func(Hash) *Node
	full  sync.Once
	root  *Node // nodes[Root], read without completing nodes
	cat   *catalog
	once  sync.Once
	order []*Node // root first, every node before its children
}

// newVariant makes a variant of the nodes below root; more finds the
// nodes below those that nodes lacks (nil: nodes holds them all).
func newVariant(cat *catalog, id, item, key string, cfg configurator.Configuration, ep Date, root Hash, nodes map[Hash]*Node, more func(Hash) *Node) *Variant {
	return &Variant{ID: id, Item: item, ConfigKey: key, Config: cfg, Epoch: ep, Root: root, nodes: nodes, more: more, root: nodes[root], cat: cat}
}

// all returns every node of v, adding on first use those below the
// stored sub-assemblies it was resolved on.
func (v *Variant) all() map[Hash]*Node {
	v.full.Do(func() {
		if v.more == nil {
			return
		}
		seen := make(map[Hash]bool, len(v.nodes))
		var visit func(n *Node)
		visit = func(n *Node) {
			seen[n.Hash] = true
			for i := range n.Lines {
				c := n.Lines[i].Child
				if c.IsZero() || seen[c] {
					continue
				}
				cn := v.nodes[c]
				if cn == nil {
					// a stored node's children are stored (nodes are
					// stored children first and never dropped)
					cn = v.more(c)
					v.nodes[c] = cn
				}
				visit(cn)
			}
		}
		visit(v.nodes[v.Root])
		v.more = nil
	})
	return v.nodes
}

// Node returns the node with hash h, or nil if it is not part of v.
func (v *Variant) Node(h Hash) *Node {
	if h == v.Root {
		return v.root // the root alone: what a planner reads of most variants
	}
	return v.all()[h]
}

// Nodes returns the distinct nodes of v in topological order: the root
// first, every node before all its components.
func (v *Variant) Nodes() []*Node {
	v.once.Do(func() {
		nodes := v.all()
		seen := make(map[Hash]bool, len(nodes))
		post := make([]*Node, 0, len(nodes))
		var visit func(n *Node)
		visit = func(n *Node) {
			seen[n.Hash] = true
			for i := range n.Lines {
				if c := n.Lines[i].Child; !c.IsZero() && !seen[c] {
					visit(nodes[c])
				}
			}
			post = append(post, n)
		}
		visit(nodes[v.Root])
		slices.Reverse(post)
		v.order = post
	})
	return v.order
}

// Size is the number of bytes of v's distinct nodes in the store.
func (v *Variant) Size() int {
	s := 0
	for _, n := range v.all() {
		s += n.size
	}
	return s
}

func (v *Variant) item(id string) *Item { return v.cat.items[id] }

// assemblyFactor is 1 + the item's assembly scrap.
func (v *Variant) assemblyFactor(id string) float64 {
	if it := v.cat.items[id]; it != nil {
		return 1 + it.ScrapPct/100
	}
	return 1
}

// ExplodedLine is one line of an indented explosion.
type ExplodedLine struct {
	Level    int // 0 for the top item, 1 for its components, ...
	Position string
	Item     string
	Node     Hash    // the component's node, zero for a leaf
	QtyPer   float64 // per unit of the parent, before scrap
	ScrapPct float64 // line scrap
	// Qty is the total needed for the requested quantity of the top item:
	// parent Qty x (1 + parent assembly scrap) x QtyPer x (1 + ScrapPct),
	// all scrap as fractions.
	Qty float64
}

// MaxExplodedLines bounds [Variant.Explode]: a DAG shared deeply can have
// far more paths than nodes.
const MaxExplodedLines = 1_000_000

// Explode returns the indented explosion of qty units: the top item, then
// depth first every component line in position order with its total
// quantity, scrap applied.
func (v *Variant) Explode(qty float64) ([]ExplodedLine, error) {
	out := []ExplodedLine{{Level: 0, Item: v.Item, Node: v.Root, QtyPer: 1, Qty: qty}}
	nodes := v.all()
	var walk func(n *Node, q float64, level int) error
	walk = func(n *Node, q float64, level int) error {
		af := v.assemblyFactor(n.Item)
		for _, l := range n.Lines {
			if len(out) >= MaxExplodedLines {
				return fmt.Errorf("%w: more than %d lines; use Summarize", ErrTooLarge, MaxExplodedLines)
			}
			lq := q * af * l.Qty * (1 + l.ScrapPct/100)
			out = append(out, ExplodedLine{Level: level, Position: l.Position, Item: l.Item, Node: l.Child,
				QtyPer: l.Qty, ScrapPct: l.ScrapPct, Qty: lq})
			if !l.Child.IsZero() {
				if err := walk(nodes[l.Child], lq, level+1); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := walk(nodes[v.Root], qty, 1); err != nil {
		return nil, err
	}
	return out, nil
}

// ItemTotal is the total quantity of one item in a summarised explosion
// ([Variant.Summarize], [Store.Explode]); it was called Requirement, which
// in mrp is one gross requirement with its day and pegging.
type ItemTotal struct {
	Item string
	Qty  float64
}

// Summarize returns the summarised explosion of qty units: the total gross
// quantity of every item in v (the top item, sub-assemblies and parts),
// scrap applied as in [Variant.Explode], sorted by item. It runs in time
// linear in the number of nodes and lines.
func (v *Variant) Summarize(qty float64) []ItemTotal {
	order := v.Nodes()
	need := make(map[Hash]float64, len(order))
	need[v.Root] = qty
	tot := map[string]float64{}
	for _, n := range order {
		q := need[n.Hash]
		tot[n.Item] += q
		af := v.assemblyFactor(n.Item)
		for _, l := range n.Lines {
			lq := q * af * l.Qty * (1 + l.ScrapPct/100)
			if l.Child.IsZero() {
				tot[l.Item] += lq
			} else {
				need[l.Child] += lq
			}
		}
	}
	out := make([]ItemTotal, 0, len(tot))
	for id, q := range tot {
		out = append(out, ItemTotal{id, q})
	}
	slices.SortFunc(out, func(a, b ItemTotal) int {
		switch {
		case a.Item < b.Item:
			return -1
		case a.Item > b.Item:
			return 1
		}
		return 0
	})
	return out
}

// Cost is a standard-cost roll-up per unit, split by kind.
type Cost struct {
	// Material: purchased components and every item's own unit_cost.
	Material float64
	// Setup: setup hours x work-center rate, spread over the lot size.
	Setup float64
	// Run: run hours per unit x work-center rate.
	Run float64
}

// Total is Material + Setup + Run.
func (c Cost) Total() float64 { return c.Material + c.Setup + c.Run }

func (c Cost) add(o Cost, f float64) Cost {
	return Cost{c.Material + f*o.Material, c.Setup + f*o.Setup, c.Run + f*o.Run}
}

// Cost rolls up the standard cost of one unit of the top item: each node
// costs its item's unit_cost, plus its component lines (quantity x (1 +
// line scrap) x (1 + the node item's assembly scrap) x the component's
// rolled cost, or its unit_cost for a leaf), plus its operations (setup
// hours x rate / lot + run hours x rate). Setup is spread over lot units at
// every level; lot <= 0 uses each item's own lot size (lot_qty of a foq item,
// otherwise 1). Categories roll up separately.
func (v *Variant) Cost(lot float64) Cost {
	return v.NodeCosts(lot)[v.Root]
}

// NodeCosts is [Variant.Cost] for every node of v.
func (v *Variant) NodeCosts(lot float64) map[Hash]Cost {
	order := v.Nodes()
	cost := make(map[Hash]Cost, len(order))
	for i := len(order) - 1; i >= 0; i-- {
		n := order[i]
		it := v.item(n.Item)
		c := Cost{Material: it.UnitCost}
		af := 1 + it.ScrapPct/100
		for _, l := range n.Lines {
			f := l.Qty * (1 + l.ScrapPct/100) * af
			if l.Child.IsZero() {
				c.Material += f * v.item(l.Item).UnitCost
			} else {
				c = c.add(cost[l.Child], f)
			}
		}
		ls := lot
		if ls <= 0 {
			ls = ownLot(it)
		}
		for _, o := range n.Ops {
			rate := v.cat.wcs[o.WorkCenter].RatePerHour
			c.Setup += o.SetupHours * rate / ls
			c.Run += o.RunHours * rate
		}
		cost[n.Hash] = c
	}
	return cost
}

func ownLot(it *Item) float64 {
	if it.LotPolicy == FixedQty && it.LotQty > 0 {
		return it.LotQty
	}
	return 1
}

// LeadTime returns the lead time of node n's item in working days: the
// item's fixed lead time, or, for items that derive it from the routing,
// the sum over n's operations of (setup + run x q) / work-center capacity
// per day, q being the item's own lot size, rounded up to whole days (at
// least 1 when there is an operation).
func (v *Variant) LeadTime(n *Node) float64 {
	it := v.item(n.Item)
	if !it.LeadTimeFromRouting {
		return it.LeadTimeDays
	}
	return routingDays(v.cat, it, n.Ops)
}

func routingDays(cat *catalog, it *Item, ops []Operation) float64 {
	if len(ops) == 0 {
		return 0
	}
	q := ownLot(it)
	days := 0.0
	for _, o := range ops {
		days += (o.SetupHours + o.RunHours*q) / cat.wcs[o.WorkCenter].Capacity()
	}
	return max(1, math.Ceil(days-1e-9))
}

// CumulativeLeadTime returns the longest chain of lead times from the top
// item down to a leaf (the critical path) and that path, top first. Ties go
// to the first line in position order.
func (v *Variant) CumulativeLeadTime() (days float64, path []string) {
	order := v.Nodes()
	clt := make(map[Hash]float64, len(order))
	next := make(map[Hash]int, len(order)) // index of the critical line, -1 none
	for i := len(order) - 1; i >= 0; i-- {
		n := order[i]
		best, bi := 0.0, -1
		for j, l := range n.Lines {
			var d float64
			if l.Child.IsZero() {
				d = v.item(l.Item).LeadTimeDays
			} else {
				d = clt[l.Child]
			}
			if bi < 0 || d > best {
				best, bi = d, j
			}
		}
		clt[n.Hash] = v.LeadTime(n) + best
		next[n.Hash] = bi
	}
	nodes := v.all()
	n := nodes[v.Root]
	for n != nil {
		path = append(path, n.Item)
		j := next[n.Hash]
		if j < 0 {
			break
		}
		l := n.Lines[j]
		if l.Child.IsZero() {
			path = append(path, l.Item)
			break
		}
		n = nodes[l.Child]
	}
	return clt[v.Root], path
}
