package mrp

import (
	"cmp"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// SupplyKind says where pegged supply comes from.
type SupplyKind uint8

const (
	// FromStock is on-hand stock.
	FromStock SupplyKind = iota
	// FromReceipt is a scheduled receipt.
	FromReceipt
	// FromPlanned is a planned order.
	FromPlanned
)

func (k SupplyKind) String() string {
	switch k {
	case FromStock:
		return "stock"
	case FromReceipt:
		return "receipt"
	}
	return "planned"
}

// Supply is one source of an item: on-hand stock, a scheduled receipt or
// a planned order. ID is the receipt or order ID ("" for stock); Day the
// day it is available (0 for stock).
type Supply struct {
	Kind SupplyKind
	ID   string
	Day  int
	Qty  int64
}

// Requirement is one gross requirement of an item: an independent demand
// (Demand set) or the component requirement of a parent's planned order
// (ParentOrder set).
type Requirement struct {
	Demand      string
	ParentOrder string
	Day         int
	Qty         int64
}

// Peg links a quantity of a supply to a requirement of the same item.
type Peg struct {
	Item   string
	Req    Requirement
	Supply Supply
	Qty    int64
}

// Pegging of a whole plan: items are visited in low-level-code order
// (every parent before its components); an item's requirements (by day;
// within a day demands by priority before dependent requirements) are
// covered first in, first out by its supplies (stock, then receipts and
// planned orders by the day they are available), and each planned order's
// demand shares follow from those links and the shares of the parent
// orders it covers: linear in the number of links and shares. The shares
// are kept in flat arrays per item, computed for one item (and the
// ancestors it needs) when read, or for the whole plan in one parallel
// pass by level when every order is listed; an item's links are rebuilt
// when a query needs them (single-level pegging, late demands) and kept
// for the plan version; supply trees need only running totals (see
// pegfast.go). A net change marks the touched
// items and their descendants to be redone on the next read.

type areq struct {
	day int32
	qty int64
	dem int32 // demand index, or -1
	par int32 // parent item (dependent)
	ord int32 // parent order index (dependent)
}

type asup struct {
	kind SupplyKind
	ref  int32 // receipt index or order index
	day  int32
	qty  int64
}

type alink struct {
	req, sup int32
	qty      int64
}

// alloc is one item's single-level pegging. Links are in requirement
// order, which is also supply order (both are consumed first in, first
// out), so the links of a requirement or of a supply are one range.
type alloc struct {
	reqs    []areq
	sups    []asup
	links   []alink
	ordSup  []int32 // index in sups of each planned order
	reqLink []int32 // links of requirement r: reqLink[r]:reqLink[r+1]
	supLink []int32 // links of supply s: supLink[s]:supLink[s+1]
}

func (a *alloc) reqLinks(r int32) []alink { return a.links[a.reqLink[r]:a.reqLink[r+1]] }
func (a *alloc) supLinks(s int32) []alink { return a.links[a.supLink[s]:a.supLink[s+1]] }

// shares are the demand shares of an item's planned orders: order k
// serves dem[off[k]:off[k+1]] with qty of the same range, by demand ID,
// or under a peg limit by due rank (listed by ID through byID).
type shares struct {
	off []int32
	dem []int32
	qty []float64
	// rest[k] is the part of order k serving demands its list leaves out
	// (more than the planner's peg limit; nil when no order's list was cut)
	rest []float64
}

// restOf returns the part of order k serving demands not listed.
func (s *shares) restOf(k int) float64 {
	if k >= len(s.rest) {
		return 0
	}
	return s.rest[k]
}

func (s *shares) of(k int) ([]int32, []float64) {
	if k+1 >= len(s.off) {
		return nil, nil
	}
	return s.dem[s.off[k]:s.off[k+1]], s.qty[s.off[k]:s.off[k+1]]
}

// planPeg is the pegging of one plan version (see [Planner.pegging]).
// Demand shares are computed per item when first read (an item's need its
// parents'), or for all items in one parallel pass by level; done marks
// the items whose shares are current. An item that is not done has no
// done descendant (its shares would rest on stale ones), so a net change
// clears done for the touched items and everything below them.
type planPeg struct {
	mu      sync.Mutex // guards everything below
	items   []shares
	done    []bool
	ndone   int
	demRank []int32 // demand index -> rank by ID
	// limit is the most demands an order's shares list (0: no limit),
	// the earliest due first (see [Options.PegLimit]); dueRank ranks the
	// demands by due date, then ID, as of the planner's dueRev
	limit   int
	dueRank []int32
	dueRev  uint64
	// demIDs are the demands' IDs by index, their bytes side by side
	// (a listing with pegging writes one per share: the demands
	// themselves are far apart in memory)
	demIDs []string
	// allocs caches items' single-level pegging for this version.
	allocs map[int32]*alloc
	// spare holds the allocs a net change dropped, for the item's next
	// one to be computed in their storage instead of fresh (zeroed)
	// memory: no more than the cache held before the change
	spare map[int32]*alloc
	// cumQ and cumG are items' running totals of order quantities and
	// of kept gross requirements (see runTotals), current when
	// st[i] has okTotals; sups the supply sequences of items with
	// receipts, current when it has okSeq. Once set, an item's are read
	// without the lock.
	cumQ, cumG [][]int64
	// rtMu guards the computing of an item's running totals and supply
	// sequence (item i: rtMu[i%len]) instead of mu, so that trees built
	// on several goroutines do not wait on one another's; allTotals
	// takes them all while it sets the totals' storage. A cold tree on
	// the 50k default plant computes ~4,750 items' totals, and its two
	// goroutines met on a stripe 110-178 times in 60 cold trees (2-8 on
	// the same item); 4,096 stripes cut that to 11-20 but showed no gain
	// in time (docs/benchmarks.md, branch i12pd6)
	rtMu [rtStripes]sync.Mutex
	sups []supRun
	// st is each item's state of the above (see pegState)
	st []pegState
	// trees counts the supply trees begun on this plan version: the
	// first one sums the totals it reads only as far as it reads them,
	// the later ones all of an item's at once (see extendTotals)
	trees atomic.Int32
	// rv are the receipts of items with receipts as a supply tree reads
	// them (see Planner.receiptView), current when st[i] has okView
	rv   [][]recAt
	ws   []*pegWorker
	late *lateScratch // see lateDemands
	// lateMu is held by the late-demand search using late (lateRun)
	lateMu sync.Mutex
	// lateNote says, by item, whether a late-demand search may have to
	// visit it again (marked, listed in lateMarked) and what changed
	// since the last search; lateAll, every item.
	lateNote   []lateNote
	lateMarked []int32
	lateAll    bool
	// parScratch is pegChangedPar's scratch space
	parScratch pegParScratch
}

// lateNote is what net changes noted of one item for the next
// late-demand search, for it to tell whether the item's last visit read
// any of it (see lateNeeds): q, the first of its orders that changed;
// day, the first day its dependent requirements (or the parents' orders
// they refer to) may have changed on (math.MaxInt32 each: none); hard,
// anything else (its stock, receipts, demands, settings, or requirements
// gathered afresh): it is visited. One entry an item, so that marking it
// reads one cache line.
type lateNote struct {
	q, day       int32
	marked, hard bool
}

// noLateNote is an item's lateNote with nothing noted.
var noLateNote = lateNote{q: math.MaxInt32, day: math.MaxInt32}

// pegState is what the pegging keeps of one item's running totals, supply
// sequence and view of its receipts between and within plan versions: a
// net change writes it for every touched item (~16,000 of the 50k
// default plant's items a change), and a supply tree reads it for every
// item it reads totals of. It lies in one place (32 bytes, two items a
// line) rather than in an array a field, where a net change touched eight
// lines an item; see docs/benchmarks.md, branch i17peg.
type pegState struct {
	// nQ and nG say how many of cumQ[i] and cumG[i] are current (a
	// prefix: they are summed as far as read, see totalsQ), 0 none
	nQ, nG atomic.Int32
	// nS says how many supplies of sups[i] are made: 0 or all (see
	// supRun)
	nS atomic.Int32
	// ok holds okTotals, okSeq and okView: what is current (set once
	// computed, cleared by a net change of the item)
	ok atomic.Uint32
	// while an item's totals are not current, keepQ/keepG say how many
	// of them (from the start) still hold: the orders and requirements
	// before that index are unchanged since they were computed
	keepQ, keepG int32
	// keepS likewise for the supply sequences (see supRun.kept)
	keepS supKeep
}

// The bits of pegState.ok.
const (
	okTotals = 1 << iota // all running totals summed (see runTotals)
	okSeq                // the supply sequence made (see receiptRun)
	okView               // the receipts' view found (see receiptView)
)

// has says whether bit (of okTotals, okSeq, okView) is set.
func (s *pegState) has(bit uint32) bool { return s.ok.Load()&bit != 0 }

// pegWorker is the scratch of one pegging goroutine.
type pegWorker struct {
	w       *worker
	a       alloc
	dems    []int32
	dreq    []areq
	dep     []areq
	tmp     []areq
	cnt     []int32
	pars    []edge
	acc     []float64
	touched []int32
	keyed   []uint64 // touched demands, each under a rank: rank<<32 | demand
	shDem   []int32
	shQty   []float64
	// the merge of the parents' cut lists (see cutShares)
	lists []pegList
	heap  []uint64
	dd    []int32
	dq    []float64
}

// pegList is one parent order's cut list, as an order's computation of
// its shares reads it: its demands by due rank, their shares, and the
// part of the parent the link takes (lq of pq units).
type pegList struct {
	dem    []int32
	qty    []float64
	pq, lq float64
}

// pegChanged records a net change for the pegging: the touched items and
// their descendants are redone when next read, everything when the items
// were relinked. It takes the touched items' notes of what changed
// (takeChanged) in any case: netWindow's kept sums read them too. For the
// next late-demand search it notes the touched items' first changed
// orders, the first day their components' requirements may have changed
// on, and the items direct lists (changed by the change itself, or
// replanned from more than requirement deltas) as changed throughout.
func (p *Planner) pegChanged(touched, direct []int32, relinked bool) {
	p.pegMu.Lock()
	defer p.pegMu.Unlock()
	g := p.peg
	if g != nil {
		g.mu.Lock()
		defer g.mu.Unlock()
		if relinked || len(g.items) != len(p.items) {
			g.reset(len(p.items))
			g = nil
		}
	}
	if g == nil {
		// no pegging to redo (it is built afresh when read): only the
		// kept sums read the notes, and only an item holding some needs
		// them taken (see windowSums). Reading every touched item's notes
		// here cost ~9 k last-level misses a change on the 50k default
		// plant (16 k items touched), more than the kept sums save; and
		// a plant whose items are all lot-for-lot (no window) keeps none.
		if held := p.wkHeld; p.wkAny && len(held) == len(p.items) {
			for _, i := range touched {
				if held[i] {
					p.takeChanged(i)
				}
			}
		}
		return
	}
	g.trees.Store(0)
	// An item's single-level pegging reads its demands, receipts and
	// stock and its parents' orders: when any of those changed, net
	// change replanned it, so it is among the touched items; except that
	// a parent's changed orders may leave its components' requirements
	// as they were (a dated BOM line not in force on the changed days)
	// while the requirements' references to the parent's orders (their
	// positions) move: the components' pegging is redone too.
	// The items' single-level pegging is kept only once the whole
	// pegging or a slow tree read it, and the marks for the late-demand
	// search matter only once a search ran (until then the next one
	// visits every item): without either, the components' loop below
	// would read every touched item's second line for nothing (~20 k
	// last-level misses of a change on the 50k default plant, where a
	// supply tree needs neither; docs/benchmarks.md, branch i17peg).
	drops, marks := len(g.allocs) > 0, !g.lateAll
	parMin := p.pegParMin
	if parMin == 0 {
		parMin = pegChangedParMin
	}
	if marks && len(touched) >= parMin && p.opts.Workers != 1 {
		p.pegChangedPar(g, touched, direct, drops)
		return
	}
	var stack []int32
	for _, i := range touched {
		// redone in place when next read (no reader holds them: a
		// change does not run beside reads), from the first order
		// and requirement net change changed (it notes them in
		// chgQ/chgG). Redoing them here instead, for the items
		// whose totals were in use, was measured: it moved ~20 ms
		// of CPU from the next supply tree into every net change on
		// the 50k default plant.
		kq, kg := p.takeChanged(i)
		// the totals summed in this version (a prefix, see
		// totalsQ) or, none summed, those of an earlier one hold up
		// to the first entry changed
		if n := g.st[i].nQ.Load(); n > 0 {
			g.st[i].keepQ = min(n-1, kq)
		} else {
			g.st[i].keepQ = min(g.st[i].keepQ, kq)
		}
		if n := g.st[i].nG.Load(); n > 0 {
			g.st[i].keepG = min(n-1, kg)
		} else {
			g.st[i].keepG = min(g.st[i].keepG, kg)
		}
		// the supply sequence (an item with receipts) likewise: the
		// supplies made hold up to the first order changed, and its
		// receipts and stock are checked when it is next made
		if n := g.st[i].nS.Load(); n > 0 {
			g.st[i].keepS = supKeep{made: n, keepO: kq}
		} else {
			g.st[i].keepS.keepO = min(g.st[i].keepS.keepO, kq)
		}
		g.st[i].nQ.Store(0)
		g.st[i].nG.Store(0)
		g.st[i].nS.Store(0)
		// the view of the receipts too (an item without receipts
		// has none to read: cleared with the rest, in the same word)
		g.st[i].ok.Store(0)
		if drops {
			g.dropAlloc(i)
		}
		if marks {
			g.lateOrders(i, kq)
		}
		if it := &p.items[i]; (drops || marks) && len(it.comps) > 0 {
			// the components' requirements from the orders that
			// changed, and their references to them, are due no
			// earlier than the last order before those is released
			// (an item's orders are by due day)
			day := int32(math.MaxInt32)
			if marks && kq != math.MaxInt32 {
				day = 0
				if k := min(int(kq), len(it.due)); k > 0 {
					day = max(p.cal.release(it.due[k-1], it.lt), 0)
				}
			}
			for _, e := range it.comps {
				g.dropAlloc(e.to)
				if marks {
					g.lateReqs(e.to, day)
				}
			}
		}
		if g.done[i] {
			g.done[i] = false
			g.ndone--
			stack = append(stack, i)
		}
	}
	if marks {
		for _, i := range direct {
			g.lateHardMark(i)
		}
	}
	g.undoBelow(p, stack)
}

// undoBelow marks the descendants of the items in stack (whose
// single-level pegging was just marked undone) undone too: their pegging
// reads their parents'. It uses stack's storage. g.mu is held.
func (g *planPeg) undoBelow(p *Planner, stack []int32) {
	for len(stack) > 0 {
		i := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, e := range p.items[i].comps {
			if g.done[e.to] {
				g.done[e.to] = false
				g.ndone--
				stack = append(stack, e.to)
			}
		}
	}
}

// pegParScratch is pegChangedPar's scratch space, kept between changes:
// each goroutine's marked and undone items, and the day each touched
// item's components' notes take.
type pegParScratch struct {
	parts [2]pegParPart
	days  []int32
}

// pegParPart is what one of pegChangedPar's goroutines found.
type pegParPart struct {
	marked []int32
	undone []int32 // items whose single-level pegging was done
}

// pegChangedParMin is the fewest touched items for which pegChanged
// takes its notes on two goroutines (pegChangedPar).
const pegChangedParMin = 4096

// pegChangedPar is pegChanged's loop over the touched items, with the
// marks for the late-demand search, on two goroutines: ~16,000 items a
// one-line change on the 50k default plant, whose two item lines, state
// and components' notes are cache misses (2 ms serial in every write over
// the API). First each takes its half of the touched items (their own
// state and notes, the day for their components), then each the
// components in its half of the item numbers (i%2), so that no note is
// written by both; the marked lists are joined after. The single-level
// pegging kept (drops) is dropped after, on one goroutine (a map). g.mu
// and p.pegMu are held.
func (p *Planner) pegChangedPar(g *planPeg, touched, direct []int32, drops bool) {
	// the scratch lists of the last change, emptied (a change on the 50k
	// plant fills ~100 KB of them)
	sc := &g.parScratch
	parts := &sc.parts
	for k := range parts {
		parts[k].marked, parts[k].undone = parts[k].marked[:0], parts[k].undone[:0]
	}
	days := slices.Grow(sc.days[:0], len(touched))[:len(touched)]
	sc.days = days
	half := len(touched) / 2
	mark := func(pt *pegParPart, i int32) {
		if !g.lateNote[i].marked {
			g.lateNote[i].marked = true
			pt.marked = append(pt.marked, i)
		}
	}
	own := func(pt *pegParPart, lo, hi int) {
		for h := lo; h < hi; h++ {
			i := touched[h]
			kq, kg := p.takeChanged(i)
			st := &g.st[i]
			if n := st.nQ.Load(); n > 0 {
				st.keepQ = min(n-1, kq)
			} else {
				st.keepQ = min(st.keepQ, kq)
			}
			if n := st.nG.Load(); n > 0 {
				st.keepG = min(n-1, kg)
			} else {
				st.keepG = min(st.keepG, kg)
			}
			if n := st.nS.Load(); n > 0 {
				st.keepS = supKeep{made: n, keepO: kq}
			} else {
				st.keepS.keepO = min(st.keepS.keepO, kq)
			}
			st.nQ.Store(0)
			st.nG.Store(0)
			st.nS.Store(0)
			st.ok.Store(0)
			mark(pt, i)
			g.lateNote[i].q = min(g.lateNote[i].q, kq)
			day := int32(math.MaxInt32)
			if it := &p.items[i]; len(it.comps) > 0 && kq != math.MaxInt32 {
				day = 0
				if k := min(int(kq), len(it.due)); k > 0 {
					day = max(p.cal.release(it.due[k-1], it.lt), 0)
				}
			}
			days[h] = day
			if g.done[i] {
				g.done[i] = false
				pt.undone = append(pt.undone, i)
			}
		}
	}
	comps := func(pt *pegParPart, w int32) {
		for h, i := range touched {
			day := days[h]
			for _, e := range p.items[i].comps {
				if e.to&1 == w {
					mark(pt, e.to)
					g.lateNote[e.to].day = min(g.lateNote[e.to].day, day)
				}
			}
		}
	}
	var wg sync.WaitGroup
	wg.Go(func() { own(&parts[1], half, len(touched)) })
	own(&parts[0], 0, half)
	wg.Wait()
	wg.Go(func() { comps(&parts[1], 1) })
	comps(&parts[0], 0)
	wg.Wait()
	if drops {
		for _, i := range touched {
			g.dropAlloc(i)
			for _, e := range p.items[i].comps {
				g.dropAlloc(e.to)
			}
		}
	}
	var stack []int32
	for k := range parts {
		g.lateMarked = append(g.lateMarked, parts[k].marked...)
		g.ndone -= len(parts[k].undone)
		stack = append(stack, parts[k].undone...)
	}
	for _, i := range direct {
		g.lateHardMark(i)
	}
	g.undoBelow(p, stack)
}

// dropAlloc forgets item i's single-level pegging, keeping its storage.
func (g *planPeg) dropAlloc(i int32) {
	if a, ok := g.allocs[i]; ok {
		delete(g.allocs, i)
		if g.spare == nil {
			g.spare = map[int32]*alloc{}
		}
		g.spare[i] = a
	}
}

// reset forgets every item's shares.
func (g *planPeg) reset(n int) {
	g.items = make([]shares, n)
	g.done = make([]bool, n)
	g.ndone = 0
	g.allocs, g.spare = nil, nil
	g.cumQ, g.cumG, g.sups = make([][]int64, n), make([][]int64, n), make([]supRun, n)
	g.st = make([]pegState, n)
	g.rv = make([][]recAt, n)
	g.trees.Store(0)
	g.demIDs = nil
	g.lateNote, g.lateMarked, g.lateAll = make([]lateNote, n), nil, true
	for i := range n {
		g.lateNote[i] = noLateNote
	}
}

// pegReset drops the pegging (after a regenerative run), and netWindow's
// kept sums with it: a regenerative run, or a plan taken over, writes the
// orders without noting what changed (changedQ).
func (p *Planner) pegReset() {
	p.pegMu.Lock()
	p.peg = nil
	p.pegMu.Unlock()
	p.wk, p.wkHeld, p.wkAny = nil, nil, false
	p.excMu.Lock()
	p.exc.reset()
	p.excMu.Unlock()
	p.digMu.Lock()
	p.dig.reset()
	p.digMu.Unlock()
}

// SetPegLimit sets [Options.PegLimit] of the planner (0: DefaultPegLimit,
// negative: no limit); the pegging is worked out again when next read.
// Like [Planner.Apply], it must not run beside other calls.
func (p *Planner) SetPegLimit(n int) {
	if p.opts.PegLimit == n {
		return
	}
	p.opts.PegLimit = n
	p.pegReset()
}

// pegging returns the pegging of the current plan version. Read-only
// methods may call it concurrently.
func (p *Planner) pegging() *planPeg {
	p.pegMu.Lock()
	defer p.pegMu.Unlock()
	if p.peg == nil {
		p.peg = &planPeg{limit: p.opts.pegLimit()}
		p.peg.reset(len(p.items))
	}
	return p.peg
}

// rankDemands ranks the demands by ID (shares are listed in that order);
// g.mu is held. New demands keep the order of the others.
func (g *planPeg) rankDemands(p *Planner) {
	if len(g.demRank) == len(p.demands) {
		return
	}
	// sorted on a compact copy of the IDs: a comparison reading the
	// demands themselves missed the cache twice (10^6 lines: 0.6 s)
	type key struct {
		id string
		k  int32
	}
	ks := make([]key, len(p.demands))
	for k := range ks {
		ks[k] = key{p.demands[k].in.ID, int32(k)}
	}
	slices.SortFunc(ks, func(a, b key) int { return strings.Compare(a.id, b.id) })
	g.demRank = slices.Grow(g.demRank[:0], len(ks))[:len(ks)]
	for r, x := range ks {
		g.demRank[x.k] = int32(r)
	}
}

// rankDue ranks the demands by due date, then ID, when the peg limit
// needs it; g.mu is held. The ranks are redone when a demand was added or
// one's due date changed.
func (g *planPeg) rankDue(p *Planner) {
	if g.limit == 0 || len(g.dueRank) == len(p.demands) && g.dueRev == p.dueRev {
		return
	}
	// the instant (seconds, nanoseconds), then the rank by ID (g.demRank,
	// current: rankDemands runs first), one compact key each
	type key struct {
		sec          int64
		nsec, idr, k int32
	}
	ks := make([]key, len(p.demands))
	for k := range ks {
		t := p.demands[k].in.Due
		ks[k] = key{t.Unix(), int32(t.Nanosecond()), g.demRank[k], int32(k)}
	}
	slices.SortFunc(ks, func(x, y key) int {
		return cmp.Or(cmp.Compare(x.sec, y.sec), cmp.Compare(x.nsec, y.nsec), cmp.Compare(x.idr, y.idr))
	})
	g.dueRank = slices.Grow(g.dueRank[:0], len(ks))[:len(ks)]
	for r, x := range ks {
		g.dueRank[x.k] = int32(r)
	}
	g.dueRev = p.dueRev
}

func (g *planPeg) workers(p *Planner) {
	nw := p.opts.Workers
	if nw == 0 {
		nw = runtime.GOMAXPROCS(0)
	}
	for len(g.ws) < nw {
		g.ws = append(g.ws, &pegWorker{w: p.newWorker()})
	}
}

// sharesOf returns item i's demand shares, computing those of i and of
// its ancestors that are not done.
func (p *Planner) sharesOf(g *planPeg, i int32) (*shares, []string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.demandIDs(p)
	if !g.done[i] {
		g.rankDemands(p)
		g.rankDue(p)
		g.workers(p)
		// ancestors not done, then i, parents first (by low-level code)
		todo := []int32{i}
		seen := map[int32]bool{i: true}
		for h := 0; h < len(todo); h++ {
			for _, e := range p.items[todo[h]].parents {
				if !g.done[e.to] && !seen[e.to] {
					seen[e.to] = true
					todo = append(todo, e.to)
				}
			}
		}
		slices.SortFunc(todo, func(a, b int32) int { return cmp.Compare(p.llc[a], p.llc[b]) })
		for _, j := range todo {
			p.pegItem(g, g.ws[0], j)
		}
	}
	return &g.items[i], g.demIDs
}

// demandIDs brings g.demIDs up to date (an index keeps its demand's ID:
// only new demands are added); g.mu is held.
func (g *planPeg) demandIDs(p *Planner) {
	if len(g.demIDs) > len(p.demands) {
		g.demIDs = nil // demands dropped (a change undone): start again
	}
	if len(g.demIDs) == len(p.demands) {
		return
	}
	n := 0
	for _, d := range p.demands[len(g.demIDs):] {
		n += len(d.in.ID)
	}
	var b strings.Builder
	b.Grow(n)
	for _, d := range p.demands[len(g.demIDs):] {
		b.WriteString(d.in.ID)
	}
	all := b.String()
	for _, d := range p.demands[len(g.demIDs):] {
		g.demIDs = append(g.demIDs, all[:len(d.in.ID)])
		all = all[len(d.in.ID):]
	}
}

// allShares brings every item's shares up to date, level by level, the
// items of a level spread over the workers.
func (p *Planner) allShares(g *planPeg) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.demandIDs(p)
	if g.ndone == len(g.items) {
		return
	}
	p.sharesByLevel(g, nil)
}

