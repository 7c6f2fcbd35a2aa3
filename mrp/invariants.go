package mrp

import (
	"fmt"
	"math"
	"slices"
)

// checkNetChangeMaxSize bounds the plans (items plus demands) whose every
// net change is checked against a regenerative run when invariants are
// enabled: the check costs a full [New] per change, so a test that grows a
// plan by thousands of writes (the disk-full fault test under -race) would
// otherwise turn quadratic.
const checkNetChangeMaxSize = 2000

// checkNetChangeEvery is how often a net change is checked against a
// regenerative run and a fresh pegging when invariants are enabled: the
// first one of a planner, then every third. The checks cost a full [New]
// and a full pegging each, a third of the mrp package's time under
// the race detector when they ran after every change; sampled, a fault
// that a test's changes keep reaching is still caught, and the property
// tests compare every change with regeneration (without the race
// detector, at full size).
const checkNetChangeEvery = 3

// checkDue reports whether the net change that just ended is checked
// (see checkNetChangeEvery).
func (p *Planner) checkDue() bool {
	if len(p.items)+len(p.demands) >= checkNetChangeMaxSize {
		return false
	}
	p.netChanges++
	return (p.netChanges-1)%checkNetChangeEvery == 0
}

// checkNetChange panics when the plan after a net change differs from a
// regenerative run of the same inputs ([Planner.Apply] promises they are
// equal). It is called only when invariants are enabled (-race or -tags
// invariants); a difference is a bug in net change, never bad input.
func (p *Planner) checkNetChange() {
	q, err := New(p.Input(), p.opts)
	if err != nil {
		panic("mrp: invariant: the inputs after a net change do not plan: " + err.Error())
	}
	if msg := planDiff(p, q); msg != "" {
		panic("mrp: invariant: net change differs from a regenerative run: " + msg)
	}
}

// checkWinKeeps panics unless every item's kept window sums (winKeep),
// after a net change took its notes, are those of its orders and kept
// requirements now.
func (p *Planner) checkWinKeeps() {
	for i, k := range p.wk {
		it := &p.items[i]
		if k == (winKeep{}) {
			continue
		}
		if int(k.jo) > len(it.qty) || int(k.g) > len(it.gq) {
			panic(fmt.Sprintf("mrp: invariant: %s: window sums kept at (%d, %d), %d orders and %d requirements", it.in.ID, k.jo, k.g, len(it.qty), len(it.gq)))
		}
		var d int64
		for _, q := range it.qty[:k.jo] {
			d += q
		}
		for _, q := range it.gq[:k.g] {
			d -= q
		}
		if d != k.diff {
			panic(fmt.Sprintf("mrp: invariant: %s: window sums kept %d at (%d, %d), %d now", it.in.ID, k.diff, k.jo, k.g, d))
		}
	}
}

// planDiff describes the first item whose planned orders (due days and
// quantities) differ between p and q, or returns "".
func planDiff(p, q *Planner) string {
	if len(p.items) != len(q.items) {
		return fmt.Sprintf("%d items, regenerative %d", len(p.items), len(q.items))
	}
	for i := range p.items {
		a := &p.items[i]
		k, ok := q.index[a.in.ID]
		if !ok {
			return fmt.Sprintf("item %s missing from the regenerative plan", a.in.ID)
		}
		b := &q.items[k]
		if !slices.Equal(a.due, b.due) || !slices.Equal(a.qty, b.qty) {
			return fmt.Sprintf("item %s: orders due %v qty %v, regenerative due %v qty %v", a.in.ID, a.due, a.qty, b.due, b.qty)
		}
		if msg := endsDiff(a); msg != "" {
			return msg
		}
	}
	return ""
}

// endsDiff describes how item it's due0 and dueN differ from its first
// and last order's days (setEnds), or returns "".
func endsDiff(it *item) string {
	var f, l int32
	if n := len(it.due); n > 0 {
		f, l = it.due[0], it.due[n-1]
	}
	if it.due0 != f || it.dueN != l {
		return fmt.Sprintf("item %s: orders from day %d to %d, noted as %d to %d", it.in.ID, f, l, it.due0, it.dueN)
	}
	return ""
}

// checkEarliest panics unless day is the earliest day from want on by
// which q of the request's top item can be had: feasible on day, and not
// on the day before (when that is want or later). The binary search of
// [Planner.Promise] keeps exactly these two facts about its bounds, so a
// failure is a bug in the search or in feasible (an answer that depends on
// the tests before it: tentative capacity not given back, a free-supply
// table changed by a test), never bad input. It is called only when
// invariants are enabled (-race or -tags invariants).
func (c *ctp) checkEarliest(r *request, q int64, want, day int) {
	name := c.p.items[r.order[0]].in.ID
	if ok, _ := c.feasible(r, q, day); !ok {
		panic(fmt.Sprintf("mrp: invariant: promise of %d %s: day %d is not feasible on a second test", q, name, day))
	}
	if day > want {
		if ok, _ := c.feasible(r, q, day-1); ok {
			panic(fmt.Sprintf("mrp: invariant: promise of %d %s: day %d is not the earliest (day %d is feasible)", q, name, day, day-1))
		}
	}
}

