package mrp

import (
	"math"
	"runtime"
	"slices"
	"sort"
	"sync"
	"time"
)

// Load is the capacity load of one plan version: the hours the operations
// of every production order (planned, firm and released) put on each work
// center and day, as infinite loading places them (scheduled backwards
// from the order's due date, [PlannedOrder.Operations]). Load on days
// before the planning date (past-due operations) counts on the planning
// date. A Load belongs to the plan version it was computed from; compute
// it again after [Planner.Apply].
type Load struct {
	start   time.Time
	horizon int
	wcs     []string // sorted
	hours   [][]float64
	avail   [][]float64
	// contributions, kept to name the orders of an overload
	p   *Planner
	cap *Capacity
}

// LoadBucket is the load of one work center on one day or week.
type LoadBucket struct {
	WorkCenter string
	Date       time.Time // the day, or the Monday of the week
	Load       float64   // hours
	Available  float64   // hours
}

// Overloaded reports whether the bucket's load exceeds its capacity.
func (b LoadBucket) Overloaded() bool { return b.Load > b.Available+capEps }

// OrderLoad is one order's share of a bucket's load.
type OrderLoad struct {
	Order string
	Item  string
	Hours float64
}

// Overload is a work center loaded above its capacity on one day, with
// the orders that load it (most hours first).
type Overload struct {
	LoadBucket
	Orders []OrderLoad
}

const capEps = 1e-6

// routing returns item i's operations in sequence (it.in.Operations is
// normally sorted already; then it is returned as is).
func routing(it *item) []Operation {
	ops := it.in.Operations
	if slices.IsSortedFunc(ops, func(a, b Operation) int { return a.Seq - b.Seq }) {
		return ops
	}
	ops = slices.Clone(ops)
	slices.SortStableFunc(ops, func(a, b Operation) int { return a.Seq - b.Seq })
	return ops
}

// walkBack places the operations of an order of qty units due on day due
// backwards from the end of that day exactly as scheduleBack does, calling
// fn with each operation's hours on each day (only positive amounts); the
// whole days before the compiled calendar (all before the planning date)
// come in one call, on the latest of them.
func (p *Planner) walkBack(ops []Operation, due int, qty int64, fn func(op int, day int, hours float64)) {
	day, h := due, math.MaxFloat64
	for day > -p.cal.pre && !p.cal.working(day) {
		day--
	}
	for k := len(ops) - 1; k >= 0; k-- {
		hpd := ops[k].hoursPerDay(p.opts.HoursPerDay)
		h = min(h, hpd)
		left := ops[k].SetupHours + ops[k].RunHours*float64(qty)
		for left > h+1e-9 {
			if h > 0 {
				fn(k, day, h)
			}
			if day <= -p.cal.pre {
				// as in scheduleBack: every day before works; n - 1
				// whole days, then the rest on the n-th
				rest := left - h
				var n int
				n, left = p.cal.backBefore(day, rest, hpd)
				if n > 1 {
					fn(k, day-1, rest-left)
				}
				day -= n
				h = hpd
				break
			}
			left -= h
			day--
			for day > -p.cal.pre-3650 && !p.cal.working(day) {
				day--
			}
			h = hpd
		}
		if left > 0 {
			fn(k, day, left)
		}
		h -= left
	}
}

// eachProductionOrder calls fn for every production order with a routing:
// planned and firm orders (k >= 0: the item's k-th order) and released
// production orders (live scheduled receipts of kind [ProductionOrder],
// k = -1-r for receipt r) with their quantity; [Planner.prodOrderID]
// names them.
func (p *Planner) eachProductionOrder(fn func(i int32, ops []Operation, due int, qty int64, k int)) {
	for i := range p.items {
		it := &p.items[i]
		if it.in.Kind != Make || len(it.in.Operations) == 0 {
			continue
		}
		ops := routing(it)
		for k := range it.due {
			fn(int32(i), ops, int(it.due[k]), it.qty[k], k)
		}
	}
	for r := range p.recs {
		rc := &p.recs[r]
		if !rc.live || rc.in.Kind != ProductionOrder {
			continue
		}
		if ops := p.remainingOps(r); len(ops) > 0 {
			fn(rc.item, ops, int(rc.day), rc.in.Qty, -1-r)
		}
	}
}

