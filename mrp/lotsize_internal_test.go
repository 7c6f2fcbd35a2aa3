package mrp

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// lotPlanner is a planner with only a calendar (every day working, from
// a Monday) for lotSizeFrom, and an item of lot sizing l.
func lotPlanner(t *testing.T, l LotSizing) (*Planner, *item) {
	t.Helper()
	k, err := compileCalendar(Calendar{Start: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC), Horizon: 400, Weekend: []time.Weekday{}}, 10)
	if err != nil {
		t.Fatal(err)
	}
	it := &item{}
	it.setIn(Item{ID: "X", Kind: Buy, Lot: l})
	return &Planner{cal: k}, it
}

// sizeLots runs lotSizeFrom on the requirements day/qty with surplus and
// returns the orders as "qty@day" (after the orders already in w, which it
// keeps: "pre").
func sizeLots(p *Planner, it *item, surplus int64, day []int32, qty []int64) string {
	w := p.newWorker()
	w.oDue, w.oQty = []int32{0}, []int64{1} // an order before: kept as it is
	p.lotSizeFrom(w, it, surplus, nil, day, qty)
	s := ""
	for k := range w.oDue {
		if k == 0 {
			s = fmt.Sprintf("pre %d@%d", w.oQty[0], w.oDue[0])
			continue
		}
		s += fmt.Sprintf(" %d@%d", w.oQty[k], w.oDue[k])
	}
	return s
}

// TestSingleLotsHand works lots of one requirement each out by hand, on
// requirements with entries not above zero among them (skipped, as if not
// there: netWindow passes the kept gross requirements as they are).
//
// Requirements 5 on day 1, 0 on day 2, -3 on day 3, 7 on day 4, 12 on
// day 6, 2 on day 9; surplus 2 on hand.
//
//   - Fixed lots of 4: day 1 needs 5-2 = 3 -> 4, surplus 1; days 2 and 3
//     skipped; day 4 needs 6 -> 8, surplus 2; day 6 needs 10 -> 12,
//     surplus 2; day 9 covered by it (2 >= 2), no order.
//   - Lot-for-lot, at least 6, multiples of 4: day 1 needs 3 -> 6 -> 8,
//     surplus 5; day 4 needs 2 -> 6 -> 8, surplus 6; day 6 needs 6 -> 8,
//     surplus 2; day 9 covered by it (2 >= 2), no order.
//   - Fixed lots of 5 with a minimum of 7 and multiples of 3: day 1 needs
//     3 -> 5 -> 7 -> 9, surplus 6; day 4 needs 1 -> 5 -> 7 -> 9, surplus
//     8; day 6 needs 4 -> 5 -> 7 -> 9, surplus 5; day 9 covered (3 left).
//
// A maximum (lot-for-lot, at most 5) goes the general way: day 1 needs 3
// -> 3; day 4 7 -> 5 + 2; day 6 12 -> 5 + 5 + 2; day 9 2.
func TestSingleLotsHand(t *testing.T) {
	day := []int32{1, 2, 3, 4, 6, 9}
	qty := []int64{5, 0, -3, 7, 12, 2}
	for _, c := range []struct {
		l    LotSizing
		want string
	}{
		{LotSizing{Policy: FixedQty, Qty: 4}, "pre 1@0 4@1 8@4 12@6"},
		{LotSizing{Min: 6, Multiple: 4}, "pre 1@0 8@1 8@4 8@6"},
		{LotSizing{Policy: FixedQty, Qty: 5, Min: 7, Multiple: 3}, "pre 1@0 9@1 9@4 9@6"},
		{LotSizing{Max: 5}, "pre 1@0 3@1 5@4 2@4 5@6 5@6 2@6 2@9"},
	} {
		p, it := lotPlanner(t, c.l)
		if got := sizeLots(p, it, 2, day, qty); got != c.want {
			t.Errorf("%+v: got %s, want %s", c.l, got, c.want)
		}
	}
}

// slowLots is lot sizing as the textbook has it, for the lot sizings
// without a maximum, every day working: the positive requirements in
// groups (a period lot's: those due within Periods days of the first;
// else one each), each group covered by the surplus if it can be, else by
// a lot of what is missing, rounded up to the fixed quantity, to the
// minimum, then to the multiple.
func slowLots(l LotSizing, surplus int64, day []int32, qty []int64) string {
	s := "pre 1@0"
	for k := 0; k < len(qty); k++ {
		q := qty[k]
		if q <= 0 {
			continue
		}
		first := k
		for l.Policy == PeriodQty && k+1 < len(qty) && day[k+1] < day[first]+int32(l.Periods) {
			k++
			if qty[k] > 0 {
				q += qty[k]
			}
		}
		if surplus >= q {
			surplus -= q
			continue
		}
		lot := q - surplus
		if l.Policy == FixedQty {
			n := int64(1)
			for n*l.Qty < lot {
				n++
			}
			lot = n * l.Qty
		}
		lot = max(lot, l.Min)
		for l.Multiple > 1 && lot%l.Multiple != 0 {
			lot++
		}
		s += fmt.Sprintf(" %d@%d", lot, day[first])
		surplus += lot - q
	}
	return s
}

// TestSingleLotsProperty compares lotSizeFrom with slowLots on random
// requirements (a few not above zero), surpluses and lot sizings (fixed
// lots and lot-for-lot with minimums and multiples, which singleLots
// sizes, and period lots, which the general loop does), and checks that
// the general loop gives the same as singleLots for lot-for-lot with the
// same bounds (as period lots of one day: one requirement each).
func TestSingleLotsProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 14))
	for trial := range 3000 {
		n := r.IntN(40)
		day := make([]int32, 0, n)
		qty := make([]int64, 0, n)
		d := int32(r.IntN(3))
		for range n {
			d += int32(1 + r.IntN(4))
			q := int64(1 + r.IntN(60))
			if r.IntN(10) == 0 {
				q = -int64(r.IntN(5)) // zero or below: skipped
			}
			day = append(day, d)
			qty = append(qty, q)
		}
		var l LotSizing
		switch r.IntN(3) {
		case 0:
			l.Policy, l.Qty = FixedQty, int64(1+r.IntN(25))
		case 1:
			l.Policy, l.Periods = PeriodQty, 1+r.IntN(6)
		}
		if r.IntN(2) == 0 {
			l.Min = int64(r.IntN(40))
		}
		if r.IntN(2) == 0 {
			l.Multiple = int64(1 + r.IntN(9))
		}
		if l.Policy == LotForLot && l.Min == 0 && l.Multiple <= 1 {
			l.Min = 2 // not plain lot-for-lot, which lot sizing passes through
		}
		surplus := int64(r.IntN(30))
		p, it := lotPlanner(t, l)
		got := sizeLots(p, it, surplus, day, qty)
		if want := slowLots(l, surplus, day, qty); got != want {
			t.Fatalf("trial %d: %+v surplus %d on %v %v:\ngot  %s\nwant %s", trial, l, surplus, day, qty, got, want)
		}
		if l.Policy == LotForLot {
			// the general loop: period lots of one day, every day working
			pl := l
			pl.Policy, pl.Periods = PeriodQty, 1
			p, it := lotPlanner(t, pl)
			if g := sizeLots(p, it, surplus, day, qty); g != got {
				t.Fatalf("trial %d: %+v: period lots of one day %s, lot-for-lot %s", trial, l, g, got)
			}
		}
	}
}
