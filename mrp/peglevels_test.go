package mrp_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ctoplan/ctoplan/internal/plantgen"
	"github.com/ctoplan/ctoplan/mrp"
)

// levelsText is a tree of PegTreeLevels as flatText writes a whole one,
// a cut node marked " cut".
func levelsText(tree *mrp.PegTree) string {
	var b strings.Builder
	for n := range tree.Len() {
		fmt.Fprintf(&b, "%*s%s %v %d", 2*tree.Level(n), "", tree.Item(n), tree.Supply(n), tree.Qty(n))
		if tree.Cut(n) {
			b.WriteString(" cut")
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// TestPegTreeLevelsLadder: a tree cut after its first levels, by hand on
// the ladder plant (see ladder; its whole tree of 3 levels below A0 is
// written out in TestSupplyTreeSlowLadder). Two levels: A0's order and,
// below it, A1's and B1's, both cut (their items have components); one
// level: A0's alone, cut; four levels or more: the whole tree, nothing
// cut. 20 levels below A0 unfold into 2^21 - 1 nodes, more than a tree
// holds: the whole tree is refused (ErrTooLarge, naming the demand and
// the way out), its first 5 levels are 31 nodes, the 16 of the last cut.
// By running totals and by whole-item pegging alike.
func TestPegTreeLevelsLadder(t *testing.T) {
	p := plan(t, ladder(3))
	two := "" +
		"A0 {planned A0#2026-12-03 3 2} 2\n" +
		"  A1 {planned A1#2026-12-03 3 2} 2 cut\n" +
		"  B1 {planned B1#2026-12-03 3 2} 2 cut\n"
	one := "A0 {planned A0#2026-12-03 3 2} 2 cut\n"
	whole := flatText(t, p, "D")
	for _, c := range []struct {
		levels int
		want   string
	}{{1, one}, {2, two}, {4, whole}, {10, whole}, {0, whole}, {-1, whole}} {
		fast, err := p.PegTreeLevels("D", c.levels)
		if err != nil {
			t.Fatal(err)
		}
		slow, err := mrp.PegTreeSlowLevels(p, "D", c.levels)
		if err != nil {
			t.Fatal(err)
		}
		if got := levelsText(fast); got != c.want {
			t.Errorf("%d levels:\n%s\nwant\n%s", c.levels, got, c.want)
		}
		if got := levelsText(slow); got != c.want {
			t.Errorf("%d levels, whole-item pegging:\n%s\nwant\n%s", c.levels, got, c.want)
		}
	}

	p = plan(t, ladder(20))
	_, err := p.PegTree("D")
	if !errors.Is(err, mrp.ErrTooLarge) || !strings.Contains(err.Error(), "demand D") || !strings.Contains(err.Error(), "fewer levels") {
		t.Errorf("20 levels, whole tree: %v, want ErrTooLarge naming demand D and fewer levels", err)
	}
	for name, get := range map[string]func() (*mrp.PegTree, error){
		"running totals":     func() (*mrp.PegTree, error) { return p.PegTreeLevels("D", 5) },
		"whole-item pegging": func() (*mrp.PegTree, error) { return mrp.PegTreeSlowLevels(p, "D", 5) },
	} {
		tree, err := get()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		cut, last := 0, 0
		for n := range tree.Len() {
			if tree.Level(n) == 4 {
				last++
			}
			if tree.Cut(n) {
				cut++
				if tree.Level(n) != 4 {
					t.Errorf("%s: node %d cut at level %d", name, n, tree.Level(n))
				}
			}
		}
		if tree.Len() != 31 || last != 16 || cut != 16 {
			t.Errorf("%s: %d nodes, %d on level 4, %d cut; want 31, 16, 16", name, tree.Len(), last, cut)
		}
	}
	if _, err := mrp.PegTreeSlowLevels(p, "D", 21); !errors.Is(err, mrp.ErrTooLarge) {
		t.Errorf("21 levels, whole-item pegging: %v, want ErrTooLarge", err)
	}
	// the tree's orders, though, are 41, each listed once where the tree
	// (depth first) first has it: A0, A1 ... A20, then B20 (A19's second
	// component), B19 (A18's; all under it met), ..., B1
	orders, err := p.DemandOrders("D")
	if err != nil {
		t.Fatal(err)
	}
	var got, want []string
	for _, o := range orders {
		got = append(got, o.Item)
	}
	for k := 0; k <= 20; k++ {
		want = append(want, fmt.Sprintf("A%d", k))
	}
	for k := 20; k >= 1; k-- {
		want = append(want, fmt.Sprintf("B%d", k))
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("20 levels, DemandOrders:\n%v\nwant\n%v", got, want)
	}
	// found by the tree's levels with each order expanded once (41
	// orders, 81 nodes), not by whole-item pegging
	distinct, err := mrp.DemandItemsDistinct(p, "D")
	if err != nil || strings.Join(distinct, " ") != strings.Join(want, " ") {
		t.Errorf("20 levels, each order expanded once: %v, %v\nwant\n%v", distinct, err, want)
	}
}

// TestPegTreeLevelsRandom: on random plants and after random net changes,
// the tree of the first L levels is the whole tree's nodes of levels
// below L, in the whole tree's order, with the same parents, and a node
// is cut exactly when it is on level L-1 and has children in the whole
// tree; the same by whole-item pegging. And a tree's SupplyIDs and
// DateText are its nodes' Supply, one by one (firm orders and receipts
// among them, whose IDs step around each other).
func TestPegTreeLevelsRandom(t *testing.T) {
	plants, steps := 6, 12
	if testing.Short() || raceEnabled {
		plants, steps = 2, 4
	}
	trees, nth, distinct := 0, 0, 0
	check := func(seed uint64, step int, p *mrp.Planner, in *mrp.Input) {
		t.Helper()
		for j := 0; j < len(in.Demands); j += 1 + len(in.Demands)/8 {
			id := in.Demands[j].ID
			whole, err := p.PegTree(id)
			if err != nil {
				t.Fatal(err)
			}
			// the tree's orders, each once where the tree first has
			// it, from DemandOrders (by the tree or, where it needs
			// whole-item pegging, from its distinct supplies) and from
			// the distinct supplies always
			var want []string
			seenOrder := map[string]bool{}
			for n := range whole.Len() {
				if s := whole.Supply(n); s.Kind == mrp.FromPlanned && !seenOrder[s.ID] {
					seenOrder[s.ID] = true
					want = append(want, s.ID)
				}
			}
			fast, err := p.DemandOrders(id)
			if err != nil {
				t.Fatal(err)
			}
			shared, err := mrp.DemandOrdersShared(p, id)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(fast, shared) || !slices.Equal(orderIDs(fast), want) {
				t.Fatalf("seed %d step %d demand %s: DemandOrders\n%v\nfrom distinct supplies\n%v\nfrom the tree\n%v", seed, step, id, orderIDs(fast), orderIDs(shared), want)
			}
			// every supply but stock (receipts too) where the tree first
			// has it, by the levels with each order expanded once
			var wantItems []string
			seenSup := map[string]bool{}
			for n := range whole.Len() {
				if s := whole.Supply(n); s.Kind != mrp.FromStock && !seenSup[fmt.Sprint(s.Kind, s.ID)] {
					seenSup[fmt.Sprint(s.Kind, s.ID)] = true
					wantItems = append(wantItems, whole.Item(n))
				}
			}
			if items, err := mrp.DemandItemsDistinct(p, id); err == nil {
				distinct++
				if !slices.Equal(items, wantItems) {
					t.Fatalf("seed %d step %d demand %s: each order expanded once\n%v\nthe tree's supplies\n%v", seed, step, id, items, wantItems)
				}
			}
			// the IDs made in one block and the dates as text are
			// each node's Supply
			ids := whole.SupplyIDs()
			for n := range whole.Len() {
				s := whole.Supply(n)
				if strings.Contains(s.ID, "#") && strings.Contains(s.ID, ".") {
					nth++
				}
				if ids[n] != s.ID || whole.DateText(n) != p.Date(s.Day).Format(time.DateOnly) {
					t.Fatalf("seed %d step %d demand %s node %d: SupplyIDs %q, DateText %s; Supply %v (%s)", seed, step, id, n, ids[n], whole.DateText(n), s, p.Date(s.Day).Format(time.DateOnly))
				}
			}
			// the oracle: the whole tree filtered by level, each
			// node's children counted
			kids := make([]int, whole.Len())
			depth := 0
			for n := range whole.Len() {
				if par := whole.Parent(n); par >= 0 {
					kids[par]++
				}
				depth = max(depth, whole.Level(n)+1)
			}
			for levels := 1; levels <= depth+1; levels++ {
				var want strings.Builder
				newIx := map[int]int{-1: -1}
				for n := range whole.Len() {
					if whole.Level(n) >= levels {
						continue
					}
					newIx[n] = len(newIx) - 1
					fmt.Fprintf(&want, "%d %d %s %v %d %v\n", newIx[whole.Parent(n)], whole.Level(n), whole.Item(n), whole.Supply(n), whole.Qty(n), whole.Level(n) == levels-1 && kids[n] > 0)
				}
				for name, get := range map[string]func() (*mrp.PegTree, error){
					"running totals":     func() (*mrp.PegTree, error) { return p.PegTreeLevels(id, levels) },
					"whole-item pegging": func() (*mrp.PegTree, error) { return mrp.PegTreeSlowLevels(p, id, levels) },
				} {
					tree, err := get()
					if err != nil {
						t.Fatal(err)
					}
					var got strings.Builder
					for n := range tree.Len() {
						fmt.Fprintf(&got, "%d %d %s %v %d %v\n", tree.Parent(n), tree.Level(n), tree.Item(n), tree.Supply(n), tree.Qty(n), tree.Cut(n))
					}
					if got.String() != want.String() {
						t.Fatalf("seed %d step %d demand %s, %d levels, %s:\n%s\nwant (the whole tree's)\n%s", seed, step, id, levels, name, got.String(), want.String())
					}
					trees++
				}
			}
		}
	}
	for seed := uint64(1); seed <= uint64(plants); seed++ {
		in := smallPlant(t, seed, 25+int(seed*7)%40)
		for j := range in.Items {
			if j%13 == 1 {
				// lots of at most 150: several orders a day, named
				// ITEM#date, ITEM#date.2, ...
				in.Items[j].Lot.Max = 150
			}
		}
		p, err := mrp.New(in, mrp.DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		check(seed, -1, p, in)
		r := rand.New(rand.NewPCG(seed, 23))
		for step := range steps {
			if _, err := p.Apply(randomChange(r, p.Input(), step)); err != nil {
				t.Fatalf("seed %d step %d: %v", seed, step, err)
			}
			if step%3 == 2 {
				check(seed, step, p, p.Input())
			}
		}
	}
	if distinct < 20 {
		t.Errorf("%d lines' supplies found by expanding each order once, want 20 or more", distinct)
	}
	if trees < 100 || nth < 20 {
		t.Errorf("only %d trees compared, %d nodes of the second or later order of a day", trees, nth)
	}
}

// TestPegAhead: the demand shares PegAhead computes on all cores for a
// sales order's orders (their items and ancestors, level by level) give
// every order the pegging a planner without it gives one item at a time,
// on the generated default plant (levels wide enough for two workers)
// and after net changes.
func TestPegAhead(t *testing.T) {
	n, steps := 1500, 4
	if raceEnabled {
		n, steps = 500, 2
	}
	in, err := plantgen.Generate(plantgen.Default(n))
	if err != nil {
		t.Fatal(err)
	}
	opts := mrp.DefaultOptions()
	opts.Workers = 2
	ahead, err := mrp.New(in, opts)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(5, 8))
	compared := 0
	for step := range steps {
		if step > 0 {
			ch := randomChange(r, ahead.Input(), step)
			if _, err := ahead.Apply(ch); err != nil {
				t.Fatal(err)
			}
		}
		// the oracle: a fresh planner of the same input, pegging order
		// by order
		one, err := mrp.New(ahead.Input(), opts)
		if err != nil {
			t.Fatal(err)
		}
		for j := step; j < len(in.Demands); j += len(in.Demands) / 3 {
			id := in.Demands[j].ID
			orders, err := ahead.DemandOrders(id)
			if err != nil {
				t.Fatal(err)
			}
			ahead.PegAhead(orders)
			for _, o := range orders {
				got, gr, err := ahead.PeggedDemands(o.ID)
				if err != nil {
					t.Fatal(err)
				}
				want, wr, err := one.PeggedDemands(o.ID)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, want) || gr != wr {
					t.Fatalf("step %d demand %s order %s: pegged ahead %v (rest %v), one by one %v (rest %v)", step, id, o.ID, got, gr, want, wr)
				}
				compared++
			}
		}
	}
	if compared < 100 {
		t.Errorf("only %d orders compared", compared)
	}
}

// TestStatusSupplies: a sales order's status, read from its tree's
// supplies once each (in flat form, or from its distinct supplies as for
// a tree too large to build), equals the status written from its
// definition over the whole linked tree: the operations of every
// production order and released production order in it (a released one's
// confirmed operations done) and the first of its orders finishing last in
// the finite schedule. Generated plant with work centers, some released
// production orders confirmed.
func TestStatusSupplies(t *testing.T) {
	n := 300
	if raceEnabled {
		n = 150
	}
	c := plantgen.Default(n)
	c.ReceiptShare = 0.3
	in, p := plannedPlant(t, c)
	// the first operation of every other released production order done
	var confs []mrp.Confirmation
	for k, r := range in.Receipts {
		it, _ := p.Item(r.Item)
		if r.Kind == mrp.ProductionOrder && k%2 == 0 && len(it.Operations) > 0 {
			confs = append(confs, mrp.Confirmation{ID: fmt.Sprintf("C%d", k), Order: r.ID, Seq: it.Operations[0].Seq, Done: true})
		}
	}
	if len(confs) == 0 {
		t.Fatal("no released production order to confirm")
	}
	if _, err := p.Confirm(confs...); err != nil {
		t.Fatal(err)
	}
	wcs, err := plantgen.WorkCenters(in, plantgen.Utilization)
	if err != nil {
		t.Fatal(err)
	}
	capa, err := mrp.NewCapacity(wcs, nil)
	if err != nil {
		t.Fatal(err)
	}
	s, err := p.FiniteSchedule(capa)
	if err != nil {
		t.Fatal(err)
	}
	done := 0
	for j := 0; j < len(in.Demands); j += 7 {
		id := in.Demands[j].ID
		// the definition
		tree, err := p.SupplyTree(id)
		if err != nil {
			t.Fatal(err)
		}
		var want mrp.OrderStatus
		seen := map[string]bool{}
		var latest time.Time
		var walk func(ns []*mrp.PegNode)
		walk = func(ns []*mrp.PegNode) {
			for _, nd := range ns {
				if sup := nd.Supply; sup.Kind != mrp.FromStock && !seen[sup.ID] {
					seen[sup.ID] = true
					it, _ := p.Item(nd.Item)
					if it.Kind == mrp.Make {
						want.OpsTotal += len(it.Operations)
						if sup.Kind == mrp.FromReceipt {
							ops, err := p.OrderProgress(sup.ID)
							if err != nil {
								t.Fatal(err)
							}
							for _, op := range ops {
								if op.Done {
									want.OpsDone++
								}
							}
						}
					}
					if o, ok := s.Order(sup.ID); ok && o.Unscheduled == "" && len(o.Ops) > 0 && (want.Latest == "" || o.Finish.After(latest)) {
						want.Latest, latest = o.ID, o.Finish
					}
				}
				walk(nd.Children)
			}
		}
		walk(tree)
		for name, get := range map[string]func() (*mrp.OrderStatus, error){
			"tree":              func() (*mrp.OrderStatus, error) { return p.Status(s, id) },
			"distinct supplies": func() (*mrp.OrderStatus, error) { return mrp.StatusShared(p, s, id) },
		} {
			st, err := get()
			if err != nil {
				t.Fatal(err)
			}
			if st.OpsTotal != want.OpsTotal || st.OpsDone != want.OpsDone || st.Latest != want.Latest {
				t.Fatalf("demand %s, %s: ops %d of %d, latest %q; want %d of %d, %q", id, name, st.OpsDone, st.OpsTotal, st.Latest, want.OpsDone, want.OpsTotal, want.Latest)
			}
		}
		if want.OpsDone > 0 {
			done++
		}
	}
	if done == 0 {
		t.Error("no sales order with a confirmed operation in its tree")
	}
}

// orderIDs are the IDs of orders, in their order.
func orderIDs(os []mrp.PlannedOrder) []string {
	ids := make([]string, len(os))
	for k, o := range os {
		ids[k] = o.ID
	}
	return ids
}
