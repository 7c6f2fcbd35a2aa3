package mrp

import (
	"fmt"
	"math"
	"slices"

	"github.com/ctoplan/ctoplan/internal/invariants"
)

// lotSize groups the lot-for-lot net requirements in w.netDay/w.netQty
// into planned orders (w.oDue/w.oQty). Orders are placed on the day of the
// first net requirement they cover; any surplus (from grouping or
// rounding) covers the following net requirements first.
func (p *Planner) lotSize(w *worker, it *item) { p.lotSizeFrom(w, it, 0, nil, w.netDay, w.netQty) }

// lotSizeFrom is lotSize of the net requirements netDay/netQty (in day
// order) started with surplus already on hand: the surplus left by the
// orders before the first of them (net change's window, see netWindow).
// Only the policies that do not look back past a lot's first requirement
// (all but Wagner-Whitin) may be started with a surplus; plain lot-for-lot
// never has one.
//
// Requirements not above zero are skipped, as if they were not there:
// netWindow passes the item's kept gross requirements after the window's
// start as they are, without copying them (they are positive, being sums
// of positive order and demand quantities, but nothing here relies on it;
// netWindow never passes them to plain lot-for-lot or Wagner-Whitin,
// which take them as they come).
//
// With rs set (net change's window), it stops where the new lots fall
// back in step with the item's old ones, which stay from there on (see
// resync): the old orders rs.due[rs.j:] follow the ones it placed.
func (p *Planner) lotSizeFrom(w *worker, it *item, surplus int64, rs *resync, netDay []int32, netQty []int64) {
	n := len(netDay)
	if n == 0 {
		return
	}
	if it.lfl {
		w.oDue = append(w.oDue, netDay...)
		w.oQty = append(w.oQty, netQty...)
		return
	}
	l := &it.in.Lot
	pol := l.Policy
	if it.in.Kind == Phantom {
		pol = LotForLot
	}
	plain := pol == LotForLot && l.Min == 0 && l.Max == 0 && l.Multiple <= 1
	if plain || it.in.Kind == Phantom {
		w.oDue = append(w.oDue, netDay...)
		w.oQty = append(w.oQty, netQty...)
		return
	}
	// group boundaries, for the policies that look ahead: a period lot
	// covers the net requirements due within l.Periods working days of
	// its first (found as each group starts); w.grp[k] is the end
	// (exclusive) of the Wagner-Whitin lot starting at k.
	if pol == WagnerWhitin {
		w.grp = wagnerWhitin(w, netDay, netQty, l.SetupCost, l.HoldingCost)
	}
	first := len(w.oQty)
	if invariants.Enabled {
		defer func() { checkLots(it.in.ID, l, w.oQty[first:]) }()
	}
	// after: the last day up to which no lot needs resync asked
	after := int32(math.MaxInt32)
	if rs != nil && (!rs.never || invariants.Enabled) {
		after = rs.after
	}
	// lots of one net requirement each, without a maximum, go through
	// singleLots, a loop with few enough figures to stay in registers
	// (this one spilled and reloaded them every step)
	var sl singleLots
	single := (pol == LotForLot || pol == FixedQty) && l.Max == 0
	if single {
		sl = singleLots{lmin: l.Min, mult: l.Multiple, after: after}
		if pol == FixedQty {
			sl.fixed = l.Qty
		}
	}
	// local copies of the slices: appending through w would make the
	// compiler reload them every step
	oDue, oQty := w.oDue, w.oQty
	var ordered int64 // the orders placed here so far
	for k := 0; k < n; {
		day := netDay[k]
		if single && day <= after {
			k, surplus, ordered, oDue, oQty = sl.run(netDay, netQty, k, surplus, ordered, oDue, oQty)
			continue
		}
		if netQty[k] <= 0 {
			k++
			continue
		}
		if day > after && rs.inStep(day, ordered, pol == PeriodQty) {
			if rs.never {
				panic(fmt.Sprintf("mrp: invariant: %s: lots in step again on day %d, though the change %d is no multiple of the lot unit %d", it.in.ID, day, rs.delta, lotUnit(l)))
			}
			rs.cut, rs.kept = n-k, len(rs.due)-rs.j
			break
		}
		end, sum := k+1, netQty[k]
		switch pol {
		case PeriodQty:
			limit := p.cal.wdOf[int(day)+p.cal.pre] + int32(l.Periods)
			for end < n && p.cal.wdOf[int(netDay[end])+p.cal.pre] < limit {
				sum += max(netQty[end], 0)
				end++
			}
		case WagnerWhitin:
			end = int(w.grp[k])
			for _, q := range netQty[k+1 : end] {
				sum += q
			}
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
			oDue, oQty, total = splitLot(l, day, need, oDue, oQty)
		} else {
			oDue = append(oDue, day)
			oQty = append(oQty, total)
		}
		ordered += total
		surplus += total - sum
		k = end
	}
	w.oDue, w.oQty = oDue, oQty
}

