package mrp

import (
	"cmp"
	"fmt"
	"runtime"
	"slices"
	"sync/atomic"
	"time"
)

// ExceptionKind names an exception message.
type ExceptionKind uint8

const (
	// RescheduleIn: a scheduled receipt is needed before its due date
	// (Date) and the plan counts it on To.
	RescheduleIn ExceptionKind = iota
	// RescheduleOut: a scheduled receipt is not needed until To.
	RescheduleOut
	// Cancel: a scheduled receipt is not needed within the horizon.
	Cancel
	// ReleasePastDue: a planned order should have been released before the
	// planning date (Date is its release date, To its due date).
	ReleasePastDue
	// BelowSafetyStock: from Date the balance falls below safety stock by
	// Qty, because replenishment cannot arrive in time.
	BelowSafetyStock
	// Late: a demand cannot be met on time with the lead times given: a
	// supply pegged to it arrives after its day. To is the earliest day
	// that supply can arrive (past-due orders started today, their parents
	// started when their components arrive), Limit the item of the
	// past-due order this delay starts from.
	Late
)

func (k ExceptionKind) String() string {
	switch k {
	case RescheduleIn:
		return "reschedule-in"
	case RescheduleOut:
		return "reschedule-out"
	case Cancel:
		return "cancel"
	case ReleasePastDue:
		return "release-past-due"
	case BelowSafetyStock:
		return "below-safety-stock"
	case Late:
		return "late"
	}
	return fmt.Sprintf("exception(%d)", uint8(k))
}

// Exception is one exception message.
type Exception struct {
	Kind ExceptionKind
	Item string
	// Ref is the receipt (reschedule, cancel), planned order (release past
	// due) or demand (late) concerned.
	Ref   string
	Date  time.Time
	To    time.Time // zero when not applicable
	Qty   int64
	Limit string // Late: the limiting item
}

func (e Exception) String() string {
	s := fmt.Sprintf("%s %s %s %s qty %d", e.Kind, e.Item, e.Ref, e.Date.Format(time.DateOnly), e.Qty)
	if !e.To.IsZero() {
		s += " -> " + e.To.Format(time.DateOnly)
	}
	if e.Limit != "" {
		s += " limited by " + e.Limit
	}
	return s
}

// Exceptions returns all exception messages of the plan: per item in input
// order the netting messages and past-due releases, then late demands.
//
// A demand is late when a supply pegged to it cannot be there by its day.
// Dates travel up the pegging: a past-due order can start on day 0 and
// arrives its lead time later; an order whose pegged component supply
// arrives after its release starts then instead. An order is late for a
// requirement only if it arrives after that requirement's day, so the
// surplus of a late lot that covers a later requirement in time is not
// late (the lateness goes to the requirements it really misses).
func (p *Planner) Exceptions() []Exception {
	var out []Exception
	for i := range p.items {
		out = p.itemExceptions(out, int32(i))
	}
	return append(out, p.lateDemands()...)
}

// delay is when a requirement's supply arrives at the earliest, and the
// past-due order that delay starts from.
type delay struct {
	day    int32
	origin int32 // item of the past-due order
}

// latePush is a delay a component's supply puts on order ord of a
// parent item.
type latePush struct {
	ord int32
	d   delay
}

// lateOrder is an order of the item being visited that arrives late, or
// starts past due: it passes its arrival day on to the requirements it
// covers that are due before then.
type lateOrder struct {
	k   int32
	arr int32
	org int32 // delay origin
}

// lateOut is a delay found visiting an item: on order ord of parent item
// par, or (par -1) on demand ord.
type lateOut struct {
	par, ord int32
	d        delay
}

// lateParMin is the narrowest level lateDemands spreads over several
// goroutines.
const lateParMin = 256

