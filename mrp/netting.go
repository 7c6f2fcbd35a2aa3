package mrp

import "slices"

// worker holds the scratch space of one planning goroutine: a day-indexed
// array that gross requirements are accumulated into (no sorting, no
// per-requirement records), and reusable result buffers.
type worker struct {
	gross     []int64
	needs     []int32 // scratch of balanceExceptions: need days
	nShort    int     // balanceExceptions walks stopped before the horizon (for the tests)
	nExact    int     // netWindow's windows after the first order with lots that leave no surplus (for the tests)
	nSumRead  int     // entries windowSums read (for the tests)
	wkMade    bool    // windowSums kept sums in this change (see Planner.wkAny)
	nFirst    int     // netWindowFirst's windows, from day 0 (for the tests)
	nFirstMsg int     // of nFirst: windows that changed the item's message
	netDay    []int32
	netQty    []int64
	oDue      []int32
	oQty      []int64
	recDay    []int32
	recs      []int32 // the netted item's receipts in time order (see net)
	dems      []int32 // scratch: an item's demands in time order
	grp       []int32
	exc       []exc
	// slack is the balance above safety stock at the start of the first
	// net requirement's day (or at the end, if there is none).
	slack int64
	// the captured gross requirements (see wantCache)
	cache  bool
	cd     []int32
	cq     []int64
	garena arena
	// Wagner-Whitin scratch
	wwBest []float64
	wwFrom []int
	arena  arena
}

func (p *Planner) newWorker() *worker { return &worker{} }

func (w *worker) ensure(h int) {
	if len(w.gross) < h {
		w.gross = make([]int64, h)
	}
}

// excKind values are the exception kinds computed while netting.
type exc struct {
	kind ExceptionKind
	ref  int32 // receipt index, or -1
	day  int32
	to   int32
	qty  int64
}

// gather accumulates item i's gross requirements (dependent from the
// parents' planned orders, independent from demands) into w.gross and
// returns the last day with a requirement (-1 if none).
func (p *Planner) gather(w *worker, i int32) int {
	it := &p.items[i]
	g := w.gross
	hi := -1
	for _, e := range it.parents {
		par := &p.items[e.to]
		lt := par.lt
		qs := par.qty
		if len(par.due) == 0 {
			continue
		}
		// releases grow with due dates: the last one is the highest day
		hi = max(hi, int(max(p.cal.release(par.due[len(par.due)-1], lt), 0)))
		if !e.allDays() {
			// a dated BOM: only the orders exploded on the edge's days
			for k, due := range par.due {
				if r := max(p.cal.release(due, lt), 0); e.on(r) {
					g[r] += e.req(qs[k])
				}
			}
			continue
		}
		if m := int64(e.mul); m > 0 {
			for k, due := range par.due {
				g[max(p.cal.release(due, lt), 0)] += qs[k] * m
			}
			continue
		}
		for k, due := range par.due {
			g[max(p.cal.release(due, lt), 0)] += e.req(qs[k])
		}
	}
	if it.nfc == 0 {
		it.dem.ascend(func(di int32) bool {
			d := &p.demands[di]
			g[d.day] += d.in.Qty
			hi = max(hi, int(d.day))
			return true
		})
		return hi
	}
	w.dems = it.dem.appendTo(w.dems[:0])
	p.independent(it, w.dems, func(di int32, q int64) {
		d := &p.demands[di]
		g[d.day] += q
		hi = max(hi, int(d.day))
	})
	return hi
}

// independent calls fn for each of the item's demands (dem, in time
// order) with its quantity after forecast consumption: the sales orders
// due after the previous forecast day and up to a forecast's day consume
// that day's forecasts (in demand order), never below zero; orders after
// the last forecast consume nothing.
func (p *Planner) independent(it *item, dem []int32, fn func(di int32, qty int64)) {
	if it.nfc == 0 {
		for _, di := range dem {
			fn(di, p.demands[di].in.Qty)
		}
		return
	}
	var fdays []int32
	for _, di := range dem {
		if d := &p.demands[di]; d.in.Forecast && (len(fdays) == 0 || fdays[len(fdays)-1] != d.day) {
			fdays = append(fdays, d.day)
		}
	}
	cons := make([]int64, len(fdays))
	for _, di := range dem {
		if d := &p.demands[di]; !d.in.Forecast {
			if j, _ := slices.BinarySearch(fdays, d.day); j < len(fdays) {
				cons[j] += d.in.Qty
			}
		}
	}
	for _, di := range dem {
		d := &p.demands[di]
		q := d.in.Qty
		if d.in.Forecast {
			j, _ := slices.BinarySearch(fdays, d.day)
			take := min(cons[j], q)
			cons[j] -= take
			q -= take
		}
		fn(di, q)
	}
}

