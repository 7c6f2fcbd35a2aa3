package mrp

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ctoplan/ctoplan/internal/invariants"
)

// Change is one edit of the planning inputs for [Planner.Apply]:
// [SetDemand], [RemoveDemand], [SetReceipt], [RemoveReceipt], [SetStock] or
// [SetItem], [SetFirm], [RemoveFirm] or [SetConfirmation].
type Change interface{ isChange() }

// SetDemand adds a demand or replaces the one with the same ID.
type SetDemand struct{ Demand Demand }

// RemoveDemand removes a demand.
type RemoveDemand struct{ ID string }

// SetReceipt adds a scheduled receipt or replaces the one with the same ID.
type SetReceipt struct{ Receipt Receipt }

// RemoveReceipt removes a scheduled receipt.
type RemoveReceipt struct{ ID string }

// SetStock sets an item's on-hand quantity.
type SetStock struct {
	Item string
	Qty  int64
}

// SetItem adds an item or replaces its parameters, components (its BOM)
// and operations.
type SetItem struct{ Item Item }

// SetFirm adds a firm planned order or replaces the one with the same ID.
type SetFirm struct{ Order FirmOrder }

// RemoveFirm removes a firm planned order (MRP plans the item freely
// again).
type RemoveFirm struct{ ID string }

func (SetDemand) isChange()     {}
func (RemoveDemand) isChange()  {}
func (SetReceipt) isChange()    {}
func (RemoveReceipt) isChange() {}
func (SetStock) isChange()      {}
func (SetItem) isChange()       {}
func (SetFirm) isChange()       {}
func (RemoveFirm) isChange()    {}

// ChangeResult reports what a net change did: the items whose plan was
// recomputed (or adjusted) and, of those, the ones whose planned orders
// or exception messages changed. It holds the items by index and makes
// their IDs when asked: a change on a 50,000-item plant touches ~16,000
// items, and listing their IDs took ~5% of the change. It stays valid
// through later changes. The zero value reports nothing.
type ChangeResult struct {
	ids              []string // item IDs by index, never written in place
	touched, changed []int32
}

// Touched lists the items whose plan was recomputed (or adjusted), in the
// order they were planned (low-level code order); nil for none. Each call
// makes a new list.
func (r *ChangeResult) Touched() []string { return r.names(r.touched) }

// Changed lists the touched items whose planned orders or exception
// messages changed, in Touched's order; nil for none. Every item whose
// orders changed (IDs, quantities, dates, kinds, firm flags) is in it; it
// may also hold an item the change reached directly (its demand, firm
// order or master data) whose orders came out the same. Each call makes
// a new list.
func (r *ChangeResult) Changed() []string { return r.names(r.changed) }

// NumTouched is len(r.Touched()).
func (r *ChangeResult) NumTouched() int { return len(r.touched) }

// NumChanged is len(r.Changed()).
func (r *ChangeResult) NumChanged() int { return len(r.changed) }

// Add appends what o reports to r (several changes answered as one, in
// the order they were made): an item touched by both is listed twice.
// r and o must come from the same planner.
func (r *ChangeResult) Add(o *ChangeResult) {
	if len(o.ids) > len(r.ids) {
		r.ids = o.ids // the later one knows the items added since
	}
	r.touched = append(r.touched, o.touched...)
	r.changed = append(r.changed, o.changed...)
}

// names returns the IDs of items (nil for none).
func (r *ChangeResult) names(items []int32) []string {
	if len(items) == 0 {
		return nil
	}
	out := make([]string, len(items))
	for k, i := range items {
		out[k] = r.ids[i]
	}
	return out
}

// dirty states
const (
	clean uint8 = iota
	byDelta
	full
)

type dday struct {
	day int32
	d   int64
}

// ncState is the reusable scratch space of net change.
type ncState struct {
	state []uint8
	force []bool // replan all components even if the item's orders stay
	// regather: the item's requirements changed other than by deltas
	// (a parent's lead time, scrap or BOM): pull them from the parents
	regather []bool
	queue    [][]int32
	// direct lists the items a change marked itself, or that were
	// replanned other than from requirement deltas (propagate), for
	// pegChanged
	direct []int32
	// pend[l] holds the requirement changes applyOne made for items of
	// level l, in the order they were made.
	pend [][]emitted
	// When level l is planned, queued item queue[l][h]'s requirement
	// changes are the runs refs[rs[h]:rs[h+1]], each a stretch of srcs[w]
	// (worker w's changes passed on to the level, c.out[l], or for w =
	// len(ws) applyOne's, pout): where they lie, not a copy of them. The
	// worker that plans the item reads them there, or gathers, sorts and
	// sums them in its scratch (prepRun).
	refs []runRef
	rs   []int32
	srcs [][]dday
	pout []dday
	// nLaid: how many requirement changes the level being planned got
	nLaid int
	pos   []int32 // an item's index in its level's queue
	cnt   []int32 // per item: its runs from applyOne in the level being gathered
	ws    []*ncw  // ws[0] plans a level alone, all of them share a big one
	chg   []bool  // per queued item of a level: its plan changed
	added bool    // SetItem added an item (forced, perhaps not queued)
	// the items touched and changed so far, for the ChangeResult
	touched, changed []int32
	// parMin is the smallest level planned by all of ws.
	parMin int
	// how items were replanned, for the tests: by delta (of them with
	// receipts), in full
	nDelta, nDeltaRec, nFull int
	nRecEarly                int // of nDeltaRec: a change on or before the last receipt's day (when p.countEarly)
	nDeltaMsg                int // of nDelta: below-safety-stock messages moved with the first order (belowOnFirst)
	nWindow                  int // of nFull: lot-sized, from the first change on
	nWW                      int // of nWindow: Wagner-Whitin, between two cuts (wwWindow)
	nWinMsg                  int // of nWindow: items with a message, kept
	nWinRec                  int // of nWindow: items with scheduled receipts (receiptsBefore)
	nWWRec                   int // of nWinRec: Wagner-Whitin
	// of nWindow: stopped where the lots fell back in step (resync), and
	// the net requirements those left alone
	nResync, nCut int
	nNever        int // of nWindow: lots that could not fall back in step (resync.never)
	nParLevels    int // levels planned by all workers
	nEmit         int // requirement changes passed on
	nDense        int // items' runs of them summed by day in an array (sumByDay)
	an            anatomy
	// tr, when set (tests and benchmarks only), records each level's
	// timing: where a net change's wall time goes
	tr *ncTrace
}

// ncTrace is the timing of one net change, level by level.
type ncTrace struct {
	t0     time.Time
	levels []ncLevelTrace
	// after the levels, from t0: the ID lists made (ids), the workers'
	// counters summed (counted), the pegging's notes taken (pegged)
	ids, counted, pegged time.Duration
}

// ncLevelTrace is one planned level of a traced net change; times are
// from the start of propagate.
type ncLevelTrace struct {
	level, queued, changes int
	parallel               bool
	// start: before gathering its changes; laid: gathered, planning
	// starts; joined: every item planned; end: bookkeeping done
	start, laid, joined, end time.Duration
	// per worker: when it started and finished planning, and how many
	// items it planned
	wStart, wEnd []time.Duration
	wItems       []int
	// the chunks of a parallel level, each worker's in the order it
	// planned them
	chunks []ncChunk
}

// ncChunk is one chunk of a traced parallel level: queued items [lo, hi),
// the worker (its index in ws) that planned them, and when.
type ncChunk struct {
	w, lo, hi  int
	start, end time.Duration
}

// ncw is one net-change worker: its scratch space, the requirement changes
// it passes on (applied between levels, so that workers never write to
// shared state) and the arena its new order lists come from.
type ncw struct {
	w   *worker
	m   []dday    // scratch of tryDelta
	idx []int32   // scratch of tryDelta
	pd  []dayDiff // scratch of passDiff
	// scratch of replanFull: a Wagner-Whitin window's new orders
	segDue []int32
	segQty []int64
	// scratch of cacheMerge: the kept requirements it merged
	mgDay []int32
	mgQty []int64
	// out[l]: the requirement changes passed on to items of level l, as
	// runs (runs[l]: the item and how many), one parent's changes to one
	// component in day order each; gathered where level l is planned (no
	// copy between), kept until it is; cnt[i]: how many runs are item
	// i's, first[l]: the items of level l with any, in the order of their
	// first; cur: per queued position of the level being gathered, where
	// the worker's next run for the item goes in s.refs
	out   [][]dday
	runs  [][]ncRun
	cnt   []int32
	first [][]int32
	cur   []int32
	runScratch
	// the prepared runs of the items being planned (prepRun): prep[h-lo]
	// is queued item h's, for the chunk q[lo:lo+16] (touch); those that
	// had to be gathered (several runs, or one out of order) lie in buf
	buf  []dday
	prep [16][]dday
	sink int64 // what touch read
	// the trace of the level being planned (see ncState.tr)
	trStart, trEnd time.Duration
	trItems        int
	trChunks       []ncChunk
	// counts as in ncState
	nDelta, nDeltaRec, nFull, nWindow int
	nRecEarly                         int // of nDeltaRec: a change on or before the last receipt's day (when p.countEarly)
	nDeltaMsg                         int // of nDelta: below-safety-stock messages moved (belowOnFirst)
	nWW                               int // of nWindow: Wagner-Whitin (wwWindow)
	nWinMsg                           int // of nWindow: items with a message, kept
	nWinRec                           int // of nWindow: items with scheduled receipts
	nWWRec                            int // of nWinRec: Wagner-Whitin
	nDiff                             int // days passDiff found changed
	nResync, nCut                     int // of nWindow: stopped early (resync), and the net requirements left
	nNever                            int // of nWindow: lots that could not fall back in step
	rs                                resync
	an                                anatomy
}

// anatomy counts what net change's work amounts to (for the tests and
// benchmarks that ask whether it recomputes what stays equal).
type anatomy struct {
	runDays   int // requirement changes received, summed per item and day
	lotReqs   int // net requirements lot-sized by full replans of lot-sized items (not those a window left alone past its resync)
	lotOrders int // orders those replans made (not the old ones a resync kept)
	lotDiff   int // days on which those orders differ from the old ones (of items with components: passDiff counts no others)
	lotItems  int // lot-sized items replanned in full
	lotSame   int // of them, with their orders unchanged
}