// splitLot appends a lot of need that its rounding takes past the maximum
// as orders of at most the maximum (rounded down to the multiple), the
// last one rounded, and returns their sum.
func splitLot(l *LotSizing, day int32, need int64, oDue []int32, oQty []int64) ([]int32, []int64, int64) {
	chunk := l.chunk()
	var total int64
	for left := need; left > 0; {
		q := min(left, chunk)
		left -= q
		if left == 0 {
			q = roundLot(l, q)
		}
		oDue = append(oDue, day)
		oQty = append(oQty, q)
		total += q
	}
	return oDue, oQty, total
}

// chunk is the most one order holds when a lot above the maximum is
// split (splitLot): the maximum rounded down to the multiple.
func (l *LotSizing) chunk() int64 {
	if l.Multiple > 1 {
		return l.Max - l.Max%l.Multiple
	}
	return l.Max
}

// singleLots is lotSizeFrom's loop for the policies whose lot covers one
// net requirement (lot-for-lot with a minimum or a multiple, fixed lots),
// without a maximum: the same arithmetic, on the figures it needs only.
type singleLots struct {
	fixed      int64 // the fixed lot quantity, 0 for lot-for-lot
	lmin, mult int64 // the minimum and multiple (roundLot)
	after      int32 // it stops at the first net requirement after it
}

// run sizes the net requirements from k on, up to the first one after
// s.after, and returns where it stopped and the figures lotSizeFrom
// carries: the surplus, the orders' sum and the order lists.
func (s *singleLots) run(netDay []int32, netQty []int64, k int, surplus, ordered int64, oDue []int32, oQty []int64) (int, int64, int64, []int32, []int64) {
	fixed, lmin, mult := s.fixed, s.lmin, s.mult
	netDay = netDay[:len(netQty)]
	end := len(netQty)
	if s.after < math.MaxInt32 {
		e, _ := slices.BinarySearch(netDay[k:], s.after+1)
		end = k + e
	}
	// at most one order a requirement: grown first and stored by index
	// (appending kept two more slices' figures live in the loop), and
	// their sum taken afterwards
	m0 := len(oQty)
	m := m0
	oQty = slices.Grow(oQty, end-k)[:m+end-k]
	oDue = slices.Grow(oDue, end-k)[:len(oQty)]
	for ; k < end; k++ {
		q := netQty[k]
		if q <= 0 {
			continue
		}
		if surplus >= q {
			surplus -= q
			continue
		}
		need := q - surplus
		if fixed > 0 {
			need = (need + fixed - 1) / fixed * fixed
		}
		need = max(need, lmin)
		if mult > 1 {
			need = (need + mult - 1) / mult * mult
		}
		oDue[m], oQty[m] = netDay[k], need
		m++
		surplus += need - q
	}
	for _, q := range oQty[m0:m] {
		ordered += q
	}
	return k, surplus, ordered, oDue[:m], oQty[:m]
}

// resync is what lotSizeFrom needs to stop net change's window early:
// the item's old orders from the window's start o on, and its requirement
// change.
//
// Lot sizing walks the net requirements in day order carrying one figure,
// the surplus, and starts a lot (a group) at each net requirement, or for
// a period lot at the first net requirement after the last group. Past the
// last changed requirement day (after), the net requirements are the old
// ones, so once the new run starts a group on a day D where the old run
// started one, with the same surplus, it places the old orders from D on.
// Both runs start at o with the same surplus, and from o on (o >= the
// first order's day) the net requirements are the gross ones, so before
// D the new ones sum to the old ones plus delta, the sum of the changes;
// the surpluses are equal when the orders due in [o, D) are too:
//
//	new orders in [o, D) = old orders in [o, D) + delta
//
// Every net requirement starts a group but under a period lot, whose
// groups the old run started on its order days: D must be one of them
// (a group covered by surplus has no order; missing it only means
// stopping later).
//
// Lots in multiples of a unit u (lotUnit) never fall back in step when u
// does not divide delta: both runs' orders from o on are multiples of u,
// so they cannot differ by delta. netWindow then sets never, and lot
// sizing runs to the end without asking.
type resync struct {
	never  bool    // the lots cannot fall back in step: do not look
	after  int32   // the last changed requirement day
	due    []int32 // the old orders from o on
	qty    []int64
	delta  int64
	reqs   int   // the net requirements given to lot sizing (for the anatomy)
	j      int   // the old orders before the day inStep was last asked about: due[:j]
	oldSum int64 // their quantities' sum
	// set by lotSizeFrom when it stops: the net requirements it did not
	// lot-size again, and the old orders that stay (rs.due[rs.j:])
	cut, kept int
}