// prodOrderID names an order of eachProductionOrder.
func (p *Planner) prodOrderID(i int32, k int) string {
	if k < 0 {
		return p.recs[-1-k].in.ID
	}
	return p.orderID(i, k)
}

// CapacityLoad adds up the hours of every production order's operations
// per work center and day over the horizon and sets them against c.
// Items are spread over [Options.Workers] goroutines.
func (p *Planner) CapacityLoad(c *Capacity) *Load {
	l := &Load{start: p.cal.start, horizon: p.cal.horizon, p: p, cap: c}
	ix := map[string]int{}
	for _, w := range c.wcs {
		ix[w.ID] = -1
	}
	for i := range p.items {
		for _, op := range p.items[i].in.Operations {
			ix[op.WorkCenter] = -1
		}
	}
	l.wcs = make([]string, 0, len(ix))
	for wc := range ix {
		l.wcs = append(l.wcs, wc)
	}
	sort.Strings(l.wcs)
	for k, wc := range l.wcs {
		ix[wc] = k
	}
	h := l.horizon
	nw := len(l.wcs)
	l.hours, l.avail = make([][]float64, nw), make([][]float64, nw)
	for k, wc := range l.wcs {
		l.avail[k] = make([]float64, h)
		for d := range h {
			l.avail[k][d] = c.Available(wc, p.cal.date(d), p.cal.working(d))
		}
	}
	workers := p.opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, len(p.items)/2000+1))
	parts := make([]*loadAcc, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a := p.newLoadAcc(nw)
			var wcOf []int
			lo, hi := w*len(p.items)/workers, (w+1)*len(p.items)/workers
			for i := lo; i < hi; i++ {
				it := &p.items[i]
				if it.in.Kind != Make || len(it.in.Operations) == 0 || len(it.due) == 0 {
					continue
				}
				ops := routing(it)
				wcOf = wcOf[:0]
				for _, op := range ops {
					wcOf = append(wcOf, ix[op.WorkCenter])
				}
				for k, due := range it.due {
					a.add(ops, wcOf, int(due), it.qty[k])
				}
			}
			parts[w] = a
		}()
	}
	wg.Wait()
	a := parts[0]
	for r := range p.recs {
		rc := &p.recs[r]
		if !rc.live || rc.in.Kind != ProductionOrder {
			continue
		}
		ops := p.remainingOps(r) // released: what is left to do
		if len(ops) == 0 {
			continue
		}
		wcOf := make([]int, len(ops))
		for k, op := range ops {
			wcOf[k] = ix[op.WorkCenter]
		}
		a.add(ops, wcOf, int(rc.day), rc.in.Qty)
	}
	acc := a.sum(parts[1:])
	for k := range l.wcs {
		l.hours[k] = acc[k*h : (k+1)*h : (k+1)*h]
	}
	return l
}

// loadAcc adds up the hours of operations placed as walkBack places
// them, in O(operations) per order: the partial days are added to acc
// (by work center and day), the whole working days in between as a
// difference array over working-day numbers (full: the hours of a day at
// the first, minus them after the last). Hours on days
// before the planning date count on it; days from the horizon on are
// dropped.
type loadAcc struct {
	p      *Planner
	h, nwd int
	w0     int32     // working-day number of the first working day >= day 0
	acc    []float64 // [wc*h + day]
	full   []float64 // [wc*(nwd+1) + working-day number]
}

func (p *Planner) newLoadAcc(nw int) *loadAcc {
	k := p.cal
	a := &loadAcc{p: p, h: k.horizon, nwd: len(k.dayOfWd)}
	a.w0 = int32(a.nwd)
	if w := k.wdOf[k.pre]; w >= 0 && k.dayOfWd[w] == 0 {
		a.w0 = w
	} else {
		a.w0 = w + 1
	}
	a.acc = make([]float64, nw*a.h)
	a.full = make([]float64, nw*(a.nwd+1))
	return a
}