// planItem nets item i and leaves its planned orders in w.oDue/w.oQty and
// its exceptions in w.exc. It reads only the item's inputs and the plan
// of its parents, so it is a pure function of those: the basis of both
// parallel regeneration and exact net change.
func (p *Planner) planItem(w *worker, i int32) {
	it := &p.items[i]
	hi := p.gather(w, i)
	w.sparse(hi)
	clear(w.gross[:hi+1])
	w.cache = wantCache(it, w)
	p.net(w, it, w.cd, w.cq)
}

// wantCache says whether net change should keep an item's gross
// requirements: for items it cannot adjust by delta (lot sizing other than
// plain lot-for-lot, receipts), replanning from the cached
// requirements plus the changes avoids pulling them again from every
// parent's orders.
func wantCache(it *item, _ *worker) bool {
	return !plainLFL(it) || it.rec.some() || it.firmd
}

// sparse copies the gross requirements in w.gross[0..hi] into w.cd/w.cq,
// the days that have one, in day order.
func (w *worker) sparse(hi int) {
	w.cd, w.cq = w.cd[:0], w.cq[:0]
	for d, q := range w.gross[:hi+1] {
		if q != 0 {
			w.cd = append(w.cd, int32(d))
			w.cq = append(w.cq, q)
		}
	}
}

// net runs the netting of one item over its gross requirements gd/gq
// (sparse, in day order; zero entries allowed). Only the days with a
// requirement or a receipt are visited: on any other day nothing can
// happen, as every visited day ends with the balance at or above safety
// stock.
func (p *Planner) net(w *worker, it *item, gd []int32, gq []int64) {
	hi := -1
	if len(gd) > 0 {
		hi = int(gd[len(gd)-1])
	}
	w.netDay, w.netQty = w.netDay[:0], w.netQty[:0]
	w.oDue, w.oQty = w.oDue[:0], w.oQty[:0]
	w.exc = w.exc[:0]
	ss := it.ss
	bal := it.onhand
	w.recs = it.rec.appendTo(w.recs[:0])
	recs := w.recs
	nr := len(recs)
	w.recDay = w.recDay[:0]
	ri := 0
	win := int32(p.opts.RescheduleWindow)
	firm := it.firm // never moved: counted on their day
	fi, nf := 0, len(firm)

	// Phase 1: lot-for-lot net requirements, day by day. Scheduled
	// receipts count on their due date; a shortage first pulls in the
	// next receipts due within the reschedule window.
	gi := 0
	for d := 0; d <= hi || d == 0; {
		for ri < nr && p.recs[recs[ri]].day <= int32(d) {
			bal += p.recs[recs[ri]].in.Qty
			w.recDay = append(w.recDay, p.recs[recs[ri]].day)
			ri++
		}
		for fi < nf && p.firms[firm[fi]].day <= int32(d) {
			bal += p.firms[firm[fi]].in.Qty
			fi++
		}
		var g int64
		if gi < len(gd) && int(gd[gi]) == d {
			g = gq[gi]
			gi++
		}
		bal -= g
		if bal < ss {
			for ri < nr && bal < ss && p.recs[recs[ri]].day-int32(d) <= win {
				r := &p.recs[recs[ri]]
				w.exc = append(w.exc, exc{kind: RescheduleIn, ref: recs[ri], day: r.day, to: int32(d), qty: r.in.Qty})
				bal += r.in.Qty
				w.recDay = append(w.recDay, int32(d))
				ri++
			}
			if bal < ss {
				if len(w.netDay) == 0 {
					w.slack = bal - ss + g
				}
				w.netDay = append(w.netDay, int32(d))
				w.netQty = append(w.netQty, ss-bal)
				bal = ss
			}
		}
		if bal == ss && ri == nr && fi == nf && len(w.netDay) > 0 {
			// At safety stock with no receipt left: every later
			// requirement is a net requirement of its own size.
			for ; gi < len(gd); gi++ {
				if gq[gi] > 0 {
					w.netDay = append(w.netDay, gd[gi])
					w.netQty = append(w.netQty, gq[gi])
				}
			}
			break
		}
		// the next day with a requirement or a receipt
		next := hi + 1
		if gi < len(gd) {
			next = int(gd[gi])
		}
		if ri < nr {
			next = min(next, int(p.recs[recs[ri]].day))
		}
		if fi < nf {
			next = min(next, int(p.firms[firm[fi]].day))
		}
		d = max(next, d+1)
	}
	for ; ri < nr; ri++ {
		w.recDay = append(w.recDay, p.recs[recs[ri]].day)
	}
	if len(w.netDay) == 0 {
		w.slack = bal - ss
	}

	// Phase 2: group the net requirements into orders; the firm orders
	// join them, first on their day.
	p.lotSize(w, it)
	if nf > 0 {
		p.mergeFirm(w, it)
	}

	// Phase 3: exceptions that need the projected balance: receipt
	// messages, and below safety stock, which needs a past-due order (else
	// netting keeps every day's balance at safety stock or above).
	if nr > 0 || nf > 0 || (ss > 0 && len(w.oDue) > 0 && p.cal.release(w.oDue[0], it.lt) < 0) {
		fill(w.gross, gd, gq)
		p.balanceExceptions(w, it, hi)
		clear(w.gross[:hi+1])
	}
}