// checkPegging panics when the plan's pegging does not add up (see
// [Planner.peggingError]). It is called after a net change only when
// invariants are enabled, on plans under checkNetChangeMaxSize.
func (p *Planner) checkPegging() {
	if msg := p.peggingError(); msg != "" {
		panic("mrp: invariant: pegging does not add up: " + msg)
	}
}

// peggingError describes the first place where the pegging of the plan
// does not add up, or returns "". The single-level pegging and the demand
// shares are computed afresh (the plan's own, computed lazily, are left
// as they are, so the check does not hide a lazy path from the tests);
// the running totals kept for the plan are compared with fresh ones.
//
// The rules follow from the definition: an item's requirements r_1..r_n
// (quantities q_j, at positions R_j = q_1+...+q_{j-1}, total R) are
// covered first in, first out by its supplies s_1..s_m (stock, receipts,
// planned orders; quantities u_l at positions S_l, total S), the link of
// r_j and s_l being the overlap of [R_j, R_j+q_j) and [S_l, S_l+u_l).
// Summing the overlaps:
//
//   - pegged to r_j: min(q_j, max(0, S-R_j)); a plan covers every
//     requirement (S >= R), so q_j: every requirement is pegged in full,
//     and never to a supply available after its day;
//   - pegged from s_l: min(u_l, max(0, R-S_l)) <= u_l: supply is pegged in
//     full up to position R, and what lies beyond (lot-size surplus,
//     safety stock, excess receipts) stays unpegged;
//   - demand shares: a planned order's share of a top-level demand is its
//     links to that demand's requirement plus, for a link to a parent
//     order's requirement, the link times the parent order's share over
//     the parent order's quantity. So the shares of order o add up to the
//     sum of its links each times the fraction of its requirement that
//     serves demands (1 for a demand, sum of shares / quantity for a
//     parent order): at most o's quantity, less where a parent's surplus
//     is carried down; and a demand's shares over its own item's orders
//     plus its links to stock and receipts add up to its quantity.
//
// A worked case is TestPeggingRuleHandWorked.
func (p *Planner) peggingError() string {
	pw := &pegWorker{w: p.newWorker()}
	var a alloc
	for i := range p.items {
		p.allocItem(pw, int32(i), &a)
		if msg := p.allocError(int32(i), &a); msg != "" {
			return msg
		}
	}
	g := &planPeg{}
	g.reset(len(p.items))
	p.allShares(g)
	if msg := p.sharesError(g, pw); msg != "" {
		return msg
	}
	p.pegMu.Lock()
	kept := p.peg
	p.pegMu.Unlock()
	return p.totalsError(kept, pw.w)
}

// allocError checks item i's single-level pegging a (see peggingError).
func (p *Planner) allocError(i int32, a *alloc) string {
	id := p.items[i].in.ID
	var R, S int64
	for _, r := range a.reqs {
		R += r.qty
	}
	for _, s := range a.sups {
		S += s.qty
	}
	if S < R {
		return fmt.Sprintf("item %s: supplies %d short of requirements %d", id, S, R)
	}
	var pos int64
	for j := range a.reqs {
		r := &a.reqs[j]
		var sum int64
		for _, l := range a.reqLinks(int32(j)) {
			if l.req != int32(j) {
				return fmt.Sprintf("item %s: link of requirement %d listed under requirement %d", id, l.req, j)
			}
			if s := &a.sups[l.sup]; s.day > r.day {
				return fmt.Sprintf("item %s: requirement on day %d pegged to supply of day %d", id, r.day, s.day)
			}
			sum += l.qty
		}
		if want := min(r.qty, max(0, S-pos)); sum != want {
			return fmt.Sprintf("item %s: requirement %d (day %d, %d units at position %d) pegged %d, want %d", id, j, r.day, r.qty, pos, sum, want)
		}
		pos += r.qty
	}
	pos = 0
	for l := range a.sups {
		s := &a.sups[l]
		var sum int64
		for _, lk := range a.supLinks(int32(l)) {
			sum += lk.qty
		}
		if want := min(s.qty, max(0, R-pos)); sum != want {
			return fmt.Sprintf("item %s: supply %d (%v, %d units at position %d) pegged %d, want %d", id, l, s.kind, s.qty, pos, sum, want)
		}
		pos += s.qty
	}
	return ""
}