func (a *anatomy) add(b anatomy) {
	a.runDays += b.runDays
	a.lotReqs += b.lotReqs
	a.lotOrders += b.lotOrders
	a.lotDiff += b.lotDiff
	a.lotItems += b.lotItems
	a.lotSame += b.lotSame
}

type emitted struct {
	to  int32
	day int32
	d   int64
}

// ncRun is a run of requirement changes a worker passed on to one item:
// the item and how many changes (in ncw.out).
type ncRun struct {
	to, n int32
}

// runRef is where a run of an item's requirement changes lies: n of them
// from at in ncState.srcs[w].
type runRef struct {
	w, at, n int32
}

// ncOut is a run being passed on (ncw.open, add, close).
type ncOut struct {
	out     []dday // the level's changes, the run's at the end
	at      int    // where the run starts in out
	l       int32  // the item's level
	to      int32
	horizon int32
}

// open starts a run of requirement changes for item to: add appends them
// (in day order) and close files the run. The item's level, count and
// first mark are read once per run, not per change.
func (c *ncw) open(p *Planner, to int32) ncOut {
	l := p.llc[to]
	return ncOut{out: c.out[l], at: len(c.out[l]), l: l, to: to, horizon: int32(p.cal.horizon)}
}

// add records a requirement change of d on day in the run.
func (o *ncOut) add(day int32, d int64) {
	if d != 0 && day < o.horizon {
		if len(o.out) == cap(o.out) {
			o.out = grow2(o.out)
		}
		o.out = append(o.out, dday{day, d})
	}
}

// outSlack is the room for requirement changes that touch leaves in
// each of a worker's buffers before a chunk of items is planned; a chunk
// that passes on more grows them by append.
const outSlack = 4096

// reserve makes room for outSlack more requirement changes and runs in c's
// buffers of the levels below l. They grow by doubling, not by append's
// quarter for large slices: a buffer that reaches n elements has then
// copied about n of them on the way, not about 4n, which on a fresh
// planner's first big changes (560k-730k requirement changes passed on,
// the buffers grown from nothing) was ~10% of the CPU of the benchmark's
// 200 changes.
func (c *ncw) reserve(l int32) {
	for l++; int(l) < len(c.out); l++ {
		if out := c.out[l]; cap(out)-len(out) < outSlack {
			c.out[l] = grow2(out)
		}
		if r := c.runs[l]; cap(r)-len(r) < outSlack {
			c.runs[l] = grow2(r)
		}
	}
}

// grow2 returns a copy of s with twice its capacity plus outSlack. Made
// by make and copy, not slices.Grow, which clears the new part: the pages
// of a fresh buffer's unused part are not touched until written.
func grow2[T any](s []T) []T {
	n := make([]T, len(s), 2*cap(s)+outSlack)
	copy(n, s)
	return n
}

// growBy returns s with room for n more elements: s itself when it has
// it, else a copy grown as grow2 grows (at least doubled, so that a
// buffer filled by many small growths copies each element about once; a
// deep bill of material's first change passes millions of requirement
// changes on, and slices.Grow's quarter steps copied them ~5 times).
func growBy[T any](s []T, n int) []T {
	if cap(s)-len(s) >= n {
		return s
	}
	g := make([]T, len(s), max(2*cap(s)+outSlack, len(s)+n))
	copy(g, s)
	return g
}

// close files the run o in c.
func (c *ncw) close(o *ncOut) {
	c.out[o.l] = o.out
	n := int32(len(o.out) - o.at)
	if n == 0 {
		return
	}
	c.runs[o.l] = append(c.runs[o.l], ncRun{o.to, n})
	if c.cnt[o.to] == 0 {
		c.first[o.l] = append(c.first[o.l], o.to)
	}
	c.cnt[o.to]++
}

// emit records a requirement change of d on day for item to, a run of
// its own.
func (c *ncw) emit(p *Planner, to int32, day int32, d int64) {
	o := c.open(p, to)
	o.add(day, d)
	c.close(&o)
}

// onHeap is where net change puts order lists and kept requirements that
// outgrow their place: the heap (a nil arena), so that the ones replaced
// are garbage collected.
var onHeap *arena

// ncParallelMin is the default smallest level net change spreads over
// several workers: below it, starting them costs more than it saves.
const ncParallelMin = 64

func (p *Planner) nc() *ncState {
	s := p.ncs
	if s == nil {
		s = &ncState{parMin: ncParallelMin}
		nw := p.opts.Workers
		if nw == 0 {
			nw = runtime.GOMAXPROCS(0)
		}
		for range max(nw, 1) {
			s.ws = append(s.ws, &ncw{w: p.newWorker()})
		}
		p.ncs = s
	}
	n := len(p.items)
	if len(s.state) < n {
		s.state = slices.Grow(s.state, n-len(s.state))[:n]
		s.force = slices.Grow(s.force, n-len(s.force))[:n]
		s.regather = slices.Grow(s.regather, n-len(s.regather))[:n]
		s.pos = slices.Grow(s.pos, n-len(s.pos))[:n]
		s.cnt = slices.Grow(s.cnt, n-len(s.cnt))[:n]
	}
	for len(s.queue) < len(p.levels) {
		s.queue = append(s.queue, nil)
		s.pend = append(s.pend, nil)
	}
	for _, c := range s.ws {
		c.w.ensure(p.cal.horizon)
		for len(c.out) < len(p.levels) {
			c.out = append(c.out, nil)
			c.runs = append(c.runs, nil)
			c.first = append(c.first, nil)
		}
		if len(c.cnt) < n {
			c.cnt = slices.Grow(c.cnt, n-len(c.cnt))[:n]
		}
	}
	return s
}

func (s *ncState) mark(p *Planner, i int32, st uint8) {
	if s.state[i] == clean {
		l := p.llc[i]
		s.queue[l] = append(s.queue[l], i)
	}
	if st > s.state[i] {
		s.state[i] = st
	}
}

func (s *ncState) addDelta(p *Planner, i int32, day int32, d int64) {
	if d == 0 || int(day) >= p.cal.horizon {
		return
	}
	s.mark(p, i, byDelta)
	l := p.llc[i]
	s.pend[l] = append(s.pend[l], emitted{i, day, d})
}

// markLevel queues the items of level l that the workers passed
// requirement changes to (those from applyOne are queued already, and
// counted in s.cnt here): one step per item, as the workers counted
// their changes per item as they made them.
func (s *ncState) markLevel(p *Planner, l int) {
	for _, c := range s.ws {
		s.nEmit += len(c.out[l])
		for _, i := range c.first[l] {
			s.mark(p, i, byDelta)
		}
		c.first[l] = c.first[l][:0]
	}
	for _, e := range s.pend[l] {
		s.cnt[e.to]++
	}
}

// anyOut reports whether any worker passed requirement changes to level l.
func (s *ncState) anyOut(l int) bool {
	for _, c := range s.ws {
		if len(c.out[l]) > 0 {
			return true
		}
	}
	return false
}

// levelDeltas lays out where level l's requirement changes are, by item:
// it sets s.rs to each queued item's runs in s.refs (q, the level's queue,
// sorted) and each worker's cursors in its part of them, and puts the
// changes from applyOne (s.pend[l], a run each) in s.pout and their runs
// in place; each worker then puts its own runs (scatter), and the worker
// that plans an item reads its changes where their parent put them, or
// gathers, sorts and sums them (prepRun). So the serial part takes a step
// per queued item, not per change, and a change is not copied into a
// level-wide buffer between levels (its 16 bytes written there and read
// again, in memory gone cold: i17mem counted ~45 k last-level misses a
// change there). Within a run, a parent's changes to the item are in the
// day order the parent passed them on, which sortRun merges.
func (s *ncState) levelDeltas(l int, q []int32) {
	n := len(q)
	s.rs = slices.Grow(s.rs[:0], n+1)[:n+1]
	for _, c := range s.ws {
		c.cur = slices.Grow(c.cur[:0], n)[:n]
	}
	rs := s.rs
	rs[0] = 0
	for h, i := range q {
		s.pos[i] = int32(h)
		at := rs[h] + s.cnt[i]
		s.cnt[i] = 0
		for _, c := range s.ws {
			c.cur[h] = at
			at += c.cnt[i]
			c.cnt[i] = 0
		}
		rs[h+1] = at
	}
	s.refs = slices.Grow(s.refs[:0], int(rs[n]))[:rs[n]]
	s.srcs = s.srcs[:0]
	s.nLaid = len(s.pend[l])
	for _, c := range s.ws {
		s.srcs = append(s.srcs, c.out[l])
		s.nLaid += len(c.out[l])
	}
	// applyOne's: a run of one each, first in their items' runs
	s.pout = s.pout[:0]
	w := int32(len(s.ws))
	for k, e := range s.pend[l] {
		h := s.pos[e.to]
		s.refs[rs[h]] = runRef{w, int32(k), 1}
		rs[h]++
		s.pout = append(s.pout, dday{e.day, e.d})
	}
	s.srcs = append(s.srcs, s.pout)
	// rs[h] moved past item h's runs from applyOne: back
	for _, e := range s.pend[l] {
		rs[s.pos[e.to]]--
	}
	s.pend[l] = s.pend[l][:0]
}

// scatter puts the runs of worker w (c) for level l in their places in
// s.refs (laid out by levelDeltas).
func (s *ncState) scatter(c *ncw, w int, l int) {
	refs, cur := s.refs, c.cur
	at := int32(0)
	for _, r := range c.runs[l] {
		h := s.pos[r.to]
		refs[cur[h]] = runRef{int32(w), at, r.n}
		cur[h]++
		at += r.n
	}
	c.runs[l] = c.runs[l][:0]
}

// doneLevel empties the workers' changes passed on to level l, once it
// is planned (the items read them where they lay).
func (s *ncState) doneLevel(l int) {
	for _, c := range s.ws {
		c.out[l] = c.out[l][:0]
	}
	s.srcs = s.srcs[:0]
}

// prepRun returns queued item h's requirement changes by day, those of
// the same day summed (zeros dropped). Most items get one run, from one
// parent, in day order with one change a day: it is returned where the
// parent put it (capacity clipped: nobody appends to it), not copied.
// Others are gathered into c.buf, sorted and summed there, with c's
// scratch.
func (s *ncState) prepRun(c *ncw, h int) []dday {
	refs := s.refs[s.rs[h]:s.rs[h+1]]
	if len(refs) == 1 {
		r := refs[0]
		run := s.srcs[r.w][r.at : r.at+r.n : r.at+r.n]
		k := 1
		for k < len(run) && run[k-1].day < run[k].day {
			k++
		}
		if k >= len(run) {
			return run
		}
	}
	at := len(c.buf)
	for _, r := range refs {
		src := s.srcs[r.w]
		if r.n == 1 {
			c.buf = append(c.buf, src[r.at])
		} else {
			c.buf = append(c.buf, src[r.at:r.at+r.n]...)
		}
	}
	run := c.sumByDay(c.buf[at:])
	c.buf = c.buf[:at+len(run)]
	return run[:len(run):len(run)]
}

