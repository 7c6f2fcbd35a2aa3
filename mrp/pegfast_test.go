package mrp_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/ctoplan/ctoplan/internal/plantgen"
	"github.com/ctoplan/ctoplan/mrp"
)

// treeString renders a supply tree in its order (children included).
func treeString(ns []*mrp.PegNode) string {
	var b strings.Builder
	var walk func(ns []*mrp.PegNode, depth int)
	walk = func(ns []*mrp.PegNode, depth int) {
		for _, n := range ns {
			fmt.Fprintf(&b, "%*s%s %v %d\n", 2*depth, "", n.Item, n.Supply, n.Qty)
			walk(n.Children, depth+1)
		}
	}
	walk(ns, 0)
	return b.String()
}

// TestSupplyTreeRunningTotals: the supply tree found by running totals
// (positions in the item's requirement and supply sequences, no whole-item
// pegging) equals, node for node and in order, the tree walked through the
// whole single-level pegging of every item, on random plants (lot sizing,
// safety stock, stock, receipts, phantoms, scrap, dated BOMs, forecasts,
// holidays) and after random net changes (firm orders among them).
func TestSupplyTreeRunningTotals(t *testing.T) {
	plants, steps := 6, 30
	if testing.Short() {
		plants, steps = 3, 12
	}
	if raceEnabled {
		plants, steps = 2, 6
	}
	var fast, slow, nodes, byDay, byPos int
	check := func(seed uint64, step int, p *mrp.Planner, in *mrp.Input) {
		t.Helper()
		for j := step + 1; j < len(in.Demands); j += 1 + len(in.Demands)/12 {
			d := in.Demands[max(j, 0)]
			want, err := mrp.SupplyTreeSlow(p, d.ID)
			if err != nil {
				t.Fatal(err)
			}
			got, ok, err := mrp.SupplyTreeFast(p, d.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !ok {
				slow++
				continue
			}
			fast++
			bd, bp, err := mrp.SupplyTreePaths(p, d.ID)
			if err != nil {
				t.Fatal(err)
			}
			byDay, byPos = byDay+bd, byPos+bp
			g, w := treeString(got), treeString(want)
			if g != w {
				t.Fatalf("seed %d step %d demand %s: running totals give\n%s\nwhole-item pegging gives\n%s", seed, step, d.ID, g, w)
			}
			nodes += strings.Count(g, "\n")
			// the public calls give the same
			if pub, err := p.SupplyTree(d.ID); err != nil || treeString(pub) != w {
				t.Fatalf("seed %d step %d demand %s: SupplyTree differs (%v)", seed, step, d.ID, err)
			}
			if f := flatText(t, p, d.ID); f != w {
				t.Fatalf("seed %d step %d demand %s: PegTree gives\n%s\nwhole-item pegging gives\n%s", seed, step, d.ID, f, w)
			}
		}
	}
	for seed := uint64(1); seed <= uint64(plants); seed++ {
		in := smallPlant(t, seed, 25+int(seed*7)%40)
		if seed%2 == 0 {
			// two BOM lines to one component (a tree node's children
			// then come from both, in line order)
			for j := range in.Items {
				if cs := in.Items[j].Components; len(cs) > 0 && j%4 == 1 {
					in.Items[j].Components = append(cs, mrp.Component{Item: cs[0].Item, QtyPer: cs[0].QtyPer + 1})
				}
			}
		}
		opts := mrp.DefaultOptions()
		opts.RescheduleWindow = int(seed % 12)
		p, err := mrp.New(in, opts)
		if err != nil {
			t.Fatal(err)
		}
		check(seed, -1, p, in)
		if seed%2 == 1 {
			// every item's running totals, redone after the changes
			mrp.PegAll(p)
		}
		r := rand.New(rand.NewPCG(seed, 17))
		for step := range steps {
			if _, err := p.Apply(randomChange(r, p.Input(), step)); err != nil {
				t.Fatalf("seed %d step %d: %v", seed, step, err)
			}
			if step%3 == 2 {
				check(seed, step, p, p.Input())
			}
		}
	}
	// the default generated plant
	c := plantgen.Default(120)
	in, err := plantgen.Generate(c)
	if err != nil {
		t.Fatal(err)
	}
	p, err := mrp.New(in, mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	check(0, -1, p, in)
	t.Logf("%d trees by running totals (%d nodes), %d needed whole-item pegging; %d requirements placed by day, %d by position", fast, nodes, slow, byDay, byPos)
	// both ways of placing a requirement are compared
	if byDay < 100 || byPos < 100 {
		t.Errorf("requirements placed by day %d, by position %d: want both used", byDay, byPos)
	}
	// every item is placed by running totals (the fallback is for an
	// inconsistency that should not happen), and the trees are deep
	if slow > 0 || nodes < 5*fast {
		t.Errorf("running totals used for %d trees (%d nodes), whole-item pegging for %d", fast, nodes, slow)
	}
}

// TestDemandOrders: the orders of a demand's supply tree, read from the
// flat tree, equal those found the obvious way (walk the linked tree,
// look each order up by its ID, keep the first of each), on random plants
// after random net changes.
func TestDemandOrders(t *testing.T) {
	oracle := func(p *mrp.Planner, demand string) []mrp.PlannedOrder {
		tree, err := p.SupplyTree(demand)
		if err != nil {
			t.Fatal(err)
		}
		var out []mrp.PlannedOrder
		seen := map[string]bool{}
		var walk func(ns []*mrp.PegNode)
		walk = func(ns []*mrp.PegNode) {
			for _, n := range ns {
				if n.Supply.Kind == mrp.FromPlanned && !seen[n.Supply.ID] {
					seen[n.Supply.ID] = true
					o, err := p.Order(n.Supply.ID)
					if err != nil {
						t.Fatal(err)
					}
					out = append(out, o)
				}
				walk(n.Children)
			}
		}
		walk(tree)
		return out
	}
	checked := 0
	for seed := uint64(1); seed <= 3; seed++ {
		in := smallPlant(t, seed, 30+int(seed)*9)
		p, err := mrp.New(in, mrp.DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		r := rand.New(rand.NewPCG(seed, 29))
		for step := range 12 {
			if _, err := p.Apply(randomChange(r, p.Input(), step)); err != nil {
				t.Fatal(err)
			}
			ds := p.Input().Demands
			for j := step; j < len(ds); j += 1 + len(ds)/6 {
				got, err := p.DemandOrders(ds[j].ID)
				if err != nil {
					t.Fatal(err)
				}
				want := oracle(p, ds[j].ID)
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Fatalf("seed %d step %d demand %s: DemandOrders\n%v\nwalking the tree\n%v", seed, step, ds[j].ID, got, want)
				}
				checked += len(got)
			}
		}
	}
	if checked < 100 {
		t.Errorf("only %d orders compared", checked)
	}
	if _, err := (&mrp.Planner{}).DemandOrders("nope"); err == nil {
		t.Error("DemandOrders of an unknown demand: no error")
	}
}