// mergeFirm merges the item's firm orders into the planned orders in
// w.oDue/w.oQty: by day, firm orders first within a day (in their order),
// which is how [Planner.Orders] tells them apart.
func (p *Planner) mergeFirm(w *worker, it *item) {
	n := len(w.oDue)
	w.netDay = append(w.netDay[:0], w.oDue...) // scratch copies: netting is done
	w.netQty = append(w.netQty[:0], w.oQty...)
	w.oDue, w.oQty = w.oDue[:0], w.oQty[:0]
	k := 0
	for _, f := range it.firm {
		fo := &p.firms[f]
		for k < n && w.netDay[k] < fo.day {
			w.oDue = append(w.oDue, w.netDay[k])
			w.oQty = append(w.oQty, w.netQty[k])
			k++
		}
		w.oDue = append(w.oDue, fo.day)
		w.oQty = append(w.oQty, fo.in.Qty)
	}
	w.oDue = append(w.oDue, w.netDay[k:n]...)
	w.oQty = append(w.oQty, w.netQty[k:n]...)
}

// fill adds the sparse gross requirements gd/gq into the day-indexed g
// (which must be clear) and returns the last day with one, or -1.
func fill(g []int64, gd []int32, gq []int64) int {
	for k, d := range gd {
		g[d] += gq[k]
	}
	if len(gd) == 0 {
		return -1
	}
	return int(gd[len(gd)-1])
}