// runScratch is the scratch space of sortRun and sumByDay.
type runScratch struct {
	runEnds []int32
	tmp     []dday
	// dense: sumByDay's sums by day, all zero between its calls
	dense  []int64
	nDense int // runs summed in it
}

// sumByDay sorts an item's requirement changes by day and sums those of
// one day, in place, dropping the days whose changes sum to zero, and
// returns what is left. Dense changes (at least denseMin of them, over
// at most denseSpan days for each: the items of a deep bill of material
// below lot-sized parents, whose every parent changed on most days, get
// a change a day from each) are summed in an array indexed by day and
// read back in day order, in time linear in their number; others are
// merged by sortRun (its runs are few) and summed. For example +3 on
// day 7, +1 on day 5, -3 on day 7 and +2 on day 5 leave +3 on day 5.
func (s *runScratch) sumByDay(run []dday) []dday {
	if len(run) >= denseMin {
		lo, hi := run[0].day, run[0].day
		for _, x := range run[1:] {
			lo, hi = min(lo, x.day), max(hi, x.day)
		}
		if span := int64(hi) - int64(lo) + 1; span <= denseSpan*int64(len(run)) {
			if int64(len(s.dense)) < span {
				s.dense = make([]int64, span)
			}
			s.nDense++
			acc := s.dense[:span]
			for _, x := range run {
				acc[x.day-lo] += x.d
			}
			k := 0
			for j, v := range acc {
				if v != 0 {
					run[k] = dday{lo + int32(j), v}
					k++
					acc[j] = 0
				}
			}
			return run[:k]
		}
	}
	s.sortRun(run)
	k := 0
	for _, x := range run {
		if k > 0 && run[k-1].day == x.day {
			run[k-1].d += x.d
			if run[k-1].d == 0 {
				k--
			}
			continue
		}
		run[k] = x
		k++
	}
	return run[:k]
}

// denseMin and denseSpan: sumByDay sums runs of at least denseMin
// changes in an array when they span at most denseSpan days a change.
const (
	denseMin  = 64
	denseSpan = 2
)

// sortRun sorts an item's requirement changes by day. They come as a few
// runs already in day order, one from each parent that changed (a parent
// passes its changes on in day order: tryDelta and passDiff walk its
// orders by day), so merging those runs is linear, and there is no sort
// by day of the whole level first. Any order is sorted right, only
// slower.
func (s *runScratch) sortRun(run []dday) {
	k := 1
	for k < len(run) && run[k-1].day <= run[k].day {
		k++
	}
	if k >= len(run) {
		return
	}
	if len(run) <= 16 {
		for a := k; a < len(run); a++ {
			for b := a; b > 0 && run[b].day < run[b-1].day; b-- {
				run[b], run[b-1] = run[b-1], run[b]
			}
		}
		return
	}
	// the ends of the runs in day order
	ends := append(s.runEnds[:0], int32(k))
	for k++; k < len(run); k++ {
		if run[k].day < run[k-1].day {
			ends = append(ends, int32(k))
		}
	}
	ends = append(ends, int32(len(run)))
	s.tmp = slices.Grow(s.tmp[:0], len(run))[:len(run)]
	src, dst := run, s.tmp
	for len(ends) > 1 {
		// merge neighbouring runs pairwise from src into dst
		lo, n := int32(0), 0
		for r := 0; r < len(ends); r += 2 {
			if r+1 == len(ends) {
				copy(dst[lo:], src[lo:ends[r]])
				ends[n] = ends[r]
				n++
				break
			}
			mergeDays(dst[lo:ends[r+1]], src[lo:ends[r]], src[ends[r]:ends[r+1]])
			lo = ends[r+1]
			ends[n] = ends[r+1]
			n++
		}
		ends = ends[:n]
		src, dst = dst, src
	}
	if &src[0] != &run[0] {
		copy(run, src)
	}
	s.runEnds = ends[:0]
}

// mergeDays merges a and b, each in day order, into out (len(a)+len(b)).
func mergeDays(out, a, b []dday) {
	i, j, k := 0, 0, 0
	for i < len(a) && j < len(b) {
		if b[j].day < a[i].day {
			out[k] = b[j]
			j++
		} else {
			out[k] = a[i]
			i++
		}
		k++
	}
	k += copy(out[k:], a[i:])
	copy(out[k:], b[j:])
}

// Apply applies the changes in order and replans, in low-level-code order,
// only the items they can affect, stopping where an item's plan did not
// change. The plan afterwards equals a regenerative run on the changed
// inputs. If any change is invalid, Apply returns its error and neither
// inputs nor plan change.
func (p *Planner) Apply(changes ...Change) (*ChangeResult, error) {
	s := p.nc()
	var undo []func()
	relink := false
	fail := func(err error) (*ChangeResult, error) {
		for k := len(undo) - 1; k >= 0; k-- {
			undo[k]()
		}
		if relink {
			if e := p.linkAll(); e != nil {
				panic("mrp: relink after undo: " + e.Error())
			}
		}
		for _, q := range s.queue {
			for _, i := range q {
				if int(i) < len(s.state) {
					s.state[i], s.force[i], s.regather[i] = clean, false, false
				}
			}
		}
		for l := range s.queue {
			s.queue[l] = s.queue[l][:0]
			s.pend[l] = s.pend[l][:0]
		}
		return nil, err
	}
	growth := p.qtyGrowth
	var firmed []int32 // the items whose firm orders the changes set or remove
	for _, c := range changes {
		firmed = p.firmItems(c, firmed)
		u, rl, err := p.applyOne(s, c)
		if err != nil {
			return fail(err)
		}
		switch c := c.(type) {
		case SetDemand:
			growth += float64(c.Demand.Qty)
		case SetFirm:
			growth += float64(c.Order.Qty)
		}
		if u != nil {
			undo = append(undo, u)
		}
		if rl {
			relink = true
			// netWindow's kept sums go with the old links (an item whose
			// lot sizing changed is relinked: see takeChanged)
			p.wk, p.wkHeld, p.wkAny = nil, nil, false
			if err := p.linkAll(); err != nil {
				return fail(err)
			}
			s = p.nc()
			// levels may have changed: requeue everything marked.
			var marked []int32
			var pend []emitted
			for l, q := range s.queue {
				marked = append(marked, q...)
				pend = append(pend, s.pend[l]...)
				s.queue[l] = s.queue[l][:0]
				s.pend[l] = s.pend[l][:0]
			}
			for _, i := range marked {
				st := s.state[i]
				s.state[i] = clean
				s.mark(p, i, st)
			}
			for _, e := range pend {
				s.pend[p.items[e.to].llc] = append(s.pend[p.items[e.to].llc], e)
			}
		}
	}
	// the plan's quantities stay bounded (see checkQty): the bound is
	// figured again after an item's change, or once demands and firm
	// orders grew past the room the last one left
	if relink || growth > p.qtyRoom {
		if err := p.checkQty(); err != nil {
			return fail(err)
		}
	} else {
		p.qtyGrowth = growth
	}
	if len(p.wk) != len(p.items) {
		p.wk, p.wkHeld = make([]winKeep, len(p.items)), make([]bool, len(p.items))
	}
	p.pegMu.Lock()
	p.wkOwn = p.peg == nil
	p.pegMu.Unlock()
	res := p.propagate(s)
	for _, i := range firmed {
		// a firm order that takes a planned order's place (same day
		// and quantity) leaves the item's days and quantities as they
		// were, but not its orders: one got another ID and is firm
		if !slices.Contains(res.changed, i) {
			res.changed = append(res.changed, i)
		}
	}
	p.pegChanged(s.touched, s.direct, relink)
	p.excTouched(s.touched)
	p.digTouched(res.changed)
	if s.tr != nil {
		s.tr.pegged = time.Since(s.tr.t0)
	}
	if invariants.Enabled && p.checkDue() {
		p.checkNetChange()
		p.checkPegging()
		p.checkWinKeeps()
	}
	return res, nil
}

// firmItems appends to items the items whose firm orders c sets or
// removes: a SetFirm's item and, when its ID names a firm order already,
// that order's item; a RemoveFirm's order's item. Read before c is
// applied.
func (p *Planner) firmItems(c Change, items []int32) []int32 {
	var id string
	switch c := c.(type) {
	case SetFirm:
		if i, ok := p.index[c.Order.Item]; ok {
			items = append(items, i)
		}
		id = c.Order.ID
	case RemoveFirm:
		id = c.ID
	default:
		return items
	}
	if k, ok := p.firmIx[id]; ok {
		items = append(items, p.firms[k].item)
	}
	return items
}

