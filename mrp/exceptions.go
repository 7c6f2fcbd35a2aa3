package mrp

import (
	"cmp"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/ctoplan/ctoplan/internal/invariants"
)

// ExceptionKind names an exception message.
type ExceptionKind uint8

const (
	// RescheduleIn: a scheduled receipt is needed before its due date
	// (Date) and the plan counts it on To. Netting, finding the balance
	// below safety stock on day To, counts the next receipts due within
	// [Options.RescheduleWindow] days after To on To instead, in due-date
	// order, until the balance is back at safety stock. Qty is the
	// receipt's.
	//
	// The three messages below rest on the item's supplies taken first
	// in, first out (as pegging takes them): stock, then receipts (on the
	// day netting counts them), firm planned orders and planned orders by
	// day, within a day receipts first (by due date and ID), then firm
	// orders (by ID), then planned orders. A receipt counted on its due
	// date, or a firm order, is needed on the first day from its own on
	// when the supply ahead of it, less the gross requirements up to that
	// day, falls below safety stock. Supply after it does not count: two
	// receipts that are each more than needed are not both cancelled when
	// the requirements need one of them. Date is always the receipt's or
	// firm order's own due date: an overdue one's is before the planning
	// date (netting counts it on day 0).
	RescheduleIn ExceptionKind = iota
	// RescheduleOut: a scheduled receipt or firm planned order due on
	// Date is not needed until To (see RescheduleIn).
	RescheduleOut
	// Cancel: a scheduled receipt or firm planned order due on Date is not
	// needed on any day of the horizon (see RescheduleIn).
	Cancel
	// ReleasePastDue: a planned or firm planned order should have been
	// released before the planning date (Date is its release date, To its
	// due date). Phantoms' orders, never released, get none.
	ReleasePastDue
	// BelowSafetyStock: from Date the balance falls below safety stock by
	// Qty, because replenishment cannot arrive in time: the balance that
	// counts the past-due orders only from the day they can arrive (started
	// on the first working day from the planning date, the lead time
	// later), on the first day it is below safety stock; one message per
	// item. Items without safety stock get none: their demands such
	// orders cannot reach in time are [Late].
	BelowSafetyStock
	// Late: a demand cannot be met on time with the lead times given: a
	// supply pegged to it arrives after the day it is netted on. Date is
	// the demand's own due date, To the earliest day
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
	// appended, not fmt.Sprintf: listings and the CLI's tables write
	// thousands of them
	b := make([]byte, 0, 64+len(e.Item)+len(e.Ref)+len(e.Limit))
	b = append(b, e.Kind.String()...)
	b = append(append(b, ' '), e.Item...)
	b = append(append(b, ' '), e.Ref...)
	b = e.Date.AppendFormat(append(b, ' '), time.DateOnly)
	b = strconv.AppendInt(append(b, " qty "...), e.Qty, 10)
	if !e.To.IsZero() {
		b = e.To.AppendFormat(append(b, " -> "...), time.DateOnly)
	}
	if e.Limit != "" {
		b = append(append(b, " limited by "...), e.Limit...)
	}
	return string(b)
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

// ExceptionCount is len(p.Exceptions()) without the messages made: a
// net change's summary counts them (on the 50k default plant, with
// 188,000 messages, counting by Exceptions took 130 ms of a 165 ms write
// over the RPC API).
func (p *Planner) ExceptionCount() int {
	p.excMu.Lock()
	many := !p.exc.ok || len(p.exc.dirty) >= excCountParMin
	p.excMu.Unlock()
	if !many || p.opts.Workers == 1 {
		return p.itemExcCount() + p.lateCount()
	}
	// the two side by side: the items' count is serial memory stalls
	// (3 ms for the 16,000 items a change touches on the 50k default
	// plant), the late demands' search mostly so
	var n int
	done := make(chan struct{})
	go func() {
		defer close(done)
		n = p.itemExcCount()
	}()
	late := p.lateCount()
	<-done
	return n + late
}

// excCountParMin is the fewest items to count again for which
// ExceptionCount counts them beside the search for late demands.
const excCountParMin = 1024

// excCount is the count of the items' exception messages (netting
// messages and past-due releases) kept between plan versions: counting
// them all read every item's orders and messages (on the 50k default
// plant, 7 ms of serial memory stalls in every write's summary), while a
// net change changes those of the items it touches alone.
type excCount struct {
	kept
	n   []int32 // by item: its messages when last counted
	sum int
}

// kept is what a result kept by item between plan versions (the
// exception count, the digest) needs to know of the net changes since:
// ok, the result is kept at all; dirty, the items they touched (repeats
// allowed).
type kept struct {
	ok    bool
	dirty []int32
}

// reset forgets the result: the next one is made for every item.
func (k *kept) reset() {
	k.ok, k.dirty = false, k.dirty[:0]
}

// touched notes the items a net change touched, of a plan of n items:
// past n notes in all, making the result for every item is as cheap, and
// it is forgotten instead.
func (k *kept) touched(items []int32, n int) {
	if !k.ok {
		return
	}
	if len(k.dirty)+len(items) > n {
		k.reset()
		return
	}
	k.dirty = append(k.dirty, items...)
}

// excTouched notes the items a net change touched for the kept count.
func (p *Planner) excTouched(touched []int32) {
	p.excMu.Lock()
	defer p.excMu.Unlock()
	p.exc.touched(touched, len(p.items))
}

// itemExcCount counts the items' exception messages (all but the late
// demands), again for those net change touched since the last count.
func (p *Planner) itemExcCount() int {
	p.excMu.Lock()
	defer p.excMu.Unlock()
	c := &p.exc
	if !c.ok || len(c.n) != len(p.items) {
		c.n = slices.Grow(c.n[:0], len(p.items))[:len(p.items)]
		c.sum = 0
		for i := range p.items {
			it := &p.items[i]
			c.n[i] = int32(len(it.exc) + p.nPastDue(it))
			c.sum += int(c.n[i])
		}
		c.ok, c.dirty = true, c.dirty[:0]
	}
	for _, i := range c.dirty {
		it := &p.items[i]
		n := int32(len(it.exc) + p.nPastDue(it))
		c.sum += int(n - c.n[i])
		c.n[i] = n
	}
	c.dirty = c.dirty[:0]
	if invariants.Enabled && len(p.items)+len(p.demands) < checkNetChangeMaxSize {
		all := 0
		for i := range p.items {
			all += len(p.items[i].exc) + p.nPastDue(&p.items[i])
		}
		if all != c.sum {
			panic(fmt.Sprintf("mrp: kept count of the items' exception messages %d, counted afresh %d", c.sum, all))
		}
	}
	return c.sum
}

// delay is when a requirement's supply arrives at the earliest, and the
// past-due order that delay starts from.
type delay struct {
	day    int32
	origin int32 // item of the past-due order
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
// What a visit finds (the delays an item puts on its parents' orders and
// on its demands) is kept per item for the next search, by parent, in
// the order found. An item reads its components' (in visit order), and
// the first of the latest delay per order wins. The next search visits
// only the items a net change touched since and their components (their
// requirements moved: see [Planner.pegChanged]) whose last visit read
// some of what changed (planPeg.lateNeeds: on the 50k default plant, 2,300
// of the 16,000 a one-line change marks), and the parents of items whose
// delays changed; any other item's visit would find what it found
// before. A wide level's items are visited in chunks on several
// goroutines (Options.Workers): they read only lower levels' findings.
//
// With invariants enabled, a search of a small plan that reused kept
// findings is checked against one from scratch.
func (p *Planner) lateDemands() []Exception {
	out, _ := p.lateRun(true)
	return out
}

// lateCount is len(p.lateDemands()) without the messages made (nor
// sorted by demand: on the 50k default plant, with 7,000 late demands,
// those took 3.7 of a search's 9 ms).
func (p *Planner) lateCount() int {
	_, n := p.lateRun(false)
	return n
}

// lateRun is lateDemands (messages set) or lateCount.
func (p *Planner) lateRun(messages bool) ([]Exception, int) {
	g := p.pegging()
	// one search at a time keeps the findings: a second reader waits for
	// the first (a few milliseconds after a change on the 50k default
	// plant) and finds them current, where a search beside it started
	// from scratch (0.8 s)
	g.lateMu.Lock()
	sc := g.takeLate(p) // put back at the end (dropped should this panic)
	reused := sc.valid
	out, n := p.lateSearch(g, sc, messages)
	g.putLate(sc)
	g.lateMu.Unlock()
	if invariants.Enabled && reused && len(p.items)+len(p.demands) < checkNetChangeMaxSize {
		fresh := &lateScratch{check: true}
		fresh.init(p)
		if want, wn := p.lateSearch(g, fresh, messages); !slices.Equal(out, want) || n != wn {
			panic(fmt.Sprintf("mrp: late demands from kept findings differ from a search from scratch:\n%d %v\n%d %v", n, out, wn, want))
		}
	}
	return out, n
}

// lateSearch is lateDemands on the state sc (the items to visit marked),
// returning the messages only when asked, and how many there are.
func (p *Planner) lateSearch(g *planPeg, sc *lateScratch, messages bool) ([]Exception, int) {
	for n := len(sc.lates); n < len(p.demands); n++ {
		sc.lates = append(sc.lates, delay{origin: -1})
	}
	nw := p.opts.Workers
	if nw == 0 {
		nw = runtime.GOMAXPROCS(0)
	}
	for len(sc.ws) < nw {
		sc.ws = append(sc.ws, &lateWorker{})
	}
	for _, lw := range sc.ws {
		if len(lw.slot) < len(p.items)+1 {
			lw.slot = make([]int32, len(p.items)+1)
		}
	}
	parMin := p.lateParMin
	if parMin == 0 {
		parMin = lateParMin
	}
	n := int32(0)
	for l := len(p.levels) - 1; l >= 0; l-- {
		for _, i := range p.levels[l] {
			sc.rank[i] = n
			n++
		}
	}
	for l := len(p.levels) - 1; l >= 0; l-- {
		vis := sc.vis[:0]
		for _, i := range p.levels[l] {
			if sc.need[i] {
				vis = append(vis, i)
				sc.need[i] = false
			}
		}
		sc.vis = vis
		if !sc.check {
			p.lateVisited.Add(int64(len(vis)))
		}
		if len(vis) == 0 {
			continue
		}
		nc := 1
		if nw >= 2 && len(vis) >= parMin {
			nc = sc.level(p, g, vis, nw)
		} else {
			if len(sc.marks) == 0 {
				sc.marks = append(sc.marks, nil)
			}
			m := sc.marks[0][:0]
			for _, i := range vis {
				m = p.lateItem(g, sc, sc.ws[0], i, m)
			}
			sc.marks[0] = m
		}
		// the parents of the items whose findings changed are visited
		for _, m := range sc.marks[:nc] {
			for _, par := range m {
				sc.need[par] = true
			}
		}
	}
	// the items whose findings hold demands, in item order
	added := false
	for _, lw := range sc.ws {
		for _, i := range lw.demAdd {
			if !sc.demHas[i] {
				sc.demHas[i], added = true, true
				sc.demItems = append(sc.demItems, i)
			}
		}
		lw.demAdd = lw.demAdd[:0]
	}
	if added {
		slices.Sort(sc.demItems)
	}
	// each demand's delay (a demand is a requirement of its item alone)
	lates := sc.lates
	hit := sc.hit[:0]
	for _, i := range sc.demItems {
		for _, o := range sc.res[i] {
			if o.par >= 0 {
				break // demands come first
			}
			if ld := &lates[o.ord]; ld.origin < 0 || o.d.day > ld.day {
				if ld.origin < 0 {
					hit = append(hit, o.ord)
				}
				*ld = o.d
			}
		}
	}
	sc.hit = hit
	sc.valid = true
	if !messages {
		for _, d := range hit {
			lates[d].origin = -1
		}
		return nil, len(hit)
	}
	slices.SortFunc(hit, func(a, b int32) int { return cmp.Compare(p.demands[a].in.ID, p.demands[b].in.ID) })
	out := make([]Exception, 0, len(hit))
	for _, d := range hit {
		l := lates[d]
		lates[d].origin = -1
		dm := &p.demands[d]
		// dated as the customer wants it: the demand's own due date (a
		// non-working day is netted the working day before, a past-due
		// one on the planning date)
		out = append(out, Exception{Kind: Late, Item: dm.in.Item, Ref: dm.in.ID, Date: dateOf(dm.in.Due),
			To: p.cal.date(int(l.day)), Qty: dm.in.Qty, Limit: p.items[l.origin].in.ID})
	}
	return out, len(out)
}

// level visits the items vis of a wide level on nw goroutines (this one
// among them), in chunks of consecutive items taken by whichever is free;
// it waits for the chunks its helpers took, not for the helpers (a helper
// that starts after the level is done finds nothing left and touches
// nothing). It returns how many chunks there were: their parents to
// visit are in sc.marks.
func (sc *lateScratch) level(p *Planner, g *planPeg, vis []int32, nw int) int {
	size := min(max(len(vis)/(8*nw), 16), 256)
	if p.lateChunk > 0 {
		size = p.lateChunk
	}
	nc := (len(vis) + size - 1) / size
	for len(sc.marks) < nc {
		sc.marks = append(sc.marks, nil)
	}
	if !sc.check {
		p.lateParLevels.Add(1)
	}
	marks := sc.marks
	var next atomic.Int64
	fin := make(chan struct{}, nc)
	run := func(lw *lateWorker, helper bool) int {
		n := 0
		for {
			c := int(next.Add(1)) - 1
			if c >= nc {
				return n
			}
			m := marks[c][:0]
			for _, i := range vis[c*size : min((c+1)*size, len(vis))] {
				m = p.lateItem(g, sc, lw, i, m)
			}
			marks[c] = m
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
	return nc
}

// lateItem visits item i: its orders' starts from the delays its
// components found, then the delays its late orders put on the
// requirements they cover. It keeps them in sc.res[i] and, when they
// changed, appends the parents concerned (before or now) to marks.
func (p *Planner) lateItem(g *planPeg, sc *lateScratch, lw *lateWorker, i int32, marks []int32) []int32 {
	it := &p.items[i]
	lt := it.lt
	// the components, in visit order
	comps := lw.comps[:0]
	for _, e := range it.comps {
		if !slices.Contains(comps, e.to) {
			comps = append(comps, e.to)
		}
	}
	if len(comps) > 1 {
		slices.SortFunc(comps, func(a, b int32) int { return cmp.Compare(sc.rank[a], sc.rank[b]) })
	}
	lw.comps = comps
	// the latest delay put on each order (the first of the latest, in
	// the order they were found), by order
	best, ords := lw.best, lw.ords[:0]
	for _, c := range comps {
		rs := sc.res[c]
		lo, _ := slices.BinarySearchFunc(rs, i, func(o lateOut, par int32) int { return cmp.Compare(o.par, par) })
		for _, x := range rs[lo:] {
			if x.par != i {
				break
			}
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
	}
	if len(ords) > 1 {
		slices.Sort(ords)
	}
	// the past-due orders (a prefix: release days never fall as due days
	// rise) and the delayed ones, by order
	dl := lw.dl[:0]
	end := int32(0) // the latest arrival
	x := 0
	k := int32(0)
	read := int32(0) // the last order whose day (or existence) was read
	for {
		read = k
		if int(k) >= len(it.due) {
			break
		}
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
		if rel < 0 {
			read = k // whether the next one is past due too
		}
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
	out := lw.out[:0]
	sc.readQ[i], sc.readEnd[i] = read, 0
	if it.rec.some() {
		sc.pulls[i] = appendPulls(sc.pulls[i][:0], it.exc)
	}
	if len(dl) > 0 {
		out = p.lateFind(g, lw, i, dl, end, out)
		sc.readEnd[i] = end
	}
	lw.out = out
	// by parent (demands, -1, first), in the order found
	grp := slices.Grow(lw.grp[:0], len(out))[:len(out)]
	if len(out) > 0 {
		slot, keys := lw.slot, lw.keys[:0]
		for _, o := range out {
			if slot[o.par+1] == 0 {
				keys = append(keys, o.par+1)
			}
			slot[o.par+1]++
		}
		slices.Sort(keys)
		at := int32(0)
		for _, k := range keys {
			at, slot[k] = at+slot[k], at
		}
		for _, o := range out {
			grp[slot[o.par+1]] = o
			slot[o.par+1]++
		}
		for _, k := range keys {
			slot[k] = 0
		}
		lw.keys = keys
	}
	lw.grp = grp
	if old := sc.res[i]; !slices.Equal(old, grp) {
		marks = appendPars(marks, old)
		marks = appendPars(marks, grp)
		sc.res[i] = append(old[:0], grp...)
		if len(grp) > 0 && grp[0].par < 0 && !sc.demHas[i] {
			lw.demAdd = append(lw.demAdd, i)
		}
	}
	return marks
}

// appendPars appends the parents of a visit's findings (grouped by
// parent) to marks.
func appendPars(marks []int32, os []lateOut) []int32 {
	last := int32(-1)
	for _, o := range os {
		if o.par >= 0 && o.par != last {
			marks = append(marks, o.par)
			last = o.par
		}
	}
	return marks
}

// lateFind appends to out the delays item i's late orders dl (by order;
// end their latest arrival) put on the requirements they cover.
func (p *Planner) lateFind(g *planPeg, lw *lateWorker, i int32, dl []lateOrder, end int32, out []lateOut) []lateOut {
	it := &p.items[i]
	pw := &lw.pw
	pw.a.reqs = pw.itemReqs(p, it, end, pw.a.reqs)
	reqs := pw.a.reqs
	// the supply sequence: stock, then (with receipts) receipts and
	// orders by day, else the orders
	var sr *supRun
	if it.rec.some() {
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

// lateScratch is lateDemands' state, kept with the pegging for the next
// search: every item's findings (~26 MB on the 50,000-item default
// plant) and scratch. Between searches every lates entry has origin -1
// and need is all false.
type lateScratch struct {
	// res[i]: what item i's visit found, by parent (-1: its demands, ord
	// the demand), in the order found for each
	res [][]lateOut
	// valid: res hold a search of the plan but for the items marked
	// since (planPeg.lateNote)
	valid bool
	need  []bool  // by item: to visit in this search
	rank  []int32 // by item: its place in the visit order
	// by item, what its last visit read (see planPeg.lateNeeds): its
	// orders up to readQ (an index up to len(due)), its requirements
	// due before readEnd
	readQ, readEnd []int32
	// by item with receipts, its pull-in messages when last visited:
	// its receipts' days as netting counts them (see receiptDays)
	pulls [][]exc
	// the items whose findings held demands (delays on the demands
	// themselves) at some search since init, in item order, and by item
	// whether it is among them: the only findings each search reads
	// for the demands' delays (reading every item's took a millisecond
	// of the search on the 50k default plant)
	demItems []int32
	demHas   []bool
	lates    []delay // by demand: its delay (origin -1: on time)
	hit      []int32 // the late demands, once each
	vis      []int32 // the items of a level to visit
	marks    [][]int32
	ws       []*lateWorker
	check    bool // an invariant check's search: not counted for the tests
}

// lateWorker is the scratch of one goroutine of lateDemands.
type lateWorker struct {
	best  []delay // by order of the item visited: its latest delay
	ords  []int32
	dl    []lateOrder
	comps []int32
	out   []lateOut
	grp   []lateOut
	slot  []int32 // by item + 1: grouping by parent
	keys  []int32
	pw    pegWorker
	w     *worker // for items with receipts, made when needed
	// items visited whose findings now hold demands, not yet in the
	// scratch's demItems
	demAdd []int32
}

// takeLate returns the state for lateDemands, the items to visit marked
// in need: the kept state and the items marked since (planPeg.lateNote),
// or, the first time (or after a search that panicked) or when it does
// not fit the plan, a new one, all items marked; g.lateMu is held.
func (g *planPeg) takeLate(p *Planner) *lateScratch {
	g.mu.Lock()
	defer g.mu.Unlock()
	sc := g.late
	g.late = nil
	if sc == nil {
		sc = &lateScratch{}
	}
	if g.lateAll || len(sc.res) != len(p.items) {
		sc.valid = false
	}
	if sc.valid {
		for _, i := range g.lateMarked {
			if g.lateNeeds(p, sc, i) {
				sc.need[i] = true
			} else {
				p.lateSkipped.Add(1)
			}
		}
	}
	g.lateAll = false
	for _, i := range g.lateMarked {
		g.lateNote[i] = noLateNote
	}
	g.lateMarked = g.lateMarked[:0]
	if !sc.valid {
		sc.init(p)
	}
	return sc
}

// init sizes sc for p's plan with no findings kept: every item to visit.
func (sc *lateScratch) init(p *Planner) {
	n := len(p.items)
	sc.res = slices.Grow(sc.res[:0], n)[:n]
	for i := range sc.res {
		sc.res[i] = sc.res[i][:0]
	}
	sc.need = slices.Grow(sc.need[:0], n)[:n]
	for i := range sc.need {
		sc.need[i] = true
	}
	sc.rank = slices.Grow(sc.rank[:0], n)[:n]
	sc.readQ = slices.Grow(sc.readQ[:0], n)[:n]
	sc.readEnd = slices.Grow(sc.readEnd[:0], n)[:n]
	if len(sc.pulls) < n {
		sc.pulls = append(sc.pulls, make([][]exc, n-len(sc.pulls))...)
	}
	sc.demHas = slices.Grow(sc.demHas[:0], n)[:n]
	clear(sc.demHas)
	sc.demItems = sc.demItems[:0]
	sc.valid = false
}

// appendPulls appends the pull-in messages (RescheduleIn) of es to dst:
// with the item's receipts they give the days netting counts them on
// (receiptDays).
func appendPulls(dst, es []exc) []exc {
	for _, e := range es {
		if e.kind == RescheduleIn {
			dst = append(dst, e)
		}
	}
	return dst
}

// samePulls reports whether es holds the pull-in messages pulls, and
// no others.
func samePulls(pulls, es []exc) bool {
	k := 0
	for _, e := range es {
		if e.kind != RescheduleIn {
			continue
		}
		if k == len(pulls) || pulls[k].ref != e.ref || pulls[k].day != e.day || pulls[k].to != e.to {
			return false
		}
		k++
	}
	return k == len(pulls)
}

// putLate keeps sc for the next search.
func (g *planPeg) putLate(sc *lateScratch) {
	g.mu.Lock()
	g.late = sc
	g.mu.Unlock()
}

// lateChanged marks item i for the next late-demand search; g.mu is held.
func (g *planPeg) lateChanged(i int32) {
	if !g.lateNote[i].marked {
		g.lateNote[i].marked = true
		g.lateMarked = append(g.lateMarked, i)
	}
}

// lateOrders notes for the next late-demand search that item i's orders
// changed from order kq on (math.MaxInt32: none did); g.mu is held.
func (g *planPeg) lateOrders(i, kq int32) {
	g.lateChanged(i)
	g.lateNote[i].q = min(g.lateNote[i].q, kq)
}

// lateReqs notes for the next late-demand search that item i's
// dependent requirements may have changed from day on
// (math.MaxInt32: none did); g.mu is held.
func (g *planPeg) lateReqs(i, day int32) {
	g.lateChanged(i)
	g.lateNote[i].day = min(g.lateNote[i].day, day)
}

// lateHardMark notes for the next late-demand search that item i changed
// other than in its orders and dependent requirements: it is visited;
// g.mu is held.
func (g *planPeg) lateHardMark(i int32) {
	g.lateChanged(i)
	g.lateNote[i].hard = true
}

// lateNeeds reports whether the next search must visit item i, marked
// since the last one (sc holding that search's findings): a visit reads
// the item's stock, receipts, demands and settings (lateNote.hard), its
// orders up to sc.readQ[i] (the past-due ones, the delayed ones, and the
// one after the past-due ones), the supply position of its delayed ones
// (its stock and the orders before them), its requirements due before
// sc.readEnd[i] (0 when it has no delayed order: none) and, with
// receipts, the days netting counts them on (its pull-in messages,
// sc.pulls[i]); a visit that read none of what changed finds what it
// found before. An item whose components' findings changed is visited in
// any case (lateSearch).
func (g *planPeg) lateNeeds(p *Planner, sc *lateScratch, i int32) bool {
	if n := &g.lateNote[i]; n.hard || n.q <= sc.readQ[i] || n.day < sc.readEnd[i] {
		return true
	}
	it := &p.items[i]
	return it.rec.some() && !samePulls(sc.pulls[i], it.exc)
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
	for k := range p.nPastDue(it) {
		out = append(out, p.pastDue(i, k))
	}
	return out
}

// nPastDue is the number of the item's orders released before the
// planning date, its first ones (the orders are sorted by due day and the
// release day never falls as the due day rises), each with a
// release-past-due message; none for a phantom, whose orders are blown
// through, never released (its parents' and components' orders carry the
// messages).
func (p *Planner) nPastDue(it *item) int {
	if it.in.Kind == Phantom {
		return 0
	}
	n := 0
	for n < len(it.due) && p.cal.release(it.due[n], it.lt) < 0 {
		n++
	}
	return n
}

// excMessage is item i's netting message x (it.exc[x]).
func (p *Planner) excMessage(i int32, x int) Exception {
	it := &p.items[i]
	m := &it.exc[x]
	e := Exception{Kind: m.kind, Item: it.in.ID, Date: p.cal.date(int(m.day)), Qty: m.qty}
	// a receipt's or firm order's message is dated on its own due date,
	// which for an overdue one is before the planning date (day 0, where
	// netting counts it)
	if m.ref >= 0 {
		r := &p.recs[m.ref]
		e.Ref = r.in.ID
		if r.day == 0 {
			e.Date = p.cal.date(p.cal.day(r.in.Due))
		}
	} else if m.ref <= -2 {
		f := &p.firms[-2-m.ref] // a firm planned order
		e.Ref = f.in.ID
		if int(f.day) != p.cal.day(f.in.Due) { // past due, or due on a non-working day
			e.Date = p.cal.date(p.cal.day(f.in.Due))
		}
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
