package mrp_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/ctoplan/ctoplan/mrp"
)

// TestPeggingRuleHandWorked is the worked case of the pegging rule
// (mrp/invariants.go, peggingError). X (make, lead time 1, fixed order
// quantity 10, 5 on hand) has demands A 4 on day 1, B 8 on day 2, C 6 on
// day 5; each X needs 2 Y (buy, lot-for-lot, none on hand). Every day works.
//
// X: day 1: 5-4 = 1; day 2: 1-8 = -7 -> an order of 10 due day 2 (balance
// 3); day 5: 3-6 = -3 -> 10 due day 5 (balance 7). Requirements A, B, C at
// positions 0, 4, 12 (R = 18); supplies stock 5, X#2 10, X#5 10 at 0, 5,
// 15 (S = 25). First in, first out:
//
//	A [0,4)   <- stock 4
//	B [4,12)  <- stock 1, X#2 7
//	C [12,18) <- X#2 3, X#5 3
//
// Pegged to each requirement min(q, max(0, S-R_j)) = its quantity; from
// each supply min(u, max(0, R-S_l)): stock min(5, 18) = 5, X#2 min(10, 13)
// = 10, X#5 min(10, 3) = 3 (7 of lot surplus unpegged).
// Demand shares: X#2 B 7, C 3; X#5 C 3. Per demand, shares plus stock:
// A 0+4, B 7+1, C 3+3.
//
// Y: X#2 released day 1 needs 20, X#5 released day 4 needs 20, so Y#1 20
// and Y#4 20, each pegged in full to one of them. Shares carry X's:
// Y#1 = 20 x (B 7, C 3)/10 = B 14, C 6 (sum 20 = 20 x 10/10); Y#4 = 20 x
// (C 3)/10 = C 6 (sum 6 = 20 x 3/10: X#5's surplus carried down).
func TestPeggingRuleHandWorked(t *testing.T) {
	in := &mrp.Input{
		Items: []mrp.Item{
			{ID: "X", Kind: mrp.Make, LeadTime: 1, Lot: mrp.LotSizing{Policy: mrp.FixedQty, Qty: 10}, Components: []mrp.Component{{Item: "Y", QtyPer: 2}}},
			{ID: "Y", Kind: mrp.Buy},
		},
		Demands:  []mrp.Demand{dem("A", "X", 4, 1), dem("B", "X", 8, 2), dem("C", "X", 6, 5)},
		Stock:    map[string]int64{"X": 5},
		Calendar: everyDay(20),
	}
	p := plan(t, in)
	want(t, p, "X", "10@2/1 10@5/4")
	want(t, p, "Y", "20@1/1 20@4/4")
	pegs, err := p.Pegging("X")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, g := range pegs {
		got = append(got, fmt.Sprintf("%s<-%s%s:%d", g.Req.Demand, g.Supply.Kind, g.Supply.ID, g.Qty))
	}
	const wantPegs = "A<-stock:4 B<-stock:1 B<-plannedX#2026-12-02:7 C<-plannedX#2026-12-02:3 C<-plannedX#2026-12-05:3"
	if s := strings.Join(got, " "); s != wantPegs {
		t.Errorf("pegging of X:\n got  %s\n want %s", s, wantPegs)
	}
	for id, w := range map[string]string{
		"X#2026-12-02": "[{B 7} {C 3}]",
		"X#2026-12-05": "[{C 3}]",
		"Y#2026-12-01": "[{B 14} {C 6}]",
		"Y#2026-12-04": "[{C 6}]",
	} {
		sh, _, err := p.PeggedDemands(id)
		if err != nil {
			t.Fatal(err)
		}
		if g := fmt.Sprint(sh); g != w {
			t.Errorf("%s: shares %s, want %s", id, g, w)
		}
	}
	// C's tree: its two supplies of X, each with the Y order of the whole
	// X order
	const wantTree = "X {planned X#2026-12-02 2 10} 3\n  Y {planned Y#2026-12-01 1 20} 20\nX {planned X#2026-12-05 5 10} 3\n  Y {planned Y#2026-12-04 4 20} 20\n"
	if f := flatText(t, p, "C"); f != wantTree {
		t.Errorf("tree of C:\n%s\nwant\n%s", f, wantTree)
	}
	mrp.CheckPegging(p) // sound: must not panic
}

