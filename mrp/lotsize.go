package mrp

import (
	"fmt"
	"slices"

	"github.com/ctoplan/ctoplan/internal/invariants"
)

// lotSize groups the lot-for-lot net requirements in w.netDay/w.netQty
// into planned orders (w.oDue/w.oQty). Orders are placed on the day of the
// first net requirement they cover; any surplus (from grouping or
// rounding) covers the following net requirements first.
func (p *Planner) lotSize(w *worker, it *item) { p.lotSizeFrom(w, it, 0) }

// lotSizeFrom is lotSize started with surplus already on hand: the
// surplus left by the orders before the first net requirement in w.netDay
// (net change's window, see netWindow). Only the policies that do not
// look back past a lot's first requirement (all but Wagner-Whitin) may be
// started with a surplus; plain lot-for-lot never has one.
func (p *Planner) lotSizeFrom(w *worker, it *item, surplus int64) {
	p.lotSizeAlign(w, it, surplus, nil)
}

// realign is what lotSizeAlign needs to stop once the new lots line up
// with the old ones again (net change's window, see netWindow): the old
// orders from the window's start on (due, qty), the last day whose
// requirement changed (after) and the sum of the changes (delta).
type realign struct {
	due   []int32
	qty   []int64
	after int32
	delta int64
}

// lotSizeAlign is lotSizeFrom, which with ra set stops at the first group
// past ra.after at which the new lots so far exceed the old ones by
// exactly ra.delta: from there on the two runs carry the same surplus
// into the same net requirements (nothing changed after ra.after), so
// they place the same orders, and the old ones are copied instead. It
// notes in w.tailSame how many orders at the end were copied so.
//
// Why: lot sizing carries one figure from one group to the next, the
// surplus of the orders so far over the net requirements so far. Past
// ra.after the new net requirements so far exceed the old ones by delta
// (both runs start the window with the same surplus), so the surpluses
// are equal exactly when the orders so far differ by delta. A group is
// one net requirement, except for period lots, where it also has to
// start on the same day in both runs: the old run has an order on that
// day (a period lot orders only at a group's start; with rounding a group
// may be covered by the surplus and have none, which only makes the rule
// miss a chance to stop). Without rounding, equal surpluses already
// imply it (both are 0 at a group's start and above 0 within one), but
// not with rounding.
func (p *Planner) lotSizeAlign(w *worker, it *item, surplus int64, ra *realign) {
	w.tailSame = 0
	n := len(w.netDay)
	if n == 0 {
		return
	}
	if it.lfl {
		w.oDue = append(w.oDue, w.netDay...)
		w.oQty = append(w.oQty, w.netQty...)
		return
	}
	l := &it.in.Lot
	pol := l.Policy
	if it.in.Kind == Phantom {
		pol = LotForLot
	}
	plain := pol == LotForLot && l.Min == 0 && l.Max == 0 && l.Multiple <= 1
	if plain || it.in.Kind == Phantom {
		w.oDue = append(w.oDue, w.netDay...)
		w.oQty = append(w.oQty, w.netQty...)
		return
	}
	if pol == WagnerWhitin {
		// group boundaries: w.grp[k] is the end (exclusive) of the group
		// starting at k.
		w.grp = wagnerWhitin(w, w.netDay, w.netQty, l.SetupCost, l.HoldingCost)
		ra = nil // its groups depend on requirements on both sides
	}
	if ra != nil {
		// when every lot is a multiple of g, so is the difference of the
		// lots so far: a change that is not cannot be made up, and the
		// old orders need not be followed
		g := int64(1)
		switch {
		case pol == FixedQty && l.Min == 0 && l.Max == 0 && l.Multiple <= 1:
			g = l.Qty
		case pol == LotForLot && l.Multiple > 1:
			g = l.Multiple
		}
		if ra.delta%g != 0 {
			ra = nil
		}
	}
	first := len(w.oQty)
	if invariants.Enabled {
		defer func() { checkLots(it.in.ID, l, w.oQty[first:]) }()
	}
	var cumNew, cumOld int64 // ordered since the start, new and old
	j := 0                   // old orders due before netDay[k]: ra.due[:j]
	for k := 0; k < n; {
		if ra != nil && w.netDay[k] > ra.after {
			day := w.netDay[k]
			for j < len(ra.due) && ra.due[j] < day {
				cumOld += ra.qty[j]
				j++
			}
			if cumNew-cumOld == ra.delta && (pol != PeriodQty || (j < len(ra.due) && ra.due[j] == day)) {
				w.oDue = append(w.oDue, ra.due[j:]...)
				w.oQty = append(w.oQty, ra.qty[j:]...)
				w.tailSame = len(ra.due) - j
				return
			}
		}
		end := k + 1
		switch pol {
		case PeriodQty:
			limit := p.cal.wdOf[int(w.netDay[k])+p.cal.pre] + int32(l.Periods)
			for end < n && p.cal.wdOf[int(w.netDay[end])+p.cal.pre] < limit {
				end++
			}
		case WagnerWhitin:
			end = int(w.grp[k])
		}
		var sum int64
		for _, q := range w.netQty[k:end] {
			sum += q
		}
		if surplus >= sum {
			surplus -= sum
			k = end
			continue
		}
		need := sum - surplus
		if pol == FixedQty {
			need = (need + l.Qty - 1) / l.Qty * l.Qty
		}
		total := roundLot(l, need)
		if l.Max > 0 && total > l.Max {
			chunk := l.Max
			if l.Multiple > 1 {
				chunk -= chunk % l.Multiple
			}
			total = 0
			for left := need; left > 0; {
				q := min(left, chunk)
				left -= q
				if left == 0 {
					q = roundLot(l, q)
				}
				w.oDue = append(w.oDue, w.netDay[k])
				w.oQty = append(w.oQty, q)
				total += q
			}
		} else {
			w.oDue = append(w.oDue, w.netDay[k])
			w.oQty = append(w.oQty, total)
		}
		cumNew += total
		surplus += total - sum
		k = end
	}
}

