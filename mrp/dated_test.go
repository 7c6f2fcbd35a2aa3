package mrp_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/ctoplan/ctoplan/mrp"
)

// TestDatedBOM is a hand-worked plan with dated BOM changes: every order
// explodes the BOM in force on the day it starts (its release day; a
// past-due order on day 0, when its components are required).
func TestDatedBOM(t *testing.T) {
	in := &mrp.Input{
		Items: []mrp.Item{
			// A uses X until day 4 and 2 Y + 1 Z from day 5 on.
			{ID: "A", Kind: mrp.Make, LeadTime: 2, Components: []mrp.Component{{Item: "X", QtyPer: 1}},
				BOMChanges: []mrp.BOMChange{{From: day(5), Components: []mrp.Component{{Item: "Y", QtyPer: 2}, {Item: "Z", QtyPer: 1}}}}},
			// B's change is dated before the planning date: it holds throughout.
			{ID: "B", Kind: mrp.Make, LeadTime: 1, Components: []mrp.Component{{Item: "X", QtyPer: 1}},
				BOMChanges: []mrp.BOMChange{{From: day(-3), Components: []mrp.Component{{Item: "Z", QtyPer: 3}}}}},
			{ID: "X", Kind: mrp.Buy, LeadTime: 1},
			{ID: "Y", Kind: mrp.Buy, LeadTime: 1},
			{ID: "Z", Kind: mrp.Buy},
		},
		Demands: []mrp.Demand{
			dem("a1", "A", 5, 1), dem("a6", "A", 10, 6), dem("a7", "A", 10, 7), dem("a8", "A", 10, 8),
			dem("b2", "B", 4, 2),
		},
		Calendar: everyDay(30),
	}
	p := plan(t, in)
	// A, lot for lot, lead time 2: 5 due 1 (released day -1: past due), 10
	// due 6 (released 4), 10 due 7 (released 5), 10 due 8 (released 6).
	want(t, p, "A", "5@1/-1 10@6/4 10@7/5 10@8/6")
	// B: 4 due 2, released 1.
	want(t, p, "B", "4@2/1")
	// X: A#1 explodes on day 0 (past due: required on day 0) -> 5 on day
	// 0; A#2 starts on day 4, before the change -> 10 on day 4. A#3 starts
	// on day 5, exactly the change's date: no X. B never uses X.
	// Orders (lead time 1): 5@0/-1, 10@4/3.
	want(t, p, "X", "5@0/-1 10@4/3")
	// Y: A#3 (day 5) and A#4 (day 6) need 2 x 10 = 20 each: 20@5/4 20@6/5.
	want(t, p, "Y", "20@5/4 20@6/5")
	// Z: B#1 on day 1: 3 x 4 = 12; A#3 on day 5 and A#4 on day 6: 10 each.
	// Lead time 0: released on the day due.
	want(t, p, "Z", "12@1/1 10@5/5 10@6/6")

	// Net change: a6 moves to day 9 -> A 5@1 10@7/5 10@8/6 10@9/7, all of
	// them but the first after the change: X keeps only 5@0, Y gets
	// 20@5/4 20@6/5 20@7/6, Z 12@1 10@5 10@6 10@7.
	if _, err := p.Apply(mrp.SetDemand{Demand: dem("a6", "A", 10, 9)}); err != nil {
		t.Fatal(err)
	}
	want(t, p, "A", "5@1/-1 10@7/5 10@8/6 10@9/7")
	want(t, p, "X", "5@0/-1")
	want(t, p, "Y", "20@5/4 20@6/5 20@7/6")
	want(t, p, "Z", "12@1/1 10@5/5 10@6/6 10@7/7")
	same(t, p)

	// The change moves to day 6: A#2 (day 5) explodes X again.
	a := in.Items[0]
	a.BOMChanges = []mrp.BOMChange{{From: day(6), Components: a.BOMChanges[0].Components}}
	if _, err := p.Apply(mrp.SetItem{Item: a}); err != nil {
		t.Fatal(err)
	}
	want(t, p, "X", "5@0/-1 10@5/4")
	want(t, p, "Y", "20@6/5 20@7/6")
	want(t, p, "Z", "12@1/1 10@6/6 10@7/7")
	same(t, p)

	// The record of X shows no requirement on or after day 6.
	r, err := p.Record("X")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range r.Days {
		if d.Day >= 6 && d.Gross > 0 {
			t.Errorf("X: gross %d on day %d, after the change", d.Gross, d.Day)
		}
	}
}

