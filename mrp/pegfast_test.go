package mrp_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
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

// treeOf is treeString of demand d's supply tree as supply (SupplyTree,
// SupplyTreeSlow) gives it, or "refused: larger than the node bound" where
// supply refuses it as too large (ErrTooLarge: some seeds' deep lot-sized
// plants), so that two ways to the tree must then both refuse. Any other
// error fails the test.
func treeOf(t *testing.T, supply func(string) ([]*mrp.PegNode, error), d string) string {
	t.Helper()
	tree, err := supply(d)
	if errors.Is(err, mrp.ErrTooLarge) {
		return "refused: larger than the node bound"
	}
	if err != nil {
		t.Fatalf("supply tree of %s: %v", d, err)
	}
	return treeString(tree)
}

// slowTree is mrp.SupplyTreeSlow on p, for treeOf.
func slowTree(p *mrp.Planner) func(string) ([]*mrp.PegNode, error) {
	return func(d string) ([]*mrp.PegNode, error) { return mrp.SupplyTreeSlow(p, d) }
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
	var fast, slow, nodes, byDay, byPos, fromStart int
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
			fs, err := mrp.SupplyTreeFromStart(p, d.ID)
			if err != nil {
				t.Fatal(err)
			}
			fromStart += fs
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
	in, p := plannedPlant(t, plantgen.Default(120))
	check(0, -1, p, in)
	t.Logf("%d trees by running totals (%d nodes), %d needed whole-item pegging; %d requirements placed by day, %d by position (%d of them from the start of the day)", fast, nodes, slow, byDay, byPos, fromStart)
	// both ways of placing a requirement are compared, and a position
	// both from the end of the day and from its start
	if byDay < 100 || byPos < 100 || fromStart < 30 || byPos-fromStart < 30 {
		t.Errorf("requirements placed by day %d, by position %d (from the start of the day %d): want every way used", byDay, byPos, fromStart)
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

// TestReceiptDaysHandWorked: X (buy, lead time 0, none on hand) has
// receipts R1 5 due day 10 and R2 5 due day 14, demands D 8 on day 12 and
// E 4 on day 16.
//
// Reschedule window 3: day 10: 0+5 = 5; day 12: 5-8 = -3 < 0, R2 is due
// 14-12 = 2 <= 3 days later: pulled in to day 12, 2 left; day 16: 2-4 =
// -2, an order of 2. The supply tree reads R1 on day 10, R2 on day 12.
// Window 1: R2 is 2 > 1 days away: an order of 3 on day 12; R2 counts on
// day 14. After D goes to 4 (window 3): day 12: 5-4 = 1 >= 0, nothing is
// pulled in: days 10, 14 again (read from the new plan's messages).
func TestReceiptDaysHandWorked(t *testing.T) {
	in := &mrp.Input{
		Items:   []mrp.Item{{ID: "X", Kind: mrp.Buy}},
		Demands: []mrp.Demand{dem("D", "X", 8, 12), dem("E", "X", 4, 16)},
		Receipts: []mrp.Receipt{
			{ID: "R1", Item: "X", Qty: 5, Due: day(10)},
			{ID: "R2", Item: "X", Qty: 5, Due: day(14)},
		},
		Calendar: everyDay(30),
	}
	check := func(p *mrp.Planner, want string) {
		t.Helper()
		kept, fresh, ok := mrp.ReceiptDays(p, "X")
		if !ok || fmt.Sprint(kept) != want || fmt.Sprint(fresh) != want {
			t.Errorf("receipt days: kept %v (ok %v), netting %v, want %s", kept, ok, fresh, want)
		}
	}
	for _, c := range []struct {
		window     int
		days, plan string
	}{{3, "[10 12]", "2@16/16"}, {1, "[10 14]", "3@12/12"}} {
		opts := mrp.DefaultOptions()
		opts.RescheduleWindow = c.window
		p, err := mrp.New(in, opts)
		if err != nil {
			t.Fatal(err)
		}
		want(t, p, "X", c.plan)
		check(p, c.days)
		if c.window == 3 {
			if _, err := p.Apply(mrp.SetDemand{Demand: dem("D", "X", 4, 12)}); err != nil {
				t.Fatal(err)
			}
			check(p, "[10 14]")
		}
	}
}

// TestReceiptDaysKept is the property that the receipts' days the supply
// tree reads from the plan's reschedule-in messages are those a fresh
// netting of the item gives, after every one of random net changes
// (demands, receipts set, moved and removed, stock, items; reschedule
// windows 0 to 11 days), on random plants; that the running totals a
// tree then redoes from the first order and requirement the change
// changed, and summed only as far as the tree reads them, and the
// supply sequences of items with receipts, made as far as read, equal
// fresh ones; and that the tree equals the one from the whole single-level
// pegging.
func TestReceiptDaysKept(t *testing.T) {
	plants, steps := 8, 120
	if testing.Short() || raceEnabled {
		plants, steps = 4, 60
	}
	checked, pulled, kept, partial, views := 0, 0, 0, 0, 0
	for seed := uint64(1); seed <= uint64(plants); seed++ {
		in := smallPlant(t, seed, 25+int(seed*7)%40)
		opts := mrp.DefaultOptions()
		opts.RescheduleWindow = int(seed*5) % 12
		p, err := mrp.New(in, opts)
		if err != nil {
			t.Fatal(err)
		}
		r := rand.New(rand.NewPCG(seed, 7))
		if seed%4 != 0 {
			// totals summed only as far as a tree reads (and 1-4
			// more), so that a change meets part-summed ones
			mrp.SetTotalsAhead(p, 1+int(seed%4))
		}
		for step := range steps {
			c := randomChange(r, p.Input(), step)
			if _, err := p.Apply(c); err != nil {
				t.Fatalf("seed %d step %d: %v", seed, step, err)
			}
			cur := p.Input()
			in := map[string]bool{} // items with a receipt pulled in
			for _, x := range p.Exceptions() {
				if x.Kind == mrp.RescheduleIn {
					in[x.Item] = true
				}
			}
			items := map[string]bool{}
			for _, x := range cur.Receipts {
				items[x.Item] = true
			}
			for item := range items {
				kept, fresh, ok := mrp.ReceiptDays(p, item)
				if !ok || !slices.Equal(kept, fresh) {
					t.Fatalf("seed %d step %d after %#v: item %s: receipt days from the messages %v (ok %v), netting %v", seed, step, c, item, kept, ok, fresh)
				}
				checked++
				if in[item] {
					pulled++
				}
			}
			kept += mrp.TotalsKeptAfterChange(p)
			if len(cur.Demands) > 0 {
				// the totals the tree needs are redone from the changes on
				if _, err := p.PegTree(cur.Demands[r.IntN(len(cur.Demands))].ID); err != nil {
					t.Fatal(err)
				}
				if e := mrp.TotalsError(p); e != "" {
					t.Fatalf("seed %d step %d after %#v: %s", seed, step, c, e)
				}
				pq := mrp.TotalsPartial(p)
				partial, views = partial+pq, views+mrp.ReceiptViews(p)
			}
			if step%10 == 9 && len(cur.Demands) > 0 {
				d := cur.Demands[r.IntN(len(cur.Demands))].ID
				if a, b := treeOf(t, p.SupplyTree, d), treeOf(t, slowTree(p), d); a != b {
					t.Fatalf("seed %d step %d: tree of %s:\n%s\nfrom the whole pegging:\n%s", seed, step, d, a, b)
				}
			}
		}
	}
	t.Logf("%d items' receipt days checked, %d with a receipt pulled in; %d items' running totals redone from a change on, %d summed in part; %d items with receipts placed from their receipts' days", checked, pulled, kept, partial, views)
	if partial == 0 || views == 0 {
		t.Error("no running totals made in part, or no receipts read by a tree: the property says nothing about them")
	}
	if pulled == 0 {
		t.Error("no receipt pulled in: the property says nothing about reschedule-in")
	}
	if kept == 0 {
		t.Error("no running totals redone from a change on: the property says nothing about it")
	}
}

// TestSupplyTreeColdFresh is the property that the supply trees of a
// planner after a net change, built while the touched items' running
// totals and supply sequences are redone from the first order and
// requirement the change altered, and summed only as far as the trees
// read them (8 ahead, the default, or 1), equal those of a fresh planner
// of the same input, on random plants after random net changes: the first
// tree after the change (cold) and two more on the same plan version;
// after the cold tree every prefix of totals and supplies made equals a
// fresh one too (TotalsError). It requires the path: kept entries
// reused, totals left summed in part, items with receipts placed from
// their receipts, and cached items whose order or requirement totals a
// cold tree did not read left alone (not set up for the version). With the default, the later trees of a
// version sum all of an item's totals they extend: they leave no more
// summed in part than the first did.
func TestSupplyTreeColdFresh(t *testing.T) {
	plants, steps := 6, 40
	if testing.Short() || raceEnabled {
		plants, steps = 3, 15
	}
	trees, kept, partial, views, completed, alone := 0, 0, 0, 0, 0, 0
	for seed := uint64(1); seed <= uint64(plants); seed++ {
		in := smallPlant(t, seed, 30+int(seed*11)%40)
		opts := mrp.DefaultOptions()
		opts.RescheduleWindow = int(seed*3) % 8
		p, err := mrp.New(in, opts)
		if err != nil {
			t.Fatal(err)
		}
		if seed%2 == 0 {
			mrp.SetTotalsAhead(p, 1)
		}
		r := rand.New(rand.NewPCG(seed, 11))
		for step := range steps {
			c := randomChange(r, p.Input(), step)
			if _, err := p.Apply(c); err != nil {
				t.Fatalf("seed %d step %d: %v", seed, step, err)
			}
			kept += mrp.TotalsKeptAfterChange(p)
			cur := p.Input()
			if len(cur.Demands) == 0 {
				continue
			}
			fresh, err := mrp.New(cur, opts)
			if err != nil {
				t.Fatal(err)
			}
			coldPartial := 0
			for k := range 3 {
				d := cur.Demands[r.IntN(len(cur.Demands))].ID
				got := treeOf(t, p.SupplyTree, d)
				pq := mrp.TotalsPartial(p)
				if k == 0 {
					partial, views = partial+pq, views+mrp.ReceiptViews(p)
					coldPartial = pq
					alone += mrp.TotalsLeftAlone(p)
					if e := mrp.TotalsError(p); e != "" {
						t.Fatalf("seed %d step %d after %#v, cold tree of %s: %s", seed, step, c, d, e)
					}
				} else if seed%2 == 1 {
					// the later trees sum all of what they extend
					if pq > coldPartial {
						t.Fatalf("seed %d step %d: %d totals summed in part after tree %d, %d after the first", seed, step, pq, k, coldPartial)
					}
					completed += coldPartial - pq
					coldPartial = pq
				}
				if a, b := got, treeOf(t, fresh.SupplyTree, d); a != b {
					t.Fatalf("seed %d step %d after %#v, tree %d of %s:\n%s\na fresh planner's:\n%s", seed, step, c, k, d, a, b)
				}
				trees++
			}
		}
	}
	t.Logf("%d trees; %d items' totals redone from a change on, %d summed in part after a cold tree; %d items with receipts placed from their receipts; %d completed by the later trees; %d cached items with one of their totals left alone by a cold tree", trees, kept, partial, views, completed, alone)
	if kept == 0 || partial == 0 || views == 0 || completed == 0 || alone == 0 {
		t.Error("no totals kept, none summed in part, or none left alone: the property says nothing about them")
	}
}

// TestSupplyRunKeptFresh is the property that the trees of items with
// receipts, placed from their receipts and order totals
// (Planner.receiptCover), equal a fresh planner's and the whole
// pegging's, and that their supply sequences, made whole by the whole
// pegging every other version and kept from one plan version to the next
// up to the first supply a net change may alter (supRun.kept), equal a
// fresh planner's: on random plants after random net changes, a third of
// them moving, resizing, adding or removing a receipt of an item that has
// some, and a cold and a warm tree after each. It requires the paths:
// receipts read by a tree, supplies kept.
func TestSupplyRunKeptFresh(t *testing.T) {
	plants, steps := 6, 50
	if testing.Short() || raceEnabled {
		plants, steps = 3, 20
	}
	reused, runs, trees, views := 0, 0, 0, 0
	for seed := uint64(1); seed <= uint64(plants); seed++ {
		in := smallPlant(t, 100+seed, 30+int(seed*13)%40)
		opts := mrp.DefaultOptions()
		opts.RescheduleWindow = int(seed*5) % 10
		p, err := mrp.New(in, opts)
		if err != nil {
			t.Fatal(err)
		}
		if seed%3 != 0 {
			mrp.SetTotalsAhead(p, int(seed%3)) // sequences made in part
		}
		r := rand.New(rand.NewPCG(seed, 13))
		for step := range steps {
			cur := p.Input()
			var c mrp.Change = randomChange(r, cur, step)
			if len(cur.Receipts) > 0 && r.IntN(3) == 0 {
				x := cur.Receipts[r.IntN(len(cur.Receipts))]
				switch r.IntN(4) {
				case 0:
					x.Due = x.Due.AddDate(0, 0, r.IntN(11)-5)
				case 1:
					x.Qty = max(1, x.Qty+int64(r.IntN(21)-10))
				case 2:
					x.ID = fmt.Sprintf("K%d", step)
					x.Due = x.Due.AddDate(0, 0, r.IntN(21)-10)
				case 3:
					c = mrp.RemoveReceipt{ID: x.ID}
				}
				if _, ok := c.(mrp.RemoveReceipt); !ok {
					c = mrp.SetReceipt{Receipt: x}
				}
			}
			if _, err := p.Apply(c); err != nil {
				t.Fatalf("seed %d step %d: %v", seed, step, err)
			}
			cur = p.Input()
			if len(cur.Demands) == 0 {
				continue
			}
			fresh, err := mrp.New(cur, opts)
			if err != nil {
				t.Fatal(err)
			}
			for k := range 2 {
				d := cur.Demands[r.IntN(len(cur.Demands))].ID
				got := treeOf(t, p.SupplyTree, d)
				if msg := mrp.TotalsError(p); msg != "" {
					t.Fatalf("seed %d step %d after %#v, tree %d: %s", seed, step, c, k, msg)
				}
				if k == 0 {
					views += mrp.ReceiptViews(p)
					// the whole pegging: the oracle
					if a, b := got, treeOf(t, slowTree(p), d); a != b {
						t.Fatalf("seed %d step %d after %#v, tree of %s:\n%s\nfrom the whole pegging:\n%s", seed, step, c, d, a, b)
					}
				}
				if a, b := got, treeOf(t, fresh.SupplyTree, d); a != b {
					t.Fatalf("seed %d step %d after %#v, tree %d of %s:\n%s\na fresh planner's:\n%s", seed, step, c, k, d, a, b)
				}
				trees++
			}
			if step%2 == 1 {
				// whole supply sequences (as the late demands and
				// the whole pegging make them), kept in part past
				// the next change
				mrp.PegAll(p)
				s, n := mrp.SuppliesReused(p)
				reused, runs = reused+s, runs+n
				if msg := mrp.TotalsError(p); msg != "" {
					t.Fatalf("seed %d step %d after %#v, the whole pegging: %s", seed, step, c, msg)
				}
			}
		}
	}
	t.Logf("%d trees; %d items with receipts placed from their receipts; %d supplies kept from the version before in %d sequences", trees, views, reused, runs)
	if reused == 0 || views == 0 {
		t.Error("no supply kept, or no receipts read by a tree: the property says nothing about them")
	}
}
