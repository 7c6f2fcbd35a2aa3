package mrp

import (
	"cmp"
	"fmt"
	"slices"
)

// SupplyKind says where pegged supply comes from.
type SupplyKind uint8

const (
	// FromStock is on-hand stock.
	FromStock SupplyKind = iota
	// FromReceipt is a scheduled receipt.
	FromReceipt
	// FromPlanned is a planned order.
	FromPlanned
)

func (k SupplyKind) String() string {
	switch k {
	case FromStock:
		return "stock"
	case FromReceipt:
		return "receipt"
	}
	return "planned"
}

// Supply is one source of an item: on-hand stock, a scheduled receipt or
// a planned order. ID is the receipt or order ID ("" for stock); Day the
// day it is available (0 for stock).
type Supply struct {
	Kind SupplyKind
	ID   string
	Day  int
	Qty  int64
}

// Requirement is one gross requirement of an item: an independent demand
// (Demand set) or the component requirement of a parent's planned order
// (ParentOrder set).
type Requirement struct {
	Demand      string
	ParentOrder string
	Day         int
	Qty         int64
}

// Peg links a quantity of a supply to a requirement of the same item.
type Peg struct {
	Item   string
	Req    Requirement
	Supply Supply
	Qty    int64
}

// Pegging is derived, not stored: an item's requirements (by day; within a
// day demands by priority before dependent requirements) are covered first
// in, first out by its supplies (stock, then receipts and planned orders by
// the day they are available). Storing single-level links for a whole
// plant would cost gigabytes; deriving one item's links costs microseconds,
// and multi-level pegging walks them on demand.

type areq struct {
	day int32
	qty int64
	dem int32 // demand index, or -1
	par int32 // parent item (dependent)
	ord int32 // parent order index (dependent)
}

type asup struct {
	kind SupplyKind
	ref  int32 // receipt index or order index
	day  int32
	qty  int64
}

type alink struct {
	req, sup int32
	qty      int64
}

type alloc struct {
	reqs    []areq
	sups    []asup
	links   []alink
	ordSup  []int32            // index in sups of each planned order
	bySup   [][]int32          // links per supply
	byOrder map[int64][]int32  // links per (parent, parent order)
	byDem   map[int32][]int32  // links per demand
	up      map[int32][]dshare // memo: order index -> demand shares
}

type dshare struct {
	dem int32
	qty float64
}

type pegger struct {
	p *Planner
	w *worker
	m map[int32]*alloc
}

func (p *Planner) newPegger() *pegger {
	return &pegger{p: p, w: p.newWorker(), m: map[int32]*alloc{}}
}