// lateDemands finds the late demands (see [Planner.Exceptions]). Items
// are visited components first (highest low-level code first), so an
// order's start is known before it is pushed to its parents; only
// past-due orders and the orders they delay are pegged.
//
// Delays start at the beginning of the horizon (past-due orders) and
// travel up by lead times, so an item's delayed orders and the
// requirements they cover before they arrive are an early part of its
// plan: its single-level pegging is not built. Supplies and requirements
// are both consumed first in, first out (see allocItem), so a supply at
// position [S, S+q) of the item's supply sequence covers the requirements
// whose positions overlap it; the requirements due before a day D are a
// prefix of the requirement sequence, and D, the latest arrival of the
// item's delayed orders, bounds the requirements any of them can be late
// for. The requirements before D are listed (in allocItem's order) and
// walked beside the delayed orders' positions.
//
// The delays put on a parent's orders are kept per parent in the order
// they are found, and the first of the latest per order wins. The items
// of one level only put delays on items of the levels above and on
// demands, so a wide level is cut into chunks of consecutive items,
// visited on several goroutines (Options.Workers), each chunk's delays
// kept apart and then passed on in chunk order: the order they are found
// in one by one.
func (p *Planner) lateDemands() []Exception {
	g := p.pegging()
	sc := g.takeLate(p) // put back at the end (dropped should this panic)
	nw := p.opts.Workers
	if nw == 0 {
		nw = runtime.GOMAXPROCS(0)
	}
	for len(sc.ws) < nw {
		sc.ws = append(sc.ws, &lateWorker{})
	}
	parMin := p.lateParMin
	if parMin == 0 {
		parMin = lateParMin
	}
	if len(sc.outs) == 0 {
		sc.outs = make([][]lateOut, 1)
	}
	sc.hit = sc.hit[:0]
	for l := len(p.levels) - 1; l >= 0; l-- {
		lv := p.levels[l]
		if nw < 2 || len(lv) < parMin {
			out := sc.outs[0][:0]
			for _, i := range lv {
				out = p.lateItem(g, sc.ws[0], sc.pushes, i, out)
			}
			sc.outs[0] = out
			sc.apply(out)
			continue
		}
		sc.level(p, g, lv, nw)
	}
	lates := sc.lates
	slices.SortFunc(sc.hit, func(a, b int32) int { return cmp.Compare(p.demands[a].in.ID, p.demands[b].in.ID) })
	out := make([]Exception, 0, len(sc.hit))
	for _, d := range sc.hit {
		l := lates[d]
		lates[d].origin = -1
		dm := &p.demands[d]
		out = append(out, Exception{Kind: Late, Item: dm.in.Item, Ref: dm.in.ID, Date: p.cal.date(int(dm.day)),
			To: p.cal.date(int(l.day)), Qty: dm.in.Qty, Limit: p.items[l.origin].in.ID})
	}
	g.putLate(sc)
	return out
}

// level visits the items of a wide level on nw goroutines (this one among
// them), in chunks of consecutive items taken by whichever is free; it
// waits for the chunks its helpers took, not for the helpers (a helper
// that starts after the level is done finds nothing left and touches
// nothing), then passes the chunks' delays on in chunk order.
func (sc *lateScratch) level(p *Planner, g *planPeg, lv []int32, nw int) {
	size := min(max(len(lv)/(8*nw), 16), 256)
	if p.lateChunk > 0 {
		size = p.lateChunk
	}
	nc := (len(lv) + size - 1) / size
	for len(sc.outs) < nc {
		sc.outs = append(sc.outs, nil)
	}
	p.lateParLevels.Add(1)
	outs, pushes := sc.outs, sc.pushes
	var next atomic.Int64
	fin := make(chan struct{}, nc)
	run := func(lw *lateWorker, helper bool) int {
		n := 0
		for {
			c := int(next.Add(1)) - 1
			if c >= nc {
				return n
			}
			out := outs[c][:0]
			for _, i := range lv[c*size : min((c+1)*size, len(lv))] {
				out = p.lateItem(g, lw, pushes, i, out)
			}
			outs[c] = out
			n++
			if helper {
				fin <- struct{}{}
			}
		}
	}
	for h := 1; h < nw; h++ {
		go run(sc.ws[h], true)
	}
	for done := run(sc.ws[0], false); done < nc; done++ {
		<-fin
	}
	for _, out := range outs[:nc] {
		sc.apply(out)
	}
}