// TestPeggingInvariant: the "pegging adds up" check passes on random
// plants before and after net changes (with the whole plan's running
// totals computed first), and fails, saying where, on a pegging broken as a
// bug would break it.
func TestPeggingInvariant(t *testing.T) {
	steps := 12
	if raceEnabled {
		steps = 4
	}
	for seed := uint64(90); seed < 93; seed++ {
		p, err := mrp.New(smallPlant(t, seed, 40), mrp.DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		mrp.CheckPegging(p)
		mrp.PegAll(p)
		r := rand.New(rand.NewPCG(seed, 3))
		for step := range steps {
			if _, err := p.Apply(randomChange(r, p.Input(), step)); err != nil {
				continue
			}
			mrp.CheckPegging(p)
		}
	}
	p, err := mrp.New(smallPlant(t, 5, 40), mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	for how, want := range map[string]string{
		"link":   "pegged",
		"share":  "demand shares add up to",
		"totals": "running totals kept for the plan",
	} {
		if msg := mrp.BrokenPeggingError(p, how); !strings.Contains(msg, want) {
			t.Errorf("broken %s: check says %q, want %q", how, msg, want)
		}
	}
	msg := func() (msg string) {
		defer func() { msg = fmt.Sprint(recover()) }()
		mrp.CheckPegging(p) // the kept totals are broken now
		return "no panic"
	}()
	if !strings.Contains(msg, "pegging does not add up") {
		t.Errorf("broken totals: got %q", msg)
	}
}

// TestSupplyTreeDayRule is the worked case of the rule that places a
// requirement in a supply tree without its position in the day when one
// supply covers the whole day of its item (see mrp/pegfast.go, daySupply).
// P1 and P2 (make, lead time 1, lot-for-lot) each need 1 X; X (make, lead
// time 1, fixed order quantity 10, none on hand) needs 1 Y (buy, lot for
// lot, none on hand). Demands: D1 P1 3 and D2 P2 4 on day 3, D3 P1 5 on
// day 6. Every day works.
//
// P1: 3@3 (released day 2), 5@6 (released 5); P2: 4@3 (released 2).
// X: day 2 needs 3 + 4 = 7 -> 10 due day 2 (balance 3); day 5 needs 5:
// 3-5 = -2 -> 10 due day 5. X's requirements in order: P1's 3 [0,3), P2's 4
// [3,7) (day 2), P1's 5 [7,12) (day 5); supplies X#2 [0,10), X#5 [10,20).
//
//   - day 2's requirements [0,7) are all in X#2: P1's 3 and P2's 4 each
//     come from X#2 alone, wherever they are in the day (by day);
//   - day 5's [7,12) straddle X#2 and X#5: P1's 5 at position 7 takes 10-7
//     = 3 of X#2 and 2 of X#5 (by position).
//
// Y: X#2 released day 1 needs 10 -> Y 10 due day 1; X#5 released day 4
// -> Y 10 due day 4. Y has no stock or safety stock, so each day's
// requirements are exactly its order of the day (by day; day 1 too, its
// first order's day, since nothing is required before it).
func TestSupplyTreeDayRule(t *testing.T) {
	in := &mrp.Input{
		Items: []mrp.Item{
			{ID: "P1", Kind: mrp.Make, LeadTime: 1, Components: []mrp.Component{{Item: "X", QtyPer: 1}}},
			{ID: "P2", Kind: mrp.Make, LeadTime: 1, Components: []mrp.Component{{Item: "X", QtyPer: 1}}},
			{ID: "X", Kind: mrp.Make, LeadTime: 1, Lot: mrp.LotSizing{Policy: mrp.FixedQty, Qty: 10}, Components: []mrp.Component{{Item: "Y", QtyPer: 1}}},
			{ID: "Y", Kind: mrp.Buy},
		},
		Demands:  []mrp.Demand{dem("D1", "P1", 3, 3), dem("D2", "P2", 4, 3), dem("D3", "P1", 5, 6)},
		Calendar: everyDay(20),
	}
	p := plan(t, in)
	want(t, p, "X", "10@2/1 10@5/4")
	want(t, p, "Y", "10@1/1 10@4/4")
	for _, c := range []struct {
		demand       string
		tree         string
		byDay, byPos int
	}{
		{"D1", "P1 {planned P1#2026-12-03 3 3} 3\n  X {planned X#2026-12-02 2 10} 3\n    Y {planned Y#2026-12-01 1 10} 10\n", 2, 0},
		{"D2", "P2 {planned P2#2026-12-03 3 4} 4\n  X {planned X#2026-12-02 2 10} 4\n    Y {planned Y#2026-12-01 1 10} 10\n", 2, 0},
		{"D3", "P1 {planned P1#2026-12-06 6 5} 5\n  X {planned X#2026-12-02 2 10} 3\n    Y {planned Y#2026-12-01 1 10} 10\n  X {planned X#2026-12-05 5 10} 2\n    Y {planned Y#2026-12-04 4 10} 10\n", 2, 1},
	} {
		if f := flatText(t, p, c.demand); f != c.tree {
			t.Errorf("tree of %s:\n%s\nwant\n%s", c.demand, f, c.tree)
		}
		slow, err := mrp.SupplyTreeSlow(p, c.demand)
		if err != nil {
			t.Fatal(err)
		}
		if s := treeString(slow); s != c.tree {
			t.Errorf("tree of %s from the whole-item pegging:\n%s\nwant\n%s", c.demand, s, c.tree)
		}
		byDay, byPos, err := mrp.SupplyTreePaths(p, c.demand)
		if err != nil || byDay != c.byDay || byPos != c.byPos {
			t.Errorf("tree of %s: %d requirements placed by day, %d by position (%v), want %d, %d", c.demand, byDay, byPos, err, c.byDay, c.byPos)
		}
	}

	// The same with 5 X on hand and D2 of 3: X's day 2 needs 3 + 3 = 6,
	// 5 - 6 = -1 -> 10 due day 2. The day's [0,6) straddles the stock
	// [0,5) and X#2 [5,15), so both are placed by position: P1's [0,3)
	// takes 3 of stock, P2's [3,6) 2 of stock and 1 of X#2 (one more unit
	// of stock would be wrong). Y 10 due day 1 again.
	in.Stock = map[string]int64{"X": 5}
	in.Demands = []mrp.Demand{dem("D1", "P1", 3, 3), dem("D2", "P2", 3, 3)}
	p = plan(t, in)
	want(t, p, "X", "10@2/1")
	for _, c := range []struct {
		demand       string
		tree         string
		byDay, byPos int
	}{
		{"D1", "P1 {planned P1#2026-12-03 3 3} 3\n  X {stock  0 5} 3\n", 0, 1},
		{"D2", "P2 {planned P2#2026-12-03 3 3} 3\n  X {stock  0 5} 2\n  X {planned X#2026-12-02 2 10} 1\n    Y {planned Y#2026-12-01 1 10} 10\n", 1, 1},
	} {
		if f := flatText(t, p, c.demand); f != c.tree {
			t.Errorf("stock: tree of %s:\n%s\nwant\n%s", c.demand, f, c.tree)
		}
		slow, err := mrp.SupplyTreeSlow(p, c.demand)
		if err != nil {
			t.Fatal(err)
		}
		if s := treeString(slow); s != c.tree {
			t.Errorf("stock: tree of %s from the whole-item pegging:\n%s\nwant\n%s", c.demand, s, c.tree)
		}
		byDay, byPos, err := mrp.SupplyTreePaths(p, c.demand)
		if err != nil || byDay != c.byDay || byPos != c.byPos {
			t.Errorf("stock: tree of %s: %d requirements placed by day, %d by position (%v), want %d, %d", c.demand, byDay, byPos, err, c.byDay, c.byPos)
		}
	}
}

// TestPegLimitHandWorked: an order's pegging lists at most Options.PegLimit
// demands, those due first, by ID, and sums the rest. X (make, lead time
// 1, fixed order quantity 20, none on hand) has demands A 4 on day 5,
// B 8 on day 2, C 6 on day 3 (ID order A, B, C; due order B, C, A); each
// X needs 2 Y (buy, lot-for-lot). Every day works.
//
// X: day 2: -8 -> one order of 20 due day 2 (balance 12); day 3: 6;
// day 5: 2 (surplus). X#2 serves B 8, C 6, A 4 (2 unpegged). Y: X#2,
// released day 1, needs 40 -> Y#1 40, pegged in full to X#2: shares
// 40 x (B 8, C 6, A 4)/20 = B 16, C 12, A 8.
//
// Limit 2: X#2 lists B and C (due first), by ID: B 8, C 6; rest A's 4.
// Y#1: B 16, C 12 (each comes through X#2's kept list); rest 40 x 4/20 = 8.
// Limit 1: X#2 B 8, rest 6 + 4 = 10; Y#1 B 16, rest 12 + 8 = 20. No
// limit: every demand, rest 0.
func TestPegLimitHandWorked(t *testing.T) {
	in := &mrp.Input{
		Items: []mrp.Item{
			{ID: "X", Kind: mrp.Make, LeadTime: 1, Lot: mrp.LotSizing{Policy: mrp.FixedQty, Qty: 20}, Components: []mrp.Component{{Item: "Y", QtyPer: 2}}},
			{ID: "Y", Kind: mrp.Buy},
		},
		Demands:  []mrp.Demand{dem("A", "X", 4, 5), dem("B", "X", 8, 2), dem("C", "X", 6, 3)},
		Calendar: everyDay(20),
	}
	for _, c := range []struct {
		limit  int
		x, y   string
		xr, yr float64
	}{
		{2, "[{B 8} {C 6}]", "[{B 16} {C 12}]", 4, 8},
		{1, "[{B 8}]", "[{B 16}]", 10, 20},
		{-1, "[{A 4} {B 8} {C 6}]", "[{A 8} {B 16} {C 12}]", 0, 0},
		{3, "[{A 4} {B 8} {C 6}]", "[{A 8} {B 16} {C 12}]", 0, 0},
	} {
		opts := mrp.DefaultOptions()
		opts.PegLimit = c.limit
		p, err := mrp.New(in, opts)
		if err != nil {
			t.Fatal(err)
		}
		want(t, p, "X", "20@2/1")
		want(t, p, "Y", "40@1/1")
		for _, o := range []struct {
			id, sh string
			rest   float64
		}{{"X#2026-12-02", c.x, c.xr}, {"Y#2026-12-01", c.y, c.yr}} {
			sh, rest, err := p.PeggedDemands(o.id)
			if err != nil {
				t.Fatal(err)
			}
			if g := fmt.Sprint(sh); g != o.sh || rest != o.rest {
				t.Errorf("limit %d: %s: shares %s rest %g, want %s rest %g", c.limit, o.id, g, rest, o.sh, o.rest)
			}
		}
		// the listing gives the same
		var got []string
		err = p.EachOrder(false, true, func(o *mrp.OrderLine) error {
			got = append(got, fmt.Sprintf("%s %v %g", o.ID(), o.Pegged, o.PeggedRest))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if w := fmt.Sprintf("X#2026-12-02 %s %g|Y#2026-12-01 %s %g", c.x, c.xr, c.y, c.yr); strings.Join(got, "|") != w {
			t.Errorf("limit %d: listing %q, want %q", c.limit, strings.Join(got, "|"), w)
		}
	}
}

// TestStatsPastHorizon: the demands due on or after the horizon's end are
// counted, not planned. Horizon 10 days, every day working: lines due on
// days 3, 9, 10 and 15 leave 10 and 15 out (2); removing the day-15 line
// leaves 1; moving the day-3 line to day 12 makes 2 again.
func TestStatsPastHorizon(t *testing.T) {
	in := &mrp.Input{
		Items:    []mrp.Item{{ID: "X", Kind: mrp.Buy}},
		Demands:  []mrp.Demand{dem("a", "X", 1, 3), dem("b", "X", 1, 9), dem("c", "X", 1, 10), dem("d", "X", 1, 15)},
		Calendar: everyDay(10),
	}
	p := plan(t, in)
	if s := p.Stats(); s.PastHorizon != 2 || s.Quantity != 2 {
		t.Fatalf("stats %+v, want 2 past the horizon, 2 units planned", s)
	}
	for _, c := range []struct {
		ch   mrp.Change
		want int
	}{{mrp.RemoveDemand{ID: "d"}, 1}, {mrp.SetDemand{Demand: dem("a", "X", 1, 12)}, 2}} {
		if _, err := p.Apply(c.ch); err != nil {
			t.Fatal(err)
		}
		if s := p.Stats(); s.PastHorizon != c.want {
			t.Errorf("after %+v: %d past the horizon, want %d", c.ch, s.PastHorizon, c.want)
		}
	}
}
