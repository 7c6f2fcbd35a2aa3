package mrp_test

import (
	"context"
	"testing"
	"time"

	"github.com/ctoplan/ctoplan/mrp"
)

func TestPromise(t *testing.T) {
	in := &mrp.Input{
		Items: []mrp.Item{
			{ID: "A", Kind: mrp.Make, LeadTime: 2, Components: []mrp.Component{{Item: "B", QtyPer: 2}, {Item: "C", QtyPer: 1}}},
			{ID: "B", Kind: mrp.Buy, LeadTime: 1},
			{ID: "C", Kind: mrp.Buy, LeadTime: 5},
			{ID: "S", Kind: mrp.Buy, LeadTime: 3, SafetyStock: 5},
		},
		Demands:  []mrp.Demand{dem("s1", "S", 20, 5), dem("s2", "S", 10, 9)},
		Stock:    map[string]int64{"B": 100, "S": 50},
		Calendar: everyDay(30),
	}
	p := plan(t, in)
	before := fingerprint(t, p)
	cases := []struct {
		name      string
		item      string
		qty       int64
		day       int
		wantDay   int
		wantATP   bool
		wantLimit string
		wantStart int // the lead-time release day of the promised date
	}{
		// S: 50 on hand, 20 + 10 demanded, safety stock 5: 15 free.
		{"atp", "S", 15, 2, 2, true, "", 0},
		// 16 is more than free: buy, 3 days lead time -> day 3.
		{"buy", "S", 16, 2, 3, false, "S", 0},
		{"buy on time", "S", 16, 6, 6, false, "", 3},
		// A: B has 100 free (20 needed), C must be bought: 5 days, then 2
		// days to make A -> day 7, limited by C.
		{"ctp", "A", 10, 1, 7, false, "C", 5},
		// B alone would allow day 2 (released day 0): 60 of B is free.
		{"ctp late by C", "A", 30, 20, 20, false, "", 18},
		// 60 of A needs 120 of B: more than its 100, bought in 1 day; C in 5.
		{"ctp two limits", "A", 60, 3, 7, false, "C", 5},
	}
	for _, c := range cases {
		pr, err := p.Promise(context.Background(), mrp.PromiseRequest{Item: c.item, Qty: c.qty, Date: day(c.day)})
		if err != nil {
			t.Fatal(err)
		}
		if pr.Day != c.wantDay || pr.ATP != c.wantATP || pr.Limit != c.wantLimit || pr.Late != (c.wantDay > c.day) || !pr.Start.Equal(day(c.wantStart)) {
			t.Errorf("%s: got day %d atp %v limit %q late %v start %s, want day %d atp %v limit %q start day %d",
				c.name, pr.Day, pr.ATP, pr.Limit, pr.Late, pr.Start, c.wantDay, c.wantATP, c.wantLimit, c.wantStart)
		}
	}
	if after := fingerprint(t, p); after != before {
		t.Fatal("Promise changed the plan")
	}
	if _, err := p.Promise(context.Background(), mrp.PromiseRequest{Item: "nope", Qty: 1, Date: day(1)}); err == nil {
		t.Error("unknown item: no error")
	}
}

