package mrp

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// balanceExceptionsDaily is the reference for balanceExceptions: the
// projected balance walked day by day over the whole horizon, as the
// definition reads (it was the engine's code until branch i12nc6). g holds
// the gross requirements by day, up to hi.
func (p *Planner) balanceExceptionsDaily(w *worker, it *item, g []int64, hi int) {
	h := p.cal.horizon
	pab := make([]int64, h)
	ss := it.ss
	bal := it.onhand
	firm := it.onhand // balance with past-due orders arriving when they can
	ri, oi := 0, 0
	nr, no := len(w.recs), len(w.oDue)
	// late[k] holds past-due orders' quantities by the day they can arrive.
	var lateQ []int64
	var lateDay []int32
	for k := range no {
		if r := p.cal.release(w.oDue[k], it.lt); r < 0 {
			lateDay = append(lateDay, int32(p.cal.addWorking(0, it.in.LeadTime)))
			lateQ = append(lateQ, w.oQty[k])
		}
	}
	li := 0
	belowDone := ss == 0
	for d := range h {
		for ri < nr && w.recDay[ri] <= int32(d) {
			q := p.recs[w.recs[ri]].in.Qty
			bal += q
			firm += q
			ri++
		}
		for oi < no && w.oDue[oi] <= int32(d) {
			bal += w.oQty[oi]
			if p.cal.release(w.oDue[oi], it.lt) >= 0 {
				firm += w.oQty[oi]
			}
			oi++
		}
		for li < len(lateDay) && lateDay[li] <= int32(d) {
			firm += lateQ[li]
			li++
		}
		if d <= hi {
			bal -= g[d]
			firm -= g[d]
		}
		pab[d] = bal
		if !belowDone && firm < ss {
			w.exc = append(w.exc, exc{kind: BelowSafetyStock, ref: -1, day: int32(d), qty: ss - firm})
			belowDone = true
		}
	}
	// A firm order is never moved: it is needed on the first day the
	// balance without it would fall below safety stock. (ref -2-k names
	// firm order k.)
	for _, f := range it.firm {
		fo := &p.firms[f]
		need := -1
		for d := int(fo.day); d < h; d++ {
			if pab[d]-fo.in.Qty < ss {
				need = d
				break
			}
		}
		switch {
		case need < 0:
			w.exc = append(w.exc, exc{kind: Cancel, ref: -2 - f, day: fo.day, to: -1, qty: fo.in.Qty})
		case need > int(fo.day):
			w.exc = append(w.exc, exc{kind: RescheduleOut, ref: -2 - f, day: fo.day, to: int32(need), qty: fo.in.Qty})
		}
	}
	// A receipt counted on its due date is needed on the first day the
	// balance without it would fall below safety stock.
	for k := range nr {
		r := &p.recs[w.recs[k]]
		if w.recDay[k] != r.day {
			continue // pulled in
		}
		need := -1
		for d := int(r.day); d < h; d++ {
			if pab[d]-r.in.Qty < ss {
				need = d
				break
			}
		}
		switch {
		case need < 0:
			w.exc = append(w.exc, exc{kind: Cancel, ref: w.recs[k], day: r.day, to: -1, qty: r.in.Qty})
		case need > int(r.day):
			w.exc = append(w.exc, exc{kind: RescheduleOut, ref: w.recs[k], day: r.day, to: int32(need), qty: r.in.Qty})
		}
	}
}