// same checks the plan against a regenerative run on its inputs.
func same(t *testing.T, p *mrp.Planner) {
	t.Helper()
	sameOpts(t, p, mrp.DefaultOptions())
}

func sameOpts(t *testing.T, p *mrp.Planner, opts mrp.Options) {
	t.Helper()
	q, err := mrp.New(p.Input(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := fingerprint(t, p), fingerprint(t, q); a != b {
		t.Errorf("net change differs from regenerative:\n%s", diff(a, b))
	}
	sameLines(t, p)
}

// sameLines checks that EachOrder lists the orders as AllOrders gives
// them: IDs (built without allocating on EachOrder's path), firm flags,
// quantities and days.
func sameLines(t *testing.T, p *mrp.Planner) {
	t.Helper()
	all := p.AllOrders()
	k := 0
	err := p.EachOrder(false, false, func(o *mrp.OrderLine) error {
		if k >= len(all) {
			return fmt.Errorf("EachOrder lists more than AllOrders' %d orders: %s", len(all), o.ID())
		}
		w := all[k]
		k++
		got := fmt.Sprintf("%s %s %v %d %d/%d firm=%v %s", o.ID(), o.Item, o.Kind, o.Qty, o.ReleaseDay, o.DueDay, o.Firm, o.AppendID([]byte("x")))
		exp := fmt.Sprintf("%s %s %v %d %d/%d firm=%v x%s", w.ID, w.Item, w.Kind, w.Qty, w.ReleaseDay, w.DueDay, w.Firm, w.ID)
		if got != exp {
			return fmt.Errorf("EachOrder line %d: %s, AllOrders %s", k, got, exp)
		}
		return nil
	})
	if err == nil && k != len(all) {
		err = fmt.Errorf("EachOrder lists %d orders, AllOrders %d", k, len(all))
	}
	if err != nil {
		t.Error(err)
	}
}

func TestDatedBOMErrors(t *testing.T) {
	base := func() *mrp.Input {
		return &mrp.Input{
			Items: []mrp.Item{
				{ID: "A", Kind: mrp.Make, Components: []mrp.Component{{Item: "X", QtyPer: 1}}},
				{ID: "X", Kind: mrp.Buy},
			},
			Calendar: everyDay(30),
		}
	}
	for _, c := range []struct {
		name    string
		changes []mrp.BOMChange
		is      error
	}{
		{"out of order", []mrp.BOMChange{{From: day(5)}, {From: day(5)}}, mrp.ErrInvalid},
		{"no date", []mrp.BOMChange{{}}, mrp.ErrInvalid},
		{"bad quantity", []mrp.BOMChange{{From: day(5), Components: []mrp.Component{{Item: "X", QtyPer: -1}}}}, mrp.ErrInvalid},
		{"unknown component", []mrp.BOMChange{{From: day(5), Components: []mrp.Component{{Item: "NOPE", QtyPer: 1}}}}, mrp.ErrUnknownItem},
	} {
		in := base()
		in.Items[0].BOMChanges = c.changes
		_, err := mrp.New(in, mrp.DefaultOptions())
		var ie *mrp.ItemError
		if !errors.Is(err, c.is) || !errors.As(err, &ie) || ie.Item != "A" {
			t.Errorf("%s: got %v, want %v about item A", c.name, err, c.is)
		}
		p := plan(t, base())
		a := in.Items[0]
		if _, err := p.Apply(mrp.SetItem{Item: a}); !errors.Is(err, c.is) {
			t.Errorf("%s: SetItem: got %v, want %v", c.name, err, c.is)
		}
	}
}