// TestPromisePartial: what is free today serves part of the request and
// only the rest is made, so a component's free stock can cover the smaller
// rest where it could not cover the whole request.
func TestPromisePartial(t *testing.T) {
	in := &mrp.Input{
		Items: []mrp.Item{
			{ID: "TRUCK", Kind: mrp.Make, LeadTime: 2, Components: []mrp.Component{{Item: "WHEEL", QtyPer: 4}, {Item: "SEAT", QtyPer: 1}}},
			{ID: "WHEEL", Kind: mrp.Buy, LeadTime: 20},
			{ID: "SEAT", Kind: mrp.Buy, LeadTime: 6},
		},
		Stock:    map[string]int64{"TRUCK": 3, "WHEEL": 10, "SEAT": 4},
		Calendar: everyDay(40),
	}
	p := plan(t, in)
	before := fingerprint(t, p)
	cases := []struct {
		name      string
		qty       int64
		wantDay   int
		wantATP   bool
		wantLimit string
	}{
		// 3 trucks are free today.
		{"all free", 3, 0, true, ""},
		// 5 trucks: 3 free, 2 made from 8 of the 10 free wheels and 2 of
		// the 4 free seats: 2 days to make them. (Making all 5 would need
		// 20 wheels: 20 days to buy, day 22.)
		{"free plus made", 5, 2, false, "TRUCK"},
		// 6 trucks: 3 made need 12 wheels, 2 more than free: the wheels
		// are bought (20 days), then made: day 22, limited by the wheels.
		{"rest short of wheels", 6, 22, false, "WHEEL"},
		// 8 trucks: 5 made need 5 seats, 1 more than free: 6 days to buy
		// seats, but 20 wheels are needed too: day 22, WHEEL.
		{"two short", 8, 22, false, "WHEEL"},
	}
	for _, c := range cases {
		pr, err := p.Promise(context.Background(), mrp.PromiseRequest{Item: "TRUCK", Qty: c.qty, Date: day(0)})
		if err != nil {
			t.Fatal(err)
		}
		if pr.Day != c.wantDay || pr.ATP != c.wantATP || pr.Limit != c.wantLimit {
			t.Errorf("%s: got day %d atp %v limit %q, want day %d atp %v limit %q", c.name, pr.Day, pr.ATP, pr.Limit, c.wantDay, c.wantATP, c.wantLimit)
		}
	}
	if fingerprint(t, p) != before {
		t.Fatal("Promise changed the plan")
	}
}