// add loads the operations of an order of qty units due on day due.
func (a *loadAcc) add(ops []Operation, wcOf []int, due int, qty int64) {
	k, h := a.p.cal, a.h
	// wd: working-day number of the current day; left: its hours before
	// the current point (on the work center of the operation at hand)
	wd := k.wdOf[min(due+k.pre, len(k.wdOf)-1)]
	left := math.MaxFloat64
	for o := len(ops) - 1; o >= 0; o-- {
		hpd := ops[o].hoursPerDay(a.p.opts.HoursPerDay)
		left = min(left, hpd)
		need := ops[o].SetupHours + ops[o].RunHours*float64(qty)
		if wd < a.w0 {
			// before the planning date: everything left counts on day 0
			for ; o >= 0; o-- {
				a.acc[wcOf[o]*h] += ops[o].SetupHours + ops[o].RunHours*float64(qty)
			}
			return
		}
		day := int(k.dayOfWd[wd])
		base := wcOf[o] * h
		if need <= left+1e-9 {
			if need > 0 && day < h {
				a.acc[base+day] += need
			}
			left -= need
			continue
		}
		if left > 0 && day < h {
			a.acc[base+day] += left
		}
		need -= left
		// n whole days before, then rem (in (0, hpd]) on the day before them
		n := int32(max(0, (need-1e-9)/hpd))
		rem := need - float64(n)*hpd
		first := wd - n // first whole day
		if first <= a.w0 {
			// some of it lies before the planning date
			if n > 0 && wd-1 >= a.w0 {
				a.addFull(wcOf[o], a.w0, wd-1, hpd)
			}
			past := float64(min(n, wd-a.w0)) // whole days on or after day 0
			a.acc[base] += need - past*hpd
			for o--; o >= 0; o-- {
				a.acc[wcOf[o]*h] += ops[o].SetupHours + ops[o].RunHours*float64(qty)
			}
			return
		}
		if n > 0 {
			a.addFull(wcOf[o], first, wd-1, hpd)
		}
		wd = first - 1
		if d := int(k.dayOfWd[wd]); d < h {
			a.acc[base+d] += rem
		}
		left = hpd - rem
	}
}

// addFull loads whole days of hpd hours on working days [from, to] of
// work center wc.
func (a *loadAcc) addFull(wc int, from, to int32, hpd float64) {
	b := wc * (a.nwd + 1)
	a.full[b+int(from)] += hpd
	a.full[b+int(to)+1] -= hpd
}

// sum adds the other accumulators and the whole days into acc and returns it.
func (a *loadAcc) sum(others []*loadAcc) []float64 {
	for _, o := range others {
		for j, x := range o.acc {
			a.acc[j] += x
		}
		for j, x := range o.full {
			a.full[j] += x
		}
	}
	nw := len(a.acc) / max(a.h, 1)
	for wc := range nw {
		run := 0.0
		b := wc * (a.nwd + 1)
		for w := int(a.w0); w < a.nwd; w++ {
			run += a.full[b+w]
			d := int(a.p.cal.dayOfWd[w])
			if d >= a.h {
				break
			}
			if run != 0 {
				a.acc[wc*a.h+d] += run
			}
		}
	}
	return a.acc
}

// WorkCenters returns the work centers of the load (every known one and
// every one a routing names), sorted.
func (l *Load) WorkCenters() []string { return slices.Clone(l.wcs) }

// Days returns the daily buckets of work center wc (all when wc is ""),
// from from to to (dates, inclusive; the zero time means the planning
// date and the end of the horizon), work centers sorted, then by date.
func (l *Load) Days(wc string, from, to time.Time) []LoadBucket {
	a, b := l.span(from, to)
	var out []LoadBucket
	for k, w := range l.wcs {
		if wc != "" && w != wc {
			continue
		}
		for d := a; d < b; d++ {
			out = append(out, LoadBucket{WorkCenter: w, Date: l.start.AddDate(0, 0, d), Load: l.hours[k][d], Available: l.avail[k][d]})
		}
	}
	return out
}

