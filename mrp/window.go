package mrp

// netWindow is net for a lot-sized item whose only change is to its gross
// requirements by ds (in day order, from day d0 = ds[0].day; it.gd/it.gq,
// kept by net change, already hold the new ones): it keeps the orders due
// before the last order day o before d0 and lot-sizes again only from o
// on, until the lots fall back in step with the old ones past the last
// change (resync). It leaves the whole new order list in w.oDue/w.oQty as
// net does, and reports false, having done nothing, when the window does
// not apply; net must run then. rs is the caller's scratch space for the
// resync, which tells afterwards how much it left alone.
//
// Why the orders before o stay: netting is decided day by day, and nothing
// before d0 changed, so the net requirements before d0 stay, and so does
// the first one's day f (the first order's day, f <= o < d0). From the end
// of day f on, the balance ends every day at safety stock (the item has no
// receipts or firm orders to come), so
//
//	net requirements up to day d = gross requirements up to d + ss - onhand  (d >= f)
//
// and every later net requirement is that day's gross requirement. Lot
// sizing goes through the net requirements in order carrying one figure,
// the surplus of the orders so far over the net requirements so far; a
// period lot (PeriodQty) also starts a group at each order's day, so o,
// an order day, starts a group in the new plan as in the old one. Lot
// sizing restarted at o with
//
//	surplus = orders due before o - net requirements before o
//
// therefore places exactly the orders a full run would place from o on.
//
// It does not apply (false) to plain lot-for-lot items (net change adjusts
// them by delta), Wagner-Whitin (its lots depend on requirements on both
// sides of a change), items with receipts or firm orders (their balance
// is not pinned at safety stock), items with exception messages or whose
// first order is past due with safety stock (the messages need the whole
// projected balance), and changes on or before the first order's day.
func (p *Planner) netWindow(w *worker, it *item, ds []dday, rs *resync) bool {
	if len(ds) == 0 {
		return false
	}
	d0 := ds[0].day
	if it.lfl || !it.cached || it.in.Lot.Policy == WagnerWhitin || it.in.Kind == Phantom ||
		it.rec.some() || len(it.firm) > 0 || len(it.exc) > 0 || len(it.due) == 0 {
		return false
	}
	due, qty := it.due, it.qty
	f := due[0]
	if it.ss > 0 && p.cal.release(f, it.lt) < 0 {
		return false
	}
	k, _ := findDay(due, d0) // orders due before d0: due[:k]
	if k == 0 {
		return false
	}
	o := due[k-1]
	jo, _ := findDay(due, o) // the first of day o's orders
	gd, gq := it.gd, it.gq
	g, _ := findDay(gd, o) // gross requirements before o: gd[:g]
	var before int64
	for _, q := range gq[:g] {
		before += q
	}
	w.netDay, w.netQty = w.netDay[:0], w.netQty[:0]
	var surplus int64
	if jo == 0 {
		// o = f: the first net requirement is what stock and the gross
		// requirements up to f leave below safety stock (f may have no
		// gross requirement when stock starts below safety stock)
		first := before + it.ss - it.onhand
		if g < len(gd) && gd[g] == f {
			first += gq[g]
			g++
		}
		w.netDay = append(w.netDay, f)
		w.netQty = append(w.netQty, first)
	} else {
		var ordered int64
		for _, q := range qty[:jo] {
			ordered += q
		}
		surplus = ordered - (before + it.ss - it.onhand)
	}
	for ; g < len(gd); g++ {
		if gq[g] > 0 {
			w.netDay = append(w.netDay, gd[g])
			w.netQty = append(w.netQty, gq[g])
		}
	}
	w.oDue = append(w.oDue[:0], due[:jo]...)
	w.oQty = append(w.oQty[:0], qty[:jo]...)
	w.exc = w.exc[:0]
	w.slack = it.slack // set by the first net requirement, which stays
	*rs = resync{after: ds[len(ds)-1].day, due: due[jo:], qty: qty[jo:]}
	for _, x := range ds {
		rs.delta += x.d
	}
	p.lotSizeFrom(w, it, surplus, rs)
	return true
}