// apply passes the delays an item visit found on: to its parents' orders
// and to demands (the first of the latest per demand wins).
func (sc *lateScratch) apply(out []lateOut) {
	for _, o := range out {
		if o.par >= 0 {
			sc.pushes[o.par] = append(sc.pushes[o.par], latePush{ord: o.ord, d: o.d})
			continue
		}
		if ld := &sc.lates[o.ord]; ld.origin < 0 || o.d.day > ld.day {
			if ld.origin < 0 {
				sc.hit = append(sc.hit, o.ord)
			}
			*ld = o.d
		}
	}
}

// lateItem visits item i: its orders' starts from the delays its
// components put on them (pushes[i], emptied), then the delays its late
// orders put on the requirements they cover, appended to out.
func (p *Planner) lateItem(g *planPeg, lw *lateWorker, pushes [][]latePush, i int32, out []lateOut) []lateOut {
	it := &p.items[i]
	lt := it.lt
	// the latest delay put on each order (the first of the latest, in
	// the order they were found), by order
	best, ords := lw.best, lw.ords[:0]
	for _, x := range pushes[i] {
		if int(x.ord) >= len(best) {
			n := len(best)
			best = append(best, make([]delay, int(x.ord)+1-n+n/4)...)
			for k := n; k < len(best); k++ {
				best[k].origin = -1
			}
		}
		if b := &best[x.ord]; b.origin < 0 || x.d.day > b.day {
			if b.origin < 0 {
				ords = append(ords, x.ord)
			}
			*b = x.d
		}
	}
	pushes[i] = pushes[i][:0]
	if len(ords) > 1 {
		slices.Sort(ords)
	}
	// the past-due orders (a prefix: release days never fall as due days
	// rise) and the delayed ones, by order
	dl := lw.dl[:0]
	end := int32(0) // the latest arrival
	x := 0
	for k := int32(0); int(k) < len(it.due); {
		due := it.due[k]
		rel := p.cal.release(due, lt)
		st := delay{day: rel, origin: -1}
		if rel < 0 {
			st = delay{day: 0, origin: i}
		}
		if x < len(ords) && ords[x] == k {
			if b := &best[k]; b.day > st.day {
				st = *b
			}
			best[k].origin = -1
			x++
		}
		if st.origin >= 0 {
			arr := max(due, int32(p.cal.addWorking(int(st.day), it.in.LeadTime)))
			if arr > due || rel < 0 {
				dl = append(dl, lateOrder{k: k, arr: arr, org: st.origin})
				end = max(end, arr)
			}
		}
		k++
		if rel >= 0 || int(k) == len(it.due) || p.cal.release(it.due[k], lt) >= 0 {
			// past the past-due orders: on to the next delayed one
			if x == len(ords) {
				break
			}
			k = max(k, ords[x])
		}
	}
	for ; x < len(ords); x++ {
		best[ords[x]].origin = -1 // not reached (cannot happen)
	}
	lw.best, lw.ords, lw.dl = best, ords, dl
	if len(dl) == 0 {
		return out
	}
	pw := &lw.pw
	pw.a.reqs = pw.itemReqs(p, it, end, pw.a.reqs)
	reqs := pw.a.reqs
	// the supply sequence: stock, then (with receipts) receipts and
	// orders by day, else the orders
	var sr *supRun
	if it.rec.len() > 0 {
		if lw.w == nil {
			lw.w = p.newWorker()
		}
		sr = p.receiptRun(g, lw.w, i)
	}
	var pos int64 // supply position of order k (no receipts)
	if it.onhand > 0 {
		pos = it.onhand
	}
	k, j := int32(0), 0
	r, at := 0, int64(0) // first requirement not ending by the supply, and its position
	for _, o := range dl {
		var s, q int64
		if sr != nil {
			for sr.sups[j].kind != FromPlanned || sr.sups[j].ref != o.k {
				j++
			}
			s, q = sr.cum[j], sr.sups[j].qty
		} else {
			for ; k < o.k; k++ {
				pos += it.qty[k]
			}
			s, q = pos, it.qty[o.k]
		}
		if q <= 0 {
			continue
		}
		for r < len(reqs) && at+max(reqs[r].qty, 0) <= s {
			at += max(reqs[r].qty, 0)
			r++
		}
		rp := at
		for h := r; h < len(reqs) && rp < s+q; h++ {
			rq := &reqs[h]
			wd := max(rq.qty, 0)
			rp += wd
			if wd == 0 || o.arr <= rq.day {
				continue // no link, or covered in time
			}
			d := delay{day: o.arr, origin: o.org}
			if rq.dem >= 0 {
				out = append(out, lateOut{par: -1, ord: rq.dem, d: d})
			} else {
				out = append(out, lateOut{par: rq.par, ord: rq.ord, d: d})
			}
		}
	}
	return out
}

