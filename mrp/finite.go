package mrp

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// FiniteOrder is a production order placed by [Planner.FiniteSchedule].
type FiniteOrder struct {
	ID, Item string
	Qty      int64
	// Released is set for a released production order (a scheduled
	// receipt); otherwise it is a planned or firm planned order.
	Released bool
	// Priority is the highest priority of the sales-order lines it serves.
	Priority int
	// DueDay, StartDay and FinishDay count days from the planning date;
	// LateDays is FinishDay - DueDay when positive.
	DueDay, StartDay, FinishDay, LateDays int
	Due, Start, Finish                    time.Time
	// Forward is set when the order did not fit backwards from its due
	// date and starts as early as it can.
	Forward bool
	Ops     []FiniteOp
	// Unscheduled says why the order could not be placed (then the days
	// are zero).
	Unscheduled string
}

// FiniteOp is one operation of a [FiniteOrder].
type FiniteOp struct {
	Seq                 int
	WorkCenter          string
	Hours               float64
	StartDay, FinishDay int
	Start, Finish       time.Time // dates
	// Days are the hours the operation takes on each day it uses.
	Days []DayHours
}

// Schedule is a finite-capacity schedule of one plan version's
// production orders (see [Planner.FiniteSchedule]): [Schedule.Len]
// orders, by item order of the plan, then due day, released orders
// last, each read with [Schedule.OrderAt] (or all at once with
// [Schedule.Orders]). It is kept compactly (~130 bytes an order with
// its operation, against ~330 as FiniteOrders: the 50k default plant's
// schedule has 5.3 million) and does not change once made.
type Schedule struct {
	// Days is the number of days scheduled from the planning date.
	Days  int
	start time.Time
	k     *cal // the plan's calendar: days to dates
	ord   []schedOrder
	ops   []schedOp
	wcs   []string         // work centers by schedOp.wc
	why   map[int32]string // the orders not placed: why
	// held holds the late orders whose start waited: for the order
	// (index) they waited for, or heldEarliest for purchased components
	held map[int32]heldBy
	// byID indexes the orders by ID, made at the first Order (idOnce):
	// most schedules are never asked by ID, and on a 10,000-item plant
	// the index of its million orders took a tenth of the schedule's
	// time
	idOnce sync.Once
	byID   map[string]int
	dem    map[string]*demandSched
}

// schedOrder is an order of a Schedule: what [FiniteOrder] says, days
// for dates, its operations from ops[op0] up to the next order's op0.
type schedOrder struct {
	id, item                 string
	qty                      int64
	prio                     int
	due, start, finish, late int32
	op0                      int32
	flags                    uint8 // ordReleased, ordForward, ordUnscheduled
}

const (
	ordReleased = 1 << iota
	ordForward
	ordUnscheduled
)

// schedOp is an operation of a Schedule's order.
type schedOp struct {
	seq           int
	wc            int32 // Schedule.wcs
	start, finish int32
	hours         float64
	days          []DayHours
}

// Len is the number of orders in s.
func (s *Schedule) Len() int { return len(s.ord) }

// opsOf returns order n's operations.
func (s *Schedule) opsOf(n int) []schedOp {
	end := int32(len(s.ops))
	if n+1 < len(s.ord) {
		end = s.ord[n+1].op0
	}
	return s.ops[s.ord[n].op0:end]
}

// OrderAt sets *o to s's order n (0 <= n < s.Len()), its operations in
// o.Ops' storage when it has room: a loop over millions of orders with
// one FiniteOrder allocates nothing. The operations' Days are s's, to be
// read, not written.
func (s *Schedule) OrderAt(n int, o *FiniteOrder) {
	ops := s.opsOf(n)
	fops := o.Ops[:0]
	if cap(fops) < len(ops) {
		fops = make([]FiniteOp, len(ops))
	}
	s.fill(n, o, fops[:len(ops)])
}

// Orders returns every order of s, in order (on a plant of tens of
// thousands of items, millions of them: see [Schedule.OrderAt]).
func (s *Schedule) Orders() []FiniteOrder {
	os := make([]FiniteOrder, len(s.ord))
	fops := make([]FiniteOp, len(s.ops))
	for n := range os {
		k := len(s.opsOf(n))
		s.fill(n, &os[n], fops[:k:k])
		fops = fops[k:]
	}
	return os
}