// TestPromiseRandomLeavesPlan asks many promises on a random plant and
// checks the plan is untouched and answers are never before the request.
func TestPromiseRandomLeavesPlan(t *testing.T) {
	in := smallPlant(t, 5, 60)
	p, err := mrp.New(in, mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	before := fingerprint(t, p)
	for k, id := range p.Items() {
		d := in.Calendar.Start.AddDate(0, 0, k%50)
		pr, err := p.Promise(context.Background(), mrp.PromiseRequest{Item: id, Qty: int64(1 + k%40), Date: d})
		if err != nil {
			t.Fatal(err)
		}
		if pr.Date.Before(d) {
			t.Fatalf("%s: promised %v before requested %v", id, pr.Date, d)
		}
	}
	if fingerprint(t, p) != before {
		t.Fatal("Promise changed the plan")
	}
}

// TestPromiseLaterFreeSupply: free supply that arrives later can cover
// part of a request while components already free make the rest, earlier
// than making everything. A is made from B in 1 day; B takes 10 days to
// buy, 3 of it are in stock; a receipt brings 5 of A on day 3.
//
//	8 of A on day 3: 5 from the receipt, 3 made from the 3 free B,
//	  started on day 2 (lead time 1): ready day 3.
//	on day 2 the receipt is not there: 8 to make need 8 B, 5 more than
//	  free, bought in 10 days: too late; B limits.
//
// (Choosing between "all free" and "free today plus make the rest" would
// answer day 11: B bought by day 10, A made by day 11.)
func TestPromiseLaterFreeSupply(t *testing.T) {
	in := &mrp.Input{
		Items: []mrp.Item{
			{ID: "A", Kind: mrp.Make, LeadTime: 1, Components: []mrp.Component{{Item: "B", QtyPer: 1}}},
			{ID: "B", Kind: mrp.Buy, LeadTime: 10},
		},
		Stock:    map[string]int64{"B": 3},
		Receipts: []mrp.Receipt{{ID: "r1", Item: "A", Qty: 5, Due: day(3)}},
		Calendar: everyDay(40),
	}
	p := plan(t, in)
	pr, err := p.Promise(context.Background(), mrp.PromiseRequest{Item: "A", Qty: 8, Date: day(0)})
	if err != nil {
		t.Fatal(err)
	}
	if pr.Day != 3 || pr.ATP || pr.Limit != "B" || !pr.Late {
		t.Errorf("got day %d atp %v limit %q late %v, want day 3, made, limited by B, late", pr.Day, pr.ATP, pr.Limit, pr.Late)
	}
	// 5 of A: the receipt alone, on day 3, or 3 made from free B by day
	// 1 plus 2 more: 2 more B cannot come before day 10. The receipt wins.
	pr, err = p.Promise(context.Background(), mrp.PromiseRequest{Item: "A", Qty: 5, Date: day(0)})
	if err != nil {
		t.Fatal(err)
	}
	if pr.Day != 3 || !pr.ATP {
		t.Errorf("5 of A: got day %d atp %v, want day 3 from the receipt", pr.Day, pr.ATP)
	}
	// 3 of A: made from the free B, started today: day 1.
	pr, err = p.Promise(context.Background(), mrp.PromiseRequest{Item: "A", Qty: 3, Date: day(0)})
	if err != nil {
		t.Fatal(err)
	}
	if pr.Day != 1 || pr.ATP || pr.Limit != "A" {
		t.Errorf("3 of A: got day %d atp %v limit %q, want day 1, made, limited by A", pr.Day, pr.ATP, pr.Limit)
	}
}

// TestPromiseFarDate: a date centuries ahead is that date, not one ~292
// years from the planning date (where time.Sub saturates): a promise is
// never before the date asked for.
func TestPromiseFarDate(t *testing.T) {
	in := &mrp.Input{
		Items:    []mrp.Item{{ID: "A", Kind: mrp.Buy, LeadTime: 3}},
		Calendar: everyDay(30),
	}
	p, err := mrp.New(in, mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []time.Time{time.Date(2500, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)} {
		pr, err := p.Promise(context.Background(), mrp.PromiseRequest{Item: "A", Qty: 1, Date: d})
		if err != nil {
			t.Fatal(err)
		}
		if !pr.Date.Equal(d) || pr.Late {
			t.Errorf("promise for %s: %s (late %v), want that date", d.Format(time.DateOnly), pr.Date.Format(time.DateOnly), pr.Late)
		}
	}
}

// TestPromisePastHorizon: RAW is bought in 11 working days. From Monday
// 2027-03-01 (weekends off) that is Tuesday 03-16 (two weeks of five
// days, and a day), whatever the horizon: past it, working days are
// counted by the weekly rule and the dated overrides (before, every day
// counted there, and a 10-day horizon promised Sunday 03-14). With a
// holiday on Monday 03-15 past the horizon, Wednesday 03-17; the release
// day (Promise.Start) of a delivery past the horizon counts back the same
// way.
func TestPromisePastHorizon(t *testing.T) {
	start := time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		horizon int
		days    map[time.Time]bool
		want    string
	}{
		{10, nil, "2027-03-16"},
		{30, nil, "2027-03-16"},
		{5, nil, "2027-03-16"},
		{10, map[time.Time]bool{start.AddDate(0, 0, 14): false}, "2027-03-17"},
		{30, map[time.Time]bool{start.AddDate(0, 0, 14): false}, "2027-03-17"},
	} {
		p := plan(t, &mrp.Input{
			Items:    []mrp.Item{{ID: "RAW", Kind: mrp.Buy, LeadTime: 11}},
			Calendar: mrp.Calendar{Start: start, Horizon: tc.horizon, Days: tc.days},
		})
		pr, err := p.Promise(context.Background(), mrp.PromiseRequest{Item: "RAW", Qty: 1, Date: start})
		if err != nil {
			t.Fatal(err)
		}
		if got := pr.Date.Format(time.DateOnly); got != tc.want || !pr.Start.Equal(start) {
			t.Errorf("horizon %d, days %v: promised %s starting %s, want %s starting %s", tc.horizon, tc.days, got, pr.Start.Format(time.DateOnly), tc.want, start.Format(time.DateOnly))
		}
		// an order due on a Monday past the horizon is released 11
		// working days before: Friday two weeks and a day before
		due := time.Date(2027, 6, 7, 0, 0, 0, 0, time.UTC)
		if got := p.ReleaseDate(due, 11).Format(time.DateOnly); got != "2027-05-21" {
			t.Errorf("horizon %d: release of a due date of %s: %s, want 2027-05-21", tc.horizon, due.Format(time.DateOnly), got)
		}
	}
}

// TestPromiseKeptByMRP: three hand-worked promises that MRP could not keep
// once ordered, because the promise saw the plant differently:
//
//   - lot sizing: A (1 day) is made of C (1 day, fixed lots of 20), made
//     of D (bought in 5 days, 5 in stock). 3 A on day 2 make 3 C, but MRP
//     makes a lot of 20 C, which needs 20 D: 15 bought, there on day 5;
//     C is made days 5-6, A days 6-7. Promised day 7, limited by D (it
//     promised day 2, taking 3 of the 5 D).
//   - a non-working day: A (bought in 20 days) has a receipt of 8 on
//     Saturday (day 5) and a demand of 1 on Monday (day 7). 7 A wanted on
//     Thursday (day 3): the receipt's 7 free units count from Saturday,
//     but a delivery on Saturday or Sunday is netted on Friday, when they
//     are not there: Monday (day 7) (it promised Saturday).
//   - a past-due order: B (bought in 3 days, fixed lots of 10) has a
//     planned order of 10 due on day 0 for A's past-due order of 4 (A:
//     2 days, demand 4 on day 1). Its release day is past, so it arrives
//     on day 3: 1 A wanted on day 0 is made from day 3 on its spare
//     units, there on day 5 (it promised day 2, taking B on day 0).
func TestPromiseKeptByMRP(t *testing.T) {
	ctx := context.Background()
	// lot sizing
	p := plan(t, &mrp.Input{
		Items: []mrp.Item{
			{ID: "A", Kind: mrp.Make, LeadTime: 1, Components: []mrp.Component{{Item: "C", QtyPer: 1}}},
			{ID: "C", Kind: mrp.Make, LeadTime: 1, Lot: mrp.LotSizing{Policy: mrp.FixedQty, Qty: 20}, Components: []mrp.Component{{Item: "D", QtyPer: 1}}},
			{ID: "D", Kind: mrp.Buy, LeadTime: 5},
		},
		Stock:    map[string]int64{"D": 5},
		Calendar: everyDay(30),
	})
	pr, err := p.Promise(ctx, mrp.PromiseRequest{Item: "A", Qty: 3, Date: day(2)})
	if err != nil || pr.Day != 7 || pr.Limit != "D" || pr.ATP {
		t.Errorf("lot sizing: %+v, %v; want day 7 limited by D", pr, err)
	}
	// a non-working day
	p = plan(t, &mrp.Input{
		Items:    []mrp.Item{{ID: "A", Kind: mrp.Buy, LeadTime: 20}},
		Receipts: []mrp.Receipt{{ID: "R", Item: "A", Qty: 8, Due: day(5)}},
		Demands:  []mrp.Demand{dem("SO0", "A", 1, 7)},
		Calendar: mrp.Calendar{Start: monday, Horizon: 60},
	})
	pr, err = p.Promise(ctx, mrp.PromiseRequest{Item: "A", Qty: 7, Date: day(3)})
	if err != nil || pr.Day != 7 || !pr.ATP || pr.Limit != "A" {
		t.Errorf("non-working day: %+v, %v; want day 7 from the receipt (ATP)", pr, err)
	}
	// a past-due order
	p = plan(t, &mrp.Input{
		Items: []mrp.Item{
			{ID: "A", Kind: mrp.Make, LeadTime: 2, Components: []mrp.Component{{Item: "B", QtyPer: 1}}},
			{ID: "B", Kind: mrp.Buy, LeadTime: 3, Lot: mrp.LotSizing{Policy: mrp.FixedQty, Qty: 10}},
		},
		Demands:  []mrp.Demand{dem("D1", "A", 4, 1)},
		Calendar: everyDay(30),
	})
	wantIDs(t, p, "B", "B#2026-11-30 10@0/-3")
	pr, err = p.Promise(ctx, mrp.PromiseRequest{Item: "A", Qty: 1, Date: day(0)})
	if err != nil || pr.Day != 5 || pr.ATP {
		t.Errorf("past-due order: %+v, %v; want day 5 (CTP)", pr, err)
	}
}