// inStep reports whether a run that ordered ordered from o on and starts
// a group on day (in increasing days over the calls) is in step with the
// old run (see resync); period: a period lot.
func (rs *resync) inStep(day int32, ordered int64, period bool) bool {
	for rs.j < len(rs.due) && rs.due[rs.j] < day {
		rs.oldSum += rs.qty[rs.j]
		rs.j++
	}
	if ordered != rs.oldSum+rs.delta {
		return false
	}
	return !period || (rs.j < len(rs.due) && rs.due[rs.j] == day)
}

// lotUnit returns a quantity that divides every lot l makes (1 if there
// is none to tell): the multiple, or a fixed lot's quantity when no
// minimum above it or maximum changes a lot.
func lotUnit(l *LotSizing) int64 {
	switch {
	case l.Multiple > 1:
		return l.Multiple // applied last, to every lot (a maximum's chunks are multiples)
	case l.Policy == FixedQty && l.Qty > 0 && l.Max == 0 && l.Min <= l.Qty:
		return l.Qty // a need rounded up to a multiple of Qty is at least Qty >= Min
	}
	return 1
}

// exactLots reports whether every lot of l is exactly what its net
// requirements need after the surplus: lot-for-lot and period lots with no
// minimum above 1 and no multiple (a maximum only splits a lot into
// orders of the same sum). Lot sizing starts with no surplus and every
// lot leaves none, so there is never any at the first day of a lot: a
// window starting there needs no sums to know it (netWindow).
func exactLots(l *LotSizing) bool {
	return (l.Policy == LotForLot || l.Policy == PeriodQty) && l.Min <= 1 && l.Multiple <= 1
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
//
// The programme runs cut by cut (see wwCut): no lot covers both sides of
// a cut, so the requirements between two cuts (a cluster) are lot-sized
// on their own, each from a cost of 0. In exact arithmetic that is the
// programme over all of them; in floating point it keeps every cluster's
// figures, and so its ties, independent of the clusters before it, which
// is what lets net change lot-size again only the clusters a change
// reaches (wwWindow). A requirement after a cut is its own cluster when
// the next one is a cut too, the common case: no programme runs for it.
func wagnerWhitin(w *worker, day []int32, qty []int64, setup, hold float64) []int32 {
	n := len(day)
	w.wwBest = slices.Grow(w.wwBest[:0], n+1)[:n+1]
	w.wwFrom = slices.Grow(w.wwFrom[:0], n+1)[:n+1]
	grp := slices.Grow(w.grp[:0], n)[:n]
	clear(grp)
	for a := 0; a < n; {
		b := a + 1
		for b < n && !wwCut(day, qty, b, setup, hold) {
			b++
		}
		if b == a+1 {
			grp[a] = int32(b)
			a = b
			continue
		}
		best, from := w.wwBest[a:b+1], w.wwFrom[a:b+1]
		wwDP(best, from, day[a:b], qty[a:b], setup, hold, nil)
		end := b - a
		for j := end; j > 0; j = from[j] {
			grp[a+from[j]] = int32(a + end)
			end = from[j]
		}
		a = b
	}
	return grp
}

// wwCut reports whether requirement m (> 0) is a cut of the Wagner-Whitin
// programme: holding it from the day of requirement m-1 costs more than
// an order, so every row of wwDP that reaches it stops there (the
// planning horizon: the rows from earlier requirements hold it longer,
// and the product grows with the days also in floating point), and no
// lot covers both m-1 and m. It reads only requirement m's quantity and
// the two days.
func wwCut(day []int32, qty []int64, m int, setup, hold float64) bool {
	return wwHeld(qty[m], day[m]-day[m-1], setup, hold)
}

// wwHeld reports whether holding q for gap days costs more than an order:
// wwDP's test for ending a row, written once so that wwCut and wwWindow
// decide exactly as it does.
func wwHeld(q int64, gap int32, setup, hold float64) bool {
	return hold*float64(q)*float64(gap) > setup
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
			if unit == nil && wwHeld(qty[k], day[k]-day[i], setup, hold) {
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