// fill sets *o to order n, its operations in fops (as many as it has).
func (s *Schedule) fill(n int, o *FiniteOrder, fops []FiniteOp) {
	r := &s.ord[n]
	*o = FiniteOrder{ID: r.id, Item: r.item, Qty: r.qty, Released: r.flags&ordReleased != 0, Priority: r.prio,
		DueDay: int(r.due), Due: s.k.date(int(r.due)), Ops: fops}
	placed := r.flags&ordUnscheduled == 0
	if placed {
		o.StartDay, o.FinishDay, o.LateDays, o.Forward = int(r.start), int(r.finish), int(r.late), r.flags&ordForward != 0
		o.Start, o.Finish = s.k.date(o.StartDay), s.k.date(o.FinishDay)
	} else {
		o.Unscheduled = s.why[int32(n)]
	}
	for k, x := range s.opsOf(n) {
		op := FiniteOp{Seq: x.seq, WorkCenter: s.wcs[x.wc], Hours: x.hours}
		if placed {
			op.StartDay, op.FinishDay, op.Days = int(x.start), int(x.finish), x.days
			op.Start, op.Finish = s.k.date(op.StartDay), s.k.date(op.FinishDay)
		}
		fops[k] = op
	}
}

// put keeps the scheduler's place of job j (order j), see [sink].
func (s *Schedule) put(j int, pl *JobPlan) {
	r := &s.ord[j]
	if pl.Unscheduled != "" {
		if s.why == nil {
			s.why = map[int32]string{}
		}
		s.why[int32(j)] = pl.Unscheduled
		r.flags |= ordUnscheduled
		return
	}
	r.start, r.finish, r.late = int32(pl.Start), int32(pl.Finish), int32(pl.Late)
	if pl.held != heldNone {
		if s.held == nil {
			s.held = map[int32]heldBy{}
		}
		s.held[int32(j)] = heldBy{pl.held, pl.heldTo, pl.heldToo}
	}
	if pl.Forward {
		r.flags |= ordForward
	}
	for k := range s.opsOf(j) {
		op, po := &s.ops[int(r.op0)+k], &pl.Ops[k]
		op.start, op.finish, op.days = int32(po.Start), int32(po.Finish), po.Days
	}
}

// touch reads where put will write job j's place and its first
// operation's (op), see [sink].
func (s *Schedule) touch(j int, op int32) int {
	t := int(s.ord[j].late)
	if int(op) < len(s.ops) {
		t += int(s.ops[op].start)
	}
	return t
}

// heldBy is what held a late order's start: the order (index) it waited
// for or heldEarliest (purchased components), until day to; too is set
// when its work centers delayed it as well.
type heldBy struct {
	by, to int32
	too    bool
}

type demandSched struct {
	id       string
	due      int
	tops     []int // jobs at the top of its supply tree
	material int   // latest day a purchased top-level supply arrives
	matRef   string
}

// Delivery is a sales-order line's delivery date in a finite schedule.
type Delivery struct {
	Demand string
	// DueDay is the requested day, ExpectedDay the day the last order
	// of its supply tree finishes (the due day when that is earlier).
	DueDay, ExpectedDay, LateDays int
	Due, Expected                 time.Time
	// Limit is the order (or purchase) that sets ExpectedDay; Reason
	// says why it is late ("" when on time).
	Limit, Reason string
}

// scheduleSlack is how many days past the horizon a finite schedule may
// push an order.
const scheduleSlack = 730

// FiniteSchedule places every production order of the plan (planned,
// firm and released, with a routing) on its work centers' capacity c
// with [ScheduleJobs]: by priority (the highest of the sales-order lines
// an order is pegged to, all levels up), then due day; the orders of an
// order's make components (from the pegging) finish before it starts and
// it starts no earlier than its purchased components arrive (a purchase
// order due late holds it up). Purchases are not scheduled. Orders of
// items without a routing take no capacity and are not listed.
func (p *Planner) FiniteSchedule(c *Capacity) (*Schedule, error) {
	return p.FiniteScheduleContext(context.Background(), c)
}

// FiniteScheduleContext is [Planner.FiniteSchedule], given up with
// ctx's error within a few milliseconds of ctx ending (a schedule takes
// seconds on a plant of 10,000 items and more).
func (p *Planner) FiniteScheduleContext(ctx context.Context, c *Capacity) (*Schedule, error) {
	return p.finiteScheduleWith(ctx, c, nil, p.scheduleLinks)
}