// PegAhead computes, on all cores, the demand shares of the items of
// orders and of their ancestors (an item's follow from its parents'):
// what [Planner.PeggedDemands] of each order would compute one item at a
// time, on one. For a listing of many orders with their pegging, such as
// a sales order's ([Planner.DemandOrders]): on the 50k default plant,
// ~8,700 orders over ~4,900 items.
func (p *Planner) PegAhead(orders []PlannedOrder) {
	g := p.pegging()
	g.mu.Lock()
	defer g.mu.Unlock()
	g.demandIDs(p)
	want := make([]bool, len(p.items))
	var todo []int32
	for _, o := range orders {
		if i, ok := p.index[o.Item]; ok && !g.done[i] && !want[i] {
			want[i] = true
			todo = append(todo, i)
		}
	}
	for h := 0; h < len(todo); h++ {
		for _, e := range p.items[todo[h]].parents {
			if !g.done[e.to] && !want[e.to] {
				want[e.to] = true
				todo = append(todo, e.to)
			}
		}
	}
	if len(todo) > 0 {
		p.sharesByLevel(g, want)
	}
}

// sharesByLevel computes the shares of the items not done (of those want
// marks, when not nil), level by level (an item's parents first), a wide
// level on all of g's workers; g.mu is held.
func (p *Planner) sharesByLevel(g *planPeg, want []bool) {
	g.rankDemands(p)
	g.rankDue(p)
	g.workers(p)
	var todo []int32
	for _, lv := range p.levels {
		todo = todo[:0]
		for _, i := range lv {
			if !g.done[i] && (want == nil || want[i]) {
				todo = append(todo, i)
			}
		}
		if len(g.ws) == 1 || len(todo) < 64 {
			for _, i := range todo {
				p.pegItem(g, g.ws[0], i)
			}
			continue
		}
		var next atomic.Int64
		var wg sync.WaitGroup
		for _, pw := range g.ws {
			wg.Add(1)
			go func(pw *pegWorker) {
				defer wg.Done()
				for {
					lo := int(next.Add(16)) - 16
					if lo >= len(todo) {
						return
					}
					for _, i := range todo[lo:min(lo+16, len(todo))] {
						p.computeShares(g, pw, i)
					}
				}
			}(pw)
		}
		wg.Wait()
		for _, i := range todo {
			g.done[i] = true
		}
		g.ndone += len(todo)
	}
}

