package mrp

import (
	"cmp"
	"slices"
)

// LateDemandsRef finds the late demands the way lateDemands did when it
// built every delayed item's whole single-level pegging.
func LateDemandsRef(p *Planner) []Exception { return p.lateDemandsRef() }

// lateDemandsRef is lateDemands as it was before it stopped building
// whole single-level peggings (the reference of TestLateDemandsPrefix): it
// walks every order of an item a component delays, looking each up in a
// map of delays, and the links of each late order in the item's cached
// single-level pegging ([Planner.itemAlloc]).
func (p *Planner) lateDemandsRef() []Exception {
	g := p.pegging()
	pw := &pegWorker{w: p.newWorker()}
	// start[(item, order)]: the latest arrival of a component supply
	// pegged to that order, when after its release.
	start := map[int64]delay{}
	// started[i]: start holds an order of item i (most items' orders are
	// not delayed: they skip the look-up)
	started := make([]bool, len(p.items))
	lates := map[int32]delay{}
	for l := len(p.levels) - 1; l >= 0; l-- {
		for _, i := range p.levels[l] {
			it := &p.items[i]
			lt := int32(it.in.LeadTime)
			var a *alloc
			delayed := started[i]
			for k, due := range it.due {
				rel := p.cal.release(due, lt)
				st := delay{day: rel, origin: -1}
				if rel < 0 {
					st = delay{day: 0, origin: i}
				}
				if !delayed {
					if rel >= 0 {
						// on time, and so are the later orders: their
						// release days do not fall
						break
					}
				} else if s, ok := start[int64(i)<<32|int64(k)]; ok && s.day > st.day {
					st = s
				}
				if st.origin < 0 {
					continue // starts on its release: arrives on time
				}
				arr := max(due, int32(p.cal.addWorking(int(st.day), it.in.LeadTime)))
				if arr <= due && rel >= 0 {
					continue
				}
				if a == nil {
					a = p.itemAlloc(g, i, pw)
				}
				if k >= len(a.ordSup) {
					continue
				}
				for _, lk := range a.supLinks(a.ordSup[k]) {
					r := &a.reqs[lk.req]
					if arr <= r.day {
						continue // this requirement is covered in time
					}
					d := delay{day: arr, origin: st.origin}
					if r.dem >= 0 {
						if x, ok := lates[r.dem]; !ok || d.day > x.day {
							lates[r.dem] = d
						}
						continue
					}
					started[r.par] = true
					key := int64(r.par)<<32 | int64(r.ord)
					if x, ok := start[key]; !ok || d.day > x.day {
						start[key] = d
					}
				}
			}
		}
	}
	dems := make([]int32, 0, len(lates))
	for d := range lates {
		dems = append(dems, d)
	}
	slices.SortFunc(dems, func(a, b int32) int { return cmp.Compare(p.demands[a].in.ID, p.demands[b].in.ID) })
	out := make([]Exception, 0, len(dems))
	for _, d := range dems {
		l := lates[d]
		dm := &p.demands[d]
		out = append(out, Exception{Kind: Late, Item: dm.in.Item, Ref: dm.in.ID, Date: dateOf(dm.in.Due), // the demand's own due date
			To: p.cal.date(int(l.day)), Qty: dm.in.Qty, Limit: p.items[l.origin].in.ID})
	}
	return out
}