// checkLots panics when a lot breaks its item's rounding bounds (input
// validation makes every bound reachable: see FeasibleLot).
func checkLots(item string, l *LotSizing, qty []int64) {
	for _, q := range qty {
		if q < max(l.Min, 1) || (l.Max > 0 && q > l.Max) || (l.Multiple > 1 && q%l.Multiple != 0) {
			panic(fmt.Sprintf("mrp: invariant: lot %d of %s breaks min %d max %d multiple %d", q, item, l.Min, l.Max, l.Multiple))
		}
	}
}

// roundLot applies the minimum and the multiple to an order quantity.
func roundLot(l *LotSizing, q int64) int64 {
	if q < l.Min {
		q = l.Min
	}
	if l.Multiple > 1 {
		q = (q + l.Multiple - 1) / l.Multiple * l.Multiple
	}
	return q
}

// wagnerWhitin returns, for each requirement k that starts an order, the
// end (exclusive) of the requirements that order covers (other entries are
// unused). Cost of ordering at requirement i for i..j-1: setup + holding *
// sum(qty[k] * (day[k] - day[i])). O(n^2) dynamic programming.
func wagnerWhitin(w *worker, day []int32, qty []int64, setup, hold float64) []int32 {
	n := len(day)
	w.wwBest = slices.Grow(w.wwBest[:0], n+1)[:n+1]
	w.wwFrom = slices.Grow(w.wwFrom[:0], n+1)[:n+1]
	wwDP(w.wwBest, w.wwFrom, day, qty, setup, hold, nil)
	grp := slices.Grow(w.grp[:0], n)[:n]
	clear(grp)
	end := n
	for j := n; j > 0; j = w.wwFrom[j] {
		grp[w.wwFrom[j]] = int32(end)
		end = w.wwFrom[j]
	}
	return grp
}

// wwDP fills best[j] (the cost of covering requirements 0..j-1) and
// from[j] (where the last order of that plan is placed).
func wwDP(best []float64, from []int, day []int32, qty []int64, setup, hold float64, unit func(k int) float64) {
	n := len(day)
	best[0] = 0
	for j := 1; j <= n; j++ {
		best[j] = -1
	}
	for i := range n {
		var h, buy float64
		u := 0.0
		if unit != nil {
			u = unit(i)
		}
		for j := i + 1; j <= n; j++ {
			k := j - 1
			if unit == nil && hold*float64(qty[k])*float64(day[k]-day[i]) > setup {
				// Ordering requirement k on its own day is strictly
				// cheaper, for j and every later j (planning horizon).
				break
			}
			h += hold * float64(qty[k]) * float64(day[k]-day[i])
			buy += u * float64(qty[k])
			c := best[i] + setup + h + buy
			if best[j] < 0 || c < best[j]-1e-9 {
				best[j] = c
				from[j] = i
			}
		}
	}
}