// pegItem computes item i's shares and marks them done.
func (p *Planner) pegItem(g *planPeg, pw *pegWorker, i int32) {
	p.computeShares(g, pw, i)
	g.done[i] = true
	g.ndone++
}

// computeShares computes item i's demand shares into g.items[i] from its
// single-level pegging and its parents' shares (which must be done).
func (p *Planner) computeShares(g *planPeg, pw *pegWorker, i int32) {
	a := &pw.a
	p.allocItem(pw, i, a)
	it := &p.items[i]
	var sh shares
	sh.off = make([]int32, len(it.due)+1)
	// the shares go to scratch first, then once to their own storage
	sh.dem, sh.qty = pw.shDem[:0], pw.shQty[:0]
	if g.limit > 0 {
		p.cutShares(g, pw, i, &sh)
		pw.shDem, pw.shQty = sh.dem, sh.qty
		sh.dem, sh.qty = slices.Clone(sh.dem), slices.Clone(sh.qty)
		g.items[i] = sh
		return
	}
	// every demand listed, by ID, no rest: the parents' shares summed per
	// demand
	if len(pw.acc) < len(p.demands) {
		pw.acc = make([]float64, len(p.demands)+len(p.demands)/4)
	}
	rank := g.demRank
	for k := range it.due {
		s := a.ordSup[k]
		for _, lk := range a.supLinks(s) {
			r := &a.reqs[lk.req]
			if r.dem >= 0 {
				if pw.acc[r.dem] == 0 {
					pw.touched = append(pw.touched, r.dem)
				}
				pw.acc[r.dem] += float64(lk.qty)
				continue
			}
			pq := float64(p.items[r.par].qty[r.ord])
			dem, qty := g.items[r.par].of(int(r.ord))
			for j, d := range dem {
				if pw.acc[d] == 0 {
					pw.touched = append(pw.touched, d)
				}
				pw.acc[d] += qty[j] / pq * float64(lk.qty)
			}
		}
		if len(pw.touched) > 1 {
			pw.touched = pw.sortBy(rank, pw.touched)
		}
		for _, d := range pw.touched {
			sh.dem = append(sh.dem, d)
			sh.qty = append(sh.qty, pw.acc[d])
			pw.acc[d] = 0
		}
		pw.touched = pw.touched[:0]
		sh.off[k+1] = int32(len(sh.dem))
	}
	pw.shDem, pw.shQty = sh.dem, sh.qty
	sh.dem, sh.qty = slices.Clone(sh.dem), slices.Clone(sh.qty)
	g.items[i] = sh
}

