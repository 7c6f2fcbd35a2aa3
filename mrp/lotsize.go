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
	// group boundaries: w.grp[k] is the end (exclusive) of the group
	// starting at k, for the policies that look ahead.
	switch pol {
	case PeriodQty:
		w.grp = w.grp[:0]
		for k := range n {
			limit := p.cal.wdOf[int(w.netDay[k])+p.cal.pre] + int32(l.Periods)
			e := k + 1
			for e < n && p.cal.wdOf[int(w.netDay[e])+p.cal.pre] < limit {
				e++
			}
			w.grp = append(w.grp, int32(e))
		}
	case WagnerWhitin:
		w.grp = wagnerWhitin(w, w.netDay, w.netQty, l.SetupCost, l.HoldingCost)
	}
	first := len(w.oQty)
	if invariants.Enabled {
		defer func() { checkLots(it.in.ID, l, w.oQty[first:]) }()
	}
	for k := 0; k < n; {
		end := k + 1
		if pol == PeriodQty || pol == WagnerWhitin {
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
