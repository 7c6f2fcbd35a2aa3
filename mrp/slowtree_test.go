package mrp_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/ctoplan/ctoplan/mrp"
)

// ladder is a plant whose supply trees double at every level: top item
// A0 needs A1 and B1; A_k and B_k each need A_{k+1} and B_{k+1}; the
// items of level l are bought. No lead times, no stock: one demand D of 2
// A0 on day 3 makes one planned order a day for each item, and the tree
// of D has 2^k nodes on level k, 2^(l+1) - 1 in all, over only 2l + 1
// distinct orders.
func ladder(l int) *mrp.Input {
	in := &mrp.Input{Calendar: everyDay(10), Demands: []mrp.Demand{dem("D", "A0", 2, 3)}}
	name := func(c string, k int) string { return fmt.Sprintf("%s%d", c, k) }
	for k := 0; k <= l; k++ {
		for _, c := range []string{"A", "B"} {
			if k == 0 && c == "B" {
				continue
			}
			it := mrp.Item{ID: name(c, k), Kind: mrp.Buy}
			if k < l {
				it.Kind = mrp.Make
				it.Components = []mrp.Component{{Item: name("A", k+1), QtyPer: 1}, {Item: name("B", k+1), QtyPer: 1}}
			}
			in.Items = append(in.Items, it)
		}
	}
	return in
}

// TestSupplyTreeSlowLadder: the whole-item supply tree is sized from its
// distinct orders before it is unfolded. By hand (see ladder): 3 levels
// below A0 give 1 + 2 + 4 + 8 = 15 nodes from 7 orders, the same tree
// as by running totals; 19 levels 2^20 - 1 = 1,048,575 nodes from 39
// orders, just within the bound of 2^20, sized without being built; 20
// levels 2,097,151 nodes, over the bound, refused after visiting 41
// orders (an unfolding tree would first build a million nodes).
func TestSupplyTreeSlowLadder(t *testing.T) {
	p := plan(t, ladder(3))
	size, visited, err := mrp.SupplyTreeSlowSize(p, "D")
	if err != nil || size != 15 || visited != 7 {
		t.Errorf("3 levels: size %d from %d orders (%v), want 15 from 7", size, visited, err)
	}
	slow, err := mrp.SupplyTreeSlow(p, "D")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := treeString(slow), flatText(t, p, "D"); got != want {
		t.Errorf("3 levels, whole-item tree:\n%s\nby running totals:\n%s", got, want)
	}
	if n := strings.Count(treeString(slow), "\n"); n != 15 {
		t.Errorf("3 levels: %d nodes, want 15", n)
	}
	// by hand: the orders of day 3 are A0 2 (the demand), A1 and B1 2
	// each (A0's order), A2 and B2 4 each (A1's and B1's), A3 and B3 8
	// each; a node takes its parent's order's requirement of its item
	// (the order's quantity, one per unit): 2 under A0 and A1/B1, 4 under
	// A2/B2
	want := "" +
		"A0 {planned A0#2026-12-03 3 2} 2\n" +
		"  A1 {planned A1#2026-12-03 3 2} 2\n" +
		"    A2 {planned A2#2026-12-03 3 4} 2\n" +
		"      A3 {planned A3#2026-12-03 3 8} 4\n" +
		"      B3 {planned B3#2026-12-03 3 8} 4\n" +
		"    B2 {planned B2#2026-12-03 3 4} 2\n" +
		"      A3 {planned A3#2026-12-03 3 8} 4\n" +
		"      B3 {planned B3#2026-12-03 3 8} 4\n" +
		"  B1 {planned B1#2026-12-03 3 2} 2\n" +
		"    A2 {planned A2#2026-12-03 3 4} 2\n" +
		"      A3 {planned A3#2026-12-03 3 8} 4\n" +
		"      B3 {planned B3#2026-12-03 3 8} 4\n" +
		"    B2 {planned B2#2026-12-03 3 4} 2\n" +
		"      A3 {planned A3#2026-12-03 3 8} 4\n" +
		"      B3 {planned B3#2026-12-03 3 8} 4\n"
	if treeString(slow) != want {
		t.Errorf("3 levels:\n%s\nwant\n%s", treeString(slow), want)
	}

	p = plan(t, ladder(19))
	size, visited, err = mrp.SupplyTreeSlowSize(p, "D")
	if err != nil || size != 1<<20-1 || visited != 39 {
		t.Errorf("19 levels: size %d from %d orders (%v), want %d from 39", size, visited, err, 1<<20-1)
	}
	if size > mrp.MaxTreeNodes {
		t.Errorf("19 levels: %d nodes over the bound %d", size, mrp.MaxTreeNodes)
	}

	p = plan(t, ladder(20))
	size, visited, err = mrp.SupplyTreeSlowSize(p, "D")
	if err != nil || size != mrp.MaxTreeNodes+1 || visited != 41 {
		t.Errorf("20 levels: size %d from %d orders (%v), want %d (over the bound) from 41", size, visited, err, mrp.MaxTreeNodes+1)
	}
	if _, err := mrp.SupplyTreeSlow(p, "D"); !errors.Is(err, mrp.ErrTooLarge) {
		t.Errorf("20 levels: %v, want the tree refused as too large", err)
	}
	if _, err := p.SupplyTree("D"); !errors.Is(err, mrp.ErrTooLarge) {
		t.Errorf("20 levels, SupplyTree: %v, want the tree refused as too large", err)
	}
}