// cutShares computes item i's shares into sh (its off, dem and qty set
// to the scratch storage) under the peg limit: each order keeps its
// g.limit first demands by due rank, in that order, and sums the rest.
// The parents' lists are in due order, so they are merged (a heap of
// the lists by their next demand's due rank) until the limit's last
// demand and its repeats are taken: a demand's entries have its rank and
// come out together. What the lists hold beyond, and the parents' rests,
// make the order's rest. On the 50k default plant an order meets ~32
// demands through ~3.6 parent orders; the merge reads ~10 of them.
func (p *Planner) cutShares(g *planPeg, pw *pegWorker, i int32, sh *shares) {
	a := &pw.a
	it := &p.items[i]
	due := g.dueRank
	for k := range it.due {
		s := a.ordSup[k]
		var rest float64
		// the order's own demands: one-entry lists, after the storage is
		// filled (the lists point into it)
		pw.dd, pw.dq = pw.dd[:0], pw.dq[:0]
		ls := pw.lists[:0]
		for _, lk := range a.supLinks(s) {
			if r := &a.reqs[lk.req]; r.dem >= 0 {
				pw.dd = append(pw.dd, r.dem)
				pw.dq = append(pw.dq, float64(lk.qty))
			}
		}
		for j := range pw.dd {
			ls = append(ls, pegList{dem: pw.dd[j : j+1], qty: pw.dq[j : j+1], pq: 1, lq: 1})
		}
		for _, lk := range a.supLinks(s) {
			r := &a.reqs[lk.req]
			if r.dem >= 0 {
				continue
			}
			pq, lq := float64(p.items[r.par].qty[r.ord]), float64(lk.qty)
			ps := &g.items[r.par]
			if pr := ps.restOf(int(r.ord)); pr != 0 {
				rest += pr / pq * lq
			}
			if dem, qty := ps.of(int(r.ord)); len(dem) > 0 {
				ls = append(ls, pegList{dem: dem, qty: qty, pq: pq, lq: lq})
			}
		}
		// a min-heap of the lists by their first demand's due rank: an
		// entry is the rank above the list's index, so that comparing
		// entries reads no list (the ranks are distinct by demand; a
		// demand's lists come out in index order)
		h := pw.heap[:0]
		for j := range ls {
			h = append(h, uint64(due[ls[j].dem[0]])<<32|uint64(j))
		}
		down := func(x int) {
			for {
				c := 2*x + 1
				if c >= len(h) {
					return
				}
				if c+1 < len(h) && h[c+1] < h[c] {
					c++
				}
				if h[x] <= h[c] {
					return
				}
				h[x], h[c] = h[c], h[x]
				x = c
			}
		}
		for x := len(h)/2 - 1; x >= 0; x-- {
			down(x)
		}
		first := len(sh.dem)
		for len(h) > 0 {
			j := uint32(h[0])
			l := &ls[j]
			d := l.dem[0]
			if n := len(sh.dem); n == first || sh.dem[n-1] != d {
				if n-first == g.limit {
					break // the limit's last demand is taken, with its repeats
				}
				sh.dem = append(sh.dem, d)
				sh.qty = append(sh.qty, 0)
			}
			sh.qty[len(sh.qty)-1] += l.qty[0] / l.pq * l.lq
			l.dem, l.qty = l.dem[1:], l.qty[1:]
			if len(l.dem) == 0 {
				h[0] = h[len(h)-1]
				h = h[:len(h)-1]
			} else {
				h[0] = uint64(due[l.dem[0]])<<32 | uint64(j)
			}
			down(0)
		}
		// what the lists hold beyond the limit
		for _, e := range h {
			l := &ls[uint32(e)]
			for _, q := range l.qty {
				rest += q / l.pq * l.lq
			}
		}
		pw.heap, pw.lists = h, ls
		if rest != 0 {
			if sh.rest == nil {
				sh.rest = make([]float64, len(it.due))
			}
			sh.rest[k] = rest
		}
		sh.off[k+1] = int32(len(sh.dem))
	}
}