// sharesError checks the demand shares in g (see peggingError).
func (p *Planner) sharesError(g *planPeg, pw *pegWorker) string {
	var a alloc
	fromDemand := map[int32]float64{} // demand -> its shares over its item's orders
	for i := range p.items {
		it := &p.items[i]
		p.allocItem(pw, int32(i), &a)
		clear(fromDemand)
		for k := range it.due {
			dem, qty := g.items[i].of(k)
			var got float64
			for j, d := range dem {
				got += qty[j]
				if p.demands[d].item == int32(i) {
					fromDemand[d] += qty[j]
				}
			}
			var want float64
			for _, l := range a.supLinks(a.ordSup[k]) {
				r := &a.reqs[l.req]
				if r.dem >= 0 {
					want += float64(l.qty)
					continue
				}
				_, pq := g.items[r.par].of(int(r.ord))
				var served float64
				for _, x := range pq {
					served += x
				}
				want += float64(l.qty) * served / float64(p.items[r.par].qty[r.ord])
			}
			if tol := 1e-9 * max(1, float64(it.qty[k])) * float64(1+len(dem)); math.Abs(got-want) > tol || got > float64(it.qty[k])+tol {
				return fmt.Sprintf("order %s: demand shares add up to %g, its links to %g (order of %d)", p.orderID(int32(i), k), got, want, it.qty[k])
			}
		}
		for j := range a.reqs {
			r := &a.reqs[j]
			if r.dem < 0 {
				continue
			}
			var other int64 // from stock and receipts
			for _, l := range a.reqLinks(int32(j)) {
				if a.sups[l.sup].kind != FromPlanned {
					other += l.qty
				}
			}
			got := fromDemand[r.dem] + float64(other)
			if math.Abs(got-float64(r.qty)) > 1e-9*max(1, float64(r.qty))*float64(1+len(it.due)) {
				return fmt.Sprintf("demand %s: shares %g plus stock and receipts %d, want %d", p.demands[r.dem].in.ID, fromDemand[r.dem], other, r.qty)
			}
		}
	}
	return ""
}

// totalsError compares the running totals and supply sequences kept in g
// (nil: none) with fresh ones.
func (p *Planner) totalsError(g *planPeg, w *worker) string {
	if g == nil {
		return ""
	}
	fresh := &planPeg{}
	fresh.reset(len(p.items))
	for i := range p.items {
		it := &p.items[i]
		if i >= len(g.st) {
			break
		}
		if g.st[i].has(okTotals) {
			q, gr := p.runTotals(fresh, int32(i))
			if !slices.Equal(g.cumQ[i], q) || !slices.Equal(g.cumG[i], gr) {
				return fmt.Sprintf("item %s: running totals kept for the plan %v %v, fresh %v %v", it.in.ID, g.cumQ[i], g.cumG[i], q, gr)
			}
		} else if nq, ng := int(g.st[i].nQ.Load()), int(g.st[i].nG.Load()); nq > 0 || ng > 0 {
			// summed as far as read
			q, gr := p.runTotals(fresh, int32(i))
			if nq > 0 && !slices.Equal(g.cumQ[i][:nq], q[:nq]) || it.cached && ng > 0 && !slices.Equal(g.cumG[i][:ng], gr[:ng]) {
				return fmt.Sprintf("item %s: running totals summed for the plan %v (%d) %v (%d), fresh %v %v", it.in.ID, g.cumQ[i], nq, g.cumG[i], ng, q, gr)
			}
		}
		if it.rec.some() {
			// the receipts' days read from the plan's messages are
			// netting's
			if !p.receiptDays(w, int32(i)) {
				return fmt.Sprintf("item %s: reschedule-in messages %v do not fit the receipts", it.in.ID, it.exc)
			}
			days := slices.Clone(w.recDay)
			hi := p.replan(w, int32(i))
			clear(w.gross[:hi+1])
			if !slices.Equal(days, w.recDay) {
				return fmt.Sprintf("item %s: receipts' days from the messages %v, netting's %v", it.in.ID, days, w.recDay)
			}
		}
		if g.st[i].has(okSeq) {
			sr := p.receiptRun(fresh, w, int32(i))
			if !slices.Equal(g.sups[i].sups, sr.sups) || !slices.Equal(g.sups[i].cum, sr.cum) {
				return fmt.Sprintf("item %s: supply sequence kept for the plan differs from a fresh one", it.in.ID)
			}
		} else if n := g.st[i].nS.Load(); n > 0 {
			// a sequence is made whole (makeReceiptRun)
			return fmt.Sprintf("item %s: %d supplies of its supply sequence made, not all", it.in.ID, n)
		}
	}
	return ""
}