func (p *Planner) applyOne(s *ncState, c Change) (undo func(), relink bool, err error) {
	switch c := c.(type) {
	case SetDemand:
		d := c.Demand
		i, err := p.checkDemand(&d)
		if err != nil {
			return nil, false, err
		}
		nd := demand{in: d, item: i, day: p.cal.demandDay(p.cal.day(d.Due)), live: true}
		if k, ok := p.demandIx[d.ID]; ok {
			old := p.demands[k]
			p.unhookDemand(s, k)
			p.demands[k] = nd
			p.hookDemand(s, k)
			if !old.in.Due.Equal(d.Due) {
				p.dueRev++ // the demands' order by due date may change
			}
			return func() { p.unhookDemand(nil, k); p.demands[k] = old; p.hookDemand(nil, k); p.dueRev++ }, false, nil
		}
		k := int32(len(p.demands))
		p.demands = append(p.demands, nd)
		p.demandIx[d.ID] = k
		p.hookDemand(s, k)
		return func() { p.unhookDemand(nil, k); p.demands = p.demands[:k]; delete(p.demandIx, d.ID) }, false, nil
	case RemoveDemand:
		k, ok := p.demandIx[c.ID]
		if !ok {
			return nil, false, fmt.Errorf("%w: demand %s", ErrNotFound, c.ID)
		}
		p.unhookDemand(s, k)
		p.demands[k].live = false
		delete(p.demandIx, c.ID)
		return func() { p.demands[k].live = true; p.demandIx[c.ID] = k; p.hookDemand(nil, k) }, false, nil
	case SetReceipt:
		r := c.Receipt
		i, err := p.checkReceipt(&r)
		if err != nil {
			return nil, false, err
		}
		if _, ok := p.firmIx[r.ID]; ok {
			return nil, false, errFirmReceipt(r.ID)
		}
		nr := receipt{in: r, item: i, day: int32(max(p.cal.day(r.Due), 0)), live: true}
		if k, ok := p.recIx[r.ID]; ok {
			old := p.recs[k]
			p.unhookReceipt(s, k)
			p.recs[k] = nr
			p.hookReceipt(s, k)
			resetOrig := p.resetOrigQty(r.ID, r.Qty)
			return func() { resetOrig(); p.unhookReceipt(nil, k); p.recs[k] = old; p.hookReceipt(nil, k) }, false, nil
		}
		k := int32(len(p.recs))
		p.recs = append(p.recs, nr)
		p.recIx[r.ID] = k
		p.hookReceipt(s, k)
		return func() { p.unhookReceipt(nil, k); p.recs = p.recs[:k]; delete(p.recIx, r.ID) }, false, nil
	case RemoveReceipt:
		k, ok := p.recIx[c.ID]
		if !ok {
			return nil, false, fmt.Errorf("%w: receipt %s", ErrNotFound, c.ID)
		}
		p.unhookReceipt(s, k)
		p.recs[k].live = false
		delete(p.recIx, c.ID)
		return func() { p.recs[k].live = true; p.recIx[c.ID] = k; p.hookReceipt(nil, k) }, false, nil
	case SetStock:
		i, ok := p.index[c.Item]
		if !ok {
			return nil, false, &ItemError{Item: c.Item, Err: ErrUnknownItem}
		}
		if c.Qty < 0 || c.Qty > MaxQty {
			return nil, false, &ItemError{Item: c.Item, Err: fmt.Errorf("%w: stock %d not in [0, %d]", ErrInvalid, c.Qty, int64(MaxQty))}
		}
		old := p.items[i].onhand
		p.items[i].onhand = c.Qty
		s.mark(p, i, full)
		return func() { p.items[i].onhand = old }, false, nil
	case SetFirm:
		f := c.Order
		i, err := p.checkFirm(&f)
		if err != nil {
			return nil, false, err
		}
		if _, ok := p.recIx[f.ID]; ok {
			return nil, false, errFirmReceipt(f.ID)
		}
		nf := p.newFirm(f, i)
		if k, ok := p.firmIx[f.ID]; ok {
			old := p.firms[k]
			p.unhookFirm(s, k)
			p.firms[k] = nf
			p.hookFirm(s, k)
			return func() { p.unhookFirm(nil, k); p.firms[k] = old; p.hookFirm(nil, k) }, false, nil
		}
		k := int32(len(p.firms))
		p.firms = append(p.firms, nf)
		p.firmIx[f.ID] = k
		p.hookFirm(s, k)
		return func() { p.unhookFirm(nil, k); p.firms = p.firms[:k]; delete(p.firmIx, f.ID) }, false, nil
	case RemoveFirm:
		k, ok := p.firmIx[c.ID]
		if !ok {
			return nil, false, fmt.Errorf("%w: firm planned order %s", ErrNotFound, c.ID)
		}
		p.unhookFirm(s, k)
		p.firms[k].live = false
		delete(p.firmIx, c.ID)
		return func() { p.firms[k].live = true; p.firmIx[c.ID] = k; p.hookFirm(nil, k) }, false, nil
	case SetConfirmation:
		return p.applyConfirmation(s, c.Confirmation)
	case SetItem:
		it := c.Item
		if err := validateItem(&it); err != nil {
			return nil, false, err
		}
		for _, cm := range allComponents(&it) {
			if _, ok := p.index[cm.Item]; !ok {
				return nil, false, &ItemError{Item: it.ID, Err: fmt.Errorf("%w: component %s", ErrUnknownItem, cm.Item)}
			}
		}
		if it.LeadTime > p.cal.pre/2-30 {
			// The calendar covers twice the longest lead time before the
			// planning date (releases of past-due orders): extend it. Day
			// numbers stay as they are, so plans stay valid.
			k, err := compileCalendar(p.calIn, it.LeadTime)
			if err != nil {
				return nil, false, err
			}
			p.cal = k
		}
		if i, ok := p.index[it.ID]; ok {
			old := p.items[i].in
			p.items[i].setIn(cloneItem(&it))
			for _, e := range p.items[i].comps {
				s.mark(p, e.to, full)
				s.regather[e.to] = true
			}
			s.force[i] = true
			s.mark(p, i, full)
			return func() { p.items[i].setIn(old) }, true, nil
		}
		i := int32(len(p.items))
		p.items = append(p.items, item{})
		p.items[i].setIn(cloneItem(&it))
		p.index[it.ID] = i
		s = p.nc()
		s.force[i] = true
		s.added = true
		return func() {
			delete(p.index, it.ID)
			p.items = p.items[:i]
		}, true, nil
	}
	return nil, false, fmt.Errorf("%w: change %T", ErrInvalid, c)
}

func (p *Planner) hookDemand(s *ncState, k int32) {
	d := &p.demands[k]
	if int(d.day) >= p.cal.horizon {
		return
	}
	it := &p.items[d.item]
	it.dem.insert(k, p.lessDem)
	if d.in.Forecast {
		it.nfc++
	}
	p.demandChanged(s, d, d.in.Qty)
}

// demandChanged passes a demand's quantity change on: as a delta, or, for
// an item with forecasts (consumption makes the effect non-local), as a
// replan from the demands.
func (p *Planner) demandChanged(s *ncState, d *demand, q int64) {
	if s == nil {
		return
	}
	if p.items[d.item].nfc > 0 || d.in.Forecast {
		s.mark(p, d.item, full)
		s.regather[d.item] = true
		return
	}
	s.addDelta(p, d.item, d.day, q)
}

func (p *Planner) unhookDemand(s *ncState, k int32) {
	d := &p.demands[k]
	it := &p.items[d.item]
	if !it.dem.remove(k) {
		return
	}
	p.demandChanged(s, d, -d.in.Qty)
	if d.in.Forecast {
		it.nfc--
	}
}

func (p *Planner) hookReceipt(s *ncState, k int32) {
	r := &p.recs[k]
	if int(r.day) >= p.cal.horizon {
		return
	}
	it := &p.items[r.item]
	it.rec.insert(k, p.lessRec)
	if s != nil {
		s.mark(p, r.item, full)
	}
}

func (p *Planner) unhookReceipt(s *ncState, k int32) {
	r := &p.recs[k]
	it := &p.items[r.item]
	if !it.rec.remove(k) {
		return
	}
	if s != nil {
		s.mark(p, r.item, full)
	}
}

// plainLFL reports whether an item's orders are exactly its net
// requirements, one per day.
func plainLFL(it *item) bool { return it.lfl }

// propagate replans the marked items level by level.
func (p *Planner) propagate(s *ncState) *ChangeResult {
	s.touched, s.changed, s.direct = s.touched[:0], s.changed[:0], s.direct[:0]
	// what the changes themselves marked (their items' stock, receipts,
	// demands, firm orders, settings), for the late-demand search
	for _, q := range s.queue {
		s.direct = append(s.direct, q...)
	}
	// items added by SetItem may not be queued yet
	if s.added {
		for i := range p.items {
			if s.force[i] && s.state[i] == clean {
				s.mark(p, int32(i), full)
			}
		}
		s.added = false
	}
	tr := s.tr
	if tr != nil {
		tr.t0, tr.levels = time.Now(), tr.levels[:0]
	}
	for l := 0; l < len(s.queue); l++ {
		var lt *ncLevelTrace
		if tr != nil && (len(s.queue[l]) > 0 || len(s.pend[l]) > 0 || s.anyOut(l)) {
			tr.levels = append(tr.levels, ncLevelTrace{level: l, start: time.Since(tr.t0)})
			lt = &tr.levels[len(tr.levels)-1]
		}
		s.markLevel(p, l)
		// in item order: neighbouring items' plans lie side by side
		q := s.queue[l]
		if len(q) == 0 {
			continue
		}
		if lv := p.levels[l]; len(q) > len(lv)/16 {
			// many queued: picking them out of the level (in item order)
			// is cheaper than sorting
			q = q[:0]
			for _, i := range lv {
				if s.state[i] != clean || s.force[i] {
					q = append(q, i)
				}
			}
		} else {
			slices.Sort(q)
		}
		s.levelDeltas(l, q)
		s.chg = slices.Grow(s.chg[:0], len(q))[:len(q)]
		if lt != nil {
			lt.queued, lt.changes, lt.laid = len(q), s.nLaid, time.Since(tr.t0)
		}
		if len(s.ws) == 1 || len(q) < s.parMin {
			for w, c := range s.ws {
				s.scatter(c, w, l)
			}
			c := s.ws[0]
			for h, i := range q {
				if h%16 == 0 {
					p.touch(s, c, q, h, min(h+16, len(q)))
				}
				s.chg[h] = p.ncItem(s, c, i, c.prep[h%16])
			}
		} else {
			// Each item writes only its own plan and buffers what it
			// passes on: no locks. Chunks of 16 from an atomic counter.
			var next atomic.Int64
			var wg, laid sync.WaitGroup
			laid.Add(len(s.ws))
			for wi, c := range s.ws {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if lt != nil {
						c.trStart, c.trItems, c.trChunks = time.Since(tr.t0), 0, c.trChunks[:0]
					}
					// every worker's changes in place before any
					// item is planned
					s.scatter(c, wi, l)
					laid.Done()
					laid.Wait()
					for {
						lo := int(next.Add(16)) - 16
						if lo >= len(q) {
							if lt != nil {
								c.trEnd = time.Since(tr.t0)
							}
							return
						}
						var t0 time.Duration
						if lt != nil {
							c.trItems += min(lo+16, len(q)) - lo
							t0 = time.Since(tr.t0)
						}
						p.touch(s, c, q, lo, min(lo+16, len(q)))
						for h := lo; h < min(lo+16, len(q)); h++ {
							s.chg[h] = p.ncItem(s, c, q[h], c.prep[h-lo])
						}
						if lt != nil {
							c.trChunks = append(c.trChunks, ncChunk{wi, lo, min(lo+16, len(q)), t0, time.Since(tr.t0)})
						}
					}
				}()
			}
			wg.Wait()
			s.nParLevels++
			if lt != nil {
				lt.parallel = true
				for _, c := range s.ws {
					lt.wStart = append(lt.wStart, c.trStart)
					lt.wEnd = append(lt.wEnd, c.trEnd)
					lt.wItems = append(lt.wItems, c.trItems)
					lt.chunks = append(lt.chunks, c.trChunks...)
				}
			}
		}
		s.doneLevel(l)
		if lt != nil {
			lt.joined = time.Since(tr.t0)
		}
		for h, i := range q {
			it := &p.items[i]
			s.touched = append(s.touched, i)
			if s.chg[h] || s.force[i] {
				// an item whose master data changed (SetItem) counts as
				// changed: its orders' release days or kind may have
				// moved with the same days and quantities
				s.changed = append(s.changed, i)
			}
			if s.force[i] {
				for _, e := range it.comps {
					s.mark(p, e.to, full)
					s.regather[e.to] = true
				}
			}
			if s.state[i] == full || s.regather[i] || s.force[i] {
				s.direct = append(s.direct, i)
			}
			s.state[i], s.force[i], s.regather[i] = clean, false, false
		}
		s.queue[l] = q[:0]
		if lt != nil {
			lt.end = time.Since(tr.t0)
		}
	}
	// the lists by index (s's are scratch); IDs when asked
	res := &ChangeResult{ids: p.idOf}
	if len(s.touched) > 0 {
		res.touched = slices.Clone(s.touched)
	}
	if len(s.changed) > 0 {
		res.changed = slices.Clone(s.changed)
	}
	if tr != nil {
		tr.ids = time.Since(tr.t0)
	}
	for _, c := range s.ws {
		s.nDelta, s.nDeltaRec, s.nFull = s.nDelta+c.nDelta, s.nDeltaRec+c.nDeltaRec, s.nFull+c.nFull
		s.nWindow += c.nWindow
		s.nDense, c.nDense = s.nDense+c.nDense, 0
		s.nRecEarly, c.nRecEarly = s.nRecEarly+c.nRecEarly, 0
		s.nDeltaMsg, c.nDeltaMsg = s.nDeltaMsg+c.nDeltaMsg, 0
		s.nWW, s.nWinMsg = s.nWW+c.nWW, s.nWinMsg+c.nWinMsg
		c.nWW, c.nWinMsg = 0, 0
		s.nWinRec, c.nWinRec = s.nWinRec+c.nWinRec, 0
		s.nWWRec, c.nWWRec = s.nWWRec+c.nWWRec, 0
		s.nResync, s.nCut, s.nNever = s.nResync+c.nResync, s.nCut+c.nCut, s.nNever+c.nNever
		c.nResync, c.nCut, c.nNever = 0, 0, 0
		s.an.add(c.an)
		c.nDelta, c.nDeltaRec, c.nFull, c.nWindow, c.an = 0, 0, 0, 0, anatomy{}
		if c.w.wkMade {
			p.wkAny, c.w.wkMade = true, false
		}
	}
	if tr != nil {
		tr.counted = time.Since(tr.t0)
	}
	return res
}