// byID returns the positions 0..len(dem)-1 of an order's demands in the
// order of their IDs (rank: g.demRank), in buf's storage: a cut list is
// kept in due order and listed by ID.
func byID(rank []int32, dem []int32, buf []int32) []int32 {
	buf = buf[:0]
	if len(dem) > 32 {
		for j := range dem {
			buf = append(buf, int32(j))
		}
		slices.SortFunc(buf, func(x, y int32) int { return cmp.Compare(rank[dem[x]], rank[dem[y]]) })
		return buf
	}
	// a cut list holds a few demands: an insertion sort of words packing
	// rank and position
	var ks [32]uint64
	for j, d := range dem {
		k := uint64(rank[d])<<32 | uint64(j)
		y := j
		for ; y > 0 && ks[y-1] > k; y-- {
			ks[y] = ks[y-1]
		}
		ks[y] = k
	}
	for _, k := range ks[:len(dem)] {
		buf = append(buf, int32(uint32(k)))
	}
	return buf
}

// sortBy sorts the demands ds by rank (a permutation of demand indexes,
// so no two share one), in place: each packed with its rank into one
// word and the words sorted, which is several times faster than sorting
// the demands through a comparison reading their ranks.
func (pw *pegWorker) sortBy(rank []int32, ds []int32) []int32 {
	ks := pw.keyed[:0]
	for _, d := range ds {
		ks = append(ks, uint64(rank[d])<<32|uint64(uint32(d)))
	}
	slices.Sort(ks)
	for j, k := range ks {
		ds[j] = int32(uint32(k))
	}
	pw.keyed = ks
	return ds
}

// allocItem computes item i's single-level pegging into a (reusing its
// storage).
func (p *Planner) allocItem(pw *pegWorker, i int32, a *alloc) {
	it := &p.items[i]
	a.reqs = pw.itemReqs(p, it, math.MaxInt32, a.reqs)
	// supplies in first-in-first-out order: stock, then receipts (on the
	// day netting counts them) and planned orders, a receipt first
	a.sups, a.ordSup = slices.Grow(a.sups[:0], 1+it.rec.len()+len(it.due)), slices.Grow(a.ordSup[:0], len(it.due))
	if it.onhand > 0 {
		a.sups = append(a.sups, asup{kind: FromStock, ref: -1, day: 0, qty: it.onhand})
	}
	w := pw.w
	w.recDay, w.recs = w.recDay[:0], w.recs[:0]
	if it.rec.some() {
		hi := p.replan(w, i)
		clear(w.gross[:hi+1])
	}
	ri, oi := 0, 0
	for ri < len(w.recDay) || oi < len(it.due) {
		if ri < len(w.recDay) && (oi >= len(it.due) || w.recDay[ri] <= it.due[oi]) {
			a.sups = append(a.sups, asup{kind: FromReceipt, ref: w.recs[ri], day: w.recDay[ri], qty: p.recs[w.recs[ri]].in.Qty})
			ri++
		} else {
			a.ordSup = append(a.ordSup, int32(len(a.sups)))
			a.sups = append(a.sups, asup{kind: FromPlanned, ref: int32(oi), day: it.due[oi], qty: it.qty[oi]})
			oi++
		}
	}
	// FIFO allocation: a link ends a requirement or a supply (or both)
	a.links = slices.Grow(a.links[:0], len(a.reqs)+len(a.sups))
	a.reqLink = slices.Grow(a.reqLink[:0], len(a.reqs)+1)[:len(a.reqs)+1]
	a.supLink = slices.Grow(a.supLink[:0], len(a.sups)+1)[:len(a.sups)+1]
	s := 0
	var left int64
	if len(a.sups) > 0 {
		left = a.sups[0].qty
	}
	for r := range a.reqs {
		a.reqLink[r] = int32(len(a.links))
		need := a.reqs[r].qty
		for need > 0 && s < len(a.sups) {
			if left == 0 {
				s++
				if s < len(a.sups) {
					left = a.sups[s].qty
				}
				continue
			}
			q := min(need, left)
			a.links = append(a.links, alink{req: int32(r), sup: int32(s), qty: q})
			need -= q
			left -= q
		}
	}
	a.reqLink[len(a.reqs)] = int32(len(a.links))
	l := 0
	for s := range a.sups {
		for l < len(a.links) && a.links[l].sup < int32(s) {
			l++
		}
		a.supLink[s] = int32(l)
	}
	a.supLink[len(a.sups)] = int32(len(a.links))
}

