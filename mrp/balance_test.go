package mrp_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ctoplan/ctoplan/mrp"
)

// TestBalanceExceptionsStopEarly is the property test of the walk over
// the projected balance that stops once no message can come any more
// (balanceExceptions): on random plants with receipts, firm planned
// orders, safety stock, lot sizing and past-due orders, after every step
// of a random chain of net changes, every item's messages are compared
// with those of the walk over every day of the horizon
// (balanceExceptionsByDay, a regression reference: the messages' meaning
// is checked against the oracle of excoracle_test.go). Both must have been
// reached: walks stopped early, and every kind of message.
func TestBalanceExceptionsStopEarly(t *testing.T) {
	plants, steps := 12, 150
	if testing.Short() || raceEnabled {
		plants, steps = 6, 50
	}
	items, short := 0, 0
	kinds := map[mrp.ExceptionKind]int{}
	for seed := uint64(1); seed <= uint64(plants); seed++ {
		in := smallPlant(t, seed, 25+int(seed*7)%40)
		opts := mrp.DefaultOptions()
		opts.RescheduleWindow = int(seed % 5)
		p, err := mrp.New(in, opts)
		if err != nil {
			t.Fatal(err)
		}
		r := rand.New(rand.NewPCG(seed, 41))
		for step := range steps {
			c := randomChange(r, p.Input(), step)
			if _, err := p.Apply(c); err != nil {
				t.Fatalf("seed %d step %d: %v", seed, step, err)
			}
			d, n, s := mrp.CheckBalanceExceptions(p)
			if d != "" {
				t.Fatalf("seed %d step %d after %#v: %s", seed, step, c, d)
			}
			items, short = items+n, short+s
			for k, v := range mrp.ExceptionKinds(p) {
				kinds[k] += v
			}
		}
	}
	t.Logf("%d items compared, %d walks stopped early; messages %v", items, short, kinds)
	if short < items/4 {
		t.Errorf("only %d of %d walks stopped early", short, items)
	}
	for _, k := range []mrp.ExceptionKind{mrp.RescheduleIn, mrp.RescheduleOut, mrp.Cancel, mrp.BelowSafetyStock} {
		if kinds[k] == 0 {
			t.Errorf("no %v message reached", k)
		}
	}
}

// TestBalanceExceptionsStopEarlyHand works the receipt messages of one
// item by hand, with the walk over the days stopped early and not.
func TestBalanceExceptionsStopEarlyHand(t *testing.T) {
	// X: no stock, no safety stock; demands 10 on days 3, 5 and 6, 5 on
	// day 30; receipts R1 20 on day 2, R2 15 on day 4. The balance: day 2
	// 20, day 3 10, day 4 25, day 5 15, days 6-29 5, day 30 0: no net
	// requirement, no order. R1 is needed on the first day from day 2
	// when the balance less 20 falls below 0: day 3 (10 - 20); R2 from
	// day 4 (25 - 15 = 10, then 0 on day 5): day 6 (5 - 15). Both have
	// their need days by day 6 and nothing else can come (no safety
	// stock): the walk stops there.
	in := &mrp.Input{
		Items:    []mrp.Item{{ID: "X", Kind: mrp.Buy, LeadTime: 1}},
		Demands:  []mrp.Demand{dem("D3", "X", 10, 3), dem("D5", "X", 10, 5), dem("D6", "X", 10, 6), dem("D30", "X", 5, 30)},
		Receipts: []mrp.Receipt{{ID: "R1", Item: "X", Qty: 20, Due: day(2)}, {ID: "R2", Item: "X", Qty: 15, Due: day(4)}},
		Calendar: everyDay(40),
	}
	check := func(p *mrp.Planner, wantExc []string, wantShort int) {
		t.Helper()
		var got []string
		for _, e := range p.Exceptions() {
			got = append(got, e.String())
		}
		if !slices.Equal(got, wantExc) {
			t.Errorf("messages\n got  %q\n want %q", got, wantExc)
		}
		d, n, s := mrp.CheckBalanceExceptions(p)
		if d != "" || n != 1 || s != wantShort {
			t.Errorf("against the walk over every day: %q, %d items, %d stopped early; want 1 item, %d", d, n, s, wantShort)
		}
	}
	p := plan(t, in)
	want(t, p, "X", "")
	check(p, []string{
		"reschedule-out X R1 2026-12-02 qty 20 -> 2026-12-03",
		"reschedule-out X R2 2026-12-04 qty 15 -> 2026-12-06",
	}, 1)
	// R3 10 on day 8: from day 8 on the balance is 10 higher (15, and
	// 10 on day 30), never below 10: R3 is not needed, which only the
	// horizon tells (no early stop). R1 and R2 are as before: the
	// balance before day 8 did not change.
	if _, err := p.Apply(mrp.SetReceipt{Receipt: mrp.Receipt{ID: "R3", Item: "X", Qty: 10, Due: day(8)}}); err != nil {
		t.Fatal(err)
	}
	check(p, []string{
		"reschedule-out X R1 2026-12-02 qty 20 -> 2026-12-03",
		"reschedule-out X R2 2026-12-04 qty 15 -> 2026-12-06",
		"cancel X R3 2026-12-08 qty 10",
	}, 0)
}