// touch makes room in c's buffers for what items q[lo:hi] pass on
// (reserve), prepares their runs of requirement changes (prepRun) and
// reads the cache lines net change is about to need (the item's two
// lines, and the order near its first requirement change, guessed from
// the first and last order's days in the second; for a lot-sized item,
// also the ends of its kept requirements)
// in one short loop, so that the processor fetches them from memory in
// parallel instead of one after another as each item is planned.
func (p *Planner) touch(s *ncState, c *ncw, q []int32, lo, hi int) {
	c.reserve(p.llc[q[lo]])
	c.buf = c.buf[:0]
	for h := lo; h < hi; h++ {
		c.prep[h-lo] = s.prepRun(c, h)
	}
	var sum int64
	for h := lo; h < hi; h++ {
		it := &p.items[q[h]]
		n := len(it.due)
		if len(c.prep[h-lo]) == 0 {
			continue
		}
		if gd := it.gd; !it.lfl && len(gd) > 0 {
			// a lot-sized item is replanned: its kept requirements'
			// ends, where cacheAddRun's findDay starts (the item's
			// third line, then two of gd's)
			sum += int64(gd[0]) + int64(gd[len(gd)-1])
		}
		if n == 0 {
			continue
		}
		first, last := it.due0, it.dueN
		day := c.prep[h-lo][0].day
		g := 0
		if day > first && day <= last {
			// by calendar days: within a step or two of deltaInPlace's
			// guess by working days (guessScale), which costs more
			// than the one line it would get right
			g = int(int64(n-1) * int64(day-first) / int64(last-first))
		}
		// (due0, dueN and ss are in the item's second line: comps,
		// slack, ss, rec)
		sum += int64(it.due[g]) + it.qty[g] + it.ss
	}
	c.sink += sum
}

// ncItem replans one queued item with worker c and reports whether its
// plan changed. It reads the item's state in s and its parents' plans and
// writes only the item's plan and c.
func (p *Planner) ncItem(s *ncState, c *ncw, i int32, ds []dday) bool {
	it := &p.items[i]
	c.an.runDays += len(ds)
	if s.state[i] == byDelta && !s.regather[i] && !s.force[i] && len(ds) == 0 {
		return false // the changes cancelled out
	}
	if s.state[i] == byDelta && !s.regather[i] && p.tryDelta(c, i, ds) {
		c.nDelta++
		if it.rec.some() {
			c.nDeltaRec++
		}
		return true
	}
	c.nFull++
	// only requirement deltas: a lot-sized item may be replanned from
	// the first one on (netWindow)
	window := s.state[i] == byDelta && !s.regather[i] && !s.force[i]
	return p.replanFull(c, i, ds, s.regather[i] || !it.cached, window)
}

// tryDelta applies accumulated requirement changes directly to a plain
// lot-for-lot item without receipts. After its first planned order such an
// item ends every day at exactly its safety stock, so a requirement change
// of d on a later day changes that day's order by d (creating or removing
// it) and nothing else. It reports false, changing nothing, when that does
// not hold (the stock-covered period running out, the first order
// vanishing). The item's only possible exception, below safety stock, is
// decided by its first order's day, which stays: it stays, its quantity
// following the first order's (belowOnFirst).
//
// An item with scheduled receipts is adjusted in place (deltaInPlace)
// wherever every change falls on a day with an order that stays (and,
// with safety stock and receipts, released on day 0 or later):
//
//   - Netting: on a day d with an order the balance, after every receipt
//     within the reschedule window was pulled in, was still short by the
//     order (that is why there is one); with the requirement x larger, or
//     smaller by less than the order, it is still short after each of the
//     same pull-ins, so the same receipts are pulled in (same
//     reschedule-in messages), the order changes by x and the day ends at
//     safety stock as before: every later day nets as before.
//   - Receipt messages: a receipt R counted on its due day r is needed on
//     the first day n >= r when the supplies ahead of it (stock, the
//     receipts before it, the orders due before r), less the gross
//     requirements so far, fall below safety stock (balanceExceptions).
//     A change on a day d < r adds x to an order ahead of R and to the
//     requirements of every day it is tested on: the difference stays. On
//     a day d >= r with an order, netting's balance before the order,
//     which counts at least R and everything ahead of it, is short of
//     safety stock, and stays short after the change: R is needed by d,
//     in the old plan and the new one, and the days before d did not
//     change. So n stays (and a cancelled receipt has no order on or
//     after r). Firm orders are not taken by delta at all.
//   - Below safety stock: the balance counting orders when they can
//     arrive changes on no day, as each changed order is released in time
//     and changes by its day's requirement change.
//
// Otherwise (new or vanishing orders, changes before the first order) it
// follows the general rule only after its first order due on or after
// its last receipt's due date (day r): no receipt arrives or can be
// pulled in after it, so from then on its balance ends every day at
// safety stock. Other changes replan it in full.
func (p *Planner) tryDelta(c *ncw, i int32, ds []dday) bool {
	it := &p.items[i]
	if !plainLFL(it) || it.firmd {
		return false
	}
	if len(ds) > 0 && len(it.due) > 0 && ds[0].day >= it.due0 && p.deltaInPlace(c, it, ds) {
		if p.countEarly && it.rec.some() && ds[0].day <= p.recs[it.rec.last()].day {
			c.nRecEarly++
		}
		return true
	}
	if lr := it.rec.last(); lr >= 0 {
		// the general way below (new or vanishing orders, stock) needs
		// the balance pinned at safety stock with no receipt to come:
		// every change after the first order due on or after the last
		// receipt
		k, _ := findDay(it.due, p.recs[lr].day)
		if k == len(it.due) {
			return false
		}
		for _, x := range ds {
			if x.day <= it.due[k] {
				return false
			}
		}
	}
	// Before the first order (day f) stock covers the requirements: a
	// change there moves the first order's quantity, as long as the stock
	// above safety stock (slack) still lasts until f.
	f := int32(1 << 30)
	if len(it.due) > 0 {
		f = it.due[0]
	}
	var stock int64
	// m: the changes with the stock-covered ones moved to f; ds stays as
	// it is. The scratch slices go back to c as soon as they are made (not
	// by defer: with this many returns the defers would not be open-coded
	// and cost a deferreturn per call)
	m := c.m[:0]
	for _, x := range ds {
		if x.day < f {
			stock += x.d
			continue
		}
		if len(m) > 0 && m[len(m)-1].day == x.day {
			m[len(m)-1].d += x.d
		} else {
			m = append(m, x)
		}
	}
	slack := it.slack - stock
	if stock != 0 && slack < 0 {
		// the stock no longer lasts until f. (Without changes before f,
		// slack does not matter: it is negative when the item starts below
		// safety stock, and then f is day 0.)
		return false
	}
	if stock != 0 && len(it.due) > 0 {
		if len(m) > 0 && m[0].day == f {
			m[0].d += stock
		} else {
			m = append(m, dday{})
			copy(m[1:], m)
			m[0] = dday{f, stock}
		}
	}
	c.m = m[:0]
	lt := it.lt
	idx := slices.Grow(c.idx[:0], len(m)) // order index of each change's day, -1 if none
	c.idx = idx[:0]
	inPlace := true
	for _, x := range m {
		k, ok := findDay(it.due, x.day)
		if ok {
			idx = append(idx, int32(k))
		} else {
			idx = append(idx, -1)
		}
		if x.d == 0 {
			continue
		}
		if !ok || it.qty[k]+x.d == 0 {
			inPlace = false
		}
		if it.ss > 0 && p.cal.release(x.day, lt) < 0 && it.rec.some() {
			return false // it would move the below-safety-stock message
		}
		switch {
		case ok && x.day == f && it.qty[k]+x.d <= 0:
			return false // the first order would go: f moves
		case ok && it.qty[k]+x.d < 0:
			return false
		case !ok && x.d < 0:
			return false
		}
	}
	it.slack = slack
	if it.cached {
		p.cacheAddRun(onHeap, c, it, ds)
	}
	if inPlace {
		// only quantities change: update them where they are, keeping
		// each changed order's index in idx and its release day in m
		n := 0
		for j, x := range m {
			if x.d == 0 {
				continue
			}
			k := idx[j]
			it.qty[k] += x.d
			it.changedQ(int(k))
			m[n] = dday{max(p.cal.release(x.day, lt), 0), x.d}
			idx[n] = k
			n++
		}
		if it.ss > 0 && belowOnFirst(it) {
			c.nDeltaMsg++
		}
		// then pass them on one component at a time: each component's
		// changes from this item lie side by side (its count stays in
		// cache, and they are gathered as one run in day order)
		for _, e := range it.comps {
			o := c.open(p, e.to)
			for j, x := range m[:n] {
				if e.on(x.day) {
					q := it.qty[idx[j]]
					o.add(x.day, e.req(q)-e.req(q-x.d))
				}
			}
			c.close(&o)
		}
		return true
	}
	// merge the changes into new order lists
	w := c.w
	w.oDue, w.oQty = w.oDue[:0], w.oQty[:0]
	k := 0
	for _, x := range m {
		for k < len(it.due) && it.due[k] < x.day {
			w.oDue = append(w.oDue, it.due[k])
			w.oQty = append(w.oQty, it.qty[k])
			k++
		}
		var old int64
		if k < len(it.due) && it.due[k] == x.day {
			old = it.qty[k]
			k++
		}
		if q := old + x.d; q > 0 {
			w.oDue = append(w.oDue, x.day)
			w.oQty = append(w.oQty, q)
		}
	}
	w.oDue = append(w.oDue, it.due[k:]...)
	w.oQty = append(w.oQty, it.qty[k:]...)
	if p.passDiff(c, i) {
		p.store(c, i)
		if it.ss > 0 && belowOnFirst(it) {
			c.nDeltaMsg++
		}
	}
	return true
}