// itemReqs returns item it's requirements due before day end
// (math.MaxInt32: all of them) in dst's storage, in the order its
// single-level pegging covers them: by day, within a day the independent
// demands (in the order of the item's timeline: by day, then priority,
// then ID) before the dependent requirements (by parent, BOM line and
// parent order). The requirements before a day are a prefix of all of
// them, in the same order.
func (pw *pegWorker) itemReqs(p *Planner, it *item, end int32, dst []areq) []areq {
	pw.dems = it.dem.appendTo(pw.dems[:0])
	pw.dreq = pw.dreq[:0]
	p.independent(it, pw.dems, func(di int32, q int64) {
		if d := p.demands[di].day; q > 0 && d < end {
			pw.dreq = append(pw.dreq, areq{day: d, qty: q, dem: di})
		}
	})
	dep := pw.depReqs(p, it, end)
	// merged: within a day demands first
	dst = slices.Grow(dst[:0], len(pw.dreq)+len(dep))
	x, y := pw.dreq, dep
	for len(x) > 0 || len(y) > 0 {
		if len(x) > 0 && (len(y) == 0 || x[0].day <= y[0].day) {
			dst = append(dst, x[0])
			x = x[1:]
		} else {
			dst = append(dst, y[0])
			y = y[1:]
		}
	}
	return dst
}

// depReqs returns the item's dependent requirements due before day end,
// ordered by day, then parent, then parent order: a counting sort by day
// of the parents' orders, visited by parent and order (each parent's
// orders are by due day, so by release day: those released on end or
// later are not visited).
func (pw *pegWorker) depReqs(p *Planner, it *item, end int32) []areq {
	pars := it.parents
	if !slices.IsSortedFunc(pars, func(a, b edge) int { return cmp.Compare(a.to, b.to) }) {
		pw.pars = append(pw.pars[:0], pars...)
		slices.SortStableFunc(pw.pars, func(a, b edge) int { return cmp.Compare(a.to, b.to) })
		pars = pw.pars
	}
	tmp := pw.tmp[:0]
	maxDay := int32(0)
	for _, e := range pars {
		par := &p.items[e.to]
		lt := par.lt
		for k, due := range par.due {
			d := max(p.cal.release(due, lt), 0)
			if d >= end {
				break
			}
			if !e.on(d) {
				continue // a dated BOM: not exploded on that day
			}
			maxDay = max(maxDay, d)
			tmp = append(tmp, areq{day: d, qty: e.req(par.qty[k]), dem: -1, par: e.to, ord: int32(k)})
		}
	}
	pw.tmp = tmp
	if len(pars) <= 1 {
		// one parent: its orders are by due day, so by release day
		return tmp
	}
	if int(maxDay)+2 > len(pw.cnt) {
		pw.cnt = make([]int32, int(maxDay)+2+64)
	}
	cnt := pw.cnt[:maxDay+2]
	clear(cnt)
	for k := range tmp {
		cnt[tmp[k].day+1]++
	}
	for d := 1; d < len(cnt); d++ {
		cnt[d] += cnt[d-1]
	}
	pw.dep = slices.Grow(pw.dep[:0], len(tmp))[:len(tmp)]
	out := pw.dep
	for k := range tmp {
		d := tmp[k].day
		out[cnt[d]] = tmp[k]
		cnt[d]++
	}
	return out
}

// itemAlloc returns item i's single-level pegging in the current plan,
// kept for the plan version; pw (nil: a new one) is the scratch to
// compute it in, reused by callers that visit many items.
func (p *Planner) itemAlloc(g *planPeg, i int32, pw *pegWorker) *alloc {
	g.mu.Lock()
	defer g.mu.Unlock()
	if a, ok := g.allocs[i]; ok {
		return a
	}
	if pw == nil {
		pw = &pegWorker{w: p.newWorker()}
	}
	// computed in place: allocItem sizes every slice of a fresh alloc
	// once (links at most one more than needed per requirement), or
	// reuses those of the item's alloc a net change dropped (no reader
	// holds it: a change does not run beside reads)
	a := g.spare[i]
	if a != nil {
		delete(g.spare, i)
	} else {
		a = &alloc{}
	}
	p.allocItem(pw, i, a)
	if g.allocs == nil {
		g.allocs = map[int32]*alloc{}
	}
	g.allocs[i] = a
	return a
}

// pegOrderID is the ID of order k of item i.
func (p *Planner) pegOrderID(i int32, k int32) string { return p.orderID(i, int(k)) }

func (p *Planner) supply(i int32, s *asup) Supply {
	out := Supply{Kind: s.kind, Day: int(s.day), Qty: s.qty}
	switch s.kind {
	case FromReceipt:
		out.ID = p.recs[s.ref].in.ID
	case FromPlanned:
		out.ID = p.pegOrderID(i, s.ref)
	}
	return out
}

func (p *Planner) requirement(r *areq) Requirement {
	out := Requirement{Day: int(r.day), Qty: r.qty}
	if r.dem >= 0 {
		out.Demand = p.demands[r.dem].in.ID
	} else {
		out.ParentOrder = p.pegOrderID(r.par, r.ord)
	}
	return out
}

// Pegging returns the single-level pegging of an item: which supply covers
// which of its requirements, in requirement order.
func (p *Planner) Pegging(itemID string) ([]Peg, error) {
	i, ok := p.index[itemID]
	if !ok {
		return nil, &ItemError{Item: itemID, Err: ErrUnknownItem}
	}
	a := p.itemAlloc(p.pegging(), i, nil)
	out := make([]Peg, len(a.links))
	for k, l := range a.links {
		out[k] = Peg{Item: itemID, Req: p.requirement(&a.reqs[l.req]), Supply: p.supply(i, &a.sups[l.sup]), Qty: l.qty}
	}
	return out, nil
}

// PegNode is one node of a demand's supply tree: Qty of Supply of Item
// is pegged to the parent node. A planned production (or phantom) order's
// children are the supplies pegged to its component requirements (for the
// whole order, of which Qty may be a share).
type PegNode struct {
	Item   string
	Supply Supply
	Qty    int64
	// DemandQty is the part of Qty that serves the tree's demand (see
	// [PegTree.DemandQtys]).
	DemandQty float64
	Children  []*PegNode
	// cut: supplyTreeSlow left out the supplies below it (a tree of
	// fewer levels)
	cut bool
}

// maxTreeNodes bounds a supply tree.
const maxTreeNodes = 1 << 20