// Weeks returns weekly buckets (Monday to Sunday; the first and last week
// cut to the horizon and to from/to) like [Load.Days].
func (l *Load) Weeks(wc string, from, to time.Time) []LoadBucket {
	var out []LoadBucket
	for _, b := range l.Days(wc, from, to) {
		wk := b.Date.AddDate(0, 0, -((int(b.Date.Weekday()) + 6) % 7))
		if n := len(out); n > 0 && out[n-1].WorkCenter == b.WorkCenter && out[n-1].Date.Equal(wk) {
			out[n-1].Load += b.Load
			out[n-1].Available += b.Available
			continue
		}
		b.Date = wk
		out = append(out, b)
	}
	return out
}

func (l *Load) span(from, to time.Time) (int, int) {
	a, b := 0, l.horizon
	if !from.IsZero() {
		a = max(a, int(dateOf(from).Sub(l.start).Hours()/24))
	}
	if !to.IsZero() {
		b = min(b, int(dateOf(to).Sub(l.start).Hours()/24)+1)
	}
	return a, max(a, b)
}

// Overloads returns every work center and day loaded above capacity, by
// date then work center, each naming the orders that load it.
func (l *Load) Overloads() []Overload {
	// over[k*horizon+d]: the overload of work center k on day d, -1 none
	// (a dense table: the callback below runs for every operation and day
	// of every order)
	over := make([]int32, len(l.wcs)*l.horizon)
	var out []Overload
	for k := range l.wcs {
		for d := range l.horizon {
			over[k*l.horizon+d] = -1
		}
	}
	for d := range l.horizon {
		for k := range l.wcs {
			if l.hours[k][d] > l.avail[k][d]+capEps {
				over[k*l.horizon+d] = int32(len(out))
				out = append(out, Overload{LoadBucket: LoadBucket{WorkCenter: l.wcs[k], Date: l.start.AddDate(0, 0, d), Load: l.hours[k][d], Available: l.avail[k][d]}})
			}
		}
	}
	if len(out) == 0 {
		return nil
	}
	ix := make(map[string]int, len(l.wcs))
	for k, wc := range l.wcs {
		ix[wc] = k
	}
	p := l.p
	// the work center of each operation, looked up once per routing (an
	// item's orders share theirs)
	var lastOps []Operation
	var wcOf []int
	p.eachProductionOrder(func(i int32, ops []Operation, due int, qty int64, ko int) {
		if len(ops) == 0 {
			return
		}
		if len(lastOps) != len(ops) || &lastOps[0] != &ops[0] {
			lastOps, wcOf = ops, wcOf[:0]
			for _, op := range ops {
				wcOf = append(wcOf, ix[op.WorkCenter])
			}
		}
		var name string
		p.walkBack(ops, due, qty, func(op, day int, hours float64) {
			if day >= l.horizon {
				return
			}
			n := over[wcOf[op]*l.horizon+max(day, 0)]
			if n < 0 {
				return
			}
			if name == "" {
				name = p.prodOrderID(i, ko)
			}
			os := out[n].Orders
			if m := len(os); m > 0 && os[m-1].Order == name {
				os[m-1].Hours += hours
				return
			}
			out[n].Orders = append(os, OrderLoad{Order: name, Item: p.items[i].in.ID, Hours: hours})
		})
	})
	// by hours, then order ID: entries alike in both are alike in all
	// (an order is of one item), so a sort that is not stable gives the
	// same lists (a stable one moved 40-byte entries n log^2 n times:
	// 1.7 of the 7 s of listing the light 50k plant's overloads)
	for n := range out {
		slices.SortFunc(out[n].Orders, func(a, b OrderLoad) int {
			if a.Hours != b.Hours {
				if a.Hours > b.Hours {
					return -1
				}
				return 1
			}
			return cmpString(a.Order, b.Order)
		})
	}
	return out
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