// belowOnFirst sets the quantity of the below-safety-stock message of a
// plain lot-for-lot item without receipts or firm orders, if it has one, to
// its first order's, and reports whether it changed, after tryDelta changed
// its orders and kept the first one's day f (with safety stock and
// receipts, tryDelta refuses changes released past due instead). Such an
// item has no other message, and this one is decided by f (which is why
// tryDelta may take changes on days released past due): with one order per
// net requirement, netting's balance ends day f and every later day at
// safety stock, so the balance that counts the past-due orders only from
// the day L they can arrive (every one the same L: started on day 0, a lead
// time later) is safety stock less the past-due orders due by then, on
// every day from f to L-1; before f it is netting's, at or above safety
// stock, with no order yet. It falls below on f, then, exactly when f's
// order is past due and arrives after f, by that order's quantity;
// otherwise never (the past-due orders come first, and from L on every one
// has arrived). f, L and the lead time stay, so whether there is a message
// and its day stay; its quantity follows the order on f.
//
// For example, safety stock 5, stock 5, lead time 3 (L = day 3), gross
// requirements 4 on days 1 and 2: orders 4 on days 1 and 2, both past
// due; the balance counting them on day 3 is 5-4 = 1 on day 1 (message
// {day 1, qty 4}) and -3 on day 2. A change of +2 on day 1 makes the first
// order 6 and the message {day 1, qty 6}; one on day 2 leaves it.
func belowOnFirst(it *item) bool {
	if len(it.exc) == 0 || it.rec.some() {
		return false // (with receipts tryDelta takes no change released past due)
	}
	e := it.exc[0]
	if invariants.Enabled && (len(it.exc) > 1 || e.kind != BelowSafetyStock || e.day != it.due[0] || it.firmd) {
		panic(fmt.Sprintf("mrp: invariant: %s: messages %v of a plain lot-for-lot item with first order on day %d", it.in.ID, it.exc, it.due[0]))
	}
	var q int64
	for k := 0; k < len(it.due) && it.due[k] == e.day; k++ {
		q += it.qty[k]
	}
	if q == e.qty {
		return false
	}
	e.qty = q
	it.exc = []exc{e} // a new slice: the old one may be shared
	return true
}

// deltaInPlace is tryDelta's common case: every change (ds, in day order,
// without zeros) falls on or after the item's first order, on a day with an
// order that stays (its quantity plus the change is positive), and, for
// an item with safety stock and receipts, none is released past due (it
// could move the below-safety-stock message). Then only those orders'
// quantities change, by the changes, and so does what they pass on (and
// the message of an item without receipts, see belowOnFirst). It finds and updates them in one pass over
// ds, each order found from the day (findDay); if one change breaks the
// rule it undoes the ones before it and reports false, the plan as it was,
// for the general way. It does not check receipts or firm orders
// (tryDelta does first).
func (p *Planner) deltaInPlace(c *ncw, it *item, ds []dday) bool {
	if len(it.comps) == 0 {
		return p.deltaLeaf(c, it, ds)
	}
	lt, ss := it.lt, it.ss
	// for the components: each change's release day and order index
	m := slices.Grow(c.m[:0], len(ds))[:len(ds)]
	idx := slices.Grow(c.idx[:0], len(ds))[:len(ds)]
	c.m, c.idx = m[:0], idx[:0]
	// each change's order is found from a guess by working days
	// (guessScale, findNear)
	due := it.due
	n := len(due)
	// (deltaInPlace is called with n > 0)
	first, last := it.due0, it.dueN
	w0, scale := p.cal.guessEnds(n, first, last)
	k0 := n
	for j, x := range ds {
		w := p.cal.wd(x.day)
		var k int
		var ok bool
		switch {
		case n == 0:
		case x.day <= first:
			k, ok = 0, x.day == first
		case x.day > last:
			k = n
		default:
			// w >= w0, and due[0] < x.day: g > 0 where due[g] == x.day
			g := min(int(float64(w-w0)*scale), n-1)
			if due[g] == x.day && due[g-1] < x.day {
				k, ok = g, true
			} else {
				k, ok = findNear(due, x.day, g)
			}
		}
		rel := p.cal.releaseWd(w, lt)
		if !ok || it.qty[k]+x.d <= 0 || (ss > 0 && rel < 0 && it.rec.some()) {
			undoDelta(it, ds[:j])
			return false
		}
		it.qty[k] += x.d
		k0 = min(k0, k)
		m[j] = dday{max(rel, 0), x.d}
		idx[j] = int32(k)
	}
	it.changedQ(k0)
	if k0 == 0 && ss > 0 && belowOnFirst(it) {
		c.nDeltaMsg++
	}
	if it.cached {
		for j, x := range ds {
			p.cacheAddAt(onHeap, it, x.day, x.d, int(idx[j]))
		}
	}
	// passed on one component at a time: each component's changes from
	// this item lie side by side (its count stays in cache, and they are
	// gathered as one run in day order). The release days in m are in
	// day order (release keeps it), so the ones a dated edge holds are a
	// stretch of m; and all fall before the horizon, as add wants them
	// (release clamps to the calendar's compiled range, which ends there)
	for _, e := range it.comps {
		o := c.open(p, e.to)
		if e.mul > 0 {
			// a whole number per unit: q*mul - (q-d)*mul is d*mul
			// (multiplication distributes over the difference, wrapping
			// included), without the order's quantity; appended as add
			// would (a zero only when the product wraps to it)
			mul := int64(e.mul)
			on := m
			if !e.allDays() {
				for len(on) > 0 && on[0].day < e.from {
					on = on[1:]
				}
				for len(on) > 0 && on[len(on)-1].day >= e.until {
					on = on[:len(on)-1]
				}
			}
			out := growBy(o.out, len(on))
			for _, x := range on {
				if d := x.d * mul; d != 0 {
					out = append(out, dday{x.day, d})
				}
			}
			o.out = out
		} else {
			for j, x := range m {
				if e.on(x.day) {
					q := it.qty[idx[j]]
					o.add(x.day, e.req(q)-e.req(q-x.d))
				}
			}
		}
		c.close(&o)
	}
	return true
}

// deltaLeaf is deltaInPlace for an item without components, which passes
// nothing on: the same finds and checks, with fewer live figures (no
// release days or order indices kept for the components, a release day
// worked out only for an item with safety stock). Its loop takes the
// changes whose order is on the working-day guess (the common case) and
// calls nothing, so that its figures stay in registers; from the first
// change that is not, deltaLeafRest goes on. Nearly half the changes
// deltaInPlace takes on the default plants are a leaf's.
func (p *Planner) deltaLeaf(c *ncw, it *item, ds []dday) bool {
	due := it.due
	n := len(due)
	if n == 0 {
		return false
	}
	qty := it.qty[:n]
	first, last := it.due0, it.dueN
	w0, scale := p.cal.guessEnds(n, first, last)
	k0 := n
	idx := slices.Grow(c.idx[:0], len(ds))[:len(ds)]
	c.idx = idx[:0]
	for j, x := range ds {
		k := -1
		if x.day == first {
			k = 0
		} else if x.day > first && x.day <= last {
			// as in deltaInPlace (g = 0 fails the first test)
			g := min(int(float64(p.cal.wd(x.day)-w0)*scale), n-1)
			if due[g] == x.day && due[g-1] < x.day {
				k = g
			}
		}
		if k < 0 || qty[k]+x.d <= 0 || (it.ss > 0 && p.cal.releaseWd(p.cal.wd(x.day), it.lt) < 0 && it.rec.some()) {
			return p.deltaLeafRest(c, it, ds, j, k0, w0, scale)
		}
		qty[k] += x.d
		k0 = min(k0, k)
		idx[j] = int32(k)
	}
	p.deltaLeafDone(c, it, ds, idx, k0)
	return true
}