// SupplyTree returns the full multi-level supply tree of a demand (a
// sales-order line): what a salesperson wants to see.
func (p *Planner) SupplyTree(demandID string) ([]*PegNode, error) {
	di, ok := p.demandIx[demandID]
	if !ok || !p.demands[di].live {
		return nil, fmt.Errorf("%w: demand %s", ErrNotFound, demandID)
	}
	g := p.pegging()
	t := PegTree{p: p}
	b := treeBuilder{p: p, g: g}
	err := b.demand(di)
	if err == errSlow {
		return p.supplyTreeSlow(g, di, 0)
	}
	if err != nil {
		return nil, err
	}
	t.nodes = b.nodes
	return t.Nodes(), nil
}

// supplyTreeSlow is [Planner.SupplyTree] from the single-level pegging of
// every item it passes through. A node's children depend only on its item
// and supply, so it first finds each distinct (item, supply) reachable
// from the demand once (slowTree.visit), with the size of the subtree
// under it, and then unfolds the tree from them: a tree over
// maxTreeNodes is refused after visiting only its distinct supplies (a
// deep BOM with shared parts repeats a few of them an exponential number
// of times), and the allocations are searched once per distinct supply,
// not once per node.
//
// With levels > 0 only the first levels levels are unfolded (see
// [Planner.PegTreeLevels]), and the nodes of the last one with children
// are marked cut.
func (p *Planner) supplyTreeSlow(g *planPeg, di int32, levels int) ([]*PegNode, error) {
	ns, err := p.supplyTreeSlowNodes(g, di, levels)
	fillDemandQty(ns, 1)
	return ns, err
}

// fillDemandQty sets the nodes' DemandQty (see [PegTree.DemandQtys]):
// share is the part of their parent's order the demand takes (1 at the
// top).
func fillDemandQty(ns []*PegNode, share float64) {
	for _, nd := range ns {
		nd.DemandQty = float64(nd.Qty) * share
		if len(nd.Children) > 0 && nd.Supply.Qty > 0 {
			fillDemandQty(nd.Children, nd.DemandQty/float64(nd.Supply.Qty))
		}
	}
}

func (p *Planner) supplyTreeSlowNodes(g *planPeg, di int32, levels int) ([]*PegNode, error) {
	t, top := p.slowTreeOf(g, di)
	if levels > 0 {
		n := 0
		var out []*PegNode
		for _, k := range top {
			t.visit(k.item, k.sup)
			nd, ok := t.buildLevels(k, levels-1, &n)
			if !ok {
				return nil, errTreeSize()
			}
			out = append(out, nd)
		}
		return out, nil
	}
	if t.sizeOf(top) > maxTreeNodes {
		return nil, errTreeSize()
	}
	var out []*PegNode
	for _, k := range top {
		out = append(out, t.build(k))
	}
	return out, nil
}

// slowTreeOf returns an empty slowTree for demand di and the top nodes of
// its tree: the supplies linked to the demand's requirement.
func (p *Planner) slowTreeOf(g *planPeg, di int32) (*slowTree, []slowKid) {
	t := &slowTree{p: p, g: g, pw: &pegWorker{w: p.newWorker()}, seen: map[slowKey]int32{}}
	i := p.demands[di].item
	a := p.itemAlloc(g, i, t.pw)
	day := p.demands[di].day
	var top []slowKid
	lo, _ := slices.BinarySearchFunc(a.reqs, day, func(r areq, d int32) int { return cmp.Compare(r.day, d) })
	for r := lo; r < len(a.reqs) && a.reqs[r].day == day; r++ {
		if a.reqs[r].dem != di {
			continue
		}
		for _, l := range a.reqLinks(int32(r)) {
			top = append(top, slowKid{i, l.sup, l.qty})
		}
	}
	return t, top
}

// slowTree is supplyTreeSlow's graph of the distinct supplies under a
// demand.
type slowTree struct {
	p    *Planner
	g    *planPeg
	pw   *pegWorker
	seen map[slowKey]int32 // index in nodes
	// nodes[x]'s children are kids[nodes[x].kid:nodes[x].end]
	nodes []slowNode
	kids  []slowKid
}

type slowKey struct{ item, sup int32 }

type slowNode struct {
	a        *alloc // of the item
	kid, end int32
	// size is the number of nodes of the subtree under it, at most
	// maxTreeNodes+1
	size int
}

// slowKid is a child: a quantity of supply sup of item.
type slowKid struct {
	item, sup int32
	qty       int64
}

// sizeOf visits the subtrees under top and returns how many nodes they
// have together, at most maxTreeNodes+1.
func (t *slowTree) sizeOf(top []slowKid) int {
	n := 0
	for _, k := range top {
		n = min(n+t.nodes[t.visit(k.item, k.sup)].size, maxTreeNodes+1)
	}
	return n
}

// visit returns the index in t.nodes of supply s of item i, found with
// everything under it on the first visit.
func (t *slowTree) visit(i, s int32) int32 {
	key := slowKey{i, s}
	if x, ok := t.seen[key]; ok {
		return x
	}
	p := t.p
	a := p.itemAlloc(t.g, i, t.pw)
	sup := &a.sups[s]
	kid := int32(len(t.kids))
	if sup.kind == FromPlanned && p.items[i].in.Kind != Buy {
		par := &p.items[i]
		rel := max(p.cal.release(par.due[sup.ref], int32(par.in.LeadTime)), 0)
		var seen []int32
		for _, e := range par.comps {
			if !e.on(rel) || slices.Contains(seen, e.to) {
				continue
			}
			seen = append(seen, e.to)
			ca := p.itemAlloc(t.g, e.to, t.pw)
			// the component's requirements of this order are on its
			// release day, after its demands, among the dependent
			// requirements ordered by parent (and by order for each BOM
			// line of the parent)
			lo, _ := slices.BinarySearchFunc(ca.reqs, rel, func(r areq, d int32) int {
				if c := cmp.Compare(r.day, d); c != 0 {
					return c
				}
				if r.dem >= 0 {
					return -1
				}
				return cmp.Compare(r.par, i)
			})
			for r := lo; r < len(ca.reqs) && ca.reqs[r].day == rel && ca.reqs[r].dem < 0 && ca.reqs[r].par == i; r++ {
				if ca.reqs[r].ord != sup.ref {
					continue
				}
				for _, l := range ca.reqLinks(int32(r)) {
					t.kids = append(t.kids, slowKid{e.to, l.sup, l.qty})
				}
			}
		}
	}
	end := int32(len(t.kids))
	// the children first (a BOM has no cycles: the recursion is as deep
	// as the BOM), then this node, its size from theirs
	n := min(1+t.sizeOf(t.kids[kid:end]), maxTreeNodes+1)
	x := int32(len(t.nodes))
	t.nodes = append(t.nodes, slowNode{a: a, kid: kid, end: end, size: n})
	t.seen[key] = x
	return x
}

// build unfolds the subtree under a visited child k.
func (t *slowTree) build(k slowKid) *PegNode {
	x := &t.nodes[t.seen[slowKey{k.item, k.sup}]]
	nd := &PegNode{Item: t.p.items[k.item].in.ID, Supply: t.p.supply(k.item, &x.a.sups[k.sup]), Qty: k.qty}
	for c := x.kid; c < x.end; c++ {
		nd.Children = append(nd.Children, t.build(t.kids[c]))
	}
	return nd
}

// buildLevels is build of the subtree under k down to below more levels
// (0: k alone, marked cut when it has children), counting the nodes in
// *n; it reports false once they are more than maxTreeNodes.
func (t *slowTree) buildLevels(k slowKid, below int, n *int) (*PegNode, bool) {
	if *n++; *n > maxTreeNodes {
		return nil, false
	}
	x := &t.nodes[t.seen[slowKey{k.item, k.sup}]]
	nd := &PegNode{Item: t.p.items[k.item].in.ID, Supply: t.p.supply(k.item, &x.a.sups[k.sup]), Qty: k.qty}
	if below == 0 {
		nd.cut = x.end > x.kid
		return nd, true
	}
	for c := x.kid; c < x.end; c++ {
		kid, ok := t.buildLevels(t.kids[c], below-1, n)
		if !ok {
			return nil, false
		}
		nd.Children = append(nd.Children, kid)
	}
	return nd, true
}

