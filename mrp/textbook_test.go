package mrp_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ctoplan/ctoplan/mrp"
)

// monday is a Monday: day 0 of the textbook plans.
var monday = time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)

// everyDay is a calendar where every day works, so that days are periods
// as in the textbooks.
func everyDay(h int) mrp.Calendar {
	return mrp.Calendar{Start: monday, Horizon: h, Weekend: []time.Weekday{}}
}

func day(d int) time.Time { return monday.AddDate(0, 0, d) }

func dem(id, item string, qty int64, d int) mrp.Demand {
	return mrp.Demand{ID: id, Item: item, Qty: qty, Due: day(d)}
}

// orders renders an item's planned orders as "qty@due/release" terms.
func orders(t *testing.T, p *mrp.Planner, item string) string {
	t.Helper()
	os, err := p.Orders(item)
	if err != nil {
		t.Fatal(err)
	}
	var b []string
	for _, o := range os {
		b = append(b, fmt.Sprintf("%d@%d/%d", o.Qty, o.DueDay, o.ReleaseDay))
	}
	return strings.Join(b, " ")
}

func plan(t *testing.T, in *mrp.Input) *mrp.Planner {
	t.Helper()
	p, err := mrp.New(in, mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// messages renders the plan's exception messages (Exception.String), in
// the order of Exceptions.
func messages(p *mrp.Planner) []string {
	var out []string
	for _, e := range p.Exceptions() {
		out = append(out, e.String())
	}
	return out
}

// planWindow plans in with the default options but a reschedule window of
// w days, and returns the planner and the options.
func planWindow(t *testing.T, in *mrp.Input, w int) (*mrp.Planner, mrp.Options) {
	t.Helper()
	opts := mrp.DefaultOptions()
	opts.RescheduleWindow = w
	p, err := mrp.New(in, opts)
	if err != nil {
		t.Fatal(err)
	}
	return p, opts
}

func want(t *testing.T, p *mrp.Planner, item, exp string) {
	t.Helper()
	if got := orders(t, p, item); got != exp {
		t.Errorf("%s: planned orders\n got  %s\n want %s", item, got, exp)
	}
}

// TestMultiLevel is a three-level lot-for-lot / fixed-order-quantity plan.
func TestMultiLevel(t *testing.T) {
	in := &mrp.Input{
		Items: []mrp.Item{
			{ID: "A", Kind: mrp.Make, LeadTime: 1, Components: []mrp.Component{{Item: "B", QtyPer: 2}, {Item: "C", QtyPer: 1}}},
			{ID: "B", Kind: mrp.Make, LeadTime: 1, Components: []mrp.Component{{Item: "C", QtyPer: 3}}},
			{ID: "C", Kind: mrp.Buy, LeadTime: 1, Lot: mrp.LotSizing{Policy: mrp.FixedQty, Qty: 50}},
		},
		Demands:  []mrp.Demand{dem("s1", "A", 30, 2), dem("s2", "A", 20, 4), dem("s3", "A", 40, 5)},
		Stock:    map[string]int64{"A": 10, "B": 25},
		Calendar: everyDay(30),
	}
	p := plan(t, in)
	// A: on hand 10. Day 2: 10-30 = -20 -> order 20 due 2, released day 1.
	// Day 4: 20 -> order 20 (release 3). Day 5: 40 -> order 40 (release 4).
	want(t, p, "A", "20@2/1 20@4/3 40@5/4")
	// B gross = 2 x A's orders on their release days: day1 40, day3 40, day4 80.
	// On hand 25: day1 25-40 = -15 -> 15 (release 0); day3 40; day4 80.
	want(t, p, "B", "15@1/0 40@3/2 80@4/3")
	// C gross = 1 x A (day1 20, day3 20, day4 40) + 3 x B (day0 45, day2 120,
	// day3 240): day0 45, day1 20, day2 120, day3 260, day4 40.
	// FOQ 50 in multiples, surplus carried:
	//  day0 need 45 -> 50 (surplus 5); day1 20-5 = 15 -> 50 (surplus 35);
	//  day2 120-35 = 85 -> 100 (surplus 15); day3 260-15 = 245 -> 250 (surplus 5);
	//  day4 40-5 = 35 -> 50 (surplus 15). The day-0 order has lead time 1:
	//  its release (day -1) is past due.
	want(t, p, "C", "50@0/-1 50@1/0 100@2/1 250@3/2 50@4/3")
	for _, c := range []struct {
		item string
		llc  int
	}{{"A", 0}, {"B", 1}, {"C", 2}} {
		if l, _ := p.LowLevelCode(c.item); l != c.llc {
			t.Errorf("LLC %s = %d, want %d", c.item, l, c.llc)
		}
	}
	ex := p.Exceptions()
	var got []string
	for _, e := range ex {
		got = append(got, e.Kind.String()+" "+e.Ref)
	}
	// C#1 is past due; it serves s1 (through B#1 and A#1), which is late.
	if !slices.Contains(got, "release-past-due C#2026-11-30") || !slices.Contains(got, "late s1") {
		t.Errorf("exceptions %v: want C#1 past due and s1 late", got)
	}
	if slices.Contains(got, "late s3") {
		t.Errorf("exceptions %v: s3 is not late", got)
	}
	r, _ := p.Record("C")
	// balance: day0 0+50-45 = 5, day1 5+50-20 = 35, day2 35+100-120 = 15,
	// day3 15+250-260 = 5, day4 5+50-40 = 15.
	var bal []int64
	for _, d := range r.Days {
		bal = append(bal, d.Balance)
	}
	if !slices.Equal(bal, []int64{5, 35, 15, 5, 15}) {
		t.Errorf("C balance %v", bal)
	}
}

// TestScrap checks assembly and component scrap.
func TestScrap(t *testing.T) {
	in := &mrp.Input{
		Items: []mrp.Item{
			{ID: "A", Kind: mrp.Make, LeadTime: 0, ScrapPct: 10, Components: []mrp.Component{{Item: "B", QtyPer: 3}, {Item: "C", QtyPer: 1, ScrapPct: 5}}},
			{ID: "B", Kind: mrp.Buy, LeadTime: 0},
			{ID: "C", Kind: mrp.Buy, LeadTime: 0},
		},
		Demands:  []mrp.Demand{dem("s1", "A", 15, 1), dem("s2", "A", 40, 2)},
		Calendar: everyDay(10),
	}
	p := plan(t, in)
	want(t, p, "A", "15@1/1 40@2/2")
	// B: 15 x 3 x 1.10 = 49.5 -> 50; 40 x 3 x 1.10 = 132.
	want(t, p, "B", "50@1/1 132@2/2")
	// C: 15 x 1.10 x 1.05 = 17.325 -> 18; 40 x 1.10 x 1.05 = 46.2 -> 47.
	want(t, p, "C", "18@1/1 47@2/2")
}

// TestSafetyStockAndReceipts nets against safety stock and scheduled
// receipts and checks the reschedule messages.
func TestSafetyStockAndReceipts(t *testing.T) {
	in := &mrp.Input{
		Items: []mrp.Item{
			{ID: "X", Kind: mrp.Buy, LeadTime: 2, SafetyStock: 5},
			{ID: "Y", Kind: mrp.Buy, LeadTime: 1},
		},
		Demands: []mrp.Demand{
			dem("x1", "X", 10, 1), dem("x2", "X", 10, 3), dem("x3", "X", 12, 6), dem("x4", "X", 3, 8),
			dem("y1", "Y", 30, 2), dem("y2", "Y", 30, 7), dem("y3", "Y", 40, 20),
		},
		Receipts: []mrp.Receipt{
			{ID: "RX", Item: "X", Qty: 10, Due: day(3)},
			{ID: "RIN", Item: "Y", Qty: 50, Due: day(5)},
			{ID: "ROUT", Item: "Y", Qty: 40, Due: day(19)},
			{ID: "RCAN", Item: "Y", Qty: 10, Due: day(25)},
		},
		Stock:    map[string]int64{"X": 20},
		Calendar: everyDay(40),
	}
	p := plan(t, in)
	// X: day1 20-10 = 10 >= 5; day3 10+10(RX)-10 = 10; day6 10-12 = -2 < 5
	// -> order 7 (balance 5); day8 5-3 = 2 -> order 3.
	want(t, p, "X", "7@6/4 3@8/6")
	// Y: day2 0-30 < 0: pull RIN (due 5) in to day 2: 50-30 = 20; day7
	// 20-30 = -10: ROUT is due 19, 12 days later, beyond the reschedule
	// window of 10 -> order 10. ROUT covers y3 on day 20, so it could come on
	// day 20; RCAN (due 25) is never needed.
	want(t, p, "Y", "10@7/6")
	var got []string
	for _, e := range p.Exceptions() {
		if e.Item == "Y" {
			s := fmt.Sprintf("%s %s %d", e.Kind, e.Ref, p.Day(e.Date))
			if !e.To.IsZero() {
				s += fmt.Sprintf("->%d", p.Day(e.To))
			}
			got = append(got, s)
		}
	}
	exp := []string{"reschedule-in RIN 5->2", "reschedule-out ROUT 19->20", "cancel RCAN 25"}
	if !slices.Equal(got, exp) {
		t.Errorf("Y exceptions\n got  %v\n want %v", got, exp)
	}
	r, _ := p.Record("Y")
	// day2: +50 (pulled in) -30 = 20; day7: +10 -30 = 0; day19: +40 = 40;
	// day20: -40 = 0; day25: +10 = 10.
	var bal []string
	for _, d := range r.Days {
		bal = append(bal, fmt.Sprintf("%d:%d", d.Day, d.Balance))
	}
	if strings.Join(bal, " ") != "2:20 7:0 19:40 20:0 25:10" {
		t.Errorf("Y record %v", bal)
	}
}

// TestBelowSafetyStock: stock below safety stock at the start cannot be
// replenished within the lead time.
func TestBelowSafetyStock(t *testing.T) {
	in := &mrp.Input{
		Items:    []mrp.Item{{ID: "X", Kind: mrp.Buy, LeadTime: 3, SafetyStock: 10}},
		Demands:  []mrp.Demand{dem("d", "X", 4, 1)},
		Stock:    map[string]int64{"X": 12},
		Calendar: everyDay(20),
	}
	p := plan(t, in)
	// day1 12-4 = 8 < 10 -> order 2 due 1, released day -2 (past due).
	want(t, p, "X", "2@1/-2")
	var kinds []string
	for _, e := range p.Exceptions() {
		kinds = append(kinds, fmt.Sprintf("%s@%d:%d", e.Kind, p.Day(e.Date), e.Qty))
	}
	// Without the past-due order (it can arrive on day 3) day 1 and 2 sit
	// at 8: 2 below safety stock.
	if !slices.Contains(kinds, "below-safety-stock@1:2") || !slices.Contains(kinds, "release-past-due@-2:2") {
		t.Errorf("exceptions %v", kinds)
	}
}

// TestCalendar offsets lead times over weekends and a holiday.
func TestCalendar(t *testing.T) {
	cal := mrp.Calendar{Start: monday, Horizon: 30, Days: map[time.Time]bool{day(2): false}} // Wednesday off
	in := &mrp.Input{
		Items: []mrp.Item{
			{ID: "A", Kind: mrp.Make, LeadTime: 3, Components: []mrp.Component{{Item: "B", QtyPer: 1}}},
			{ID: "B", Kind: mrp.Buy, LeadTime: 2},
		},
		// Due Saturday (day 5): netted on Friday (day 4).
		Demands:  []mrp.Demand{dem("s", "A", 7, 5), dem("t", "A", 1, 12)},
		Calendar: cal,
	}
	p := plan(t, in)
	// A: due Fri 4; 3 working days back: Thu 3, Tue 1 (Wed 2 is a holiday),
	// Mon 0 -> release day 0. Second: due Sat 12 -> Fri 11; back Thu 10,
	// Wed 9, Tue 8 -> release 8.
	want(t, p, "A", "7@4/0 1@11/8")
	// B: needed Mon 0; 2 working days back: Fri -3, Thu -4 -> past due.
	// Needed Tue 8 -> Mon 7, Fri 4 -> release 4.
	want(t, p, "B", "7@0/-4 1@8/4")
}

// TestSharedComponentIntermediateStock is the bug open-source ERPs are known
// for: a component used in two sub-assemblies, one of which has stock,
// must be netted level by level. Naively the plan says 33 where 18 is right.
func TestSharedComponentIntermediateStock(t *testing.T) {
	in := &mrp.Input{
		Items: []mrp.Item{
			{ID: "E", Kind: mrp.Make, LeadTime: 1, Components: []mrp.Component{{Item: "S1", QtyPer: 1}, {Item: "M", QtyPer: 1}}},
			{ID: "S1", Kind: mrp.Make, LeadTime: 1, Components: []mrp.Component{{Item: "C", QtyPer: 1}}},
			{ID: "M", Kind: mrp.Phantom, Components: []mrp.Component{{Item: "S2", QtyPer: 1}}},
			{ID: "S2", Kind: mrp.Make, LeadTime: 1, Components: []mrp.Component{{Item: "C", QtyPer: 1}}},
			{ID: "C", Kind: mrp.Buy, LeadTime: 2},
		},
		Demands:  []mrp.Demand{dem("so", "E", 18, 10)},
		Stock:    map[string]int64{"S1": 15, "S2": 3},
		Calendar: everyDay(20),
	}
	p := plan(t, in)
	// E: 18 due 10, released 9.
	want(t, p, "E", "18@10/9")
	// S1: gross 18 on day 9, stock 15 -> 3 (released 8).
	want(t, p, "S1", "3@9/8")
	// M is a phantom: blown through on day 9 (lead time 0).
	want(t, p, "M", "18@9/9")
	// S2: gross 18 on day 9 (through M), stock 3 -> 15.
	want(t, p, "S2", "15@9/8")
	// C (low-level code 3, after S2): 3 from S1 + 15 from S2 = 18, not 33
	// (= 18 + 15, S1's stock ignored) or 36.
	want(t, p, "C", "18@8/6")
	if l, _ := p.LowLevelCode("C"); l != 3 {
		t.Errorf("LLC C = %d, want 3", l)
	}
	for _, o := range p.AllOrders() {
		if o.Kind == mrp.PhantomOrder {
			t.Errorf("AllOrders lists phantom order %s", o.ID)
		}
	}
}

// TestLotRounding: min, max and multiple.
func TestLotRounding(t *testing.T) {
	in := &mrp.Input{
		Items: []mrp.Item{
			{ID: "P", Kind: mrp.Buy, Lot: mrp.LotSizing{Policy: mrp.LotForLot, Min: 20, Max: 60, Multiple: 8}},
			{ID: "Q", Kind: mrp.Buy, Lot: mrp.LotSizing{Policy: mrp.PeriodQty, Periods: 3}},
		},
		Demands: []mrp.Demand{
			dem("p1", "P", 5, 0), dem("p2", "P", 10, 1), dem("p3", "P", 130, 2),
			dem("q1", "Q", 5, 0), dem("q2", "Q", 6, 2), dem("q3", "Q", 7, 3), dem("q4", "Q", 8, 9),
		},
		Calendar: everyDay(20),
	}
	p := plan(t, in)
	// P: day0 5 -> min 20 -> multiple of 8: 24 (surplus 19); day1 10 covered
	// (surplus 9); day2 130-9 = 121 > max 60: chunks of 56 (60 rounded down
	// to a multiple of 8): 56, 56, 9 -> min 20 -> 24 (surplus 15).
	want(t, p, "P", "24@0/0 56@2/2 56@2/2 24@2/2")
	// Q: POQ 3 working days: day0 covers days 0..2: 5+6 = 11; day3 covers
	// 3..5: 7; day9: 8.
	want(t, p, "Q", "11@0/0 7@3/3 8@9/9")
}

func TestErrors(t *testing.T) {
	base := func() *mrp.Input {
		return &mrp.Input{
			Items: []mrp.Item{
				{ID: "A", Kind: mrp.Make, Components: []mrp.Component{{Item: "B", QtyPer: 1}}},
				{ID: "B", Kind: mrp.Make, Components: []mrp.Component{{Item: "C", QtyPer: 1}}},
				{ID: "C", Kind: mrp.Buy},
			},
			Calendar: everyDay(10),
		}
	}
	cases := []struct {
		name string
		edit func(in *mrp.Input)
		err  error
		msg  string
	}{
		{"cycle", func(in *mrp.Input) { in.Items[2].Components = []mrp.Component{{Item: "A", QtyPer: 1}} }, mrp.ErrCycle, "A -> B -> C -> A"},
		{"unknown component", func(in *mrp.Input) { in.Items[2].Components = []mrp.Component{{Item: "Z", QtyPer: 1}} }, mrp.ErrUnknownItem, "item C: mrp: unknown item: component Z"},
		{"zero qty per", func(in *mrp.Input) { in.Items[0].Components[0].QtyPer = 0 }, mrp.ErrInvalid, "component B: quantity per 0 not in"},
		{"dup item", func(in *mrp.Input) { in.Items[1].ID = "A" }, mrp.ErrInvalid, "duplicate item"},
		{"demand unknown item", func(in *mrp.Input) { in.Demands = []mrp.Demand{dem("d", "Q", 1, 1)} }, mrp.ErrUnknownItem, "demand d"},
		{"demand qty", func(in *mrp.Input) { in.Demands = []mrp.Demand{dem("d", "A", 0, 1)} }, mrp.ErrInvalid, "quantity 0 not in"},
		{"stock", func(in *mrp.Input) { in.Stock = map[string]int64{"A": -1} }, mrp.ErrInvalid, "stock -1 not in"},
		{"foq", func(in *mrp.Input) { in.Items[2].Lot.Policy = mrp.FixedQty }, mrp.ErrInvalid, "fixed order quantity"},
		// The multiples of 8 around [58, 60] are 56 and 64: every lot would
		// break a bound.
		{"infeasible lot", func(in *mrp.Input) { in.Items[2].Lot = mrp.LotSizing{Min: 58, Max: 60, Multiple: 8} }, mrp.ErrInvalid, "item C: ctoplan: invalid input: no multiple of 8 lies between min 58 and max 60"},
		{"min above max", func(in *mrp.Input) { in.Items[2].Lot = mrp.LotSizing{Min: 61, Max: 60} }, mrp.ErrInvalid, "lot rounding min 61 max 60"},
		{"no date", func(in *mrp.Input) { in.Calendar.Start = time.Time{} }, mrp.ErrInvalid, "planning date"},
	}
	for _, c := range cases {
		in := base()
		c.edit(in)
		_, err := mrp.New(in, mrp.DefaultOptions())
		if !errors.Is(err, c.err) || err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: err %v, want %v containing %q", c.name, err, c.err, c.msg)
		}
	}
}

// TestForecastConsumption: sales orders consume the forecast of their
// window (after the previous forecast day, up to the forecast's day).
func TestForecastConsumption(t *testing.T) {
	fc := func(id string, qty int64, d int) mrp.Demand {
		x := dem(id, "F", qty, d)
		x.Forecast = true
		return x
	}
	in := &mrp.Input{
		Items: []mrp.Item{{ID: "F", Kind: mrp.Buy}},
		Demands: []mrp.Demand{
			fc("f5", 100, 5), fc("f12", 100, 12),
			dem("o2", "F", 30, 2), dem("o5", "F", 20, 5), dem("o8", "F", 50, 8), dem("o11", "F", 70, 11), dem("o20", "F", 10, 20),
		},
		Calendar: everyDay(30),
	}
	p := plan(t, in)
	// window (.., 5]: orders 30 + 20 = 50 consume f5 down to 50 -> day 5
	// needs 20 + 50 = 70. Window (5, 12]: 50 + 70 = 120 > 100: f12 is fully
	// consumed. o20 comes after the last forecast.
	want(t, p, "F", "30@2/2 70@5/5 50@8/8 70@11/11 10@20/20")
	// Removing o11 leaves 50 of f12's window: 50 of the forecast remains.
	if _, err := p.Apply(mrp.RemoveDemand{ID: "o11"}); err != nil {
		t.Fatal(err)
	}
	want(t, p, "F", "30@2/2 70@5/5 50@8/8 50@12/12 10@20/20")
}

// TestOperationsBackward schedules a routing backwards from the due date.
func TestOperationsBackward(t *testing.T) {
	in := &mrp.Input{
		Items: []mrp.Item{{ID: "A", Kind: mrp.Make, LeadTime: 2, Operations: []mrp.Operation{
			{Seq: 20, WorkCenter: "ASSY", SetupHours: 2, RunHours: 0.25},
			{Seq: 10, WorkCenter: "WELD", SetupHours: 1, RunHours: 0.5},
		}}},
		Demands:  []mrp.Demand{dem("s", "A", 8, 2)},
		Calendar: mrp.Calendar{Start: monday, Horizon: 20},
	}
	p := plan(t, in)
	os, _ := p.Orders("A")
	if len(os) != 1 || len(os[0].Operations) != 2 {
		t.Fatalf("orders %+v", os)
	}
	at := func(d, h int) time.Time { return day(d).Add(time.Duration(h) * time.Hour) }
	// Day 2 (Wednesday) works 08:00-16:00. Op 20: 2 + 8 x 0.25 = 4 h,
	// 12:00-16:00. Op 10: 1 + 8 x 0.5 = 5 h before 12:00: 08:00-12:00 on
	// day 2 and 15:00-16:00 on day 1.
	got := os[0].Operations
	if got[0].Seq != 10 || !got[0].Start.Equal(at(1, 15)) || !got[0].End.Equal(at(2, 12)) || got[0].Hours != 5 ||
		got[1].Seq != 20 || !got[1].Start.Equal(at(2, 12)) || !got[1].End.Equal(at(2, 16)) || got[1].Hours != 4 {
		t.Errorf("operations %+v", got)
	}
}

// TestFeasibleLot checks FeasibleLot against the definition: some positive
// q <= hi with q >= lo and q a multiple of mult, found by trying every q.
func TestFeasibleLot(t *testing.T) {
	for lo := int64(0); lo <= 30; lo++ {
		for hi := int64(0); hi <= 30; hi++ {
			for mult := int64(0); mult <= 12; mult++ {
				want := hi == 0 // no upper bound
				for q := int64(1); q <= hi && !want; q++ {
					want = q >= lo && (mult <= 1 || q%mult == 0)
				}
				if got := mrp.FeasibleLot(lo, hi, mult); got != want {
					t.Fatalf("FeasibleLot(%d, %d, %d) = %v, want %v", lo, hi, mult, got, want)
				}
			}
		}
	}
	// No overflow near the int64 limit: 9e18 is the only multiple of 3e18
	// in [8e18, 9.2e18].
	if !mrp.FeasibleLot(8e18, 9.2e18, 3e18) || mrp.FeasibleLot(8e18, 8.9e18, 3e18) {
		t.Error("FeasibleLot near the int64 limit")
	}
}