// deltaLeafRest is deltaLeaf from change j on (the ones before it added,
// k0 the first order they changed), the order off the guess found by
// findNear; it undoes them all and reports false when one breaks the
// rule.
func (p *Planner) deltaLeafRest(c *ncw, it *item, ds []dday, j, k0 int, w0 int32, scale float64) bool {
	due, qty := it.due, it.qty
	idx := c.idx[:len(ds)]
	n := len(due)
	first, last := it.due0, it.dueN
	for h, x := range ds[j:] {
		var k int
		var ok bool
		switch {
		case x.day <= first:
			k, ok = 0, x.day == first
		case x.day > last:
		default:
			g := min(int(float64(p.cal.wd(x.day)-w0)*scale), n-1)
			k, ok = findNear(due, x.day, g)
		}
		if !ok || qty[k]+x.d <= 0 || (it.ss > 0 && p.cal.releaseWd(p.cal.wd(x.day), it.lt) < 0 && it.rec.some()) {
			undoDelta(it, ds[:j+h])
			return false
		}
		qty[k] += x.d
		k0 = min(k0, k)
		idx[j+h] = int32(k)
	}
	p.deltaLeafDone(c, it, ds, idx, k0)
	return true
}

// deltaLeafDone notes what deltaLeaf changed: the orders from k0 on and,
// for an item that keeps them, its gross requirements (change j's order
// is due[idx[j]]).
func (p *Planner) deltaLeafDone(c *ncw, it *item, ds []dday, idx []int32, k0 int) {
	it.changedQ(k0)
	if k0 == 0 && it.ss > 0 && belowOnFirst(it) {
		c.nDeltaMsg++
	}
	if it.cached {
		for j, x := range ds {
			p.cacheAddAt(onHeap, it, x.day, x.d, int(idx[j]))
		}
	}
}

// undoDelta takes changes ds, which deltaInPlace added to the quantities
// of the item's orders on their days, off again.
func undoDelta(it *item, ds []dday) {
	for _, y := range ds {
		k, _ := findDay(it.due, y.day)
		it.qty[k] -= y.d
	}
}

// passDiff passes the difference between item i's stored orders and the
// new ones in c.w to its components as requirement deltas, day by day, and
// reports whether there is any. The common head and tail of the two lists
// (whole days of them) are skipped first.
func (p *Planner) passDiff(c *ncw, i int32) bool {
	it := &p.items[i]
	return p.passDiffLists(c, it, it.due, it.qty, c.w.oDue, c.w.oQty, 0)
}

// passDiffLists is passDiff over a stretch of the item's orders: the old
// ones od/oq, from its order base on, and the new ones nd/nq in their
// place, both whole days (the orders around them stay as they are).
func (p *Planner) passDiffLists(c *ncw, it *item, od []int32, oq []int64, nd []int32, nq []int64, base int) bool {
	// common head, backed off to a day boundary
	h := 0
	for h < len(od) && h < len(nd) && od[h] == nd[h] && oq[h] == nq[h] {
		h++
	}
	if h == len(od) && h == len(nd) {
		return false
	}
	for h > 0 && ((h < len(od) && od[h] == od[h-1]) || (h < len(nd) && nd[h] == nd[h-1])) {
		h--
	}
	it.changedQ(base + h) // the orders stored next differ from there on
	if len(it.comps) == 0 {
		// a leaf passes nothing on: the first difference is all it needs
		// (5 of 6 of the items replanned in full on the default plant)
		return true
	}
	// common tail, likewise, not reaching into the head
	t := 0
	for t < len(od)-h && t < len(nd)-h && od[len(od)-1-t] == nd[len(nd)-1-t] && oq[len(oq)-1-t] == nq[len(nq)-1-t] {
		t++
	}
	for t > 0 && ((t < len(od)-h && od[len(od)-1-t] == od[len(od)-t]) || (t < len(nd)-h && nd[len(nd)-1-t] == nd[len(nd)-t])) {
		t--
	}
	od, oq, nd, nq = od[h:len(od)-t], oq[h:len(oq)-t], nd[h:len(nd)-t], nq[h:len(nq)-t]
	lt := it.lt
	pd := c.pd[:0]
	a, b := 0, 0
	for a < len(od) || b < len(nd) {
		day := int32(1 << 30)
		if a < len(od) {
			day = od[a]
		}
		if b < len(nd) && nd[b] < day {
			day = nd[b]
		}
		a0, b0 := a, b
		for a < len(od) && od[a] == day {
			a++
		}
		for b < len(nd) && nd[b] == day {
			b++
		}
		if a-a0 == 1 && b-b0 == 1 {
			if oq[a0] == nq[b0] {
				continue
			}
		} else if slices.Equal(oq[a0:a], nq[b0:b]) {
			continue
		}
		var dq int64 // the day's change in quantity
		for _, q := range nq[b0:b] {
			dq += q
		}
		for _, q := range oq[a0:a] {
			dq -= q
		}
		pd = append(pd, dayDiff{max(p.cal.release(day, lt), 0), int32(a0), int32(a), int32(b0), int32(b), dq})
	}
	// passed on one component at a time, as in tryDelta
	for _, e := range it.comps {
		o := c.open(p, e.to)
		if m := int64(e.mul); m > 0 {
			// a whole number per unit: the day's change times it (the
			// sum of the orders' products, as integer multiplication
			// distributes over the sum)
			for _, x := range pd {
				if e.on(x.rel) {
					o.add(x.rel, x.dq*m)
				}
			}
			c.close(&o)
			continue
		}
		for _, x := range pd {
			if !e.on(x.rel) {
				continue
			}
			var d int64
			for _, q := range nq[x.b0:x.b] {
				d += e.req(q)
			}
			for _, q := range oq[x.a0:x.a] {
				d -= e.req(q)
			}
			o.add(x.rel, d)
		}
		c.close(&o)
	}
	c.nDiff += len(pd)
	c.pd = pd[:0]
	return true
}

// dayDiff is a day on which passDiff found an item's orders changed: the
// release day, the old orders oq[a0:a] and new ones nq[b0:b] of it, and
// the change of their sum.
type dayDiff struct {
	rel          int32
	a0, a, b0, b int32
	dq           int64
}

// store makes the orders in c.w item i's plan: in place when they fit,
// else in c's arena.
func (p *Planner) store(c *ncw, i int32) {
	it := &p.items[i]
	w := c.w
	n := len(w.oDue)
	switch {
	case n == 0:
		it.due, it.qty = nil, nil
	case n <= cap(it.due) && n <= cap(it.qty):
		it.due, it.qty = it.due[:n], it.qty[:n]
		copy(it.due, w.oDue)
		copy(it.qty, w.oQty)
	default:
		// with headroom: the next few orders more fit in place
		d, q := onHeap.alloc(n + n/4 + 4)
		it.due, it.qty = d[:n], q[:n]
		copy(it.due, w.oDue)
		copy(it.qty, w.oQty)
	}
	it.setEnds()
}

// replanFull recomputes item i, its requirements pulled from its parents
// (gather) or taken from its cache plus the pending deltas, and passes any
// change of its orders to its components. It reports whether its orders or
// exceptions changed.
//
// With window set, the item's own inputs did not change, only its
// requirements by ds, and netWindow may replan it from the first of them
// (wwWindow, a Wagner-Whitin item, between two cuts around them).
func (p *Planner) replanFull(c *ncw, i int32, ds []dday, gather, window bool) bool {
	w := c.w
	it := &p.items[i]
	cut, kept := 0, 0 // net requirements and orders the window left alone (for the anatomy)
	reqs := -1        // the net requirements lot-sized, when not all of w.netDay (for the anatomy)
	ja, jb := 0, 0    // a window's old orders: due[ja:jb]
	var win, ww bool
	if gather {
		hi := p.gather(w, i)
		w.sparse(hi)
		clear(w.gross[:hi+1])
		p.net(w, it, w.cd, w.cq)
		// an item that had to gather keeps its requirements from now on
		w.cache = true
		setCache(it, w, onHeap, true)
		it.changedG(0)
	} else {
		// the kept requirements, updated in place
		p.cacheAddRun(onHeap, c, it, ds)
		if window {
			ja, jb, ww = p.wwWindow(w, it, ds)
		}
		if ww {
			c.nWW++
			win = true
		} else if window {
			ja, jb, win = p.netWindow(w, i, it, ds, &c.rs)
			if win {
				if cut = c.rs.cut; cut > 0 {
					c.nResync++
					c.nCut += cut
				}
				if c.rs.never {
					c.nNever++
				}
				kept = -ja // the orders before o count as made, as when they were copied
				reqs = c.rs.reqs
				c.rs = resync{} // holds the item's old orders
			}
		}
		if win {
			c.nWindow++
			if len(w.exc) > 0 {
				c.nWinMsg++
			}
			if it.rec.some() {
				c.nWinRec++
				if ww {
					c.nWWRec++
				}
			}
		} else {
			p.net(w, it, it.gd, it.gq)
		}
		if !wantCache(it, w) {
			it.cached, it.gd, it.gq = false, nil, nil
			it.changedG(0)
		}
	}
	nd, made := c.nDiff, len(w.oDue)-kept
	var sameQty, stored bool
	if win {
		sameQty = !p.passDiffLists(c, it, it.due[ja:jb], it.qty[ja:jb], w.oDue, w.oQty, ja)
		if !sameQty && len(w.oDue) == jb-ja {
			// as many orders as before: in place
			copy(it.due[ja:jb], w.oDue)
			copy(it.qty[ja:jb], w.oQty)
			it.setEnds() // the window may reach either end
			stored = true
		} else if !sameQty {
			c.segDue = append(c.segDue[:0], w.oDue...)
			c.segQty = append(c.segQty[:0], w.oQty...)
			w.oDue = append(append(append(w.oDue[:0], it.due[:ja]...), c.segDue...), it.due[jb:]...)
			w.oQty = append(append(append(w.oQty[:0], it.qty[:ja]...), c.segQty...), it.qty[jb:]...)
		}
	} else {
		sameQty = !p.passDiff(c, i)
	}
	if !it.lfl {
		c.an.lotItems++
		if reqs < 0 {
			reqs = len(w.netDay)
		}
		c.an.lotReqs += reqs - cut
		c.an.lotOrders += made
		c.an.lotDiff += c.nDiff - nd
		if sameQty {
			c.an.lotSame++
		}
	}
	sameExc := slices.Equal(it.exc, w.exc)
	it.slack = w.slack
	if sameQty && sameExc {
		return false
	}
	if !sameQty && !stored {
		p.store(c, i)
	}
	if len(w.exc) == 0 {
		it.exc = nil
	} else {
		it.exc = slices.Clone(w.exc)
	}
	return true
}