// DemandShare is the part of a planned order serving one top-level demand,
// in units of the order's item.
type DemandShare struct {
	Demand string
	Qty    float64
}

// PeggedDemands returns the top-level demands a planned order serves (the
// reverse of [Planner.SupplyTree]), with the share of the order each gets,
// by demand ID: at most [Options.PegLimit] of them, those due first, and
// rest is the part of the order serving the others (0 when all are
// listed).
func (p *Planner) PeggedDemands(orderID string) (shares []DemandShare, rest float64, err error) {
	i, k, err := p.parseOrderID(orderID)
	if err != nil {
		return nil, 0, err
	}
	return p.peggedDemands(i, k)
}

// PeggedDemandsAt is [Planner.PeggedDemands] of the planned order at
// position at of [Planner.ScanOrders] (of this plan version): a listing
// that scans the orders pegs each without its ID parsed back.
func (p *Planner) PeggedDemandsAt(at Pos) (shares []DemandShare, rest float64, err error) {
	if at.Item < 0 || at.Item >= len(p.items) || at.K < 0 || at.K >= len(p.items[at.Item].due) {
		return nil, 0, fmt.Errorf("%w: no planned order at position %d.%d", ErrNotFound, at.Item, at.K)
	}
	return p.peggedDemands(int32(at.Item), at.K)
}

func (p *Planner) peggedDemands(i int32, k int) (shares []DemandShare, rest float64, err error) {
	g := p.pegging()
	sh, ids := p.sharesOf(g, i)
	dem, qty := sh.of(k)
	out := make([]DemandShare, len(dem))
	if g.limit > 0 && len(dem) > 1 {
		// a cut list is in due order
		var buf [32]int32 // byID's order of a short list, not allocated
		for n, j := range byID(g.demRank, dem, buf[:0]) {
			out[n] = DemandShare{Demand: ids[dem[j]], Qty: qty[j]}
		}
	} else {
		// by ID, from the IDs side by side (the demands themselves
		// missed the cache for each)
		for j, d := range dem {
			out[j] = DemandShare{Demand: ids[d], Qty: qty[j]}
		}
	}
	return out, sh.restOf(k), nil
}

// LineOperations returns the operations of o, a planned order of this
// plan version's [Planner.EachOrder], as [PlannedOrder.Operations] has
// them: a production order's routing scheduled backwards from the end of
// its due day; nil for other orders and for items without a routing. A
// listing with operations pays for them only where it prints them.
func (p *Planner) LineOperations(o *OrderLine) []ScheduledOp {
	if o.Kind != Production || int(o.item) >= len(p.items) {
		return nil
	}
	it := &p.items[o.item]
	if it.in.ID != o.Item || len(it.in.Operations) == 0 {
		return nil
	}
	return p.scheduleBack(it, o.DueDay, o.Qty)
}

// OrderLine is a planned order as a listing prints it (see
// [Planner.EachOrder]): no dates (ReleaseDay and DueDay convert with
// [Planner.Date]) and no operations ([Planner.LineOperations] schedules
// them). Its ID is built only when asked for ([OrderLine.ID], or
// [OrderLine.AppendID] without allocating).
type OrderLine struct {
	Item               string
	Kind               OrderKind
	Qty                int64
	ReleaseDay, DueDay int
	// Firm is set for a firm planned order ([FirmOrder]).
	Firm bool
	// Pegged are the demands the order serves, by demand ID (as
	// [Planner.PeggedDemands]), when asked for; PeggedRest is the part of
	// the order serving demands beyond [Options.PegLimit], not listed.
	Pegged     []DemandShare
	PeggedRest float64

	// The ID is id when set, else Item + "#" + date, with "." + n when
	// n > 1 (see [PlannedOrder.ID]).
	id   string
	date string
	n    int
	// item is the item's position in the plan, for LineOperations
	item int32
}

// ID returns the order's ID (see [PlannedOrder.ID]).
func (o *OrderLine) ID() string {
	if o.id != "" {
		return o.id
	}
	return string(o.AppendID(nil))
}

// AppendID appends the order's ID to b.
func (o *OrderLine) AppendID(b []byte) []byte {
	if o.id != "" {
		return append(b, o.id...)
	}
	b = append(b, o.Item...)
	b = append(b, '#')
	b = append(b, o.date...)
	if o.n > 1 {
		b = append(b, '.')
		b = strconv.AppendInt(b, int64(o.n), 10)
	}
	return b
}

// EachOrder calls fn for every planned order of the current plan, items
// in input order and each item's orders by due date, phantom orders only
// when phantoms is set, with the order's pegging when peg is set. The line
// and its Pegged slice are reused between calls. It stops at fn's first
// error and returns it.
func (p *Planner) EachOrder(phantoms, peg bool, fn func(*OrderLine) error) error {
	return p.EachOrderOf(0, len(p.items), phantoms, peg, fn)
}

// EachOrderOf is [Planner.EachOrder] for the items at input positions
// from to to-1 (of [Planner.Items]). Calls on disjoint ranges may run
// concurrently (the pegging of the plan is computed once), so a listing
// can be rendered in parallel and written in order.
func (p *Planner) EachOrderOf(from, to int, phantoms, peg bool, fn func(*OrderLine) error) error {
	from, to = max(from, 0), min(to, len(p.items))
	var g *planPeg
	if peg {
		g = p.pegging()
		p.allShares(g)
	}
	var o OrderLine
	var num []int32 // an item's order numbers, when its IDs are not plain
	var ord []int32 // an order's shares by demand ID
	for i := from; i < to; i++ {
		it := &p.items[i]
		if it.in.Kind == Phantom && !phantoms {
			continue
		}
		lt := int32(it.in.LeadTime)
		o.Item, o.Kind, o.item = it.in.ID, p.kindOf(it), int32(i)
		// The IDs are "ITEM#date[.n]" unless a firm order or a receipt
		// holding such an ID is in the way (then orderID steps around it).
		plain := p.plainIDs(int32(i))
		if !plain {
			num = p.itemOrderNums(int32(i), num)
		}
		o.id, o.n, o.Firm = "", 0, false
		for k, due := range it.due {
			if plain {
				if k > 0 && it.due[k-1] == due {
					o.n++
				} else {
					o.n, o.date = 1, p.cal.dateText(int(due))
				}
			} else if m := num[k]; m < 0 {
				o.id, o.Firm = p.firms[-1-m].in.ID, true
			} else {
				o.id, o.Firm, o.n, o.date = "", false, int(m), p.cal.dateText(int(due))
			}
			o.Qty, o.DueDay, o.ReleaseDay = it.qty[k], int(due), int(p.cal.release(due, lt))
			o.Pegged, o.PeggedRest = o.Pegged[:0], 0
			if g != nil {
				o.PeggedRest = g.items[i].restOf(k)
				dem, qty := g.items[i].of(k)
				if g.limit > 0 && len(dem) > 1 {
					// a cut list is in due order
					ord = byID(g.demRank, dem, ord)
					for _, j := range ord {
						o.Pegged = append(o.Pegged, DemandShare{Demand: g.demIDs[dem[j]], Qty: qty[j]})
					}
				} else {
					for j, d := range dem {
						o.Pegged = append(o.Pegged, DemandShare{Demand: g.demIDs[d], Qty: qty[j]})
					}
				}
			}
			if err := fn(&o); err != nil {
				return err
			}
		}
	}
	return nil
}