// lateScratch is lateDemands' scratch, kept with the pegging for the next
// search (some 50 MB on the 50,000-item default plant, most of it the
// delays put on parents' orders, which would otherwise be grown again
// every time). Between searches every lates and best entry has origin -1
// and every pushes list is empty.
type lateScratch struct {
	pushes [][]latePush // by item: the delays its components put on its orders
	lates  []delay      // by demand: its delay (origin -1: on time)
	hit    []int32      // the late demands, once each
	ws     []*lateWorker
	outs   [][]lateOut // by chunk of a level: the delays its items found
}

// lateWorker is the scratch of one goroutine of lateDemands.
type lateWorker struct {
	best []delay // by order of the item visited: its latest delay
	ords []int32
	dl   []lateOrder
	pw   pegWorker
	w    *worker // for items with receipts, made when needed
}

// takeLate returns scratch for lateDemands (the kept one unless another
// search holds it), sized for the plan.
func (g *planPeg) takeLate(p *Planner) *lateScratch {
	g.mu.Lock()
	sc := g.late
	g.late = nil
	g.mu.Unlock()
	if sc == nil {
		sc = &lateScratch{}
	}
	if len(sc.pushes) < len(p.items) {
		sc.pushes = append(sc.pushes, make([][]latePush, len(p.items)-len(sc.pushes))...)
	}
	for n := len(sc.lates); n < len(p.demands); n++ {
		sc.lates = append(sc.lates, delay{origin: -1})
	}
	return sc
}

// putLate keeps sc for the next search.
func (g *planPeg) putLate(sc *lateScratch) {
	g.mu.Lock()
	g.late = sc
	g.mu.Unlock()
}

// ItemExceptions returns the exception messages of one item (all kinds but
// [Late], which belongs to demands: see [Planner.Exceptions]).
func (p *Planner) ItemExceptions(itemID string) ([]Exception, error) {
	i, ok := p.index[itemID]
	if !ok {
		return nil, &ItemError{Item: itemID, Err: ErrUnknownItem}
	}
	return p.itemExceptions(nil, i), nil
}

func (p *Planner) itemExceptions(out []Exception, i int32) []Exception {
	it := &p.items[i]
	for x := range it.exc {
		out = append(out, p.excMessage(i, x))
	}
	for k := range it.due {
		if p.cal.release(it.due[k], it.lt) >= 0 {
			// the orders are sorted by due day and the release day never
			// falls as the due day rises: no later order is past due
			break
		}
		out = append(out, p.pastDue(i, k))
	}
	return out
}

// excMessage is item i's netting message x (it.exc[x]).
func (p *Planner) excMessage(i int32, x int) Exception {
	it := &p.items[i]
	m := &it.exc[x]
	e := Exception{Kind: m.kind, Item: it.in.ID, Date: p.cal.date(int(m.day)), Qty: m.qty}
	if m.ref >= 0 {
		e.Ref = p.recs[m.ref].in.ID
	} else if m.ref <= -2 {
		e.Ref = p.firms[-2-m.ref].in.ID // a firm planned order
	}
	if m.to >= 0 && m.kind != BelowSafetyStock {
		e.To = p.cal.date(int(m.to))
	}
	return e
}

// pastDue is the release-past-due message of item i's order k (released
// before the planning date).
func (p *Planner) pastDue(i int32, k int) Exception {
	it := &p.items[i]
	rel, due := p.cal.release(it.due[k], it.lt), it.due[k]
	return Exception{Kind: ReleasePastDue, Item: it.in.ID, Ref: p.orderID(i, k),
		Date: p.cal.date(int(rel)), To: p.cal.date(int(due)), Qty: it.qty[k]}
}