// findDay is slices.BinarySearch(due, day) for an order list in day
// order, which for a lot-for-lot item is close to one order per working
// day: it guesses the position from the first and last days and steps
// from the guess, one order at a time, towards the answer (usually one or
// two steps, on the guess's cache line, which a supply tree has read
// ahead), searching by halves only past findStep orders.
func findDay(due []int32, day int32) (int, bool) {
	n := len(due)
	if n < 16 {
		return slices.BinarySearch(due, day)
	}
	first, last := due[0], due[n-1]
	switch {
	case day <= first:
		return 0, day == first
	case day > last:
		return n, false
	}
	// first < day <= last: the answer is in [1, n-1]
	return findNear(due, day, int(int64(n-1)*int64(day-first)/int64(last-first)))
}

// guessScale returns what deltaInPlace guesses an order's index from
// (findNear): the working day w0 of the first order and the orders a
// working day up to the last, scale (0 for fewer than two working days),
// so that the guess for day is int((wd(day) - w0) * scale). It is exact
// for an order on every working day from the first order to the last
// (then scale is 1): a lot-for-lot item with a requirement every working
// day, where a guess by calendar days is off by the weekends.
func (k *cal) guessScale(due []int32) (int32, float64) {
	if len(due) == 0 {
		return 0, 0
	}
	return k.guessEnds(len(due), due[0], due[len(due)-1])
}

// guessEnds is guessScale for n > 0 orders from first to last (an item's
// due0 and dueN), without reading the order list.
func (k *cal) guessEnds(n int, first, last int32) (int32, float64) {
	w0 := k.wd(first)
	if dw := k.wd(last) - w0; dw > 0 {
		return w0, float64(n-1) / float64(dw)
	}
	return w0, 0
}

// findNear is findDay from a guess g in [0, n-1] of the answer, for
// due[0] < day <= due[n-1] (so n >= 2 and the answer is in [1, n-1]):
// right from any guess, fewest steps from a good one.
func findNear(due []int32, day int32, g int) (int, bool) {
	n := len(due)
	if due[g] < day {
		// after g (due[n-1] >= day ends the steps)
		for k := g + 1; k <= min(g+findStep, n-1); k++ {
			if due[k] >= day {
				return k, due[k] == day
			}
		}
		lo := g + findStep + 1 // < n: due[lo-1] < day
		k, ok := slices.BinarySearch(due[lo:], day)
		return lo + k, ok
	}
	// at g or before (due[0] < day ends the steps)
	m := max(g-findStep, 1)
	for k := g; k >= m; k-- {
		if due[k-1] < day {
			return k, due[k] == day
		}
	}
	// due[m-1] >= day, m > 1: the answer is before m
	return slices.BinarySearch(due[:m], day)
}

// findStep is how many orders findDay steps from its guess before it
// searches by halves.
const findStep = 8

// changedQ notes that item's order quantities (or days) from index k on
// changed, changedG its kept gross requirements: the pegging redoes its
// running totals from there ([Planner.pegChanged]).
func (it *item) changedQ(k int) { it.chgQ = max(it.chgQ, int32(math.MaxInt32-min(k, math.MaxInt32))) }
func (it *item) changedG(k int) { it.chgG = max(it.chgG, int32(math.MaxInt32-min(k, math.MaxInt32))) }

// takeChanged returns the first indices of item i's order quantities and
// kept gross requirements changed since the notes were last taken
// (math.MaxInt32: none), clears the notes, and drops netWindow's kept sums
// of the item when the change reached into what they summed. It runs at
// the end of each net change (pegChanged) for every touched item that
// holds kept sums, and for every touched item when a pegging is kept, so
// that during a change an item's notes hold that change's alone whenever
// they are read (see windowSums).
func (p *Planner) takeChanged(i int32) (kq, kg int32) {
	it := &p.items[i]
	if it.chgQ|it.chgG == 0 {
		return math.MaxInt32, math.MaxInt32
	}
	kq, kg = math.MaxInt32-it.chgQ, math.MaxInt32-it.chgG
	it.chgQ, it.chgG = 0, 0
	if int(i) < len(p.wkHeld) && p.wkHeld[i] {
		if k := &p.wk[i]; kq < k.jo || kg < k.g {
			p.wk[i], p.wkHeld[i] = winKeep{}, false
		}
	}
	return kq, kg
}

// cacheAddAt is cacheAdd for a day with an order, it.due[k]: it looks for
// the day's gross requirement first where the orders say it is. From its
// first order on, a lot-for-lot item without receipts orders exactly its
// gross requirement on each of their days, so its last orders and its last
// gross requirements lie on the same days, and the day of order k is
// gross requirement k + len(gd) - len(due) (the delta path's items,
// deltaInPlace). That is one read where findDay takes three or more
// dependent ones (the list's ends, then the guess) at a cache miss each;
// anywhere else (a guess off, an item of another kind) findDay finds it.
func (p *Planner) cacheAddAt(a *arena, it *item, day int32, d int64, k int) {
	if d == 0 {
		return
	}
	g := k + len(it.gd) - len(it.due)
	if g >= 0 && g < len(it.gd) && it.gd[g] == day {
		p.cacheAddFound(it, g, d)
		return
	}
	p.cacheAdd(a, it, day, d)
}

// cacheAddFound adds d to gross requirement k of it.gd/it.gq, there, and
// drops it when that leaves it zero.
func (p *Planner) cacheAddFound(it *item, k int, d int64) {
	it.changedG(k) // entries from k on change or move
	it.gq[k] += d
	if it.gq[k] == 0 {
		n := len(it.gd)
		copy(it.gd[k:], it.gd[k+1:])
		copy(it.gq[k:], it.gq[k+1:])
		it.gd, it.gq = it.gd[:n-1], it.gq[:n-1]
	}
}

// cacheAddRun is cacheAdd for each of changes ds in turn (in day order).
// Where a day's kept requirement stays, it is updated in place, found
// from the one before (findFrom: the next is most often a few entries on,
// in a line already read, where findDay reads three apart); from the
// first change that adds or drops one, the rest of the list is merged
// with the changes in one pass (cacheMerge) instead of moving its tail
// once for each requirement added or dropped.
func (p *Planner) cacheAddRun(a *arena, c *ncw, it *item, ds []dday) {
	k := -1
	for j, x := range ds {
		if x.d == 0 {
			continue
		}
		if k < 0 {
			k, _ = findDay(it.gd, x.day)
		} else {
			k = findFrom(it.gd, x.day, k)
		}
		if k < len(it.gd) && it.gd[k] == x.day && it.gq[k]+x.d != 0 {
			it.changedG(k)
			it.gq[k] += x.d
			continue
		}
		p.cacheMerge(a, c, it, ds[j:], k)
		return
	}
}

// cacheMerge adds changes ds (in day order) to it.gd/it.gq, whose entries
// before k lie before all of them, in one pass: entries whose sum comes to
// zero go, days without one get one. A day may come more than once.
func (p *Planner) cacheMerge(a *arena, c *ncw, it *item, ds []dday, k int) {
	gd, gq := it.gd, it.gq
	md, mq := c.mgDay[:0], c.mgQty[:0] // the merged entries from k on, up to the last change
	h := k                             // gd[h:]: not yet merged
	for _, x := range ds {
		for h < len(gd) && gd[h] < x.day {
			md, mq = append(md, gd[h]), append(mq, gq[h])
			h++
		}
		q := x.d
		if h < len(gd) && gd[h] == x.day {
			q += gq[h]
			h++
		} else if n := len(md); n > 0 && md[n-1] == x.day {
			q += mq[n-1]
			md, mq = md[:n-1], mq[:n-1]
		}
		if q != 0 {
			md, mq = append(md, x.day), append(mq, q)
		}
	}
	n := k + len(md) + len(gd) - h
	nd, nq := gd, gq
	if n > cap(gd) || n > cap(gq) {
		nd, nq = a.alloc(n + n/4 + 4)
		copy(nd, gd[:k])
		copy(nq, gq[:k])
	}
	nd, nq = nd[:n], nq[:n]
	// the entries after the last change move (copy moves overlapping
	// ranges right), then the merged ones go in before them
	copy(nd[k+len(md):], gd[h:])
	copy(nq[k+len(md):], gq[h:])
	copy(nd[k:], md)
	copy(nq[k:], mq)
	it.gd, it.gq = nd, nq
	it.changedG(k) // entries from k on change or move
	c.mgDay, c.mgQty = md[:0], mq[:0]
}

// findFrom returns the index of the first of due[k:] on or after day
// (len(due) if none), stepping a few entries from k before it searches
// by halves: the next of changes in day order.
func findFrom(due []int32, day int32, k int) int {
	for e := min(k+findStep, len(due)); k < e; k++ {
		if due[k] >= day {
			return k
		}
	}
	j, _ := slices.BinarySearch(due[k:], day)
	return k + j
}

// cacheAdd adds d to the kept gross requirement of day in it.gd/it.gq.
func (p *Planner) cacheAdd(a *arena, it *item, day int32, d int64) {
	if d == 0 {
		return
	}
	k, ok := findDay(it.gd, day)
	if ok {
		p.cacheAddFound(it, k, d)
		return
	}
	it.changedG(k) // entries from k on move
	n := len(it.gd)
	if n+1 > cap(it.gd) || n+1 > cap(it.gq) {
		gd, gq := a.alloc(n + 1 + n/4 + 4)
		copy(gd, it.gd)
		copy(gq, it.gq)
		it.gd, it.gq = gd[:n], gq[:n]
	}
	it.gd, it.gq = it.gd[:n+1], it.gq[:n+1]
	copy(it.gd[k+1:], it.gd[k:n])
	copy(it.gq[k+1:], it.gq[k:n])
	it.gd[k], it.gq[k] = day, d
}

// allComponents returns every component of an item's BOM, in all its
// dated versions (a component may appear more than once).
func allComponents(it *Item) []Component {
	if len(it.BOMChanges) == 0 {
		return it.Components
	}
	cs := slices.Clone(it.Components)
	for _, ch := range it.BOMChanges {
		cs = append(cs, ch.Components...)
	}
	return cs
}
