package mrp_test

import (
	"context"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ctoplan/ctoplan/internal/plantgen"
	"github.com/ctoplan/ctoplan/mrp"
)

// TestPeggingAddsUp checks on random plants that, for every item, the
// pegged quantities cover every requirement exactly, never exceed a
// supply, never use supply that arrives after the requirement, and equal
// planned quantity plus the stock and receipts used minus what is left
// over; and that the multi-level views agree with the single-level links.
func TestPeggingAddsUp(t *testing.T) {
	seeds := 6
	if testing.Short() {
		seeds = 2
	}
	for seed := uint64(40); seed < uint64(40+seeds); seed++ {
		in := smallPlant(t, seed, 40)
		p, err := mrp.New(in, mrp.DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		receipts := map[string]int64{}
		for _, r := range in.Receipts {
			receipts[r.ID] = r.Qty
		}
		for _, id := range p.Items() {
			pegs, err := p.Pegging(id)
			if err != nil {
				t.Fatal(err)
			}
			os, _ := p.Orders(id)
			var planned int64
			orderQty := map[string]int64{}
			for _, o := range os {
				planned += o.Qty
				orderQty[o.ID] = o.Qty
			}
			reqs := map[mrp.Requirement]int64{}
			used := map[mrp.Supply]int64{}
			var pegged, fromPlanned, fromOther int64
			for _, g := range pegs {
				if g.Supply.Day > g.Req.Day {
					t.Fatalf("seed %d %s: %v pegged to later supply %v", seed, id, g.Req, g.Supply)
				}
				reqs[g.Req] += g.Qty
				used[g.Supply] += g.Qty
				pegged += g.Qty
				if g.Supply.Kind == mrp.FromPlanned {
					fromPlanned += g.Qty
				} else {
					fromOther += g.Qty
				}
			}
			for r, q := range reqs {
				if q != r.Qty {
					t.Fatalf("seed %d %s: requirement %v pegged %d", seed, id, r, q)
				}
			}
			var free int64 // supply not pegged: safety stock, lot-size surplus, excess
			for s, q := range used {
				if q > s.Qty {
					t.Fatalf("seed %d %s: supply %v over-pegged %d", seed, id, s, q)
				}
				switch s.Kind {
				case mrp.FromPlanned:
					if orderQty[s.ID] != s.Qty {
						t.Fatalf("seed %d %s: supply %v is not order %d", seed, id, s, orderQty[s.ID])
					}
				case mrp.FromReceipt:
					if receipts[s.ID] != s.Qty {
						t.Fatalf("seed %d %s: supply %v is not receipt %d", seed, id, s, receipts[s.ID])
					}
				}
			}
			var unpegPlanned int64
			for oid, q := range orderQty {
				unpegPlanned += q - used[mrp.Supply{Kind: mrp.FromPlanned, ID: oid, Day: dueOf(os, oid), Qty: q}]
			}
			free += unpegPlanned
			if pegged != planned-unpegPlanned+fromOther || fromPlanned != planned-free {
				t.Fatalf("seed %d %s: pegged %d != planned %d - unpegged %d + used stock/receipts %d", seed, id, pegged, planned, unpegPlanned, fromOther)
			}
			// Lot-for-lot without safety stock, stock or receipts: every
			// planned order is pegged in full.
			var hasStock bool
			for _, g := range pegs {
				hasStock = hasStock || g.Supply.Kind != mrp.FromPlanned
			}
			if it := itemOf(in, id); it.Lot == (mrp.LotSizing{}) && it.SafetyStock == 0 && !hasStock && in.Stock[id] == 0 && unpegPlanned != 0 {
				t.Fatalf("seed %d %s: lot-for-lot orders not fully pegged (%d left)", seed, id, unpegPlanned)
			}
			// every order's demand shares add up to at most its quantity
			for _, o := range os {
				sh, rest, err := p.PeggedDemands(o.ID)
				if err != nil {
					t.Fatal(err)
				}
				s := rest
				for _, x := range sh {
					s += x.Qty
				}
				if s > float64(o.Qty)+1e-6 {
					t.Fatalf("seed %d %s: demands %v exceed %d", seed, o.ID, sh, o.Qty)
				}
			}
		}
		// supply trees: the top nodes cover the demand exactly
		for _, d := range in.Demands[:min(len(in.Demands), 30)] {
			tree, err := p.SupplyTree(d.ID)
			if err != nil {
				t.Fatal(err)
			}
			var q int64
			for _, n := range tree {
				q += n.Qty
			}
			// (a forecast is covered only where orders have not consumed it)
			if !d.Forecast && d.Due.Sub(in.Calendar.Start).Hours()/24 < float64(p.Horizon()) && q != d.Qty {
				t.Fatalf("seed %d demand %s: supply tree covers %d of %d", seed, d.ID, q, d.Qty)
			}
		}
	}
}

func dueOf(os []mrp.PlannedOrder, id string) int {
	for _, o := range os {
		if o.ID == id {
			return o.DueDay
		}
	}
	return -1
}

func itemOf(in *mrp.Input, id string) mrp.Item {
	for _, it := range in.Items {
		if it.ID == id {
			return it
		}
	}
	return mrp.Item{}
}

// TestSupplyTree follows a sales order through a three-level plan.
func TestSupplyTree(t *testing.T) {
	in := &mrp.Input{
		Items: []mrp.Item{
			{ID: "A", Kind: mrp.Make, LeadTime: 1, Components: []mrp.Component{{Item: "B", QtyPer: 2}}},
			{ID: "B", Kind: mrp.Make, LeadTime: 1, Components: []mrp.Component{{Item: "C", QtyPer: 3}}},
			{ID: "C", Kind: mrp.Buy, LeadTime: 1},
		},
		Demands:  []mrp.Demand{dem("s1", "A", 5, 10), dem("s2", "A", 7, 10)},
		Stock:    map[string]int64{"A": 2, "C": 4},
		Calendar: everyDay(30),
	}
	p := plan(t, in)
	tree, err := p.SupplyTree("s2")
	if err != nil {
		t.Fatal(err)
	}
	// Day 10: s1 and s2 (same priority, by id) need 12 of A: 2 from stock
	// go to s1, then A#1 (10) covers 3 of s1 and 7 of s2. A#1 needs 20 B
	// (B#1, 20), which needs 60 C: 4 from stock, 56 from C#1.
	if len(tree) != 1 || tree[0].Supply.ID != "A#2026-12-10" || tree[0].Qty != 7 {
		t.Fatalf("top %+v", tree)
	}
	b := tree[0].Children
	if len(b) != 1 || b[0].Supply.ID != "B#2026-12-09" || b[0].Qty != 20 {
		t.Fatalf("B level %+v", b)
	}
	c := b[0].Children
	if len(c) != 2 || c[0].Supply.Kind != mrp.FromStock || c[0].Qty != 4 || c[1].Supply.ID != "C#2026-12-08" || c[1].Qty != 56 {
		t.Fatalf("C level %+v %+v", c[0], c[1])
	}
	sh, _, _ := p.PeggedDemands("C#2026-12-08")
	// C#1 (56) serves B#1 entirely, i.e. A#1: 3/10 to s1, 7/10 to s2.
	if len(sh) != 2 || sh[0].Demand != "s1" || sh[1].Demand != "s2" || abs(sh[0].Qty-16.8) > 1e-9 || abs(sh[1].Qty-39.2) > 1e-9 {
		t.Fatalf("shares %+v", sh)
	}
	// s2's own parts: 7 of A#1's 10, so 7/10 of B#1's 20 (14), of C's
	// stock 4 (2.8) and of C#1's 56 (39.2, its share above): 7 A need 14
	// B need 42 C
	for _, c := range []struct {
		nd   *mrp.PegNode
		want float64
	}{{tree[0], 7}, {b[0], 14}, {c[0], 2.8}, {c[1], 39.2}} {
		if abs(c.nd.DemandQty-c.want) > 1e-9 {
			t.Errorf("%s %s: demand qty %g, want %g", c.nd.Item, c.nd.Supply.ID, c.nd.DemandQty, c.want)
		}
	}
	ft, err := p.PegTree("s2")
	if err != nil {
		t.Fatal(err)
	}
	if dq := ft.DemandQtys(); len(dq) != 4 || abs(dq[0]-7) > 1e-9 || abs(dq[1]-14) > 1e-9 || abs(dq[2]-2.8) > 1e-9 || abs(dq[3]-39.2) > 1e-9 {
		t.Errorf("flat tree's demand quantities %v, want [7 14 2.8 39.2]", dq)
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// TestConcurrentQueries runs the read-only queries in parallel (meaningful
// under -race).
func TestConcurrentQueries(t *testing.T) {
	in := smallPlant(t, 9, 60)
	p, err := mrp.New(in, mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	before := fingerprint(t, p)
	done := make(chan error, 4)
	for g := range 4 {
		go func() {
			for k, id := range p.Items() {
				if k%4 != g {
					continue
				}
				if _, err := p.Record(id); err != nil {
					done <- err
					return
				}
				if _, err := p.Pegging(id); err != nil {
					done <- err
					return
				}
				if _, err := p.Promise(context.Background(), mrp.PromiseRequest{Item: id, Qty: 5, Date: in.Calendar.Start.AddDate(0, 0, 20)}); err != nil {
					done <- err
					return
				}
			}
			_ = p.Exceptions()
			// every supply tree from every goroutine: the running totals
			// are computed once, read by the others without the lock
			for _, d := range in.Demands {
				tree, err := p.PegTree(d.ID)
				if err != nil {
					done <- err
					return
				}
				for n := range tree.Len() {
					_ = tree.Supply(n)
				}
			}
			done <- nil
		}()
	}
	for range 4 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if fingerprint(t, p) != before {
		t.Fatal("queries changed the plan")
	}
	fresh, err := mrp.New(in, mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range in.Demands {
		if a, b := flatText(t, p, d.ID), treeText(t, fresh, d.ID); a != b {
			t.Fatalf("supply tree of %s after concurrent queries:\n%s\nfresh plan:\n%s", d.ID, a, b)
		}
	}
}

// orderShares renders every order's demand shares as EachOrder lists them.
func orderShares(t testing.TB, p *mrp.Planner) map[string]string {
	out := map[string]string{}
	err := p.EachOrder(true, true, func(o *mrp.OrderLine) error {
		out[o.ID()] = fmt.Sprintf("%s %d %d %d %v rest %v", o.Item, o.Qty, o.ReleaseDay, o.DueDay, o.Pegged, o.PeggedRest)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// sharesOracle derives every order's demand shares from the single-level
// pegging by the definition: an order serves the demands it is pegged to
// directly, and of each parent order it is pegged to, the parent's shares
// in proportion (pegged quantity / parent order quantity). Memoized
// recursion over order IDs, no order of evaluation assumed.
func sharesOracle(t testing.TB, p *mrp.Planner) map[string]map[string]float64 {
	byOrder := map[string][]mrp.Peg{} // pegs whose supply is the order
	qty := map[string]int64{}
	for _, id := range p.Items() {
		pegs, err := p.Pegging(id)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range pegs {
			if g.Supply.Kind == mrp.FromPlanned {
				byOrder[g.Supply.ID] = append(byOrder[g.Supply.ID], g)
			}
		}
		os, _ := p.Orders(id)
		for _, o := range os {
			qty[o.ID] = o.Qty
		}
	}
	memo := map[string]map[string]float64{}
	var up func(o string) map[string]float64
	up = func(o string) map[string]float64 {
		if m, ok := memo[o]; ok {
			return m
		}
		m := map[string]float64{}
		for _, g := range byOrder[o] {
			if g.Req.Demand != "" {
				m[g.Req.Demand] += float64(g.Qty)
				continue
			}
			for d, q := range up(g.Req.ParentOrder) {
				m[d] += q * float64(g.Qty) / float64(qty[g.Req.ParentOrder])
			}
		}
		memo[o] = m
		return m
	}
	for o := range qty {
		up(o)
	}
	return memo
}

// TestPeggingNetChange applies random net changes and checks after each
// that the pegging read from the changed planner (for all orders, or for
// a few orders alone, which recomputes lazily) equals that of a planner
// built fresh from the same inputs, and agrees with the oracle. The
// plants list 2, all, 10 (the default), 1 and 3 demands an order.
func TestPeggingNetChange(t *testing.T) {
	plants, steps := 5, 40
	if testing.Short() || raceEnabled {
		plants, steps = 2, 20
	}
	for seed := uint64(70); seed < uint64(70+plants); seed++ {
		in := smallPlant(t, seed, 50)
		opts := mrp.DefaultOptions()
		opts.PegLimit = []int{2, -1, 0, 1, 3}[seed-70]
		p, err := mrp.New(in, opts)
		if err != nil {
			t.Fatal(err)
		}
		orderShares(t, p) // every item's shares computed: changes mark them
		if seed%2 == 0 {
			// the whole plan's running totals: changes mark the touched
			// items' to be redone
			mrp.PegAll(p)
		}
		r := rand.New(rand.NewPCG(seed, 7))
		for step := range steps {
			if _, err := p.Apply(randomChange(r, p.Input(), step)); err != nil {
				continue // a change the planner refuses (a cycle): nothing changed
			}
			fresh, err := mrp.New(p.Input(), opts)
			if err != nil {
				t.Fatal(err)
			}
			want := orderShares(t, fresh)
			if step%2 == 0 {
				// a few orders alone first: the lazy per-item path
				n := 0
				for id, w := range want {
					if n++; n > 5 {
						break
					}
					sh, rest, err := p.PeggedDemands(id)
					if err != nil {
						t.Fatal(err)
					}
					if got := fmt.Sprintf("%v rest %v", sh, rest); !strings.HasSuffix(w, got) {
						t.Fatalf("seed %d step %d: order %s pegged %s, fresh plan %s", seed, step, id, got, w)
					}
				}
			}
			for k := 0; k < 4 && k < len(p.Input().Demands); k++ {
				d := p.Input().Demands[r.IntN(len(p.Input().Demands))]
				if a, b := treeText(t, p, d.ID), treeText(t, fresh, d.ID); a != b {
					t.Fatalf("seed %d step %d: supply tree of %s:\n%s\nfresh plan:\n%s", seed, step, d.ID, a, b)
				}
				if a, b := flatText(t, p, d.ID), treeText(t, fresh, d.ID); a != b {
					t.Fatalf("seed %d step %d: flat supply tree of %s:\n%s\nfresh plan:\n%s", seed, step, d.ID, a, b)
				}
			}
			got := orderShares(t, p)
			if len(got) != len(want) {
				t.Fatalf("seed %d step %d: %d orders, fresh plan %d", seed, step, len(got), len(want))
			}
			for id, w := range want {
				if got[id] != w {
					t.Fatalf("seed %d step %d: order %s: %s, fresh plan %s", seed, step, id, got[id], w)
				}
			}
			if step%10 == 9 {
				checkOracle(t, p, limitOf(opts))
			}
		}
	}
}

// limitOf is the peg limit o sets, by its documentation: 0 the default,
// negative none (0 here).
func limitOf(o mrp.Options) int {
	switch {
	case o.PegLimit == 0:
		return mrp.DefaultPegLimit
	case o.PegLimit < 0:
		return 0
	}
	return o.PegLimit
}

// checkOracle compares every order's pegging with the oracle's shares
// cut to the planner's peg limit by the definition: the limit's first
// demands by due date then ID, listed by ID, the others summed as the
// rest (limit <= 0: all listed).
func checkOracle(t *testing.T, p *mrp.Planner, limit int) {
	t.Helper()
	oracle := sharesOracle(t, p)
	due := map[string]time.Time{}
	for _, d := range p.Input().Demands {
		due[d.ID] = d.Due
	}
	cut := 0
	for _, id := range p.Items() {
		os, _ := p.Orders(id)
		for _, o := range os {
			sh, rest, err := p.PeggedDemands(o.ID)
			if err != nil {
				t.Fatal(err)
			}
			all := oracle[o.ID]
			ids := slices.Collect(maps.Keys(all))
			slices.SortFunc(ids, func(a, b string) int {
				if c := due[a].Compare(due[b]); c != 0 {
					return c
				}
				return strings.Compare(a, b)
			})
			var wantRest, total float64
			if limit > 0 && len(ids) > limit {
				for _, d := range ids[limit:] {
					wantRest += all[d]
				}
				ids = ids[:limit]
				cut++
			}
			slices.Sort(ids)
			var sum float64
			for k, x := range sh {
				sum += x.Qty
				w := all[x.Demand]
				if k >= len(ids) || x.Demand != ids[k] {
					t.Fatalf("order %s: pegged %v, oracle's first %d by due date: %v", o.ID, sh, limit, ids)
				}
				if math.Abs(w-x.Qty) > 1e-9*max(1, w) {
					t.Fatalf("order %s: demand %s share %g, oracle %g", o.ID, x.Demand, x.Qty, w)
				}
			}
			if len(sh) != len(ids) {
				t.Fatalf("order %s: %v, oracle %v", o.ID, sh, ids)
			}
			for _, q := range all {
				total += q
			}
			if math.Abs(rest-wantRest) > 1e-9*max(1, total) {
				t.Fatalf("order %s: rest %g, oracle %g (%d demands, limit %d)", o.ID, rest, wantRest, len(all), limit)
			}
			if sum+rest > float64(o.Qty)*(1+1e-9) {
				t.Fatalf("order %s: shares %g and rest %g exceed %d", o.ID, sum, rest, o.Qty)
			}
		}
	}
	if limit > 0 && limit <= 3 && cut == 0 {
		t.Fatalf("limit %d cut no order's list: the plant does not try the limit", limit)
	}
}

// TestPeggingOracle compares every order's demand shares with the oracle
// on random plants, and checks that each demand's top-level pegging adds
// up to its quantity.
func TestPeggingOracle(t *testing.T) {
	for seed := uint64(80); seed < 84; seed++ {
		in := smallPlant(t, seed, 60)
		opts := mrp.DefaultOptions()
		opts.PegLimit = []int{0, 2, -1, 1}[seed-80]
		p, err := mrp.New(in, opts)
		if err != nil {
			t.Fatal(err)
		}
		checkOracle(t, p, limitOf(opts))
		for _, d := range in.Demands {
			if d.Forecast || p.Day(d.Due) >= p.Horizon() {
				continue
			}
			pegs, _ := p.Pegging(d.Item)
			var q int64
			for _, g := range pegs {
				if g.Req.Demand == d.ID {
					q += g.Qty
				}
			}
			if q != d.Qty {
				t.Fatalf("seed %d: demand %s of %d pegged %d", seed, d.ID, d.Qty, q)
			}
		}
	}
}

// treeText renders a demand's supply tree.
// flatText renders the flat supply tree of a demand as treeText does,
// checking that each node's parent is the last node before it one level
// up (depth first order).
func flatText(t testing.TB, p *mrp.Planner, demand string) string {
	t.Helper()
	tree, err := p.PegTree(demand)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	var last []int // last node seen at each level
	for n := range tree.Len() {
		lv := tree.Level(n)
		want := -1
		if lv > 0 {
			want = last[lv-1]
		}
		if lv > len(last) || tree.Parent(n) != want {
			t.Fatalf("demand %s: node %d at level %d has parent %d, want %d", demand, n, lv, tree.Parent(n), want)
		}
		last = append(last[:lv], n)
		fmt.Fprintf(&b, "%*s%s %v %d\n", 2*lv, "", tree.Item(n), tree.Supply(n), tree.Qty(n))
	}
	return b.String()
}

func treeText(t testing.TB, p *mrp.Planner, demand string) string {
	tree, err := p.SupplyTree(demand)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	var walk func(ns []*mrp.PegNode, depth int)
	walk = func(ns []*mrp.PegNode, depth int) {
		for _, n := range ns {
			fmt.Fprintf(&b, "%*s%s %v %d\n", 2*depth, "", n.Item, n.Supply, n.Qty)
			walk(n.Children, depth+1)
		}
	}
	walk(tree, 0)
	return b.String()
}

// TestPeggingFullLotForLot: on a lot-for-lot plant without stock, receipts
// or safety stock every unit planned is for some sales-order line, so every
// order's demand shares add up to its quantity, and the shares of each
// line over the orders of its own item add up to the line.
func TestPeggingFullLotForLot(t *testing.T) {
	c := plantgen.Light(400, 600)
	c.StockShare, c.ReceiptShare, c.PhantomShare, c.ScrapShare = 0, 0, 0, 0
	in, err := plantgen.Generate(c)
	if err != nil {
		t.Fatal(err)
	}
	opts := mrp.DefaultOptions()
	opts.PegLimit = -1 // every demand listed: the lines' shares are summed below
	p, err := mrp.New(in, opts)
	if err != nil {
		t.Fatal(err)
	}
	byDemand := map[string]float64{} // shares of top-item orders, by line
	n := 0
	err = p.EachOrder(true, true, func(o *mrp.OrderLine) error {
		if o.PeggedRest != 0 {
			return fmt.Errorf("order %s: rest %g with no peg limit", o.ID(), o.PeggedRest)
		}
		var sum float64
		for _, s := range o.Pegged {
			sum += s.Qty
			if lvl, _ := p.LowLevelCode(o.Item); lvl == 0 {
				byDemand[s.Demand] += s.Qty
			}
		}
		if math.Abs(sum-float64(o.Qty)) > 1e-6*float64(o.Qty) {
			return fmt.Errorf("order %s of %d: shares add up to %g", o.ID(), o.Qty, sum)
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range in.Demands {
		if p.Day(d.Due) >= p.Horizon() {
			continue
		}
		if got := byDemand[d.ID]; got != float64(d.Qty) {
			t.Fatalf("line %s of %d: its item's orders give it %g", d.ID, d.Qty, got)
		}
	}
	t.Logf("%d orders, %d lines", n, len(byDemand))
	if n < 1000 {
		t.Fatalf("only %d orders", n)
	}
}

// TestSupplyTreeFromPegging checks every supply tree against one built by
// the definition from the single-level pegging of all items: a demand's
// top nodes are the supplies pegged to it; a planned order of a made (or
// phantom) item has as children the supplies pegged to the requirements
// that order puts on its components. Children are compared as sets (the
// oracle knows no order among components).
func TestSupplyTreeFromPegging(t *testing.T) {
	seeds := 6
	if testing.Short() {
		seeds = 2
	}
	for seed := uint64(70); seed < uint64(70+seeds); seed++ {
		in := smallPlant(t, seed, 40)
		p, err := mrp.New(in, mrp.DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		type child struct {
			item string
			sup  mrp.Supply
			qty  int64
		}
		byParent := map[string][]child{} // parent order -> supplies pegged to its requirements
		byDemand := map[string][]child{}
		buy := map[string]bool{}
		for _, it := range in.Items {
			buy[it.ID] = it.Kind == mrp.Buy
		}
		for _, id := range p.Items() {
			pegs, err := p.Pegging(id)
			if err != nil {
				t.Fatal(err)
			}
			for _, g := range pegs {
				c := child{id, g.Supply, g.Qty}
				if g.Req.Demand != "" {
					byDemand[g.Req.Demand] = append(byDemand[g.Req.Demand], c)
				} else {
					byParent[g.Req.ParentOrder] = append(byParent[g.Req.ParentOrder], c)
				}
			}
		}
		var oracle func(cs []child, depth int) string
		oracle = func(cs []child, depth int) string {
			var out []string
			for _, c := range cs {
				s := fmt.Sprintf("%*s%s %v %d\n", 2*depth, "", c.item, c.sup, c.qty)
				if c.sup.Kind == mrp.FromPlanned && !buy[c.item] {
					s += oracle(byParent[c.sup.ID], depth+1)
				}
				out = append(out, s)
			}
			slices.Sort(out)
			return strings.Join(out, "")
		}
		var render func(ns []*mrp.PegNode, depth int) string
		render = func(ns []*mrp.PegNode, depth int) string {
			var out []string
			for _, n := range ns {
				out = append(out, fmt.Sprintf("%*s%s %v %d\n", 2*depth, "", n.Item, n.Supply, n.Qty)+render(n.Children, depth+1))
			}
			slices.Sort(out)
			return strings.Join(out, "")
		}
		nodes := 0
		for _, d := range in.Demands {
			tree, err := p.SupplyTree(d.ID)
			if err != nil {
				t.Fatal(err)
			}
			got, want := render(tree, 0), oracle(byDemand[d.ID], 0)
			if got != want {
				t.Fatalf("seed %d demand %s: supply tree\n%s\nfrom the single-level pegging\n%s", seed, d.ID, got, want)
			}
			nodes += strings.Count(got, "\n")
		}
		if nodes <= len(in.Demands) {
			t.Fatalf("seed %d: %d nodes in %d trees: no tree below its top", seed, nodes, len(in.Demands))
		}
	}
}

// TestDemandQtyIsShare: in every demand's supply tree on random plants,
// the demand quantities of the nodes of one planned order add up to the
// demand's share of that order as PeggedDemands computes it (all
// demands listed), and a top node's is its quantity: the tree's
// quantities are what the sales order takes, its share carried down
// through its parents' orders.
func TestDemandQtyIsShare(t *testing.T) {
	for seed := uint64(90); seed < 93; seed++ {
		in := smallPlant(t, seed, 40)
		opts := mrp.DefaultOptions()
		opts.PegLimit = -1
		p, err := mrp.New(in, opts)
		if err != nil {
			t.Fatal(err)
		}
		checked := 0
		for _, d := range in.Demands {
			ft, err := p.PegTree(d.ID)
			if err != nil {
				t.Fatal(err)
			}
			dq := ft.DemandQtys()
			sum := map[string]float64{}
			for n := range ft.Len() {
				if ft.Parent(n) < 0 && dq[n] != float64(ft.Qty(n)) {
					t.Fatalf("seed %d %s: top node %d: demand qty %g, qty %d", seed, d.ID, n, dq[n], ft.Qty(n))
				}
				if s := ft.Supply(n); s.Kind == mrp.FromPlanned {
					sum[s.ID] += dq[n]
				}
			}
			for id, q := range sum {
				sh, _, err := p.PeggedDemands(id)
				if err != nil {
					t.Fatal(err)
				}
				want := 0.0
				for _, x := range sh {
					if x.Demand == d.ID {
						want = x.Qty
					}
				}
				if math.Abs(q-want) > 1e-6*max(1, want) {
					t.Fatalf("seed %d: %s's nodes of %s: demand qty %g, PeggedDemands share %g", seed, d.ID, id, q, want)
				}
				checked++
			}
		}
		if checked == 0 {
			t.Fatalf("seed %d: no planned order in any tree", seed)
		}
	}
}