func (g *pegger) alloc(i int32) *alloc {
	if a, ok := g.m[i]; ok {
		return a
	}
	p := g.p
	it := &p.items[i]
	a := &alloc{byOrder: map[int64][]int32{}, byDem: map[int32][]int32{}, up: map[int32][]dshare{}}
	// requirements
	for _, e := range it.parents {
		par := &p.items[e.to]
		for k, due := range par.due {
			d := max(p.cal.release(due, int32(par.in.LeadTime)), 0)
			if !e.on(d) {
				continue // a dated BOM: not exploded on that day
			}
			a.reqs = append(a.reqs, areq{day: d, qty: e.req(par.qty[k]), dem: -1, par: e.to, ord: int32(k)})
		}
	}
	dems := it.dem.appendTo(nil)
	p.independent(it, dems, func(di int32, q int64) {
		if q > 0 {
			a.reqs = append(a.reqs, areq{day: p.demands[di].day, qty: q, dem: di})
		}
	})
	rank := make(map[int32]int, it.dem.len())
	for r, di := range dems {
		rank[di] = r
	}
	slices.SortStableFunc(a.reqs, func(x, y areq) int {
		if c := cmp.Compare(x.day, y.day); c != 0 {
			return c
		}
		if (x.dem >= 0) != (y.dem >= 0) {
			if x.dem >= 0 {
				return -1
			}
			return 1
		}
		if x.dem >= 0 {
			return cmp.Compare(rank[x.dem], rank[y.dem])
		}
		if c := cmp.Compare(x.par, y.par); c != 0 {
			return c
		}
		return cmp.Compare(x.ord, y.ord)
	})
	// supplies in first-in-first-out order
	if it.onhand > 0 {
		a.sups = append(a.sups, asup{kind: FromStock, ref: -1, day: 0, qty: it.onhand})
	}
	hi := p.replan(g.w, i)
	clear(g.w.gross[:hi+1])
	ri, oi := 0, 0
	for ri < len(g.w.recDay) || oi < len(it.due) {
		if ri < len(g.w.recDay) && (oi >= len(it.due) || g.w.recDay[ri] <= it.due[oi]) {
			a.sups = append(a.sups, asup{kind: FromReceipt, ref: g.w.recs[ri], day: g.w.recDay[ri], qty: p.recs[g.w.recs[ri]].in.Qty})
			ri++
		} else {
			a.ordSup = append(a.ordSup, int32(len(a.sups)))
			a.sups = append(a.sups, asup{kind: FromPlanned, ref: int32(oi), day: it.due[oi], qty: it.qty[oi]})
			oi++
		}
	}
	a.bySup = make([][]int32, len(a.sups))
	// FIFO allocation
	s := 0
	var left int64
	if len(a.sups) > 0 {
		left = a.sups[0].qty
	}
	for r := range a.reqs {
		need := a.reqs[r].qty
		for need > 0 && s < len(a.sups) {
			if left == 0 {
				s++
				if s < len(a.sups) {
					left = a.sups[s].qty
				}
				continue
			}
			q := min(need, left)
			l := int32(len(a.links))
			a.links = append(a.links, alink{req: int32(r), sup: int32(s), qty: q})
			a.bySup[s] = append(a.bySup[s], l)
			if rq := &a.reqs[r]; rq.dem >= 0 {
				a.byDem[rq.dem] = append(a.byDem[rq.dem], l)
			} else {
				key := int64(rq.par)<<32 | int64(rq.ord)
				a.byOrder[key] = append(a.byOrder[key], l)
			}
			need -= q
			left -= q
		}
	}
	g.m[i] = a
	return a
}

func (g *pegger) supply(i int32, s *asup) Supply {
	p := g.p
	out := Supply{Kind: s.kind, Day: int(s.day), Qty: s.qty}
	switch s.kind {
	case FromReceipt:
		out.ID = p.recs[s.ref].in.ID
	case FromPlanned:
		out.ID = p.orderID(i, int(s.ref))
	}
	return out
}

func (g *pegger) requirement(r *areq) Requirement {
	out := Requirement{Day: int(r.day), Qty: r.qty}
	if r.dem >= 0 {
		out.Demand = g.p.demands[r.dem].in.ID
	} else {
		out.ParentOrder = g.p.orderID(r.par, int(r.ord))
	}
	return out
}

// Pegging returns the single-level pegging of an item: which supply covers
// which of its requirements, in requirement order.
func (p *Planner) Pegging(itemID string) ([]Peg, error) {
	i, ok := p.index[itemID]
	if !ok {
		return nil, &ItemError{Item: itemID, Err: ErrUnknownItem}
	}
	g := p.newPegger()
	a := g.alloc(i)
	out := make([]Peg, len(a.links))
	for k, l := range a.links {
		out[k] = Peg{Item: itemID, Req: g.requirement(&a.reqs[l.req]), Supply: g.supply(i, &a.sups[l.sup]), Qty: l.qty}
	}
	return out, nil
}

// PegNode is one node of a demand's supply tree: Qty of Supply of Item
// is pegged to the parent node. A planned production (or phantom) order's
// children are the supplies pegged to its component requirements (for the
// whole order, of which Qty may be a share).
type PegNode struct {
	Item     string
	Supply   Supply
	Qty      int64
	Children []*PegNode
}