// TestBalanceExceptionsHand works the projected balance of one bought item
// by hand: lead time 0, safety stock 5, on hand 10, every day a working
// day; receipts of 20 due on day 2 and of 30 due on day 6; requirements of
// 4 on day 1 and 25 on day 8.
//
// Netting: day 1 ends at 6, day 2 at 26, day 8 at 26+30-25 = 31: no net
// requirement, no order. The balance as steps: 10 from day 0, 6 from 1,
// 26 from 2, 56 from 6, 31 from 8 to the end. The receipt on day 2: the
// balance without it, 6 from day 2, 36 from 6, 11 from 8, never below 5:
// cancel. The receipt on day 6: without it 26 from 6, 1 from 8 < 5: needed
// on day 8, reschedule out 6 -> 8.
func TestBalanceExceptionsHand(t *testing.T) {
	start := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	in := &Input{
		Items: []Item{{ID: "B", Kind: Buy, SafetyStock: 5}},
		Demands: []Demand{
			{ID: "d1", Item: "B", Qty: 4, Due: start.AddDate(0, 0, 1)},
			{ID: "d8", Item: "B", Qty: 25, Due: start.AddDate(0, 0, 8)},
		},
		Receipts: []Receipt{
			{ID: "r2", Item: "B", Qty: 20, Due: start.AddDate(0, 0, 2)},
			{ID: "r6", Item: "B", Qty: 30, Due: start.AddDate(0, 0, 6)},
		},
		Stock:    map[string]int64{"B": 10},
		Calendar: Calendar{Start: start, Horizon: 20, Weekend: []time.Weekday{}},
	}
	p, err := New(in, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	w := p.newWorker()
	w.ensure(p.cal.horizon)
	p.planItem(w, 0)
	if len(w.oDue) != 0 {
		t.Fatalf("orders %v, want none", w.oDue)
	}
	if want := []int32{0, 1, 2, 6, 8}; !slices.Equal(w.stepDay, want) {
		t.Errorf("steps start on %v, want %v", w.stepDay, want)
	}
	if want := []int64{10, 6, 26, 56, 31}; !slices.Equal(w.stepBal, want) {
		t.Errorf("steps %v, want %v", w.stepBal, want)
	}
	r2, r6 := p.recIx["r2"], p.recIx["r6"]
	want := []exc{
		{kind: Cancel, ref: r2, day: 2, to: -1, qty: 20},
		{kind: RescheduleOut, ref: r6, day: 6, to: 8, qty: 30},
	}
	if !slices.Equal(w.exc, want) {
		t.Errorf("exceptions %+v, want %+v", w.exc, want)
	}
}

// TestBalanceExceptionsDaily is the property test of balanceExceptions'
// walk over event days: on generated plants with many receipts, safety
// stocks, firm orders and long lead times (past-due orders), every item's
// exceptions equal those of the day-by-day walk (balanceExceptionsDaily).
func TestBalanceExceptionsDaily(t *testing.T) {
	seeds := 12
	if testing.Short() {
		seeds = 4
	}
	kinds := map[ExceptionKind]int{}
	for seed := range uint64(seeds) {
		in := balancePlant(seed)
		p, err := New(in, DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		w, w2 := p.newWorker(), p.newWorker()
		w.ensure(p.cal.horizon)
		w2.ensure(p.cal.horizon)
		for i := range p.items {
			it := &p.items[i]
			p.planItem(w, int32(i))
			got := slices.Clone(w.exc)
			// the reference from the same orders and receipts: the
			// messages of netting (pulled in) and then the day-by-day walk
			w.exc = w.exc[:0]
			for _, x := range got {
				if x.kind == RescheduleIn {
					w.exc = append(w.exc, x)
				}
			}
			hi := p.gather(w2, int32(i))
			g := slices.Clone(w2.gross)
			clear(w2.gross[:hi+1])
			if len(w.recs) > 0 || len(it.firm) > 0 || (it.ss > 0 && len(w.oDue) > 0 && p.cal.release(w.oDue[0], it.lt) < 0) {
				p.balanceExceptionsDaily(w, it, g, hi)
			}
			if !slices.Equal(got, w.exc) {
				t.Fatalf("seed %d item %s: exceptions\n %+v\nday by day\n %+v", seed, it.in.ID, got, w.exc)
			}
			for _, x := range got {
				kinds[x.kind]++
			}
		}
	}
	t.Logf("exceptions compared: %v", kinds)
	for _, k := range []ExceptionKind{Cancel, RescheduleOut, BelowSafetyStock} {
		if kinds[k] == 0 {
			t.Errorf("no %v message: the test does not reach it", k)
		}
	}
}

// balancePlant is a random plant of 120 items in four levels (each with
// one to three components on the next), with many receipts, safety
// stocks, firm orders and long lead times: past-due orders, cancels,
// reschedules and below safety stock.
func balancePlant(seed uint64) *Input {
	r := rand.New(rand.NewPCG(seed, 3))
	start := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	in := &Input{
		Stock:    map[string]int64{},
		Calendar: Calendar{Start: start, Horizon: 120},
	}
	const levels, per = 4, 30
	id := func(l, k int) string { return fmt.Sprintf("I%d-%d", l, k) }
	for l := range levels {
		for k := range per {
			it := Item{ID: id(l, k), Kind: Make, LeadTime: r.IntN(13)}
			if l == levels-1 {
				it.Kind = Buy
			} else {
				for range 1 + r.IntN(3) {
					it.Components = append(it.Components, Component{Item: id(l+1, r.IntN(per)), QtyPer: float64(1 + r.IntN(3))})
				}
				slices.SortFunc(it.Components, func(a, b Component) int { return strings.Compare(a.Item, b.Item) })
				it.Components = slices.CompactFunc(it.Components, func(a, b Component) bool { return a.Item == b.Item })
			}
			if r.IntN(3) == 0 {
				it.SafetyStock = int64(r.IntN(40))
			}
			if r.IntN(2) == 0 {
				in.Stock[it.ID] = int64(r.IntN(150))
			}
			for j := range r.IntN(4) {
				in.Receipts = append(in.Receipts, Receipt{ID: fmt.Sprintf("R%s-%d", it.ID, j), Item: it.ID, Qty: int64(1 + r.IntN(120)), Due: start.AddDate(0, 0, r.IntN(130))})
			}
			if r.IntN(4) == 0 {
				in.Firm = append(in.Firm, FirmOrder{ID: fmt.Sprintf("F%s", it.ID), Item: it.ID, Qty: int64(1 + r.IntN(80)), Due: start.AddDate(0, 0, r.IntN(130))})
			}
			in.Items = append(in.Items, it)
		}
	}
	for k := range 150 {
		in.Demands = append(in.Demands, Demand{ID: fmt.Sprintf("D%d", k), Item: id(r.IntN(2), r.IntN(per)), Qty: int64(1 + r.IntN(30)), Due: start.AddDate(0, 0, r.IntN(110))})
	}
	return in
}