// balanceExceptions computes reschedule-out, cancel and below-safety-stock
// messages from the projected available balance.
//
// The item's supplies are taken first in, first out, as pegging takes
// them: stock, then receipts (on the day netting counts them), firm
// orders and planned orders by day, within a day receipts first, then
// firm orders, then planned orders. A receipt counted on its due date or
// a firm order is needed on the first day from its own on when the supply
// ahead of it, less the gross requirements so far, falls below safety
// stock; later supplies do not count for it. Its need day is never before
// its predecessor's (it has more ahead of it), so one walk over the days
// finds them all, one supply after the other.
//
// The walk goes only as far as a message can still come: once every
// firm order and receipt has its need day and no past-due order is still
// to arrive (or the below-safety-stock message is out), the later days
// change nothing (the balance counting past-due orders only when they can
// arrive can fall below safety stock only until the last of them arrives:
// netting keeps the balance at or above safety stock at the end of every
// day, and from then on that balance is at least it). A firm order or
// receipt still without a need day at the horizon is cancelled.
func (p *Planner) balanceExceptions(w *worker, it *item, hi int) {
	h := p.cal.horizon
	g := w.gross
	ss := it.ss
	firm := it.onhand // balance with past-due orders arriving when they can
	ri, oi := 0, 0
	nr, no := len(w.recs), len(w.oDue)
	// late[k] holds past-due orders' quantities by the day they can arrive.
	var lateQ []int64
	var lateDay []int32
	// (release days grow with due days: the past-due orders come first)
	for k := range no {
		if p.cal.release(w.oDue[k], it.lt) >= 0 {
			break
		}
		lateDay = append(lateDay, int32(p.cal.addWorking(0, it.in.LeadTime)))
		lateQ = append(lateQ, w.oQty[k])
	}
	// the need days to find (-1 while not found): the firm orders', then
	// the receipts' counted on their due date (a pulled-in one needs none:
	// -2)
	nf := len(it.firm)
	ns := w.needs[:0]
	defer func() { w.needs = ns[:0] }()
	open := nf
	for range nf {
		ns = append(ns, -1)
	}
	for k := range nr {
		if w.recDay[k] != p.recs[w.recs[k]].day {
			ns = append(ns, -2) // pulled in
		} else {
			ns = append(ns, -1)
			open++
		}
	}
	// The supply sequence, walked beside the days: sr receipts and so
	// firm orders and planned orders taken so far (firm orders come first
	// among a day's orders), ahead their quantity and the stock, cum the
	// gross requirements so far.
	sr, so, fj := 0, 0, 0
	ahead, cum := it.onhand, int64(0)
	li := 0
	belowDone := ss == 0
	for d := range h {
		for ri < nr && w.recDay[ri] <= int32(d) {
			firm += p.recs[w.recs[ri]].in.Qty
			ri++
		}
		for oi < no && w.oDue[oi] <= int32(d) {
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
			firm -= g[d]
			cum += g[d]
		}
		if !belowDone && firm < ss {
			w.exc = append(w.exc, exc{kind: BelowSafetyStock, ref: -1, day: int32(d), qty: ss - firm})
			belowDone = true
		}
		// take the supplies available by d in sequence, up to the first
		// one not needed yet
		for open > 0 {
			var n *int32 // the supply's need day, nil for a planned order
			var q int64
			rec := sr < nr && w.recDay[sr] <= int32(d) && (so == no || w.recDay[sr] <= w.oDue[so])
			firmOrd := false
			switch {
			case rec:
				n, q = &ns[nf+sr], p.recs[w.recs[sr]].in.Qty
			case so < no && w.oDue[so] <= int32(d):
				q = w.oQty[so]
				if fj < nf && p.firms[it.firm[fj]].day == w.oDue[so] {
					n, firmOrd = &ns[fj], true
				}
			default:
				q = -1 // nothing more available by d
			}
			if q < 0 {
				break
			}
			if n != nil && *n == -1 {
				if ahead-cum >= ss {
					break // not needed yet, nor anything after it
				}
				*n = int32(d)
				open--
			}
			ahead += q
			switch {
			case rec:
				sr++
			case firmOrd:
				fj++
				so++
			default:
				so++
			}
		}
		if open == 0 && (belowDone || li == len(lateDay)) {
			w.nShort++
			break
		}
	}
	// A firm order is never moved: reschedule-out to its need day, or
	// cancel. (ref -2-k names firm order k.)
	for j, f := range it.firm {
		fo := &p.firms[f]
		switch need := ns[j]; {
		case need < 0:
			w.exc = append(w.exc, exc{kind: Cancel, ref: -2 - f, day: fo.day, to: -1, qty: fo.in.Qty})
		case need > fo.day:
			w.exc = append(w.exc, exc{kind: RescheduleOut, ref: -2 - f, day: fo.day, to: need, qty: fo.in.Qty})
		}
	}
	// A receipt counted on its due date likewise.
	for k := range nr {
		r := &p.recs[w.recs[k]]
		switch need := ns[nf+k]; {
		case need == -2:
			// pulled in
		case need < 0:
			w.exc = append(w.exc, exc{kind: Cancel, ref: w.recs[k], day: r.day, to: -1, qty: r.in.Qty})
		case need > r.day:
			w.exc = append(w.exc, exc{kind: RescheduleOut, ref: w.recs[k], day: r.day, to: need, qty: r.in.Qty})
		}
	}
}