// maxTreeNodes bounds a supply tree.
const maxTreeNodes = 1 << 20

// SupplyTree returns the full multi-level supply tree of a demand (a
// sales-order line): what a salesperson wants to see.
func (p *Planner) SupplyTree(demandID string) ([]*PegNode, error) {
	di, ok := p.demandIx[demandID]
	if !ok || !p.demands[di].live {
		return nil, fmt.Errorf("%w: demand %s", ErrNotFound, demandID)
	}
	g := p.newPegger()
	i := p.demands[di].item
	a := g.alloc(i)
	n := 0
	var out []*PegNode
	for _, l := range a.byDem[di] {
		nd, err := g.tree(i, a, a.links[l].sup, a.links[l].qty, &n)
		if err != nil {
			return nil, err
		}
		out = append(out, nd)
	}
	return out, nil
}

func (g *pegger) tree(i int32, a *alloc, s int32, qty int64, n *int) (*PegNode, error) {
	*n++
	if *n > maxTreeNodes {
		return nil, fmt.Errorf("%w: supply tree larger than %d nodes", ErrInvalid, maxTreeNodes)
	}
	p := g.p
	sup := &a.sups[s]
	nd := &PegNode{Item: p.items[i].in.ID, Supply: g.supply(i, sup), Qty: qty}
	if sup.kind != FromPlanned || p.items[i].in.Kind == Buy {
		return nd, nil
	}
	key := int64(i)<<32 | int64(sup.ref)
	seen := map[int32]bool{}
	for _, e := range p.items[i].comps {
		if seen[e.to] {
			continue
		}
		seen[e.to] = true
		ca := g.alloc(e.to)
		for _, l := range ca.byOrder[key] {
			c, err := g.tree(e.to, ca, ca.links[l].sup, ca.links[l].qty, n)
			if err != nil {
				return nil, err
			}
			nd.Children = append(nd.Children, c)
		}
	}
	return nd, nil
}

// DemandShare is the part of a planned order serving one top-level demand,
// in units of the order's item.
type DemandShare struct {
	Demand string
	Qty    float64
}

// PeggedDemands returns the top-level demands a planned order serves (the
// reverse of [Planner.SupplyTree]), with the share of the order each gets.
func (p *Planner) PeggedDemands(orderID string) ([]DemandShare, error) {
	i, k, err := p.parseOrderID(orderID)
	if err != nil {
		return nil, err
	}
	g := p.newPegger()
	sh := g.up(i, int32(k))
	out := make([]DemandShare, len(sh))
	for j, s := range sh {
		out[j] = DemandShare{Demand: p.demands[s.dem].in.ID, Qty: s.qty}
	}
	return out, nil
}

// up returns the demands served by order k of item i, merged by demand.
func (g *pegger) up(i int32, k int32) []dshare {
	a := g.alloc(i)
	if sh, ok := a.up[k]; ok {
		return sh
	}
	acc := map[int32]float64{}
	if int(k) < len(a.ordSup) {
		s := a.ordSup[k]
		for _, l := range a.bySup[s] {
			lk := &a.links[l]
			r := &a.reqs[lk.req]
			if r.dem >= 0 {
				acc[r.dem] += float64(lk.qty)
				continue
			}
			pq := g.p.items[r.par].qty[r.ord]
			for _, ps := range g.up(r.par, r.ord) {
				acc[ps.dem] += ps.qty / float64(pq) * float64(lk.qty)
			}
		}
	}
	sh := make([]dshare, 0, len(acc))
	for d, q := range acc {
		sh = append(sh, dshare{dem: d, qty: q})
	}
	slices.SortFunc(sh, func(x, y dshare) int { return cmp.Compare(g.p.demands[x.dem].in.ID, g.p.demands[y.dem].in.ID) })
	a.up[k] = sh
	return sh
}