// linksFunc sets what a finite schedule takes from the pegging (see
// [Planner.scheduleLinks]) in s and in the jobs js (their priorities,
// earliest days and After lists); it returns ctx's error if ctx ends
// first.
type linksFunc func(ctx context.Context, s *Schedule, js *jobSet, prio map[string]int) error

// finiteScheduleWith is FiniteSchedule with per-demand priority
// overrides prio, taking what it needs of the pegging from links (the
// tests give it the supply trees' walk), given up when ctx ends.
func (p *Planner) finiteScheduleWith(ctx context.Context, c *Capacity, prio map[string]int, links linksFunc) (*Schedule, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	days := p.cal.horizon + scheduleSlack
	// sized first: a 10,000-item plant has a million orders, whose
	// slices grown by append copied 1.4 s worth of them
	n, nops := 0, 0
	p.eachProductionOrder(func(_ int32, ops []Operation, _ int, _ int64, _ int) { n, nops = n+1, nops+len(ops) })
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// the large lists (~2 GB on the 50k default plant, cleared when the
	// memory is reused: ~0.3 s for the largest) with a look at ctx after
	// each
	s := &Schedule{Days: days, start: p.cal.start, k: p.cal, dem: map[string]*demandSched{}, ord: make([]schedOrder, 0, n)}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.ops = make([]schedOp, nops)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// the jobs the orders are to the scheduler, as columns: as []Job,
	// each with its lists, and their plans as []JobPlan, they took ~1.2
	// GB beside the orders on the 50k default plant
	js := &jobSet{
		id:       func(j int) string { return s.ord[j].id },
		prio:     make([]int, n),
		due:      make([]int, n),
		earliest: make([]int, n),
		release:  make([]int32, n),
		opAt:     make([]int32, n+1),
		opW:      make([]int32, nops),
		opH:      make([]float64, nops),
		afterAt:  make([]int32, n+1),
	}
	// the calendar once for all days and work centers
	dates, working := make([]time.Time, days), make([]bool, days)
	for d := range days {
		dates[d], working[d] = p.cal.date(d), p.workingDay(d)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	no := 0        // operations so far
	var stop error // ctx's error, once seen: the rest is skipped
	p.eachProductionOrder(func(i int32, ops []Operation, due int, qty int64, ko int) {
		if stop != nil {
			return
		}
		j := len(s.ord)
		if j%cancelEvery == 0 {
			if stop = ctx.Err(); stop != nil {
				return
			}
		}
		it := &p.items[i]
		// a released production order is a scheduled receipt (ko < 0)
		o := schedOrder{id: p.prodOrderID(i, ko), item: it.in.ID, qty: qty, due: int32(due), op0: int32(no)}
		if ko < 0 {
			o.flags = ordReleased
		}
		js.due[j] = due
		js.release[j] = p.cal.release(int32(due), int32(it.in.LeadTime))
		for k, op := range ops {
			h := op.SetupHours + op.RunHours*float64(qty)
			w := js.wc(op.WorkCenter)
			s.ops[no+k] = schedOp{seq: op.Seq, wc: w, hours: h}
			js.opW[no+k], js.opH[no+k] = w, h
		}
		no += len(ops)
		js.opAt[j+1] = int32(no)
		s.ord = append(s.ord, o)
	})
	if stop != nil {
		return nil, stop
	}
	s.wcs = js.wcs
	// pegging: priorities, component precedence, material, and the
	// orders each sales-order line waits for
	if err := links(ctx, s, js, prio); err != nil {
		return nil, err
	}
	lastWC, last := "", -1
	err := placeJobs(ctx, js, days, func(wc string, d int) float64 {
		if wc != lastWC || last < 0 {
			lastWC, last = wc, c.index(wc)
		}
		return c.availAt(last, dates[d], working[d])
	}, s)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// scheduleLinks sets what the finite schedule s of jobs takes from the
// pegging (prio overrides demands' priorities): each job's priority (the
// highest of the sales-order lines whose supply trees hold it), the jobs
// it waits for (After: the jobs among the supplies of its component
// requirements, through orders that are no jobs: phantoms, make items
// without a routing) and the day its purchased components arrive
// (Earliest), and each line's top jobs and top purchases. It is the walk
// of every line's supply tree ([Planner.SupplyTree]: an order's children
// are the supplies of its component requirements, the same for every
// line), done once over the single-level pegging instead: items in
// low-level-code order, every link of an item's requirements to its
// supplies visited once, an order reached from a line (or from an order
// reached) passing on its priority and its nearest jobs. Trees of every
// line cost the lines times their trees' nodes (a 1,000-item plant: 37
// s; 10,000 items: more than ten minutes). After and the lines' top jobs
// are in job order, a purchase arriving on the same day as another is
// named by the smaller ID.
func (p *Planner) scheduleLinks(ctx context.Context, s *Schedule, js *jobSet, prio map[string]int) error {
	// every order of the plan by a flat index: base[i] + k
	base := make([]int32, len(p.items)+1)
	for i := range p.items {
		base[i+1] = base[i] + int32(len(p.items[i].due))
	}
	// per order: its job (-1 none), whether a line reaches it and with
	// which priority, whether it has component requirements; side by
	// side, as a link reads them together for its parent order and its
	// supply (four lists were four misses for each: 1.8 of the 2.5 CPU-s
	// of the 50k default plant's links)
	type ordState struct {
		prio              int
		job               int32
		reached, hasChild bool
	}
	ord := make([]ordState, base[len(p.items)])
	for k := range ord {
		ord[k].job = -1
	}
	recJob := make(map[int32]int32) // receipt index -> job
	jn := 0
	p.eachProductionOrder(func(i int32, _ []Operation, _ int, _ int64, k int) {
		if k < 0 {
			recJob[int32(-1-k)] = int32(jn)
		} else {
			ord[base[i]+int32(k)].job = int32(jn)
		}
		jn++
	})
	// orders that are no jobs but have components (pass-through) keep
	// the jobs and lines they are reached from (their nearest jobs above)
	type through struct {
		jobs []int32 // nearest jobs above
		dems []int32 // the lines (demand indices) reaching it with no job between
	}
	pass := map[int32]*through{}
	dsOf := make(map[int32]*demandSched)
	// the jobs each job waits for, as pairs (job, job waited for), made
	// into the jobs' After lists at the end: 5.3 million lists grown an
	// append at a time took 2 of the 7 CPU-s of the 50k default plant's
	// links
	// (in chunks: one list grown by append copied itself 1.6 s worth)
	type wait struct{ j, a int32 }
	const waitChunk = 1 << 16
	var waits [][]wait
	addWait := func(w wait) {
		if len(waits) == 0 || len(waits[len(waits)-1]) == waitChunk {
			waits = append(waits, make([]wait, 0, waitChunk))
		}
		last := &waits[len(waits)-1]
		*last = append(*last, w)
	}
	addJob := func(list []int, j int) []int {
		if !slices.Contains(list, j) {
			list = append(list, j)
		}
		return list
	}
	// material notes a top purchase of line ds arriving on day, named by
	// ref (made only when it may name the limit)
	material := func(ds *demandSched, day int, ref func() string) {
		if day < ds.material {
			return
		}
		if r := ref(); day > ds.material || r < ds.matRef {
			ds.material, ds.matRef = day, r
		}
	}
	earliest := func(j int32, day int) {
		js.earliest[j] = max(js.earliest[j], day)
	}
	for d := range p.demands {
		dm := &p.demands[d]
		if !dm.live || dm.in.Forecast {
			continue
		}
		ds := &demandSched{id: dm.in.ID, due: p.cal.day(dm.in.Due), material: -1}
		s.dem[dm.in.ID] = ds
		dsOf[int32(d)] = ds
	}
	ahead := p.allocsAhead()
	defer ahead.close()
	for nth := 1; ; nth++ {
		if nth%(cancelEvery/8) == 0 {
			// an item's links cost about as much as eight jobs
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		i, a, ok := ahead.next()
		if !ok {
			break
		}
		{
			it := &p.items[i]
			for _, l := range a.links {
				r, sp := &a.reqs[l.req], &a.sups[l.sup]
				// the source: a line, or a reached order
				var (
					src   *through
					srcJ  int32 = -1
					srcDS *demandSched
					pr    int
				)
				if r.dem >= 0 {
					ds, ok := dsOf[r.dem]
					if !ok {
						continue
					}
					srcDS = ds
					pr = p.demands[r.dem].in.Priority
					if v, ok := prio[ds.id]; ok {
						pr = v
					}
				} else {
					po := base[r.par] + r.ord
					o := &ord[po]
					o.hasChild = true
					if !o.reached {
						continue
					}
					pr = o.prio
					if j := o.job; j >= 0 {
						srcJ = j
					} else if src = pass[po]; src == nil {
						continue
					}
				}
				// the supply
				var sj int32 = -1
				var so int32 = -1
				switch sp.kind {
				case FromStock:
					continue
				case FromPlanned:
					so = base[i] + sp.ref
					o := &ord[so]
					sj = o.job
					o.reached = true
					o.prio = max(o.prio, pr)
				case FromReceipt:
					if j, ok := recJob[sp.ref]; ok {
						sj = j
					}
				}
				// what it is to its source: a job, a purchase (no
				// components), or an order passing its source on
				leaf := sj < 0 && (so < 0 || len(it.comps) == 0)
				var arrive int
				var ref func() string
				if leaf {
					arrive = p.arrivalOf(i, sp.kind, int(sp.day))
					sup := *sp
					ref = func() string { return p.supply(i, &sup).ID }
				}
				var th *through
				if sj < 0 && !leaf {
					if th = pass[so]; th == nil {
						th = &through{}
						pass[so] = th
					}
				}
				toJob := func(j int32) {
					switch {
					case sj >= 0:
						addWait(wait{j, sj})
					case leaf:
						earliest(j, arrive)
					default:
						if !slices.Contains(th.jobs, j) {
							th.jobs = append(th.jobs, j)
						}
					}
				}
				toLine := func(ds *demandSched, d int32) {
					switch {
					case sj >= 0:
						ds.tops = addJob(ds.tops, int(sj))
					case leaf:
						material(ds, arrive, ref)
					default:
						if !slices.Contains(th.dems, d) {
							th.dems = append(th.dems, d)
						}
					}
				}
				if sj >= 0 {
					js.prio[sj] = max(js.prio[sj], pr)
				}
				switch {
				case srcDS != nil:
					toLine(srcDS, r.dem)
				case srcJ >= 0:
					toJob(srcJ)
				default:
					for _, j := range src.jobs {
						toJob(j)
					}
					for _, d := range src.dems {
						toLine(dsOf[d], d)
					}
				}
			}
		}
	}
	// an order that is no job and turned out to have no component
	// requirements (its components' BOM lines not in force on its day)
	// is a leaf: it arrives, as a purchase does
	for so, th := range pass {
		if ord[so].hasChild {
			continue
		}
		i := int32(sort.Search(len(p.items), func(i int) bool { return base[i+1] > so }))
		k := so - base[i]
		arrive, ref := p.arrivalOf(i, FromPlanned, int(p.items[i].due[k])), func() string { return p.orderID(i, int(k)) }
		for _, j := range th.jobs {
			earliest(j, arrive)
		}
		for _, d := range th.dems {
			material(dsOf[d], arrive, ref)
		}
	}
	// After by counting the pairs per job, each job's sorted, without
	// repeats, in one list (with looks at ctx between the passes)
	if err := ctx.Err(); err != nil {
		return err
	}
	nj := len(js.due)
	at := js.afterAt
	for _, ws := range waits {
		for _, w := range ws {
			at[w.j+1]++
		}
	}
	for j := range nj {
		at[j+1] += at[j]
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	after := make([]int32, at[nj])
	next := slices.Clone(at[:nj])
	for _, ws := range waits {
		for _, w := range ws {
			after[next[w.j]] = w.a
			next[w.j]++
		}
	}
	waits = nil
	// each job's list sorted, without repeats, moved down over the
	// repeats taken out before it
	w := int32(0)
	for j := range nj {
		if j%(16*cancelEvery) == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		l := after[at[j]:at[j+1]]
		slices.Sort(l)
		l = slices.Compact(l)
		at[j] = w
		w += int32(copy(after[w:], l))
		s.ord[j].prio = js.prio[j]
	}
	at[nj] = w
	js.after = after[:w:w]
	for _, ds := range s.dem {
		slices.Sort(ds.tops)
	}
	return nil
}

// arrival is the day a leaf supply of a supply tree arrives: its due day,
// or for a planned order that should have been released already (a
// purchase requisition due sooner than its lead time), the lead time
// from the planning date.
func (p *Planner) arrival(n *PegNode) int {
	i, ok := p.index[n.Item]
	if !ok {
		return n.Supply.Day
	}
	return p.arrivalOf(i, n.Supply.Kind, n.Supply.Day)
}

// arrivalOf is arrival of a supply of kind of item i due on day.
func (p *Planner) arrivalOf(i int32, kind SupplyKind, day int) int {
	if kind != FromPlanned {
		return day
	}
	lt := p.items[i].in.LeadTime
	if p.cal.release(int32(day), int32(lt)) >= 0 {
		return day
	}
	return max(day, p.cal.addWorking(0, lt))
}

// workingDay is the calendar's working day ([cal.working]), before the
// compiled range by the weekly rule.
func (p *Planner) workingDay(d int) bool {
	if d+p.cal.pre < 0 {
		// before the compiled calendar: by the weekly rule
		wd := p.cal.date(d).Weekday()
		return !p.cal.anyWeek || !p.cal.weekend[wd]
	}
	return p.cal.working(d)
}

// Order returns the scheduled order id.
func (s *Schedule) Order(id string) (FiniteOrder, bool) {
	n, ok := s.index(id)
	if !ok {
		return FiniteOrder{}, false
	}
	var o FiniteOrder
	s.OrderAt(n, &o)
	return o, true
}

// index returns the position of order id in s.
func (s *Schedule) index(id string) (int, bool) {
	s.idOnce.Do(func() {
		// in the orders' order: a released order named as a planned
		// one is the one found, as it comes later
		s.byID = make(map[string]int, len(s.ord))
		for n := range s.ord {
			s.byID[s.ord[n].id] = n
		}
	})
	n, ok := s.byID[id]
	return n, ok
}

// Delivery returns the finite-capacity delivery date of a sales-order
// line: the day the last production order at the top of its supply tree
// finishes (components finish before their parents start, so it waits
// for them) or its last purchased top-level supply arrives, and the
// requested day when that is earlier.
func (s *Schedule) Delivery(demandID string) (Delivery, error) {
	ds, ok := s.dem[demandID]
	if !ok {
		return Delivery{}, fmt.Errorf("%w: sales-order line %s (not in the schedule; forecasts have no delivery)", ErrNotFound, demandID)
	}
	d := Delivery{Demand: demandID, DueDay: ds.due, ExpectedDay: max(ds.due, 0)}
	if ds.material > d.ExpectedDay {
		d.ExpectedDay, d.Limit, d.Reason = ds.material, ds.matRef, "purchase "+ds.matRef+" arrives late"
	}
	for _, j := range ds.tops {
		o := &s.ord[j]
		if o.flags&ordUnscheduled != 0 {
			d.ExpectedDay, d.Limit, d.Reason = s.Days, o.id, s.why[int32(j)]
			break
		}
		if int(o.finish) > d.ExpectedDay {
			d.ExpectedDay, d.Limit, d.Reason = int(o.finish), o.id, s.whyLate(j)
		}
	}
	d.LateDays = max(0, d.ExpectedDay-d.DueDay)
	d.Due, d.Expected = s.start.AddDate(0, 0, d.DueDay), s.start.AddDate(0, 0, d.ExpectedDay)
	switch {
	case d.LateDays == 0:
		d.Limit, d.Reason = "", ""
	case d.Reason == "":
		d.Reason = "due before the planning date"
	}
	return d, nil
}

// whyLate explains a late order j: the order it waited for (a
// component's, finishing late in its turn, explained the same way down to
// the first one that was not held) or its purchased components' late
// arrival, else the work centers of its operations that finish late.
func (s *Schedule) whyLate(j int) string {
	var b strings.Builder
	date := func(d int32) string { return s.k.date(int(d)).Format(time.DateOnly) }
	for n := 0; ; n++ {
		o := &s.ord[j]
		if n > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "order %s finishes on %s (due %s): ", o.id, date(o.finish), date(o.due))
		h, ok := s.held[int32(j)]
		if !ok {
			b.WriteString("capacity of " + strings.Join(s.lateWCs(j, -1), ", "))
			return b.String()
		}
		if h.by == heldEarliest {
			fmt.Fprintf(&b, "its purchased components arrive on %s", date(h.to))
		} else {
			fmt.Fprintf(&b, "it waits for component order %s (finishing on %s)", s.ord[h.by].id, date(s.ord[h.by].finish))
		}
		if h.too {
			b.WriteString(", then capacity of " + strings.Join(s.lateWCs(j, h.to), ", "))
		}
		if h.by == heldEarliest || n == maxWhyDepth {
			return b.String()
		}
		j = int(h.by)
	}
}

// lateWCs names the work centers that make order j late: with from < 0,
// those of its operations that finish after its due day; otherwise, for
// an order that could start on day from, those of the operations that
// start after the day the one before finished (after from for the first:
// the work center had no free hours then) or, when none did, that take
// more than one day.
func (s *Schedule) lateWCs(j int, from int32) []string {
	o := &s.ord[j]
	var wcs []string
	add := func(op *schedOp) {
		if !slices.Contains(wcs, s.wcs[op.wc]) {
			wcs = append(wcs, s.wcs[op.wc])
		}
	}
	ops := s.opsOf(j)
	if from < 0 {
		for k := range ops {
			if ops[k].finish > o.due {
				add(&ops[k])
			}
		}
		return wcs
	}
	prev := from
	for k := range ops {
		if ops[k].hours > capEps && ops[k].start > prev {
			add(&ops[k])
		}
		prev = ops[k].finish
	}
	if len(wcs) == 0 {
		for k := range ops {
			if ops[k].finish > ops[k].start {
				add(&ops[k])
			}
		}
	}
	return wcs
}

// maxWhyDepth is how many orders waiting for each other whyLate names
// before the one it explains by capacity or material.
const maxWhyDepth = 8

// allocAhead gives the items' single-level pegging ([Planner.allocItem])
// in low-level-code order, computed on a goroutine of its own up to
// aheadDepth items before the reader when there is more than one
// processor (one core pegs while the other links: on the 10,000-item
// default plant the pegging is ~40% of scheduleLinks, and a schedule
// took 1.54 -> 1.38 s), in line otherwise.
type allocAhead struct {
	p     *Planner
	ready chan *aheadItem // computed, in order; closed after the last
	free  chan *aheadItem // storage the reader is done with
	quit  chan struct{}   // closed by close: the producer stops
	done  chan struct{}   // closed by the producer when it ends
	cur   *aheadItem      // the reader's
	// in line
	pw    *pegWorker
	a     alloc
	lv, k int
}

type aheadItem struct {
	i int32
	a alloc
}

// aheadDepth is how many items allocAhead computes before the reader:
// 64 kept 65 items' pegging storage around and made the 50k default
// plant's schedule slower (13.1 -> 13.8 s) where 8 made it faster (12.0-12.8 s).
const aheadDepth = 8

func (p *Planner) allocsAhead() *allocAhead {
	r := &allocAhead{p: p}
	if runtime.GOMAXPROCS(0) < 2 || p.opts.Workers == 1 {
		r.pw = &pegWorker{w: p.newWorker()}
		return r
	}
	r.ready, r.free = make(chan *aheadItem, aheadDepth), make(chan *aheadItem, aheadDepth+1)
	r.quit, r.done = make(chan struct{}), make(chan struct{})
	for range aheadDepth + 1 {
		r.free <- &aheadItem{}
	}
	go func() {
		defer close(r.done)
		defer close(r.ready)
		pw := &pegWorker{w: p.newWorker()}
		for _, lv := range p.levels {
			for _, i := range lv {
				var x *aheadItem
				select {
				case x = <-r.free:
				case <-r.quit:
					return
				}
				x.i = i
				p.allocItem(pw, i, &x.a)
				select {
				case r.ready <- x:
				case <-r.quit:
					return
				}
			}
		}
	}()
	return r
}

// next returns the next item and its pegging (valid until the next call),
// false after the last.
func (r *allocAhead) next() (int32, *alloc, bool) {
	if r.ready == nil {
		for r.lv < len(r.p.levels) && r.k == len(r.p.levels[r.lv]) {
			r.lv, r.k = r.lv+1, 0
		}
		if r.lv == len(r.p.levels) {
			return 0, nil, false
		}
		i := r.p.levels[r.lv][r.k]
		r.k++
		r.p.allocItem(r.pw, i, &r.a)
		return i, &r.a, true
	}
	if r.cur != nil {
		r.free <- r.cur
		r.cur = nil
	}
	x, ok := <-r.ready
	if !ok {
		return 0, nil, false
	}
	r.cur = x
	return x.i, &x.a, true
}

// close stops the producer and waits for it.
func (r *allocAhead) close() {
	if r.ready == nil {
		return
	}
	close(r.quit)
	<-r.done
}
