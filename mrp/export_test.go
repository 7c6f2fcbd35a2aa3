package mrp

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"time"

	"github.com/ctoplan/ctoplan/bom"
)

// NetChangePaths reports how many items net change has adjusted by delta
// (byDeltaRec of them with scheduled receipts) and replanned in full since
// the planner was built.
func NetChangePaths(p *Planner) (byDelta, byDeltaRec, full int) {
	if p.ncs == nil {
		return 0, 0, 0
	}
	return p.ncs.nDelta, p.ncs.nDeltaRec, p.ncs.nFull
}

// NetChangeWindowedWithReceipts reports how many items with scheduled
// receipts net change has replanned by window (netWindow or wwWindow),
// and of them by wwWindow.
func NetChangeWindowedWithReceipts(p *Planner) (all, ww int) {
	if p.ncs == nil {
		return 0, 0
	}
	return p.ncs.nWinRec, p.ncs.nWWRec
}

// CountNetChangeRecEarly makes net change count, for NetChangeRecEarly,
// the items with scheduled receipts it adjusts by delta with a change on
// or before their last receipt's day.
func CountNetChangeRecEarly(p *Planner) { p.countEarly = true }

// NetChangeRecEarly reports how many items with scheduled receipts net
// change has adjusted by delta with a change on or before their last
// receipt's day, since CountNetChangeRecEarly.
func NetChangeRecEarly(p *Planner) int {
	if p.ncs == nil {
		return 0
	}
	return p.ncs.nRecEarly
}

// SetDigestParallelMin makes p's Digest hash the orders of n items or
// more on two goroutines.
func SetDigestParallelMin(p *Planner, n int) { p.digParMin = n }

// SetPegChangedParallelMin makes net change take its notes for the
// pegging and the late-demand search on two goroutines from n touched
// items on (pegChangedPar).
func SetPegChangedParallelMin(p *Planner, n int) { p.pegParMin = n }

// SetNetChangeParallelMin makes net change spread levels of at least n
// queued items over its workers (so that small test plants take that path).
func SetNetChangeParallelMin(p *Planner, n int) {
	p.nc().parMin = n
}

// NetChangeParallelLevels reports how many levels net change has planned
// with all its workers.
func NetChangeParallelLevels(p *Planner) int {
	if p.ncs == nil {
		return 0
	}
	return p.ncs.nParLevels
}

// NetChangeRequirementChanges reports how many requirement changes (item,
// day, quantity) net change has passed from parents to components.
func NetChangeRequirementChanges(p *Planner) int {
	if p.ncs == nil {
		return 0
	}
	return p.ncs.nEmit
}

// NetChangeDenseRuns reports how many items' requirement changes net
// change has summed by day in an array (sumByDay's dense way).
func NetChangeDenseRuns(p *Planner) int {
	if p.ncs == nil {
		return 0
	}
	return p.ncs.nDense
}

// CheckNetChange runs the net-change invariant check (which panics when
// it fails) whether or not invariants are enabled.
func CheckNetChange(p *Planner) { p.checkNetChange() }

// BreakPlan corrupts the plan of item (its first planned order gets one
// unit more) as a bug in net change would, to show that the checks see it.
func BreakPlan(p *Planner, itemID string) bool {
	it := &p.items[p.index[itemID]]
	if len(it.qty) == 0 {
		return false
	}
	it.qty[0]++
	return true
}

// SupplyTreeSlow is SupplyTree from the whole single-level pegging of
// every item the tree passes through (the code before running totals).
func SupplyTreeSlow(p *Planner, demandID string) ([]*PegNode, error) {
	di, ok := p.demandIx[demandID]
	if !ok || !p.demands[di].live {
		return nil, ErrNotFound
	}
	return p.supplyTreeSlow(p.pegging(), di, 0)
}

// DemandItemsDistinct lists the items of the supplies (not stock) of
// demandID's supply tree, each supply once, in the tree's order, by the
// tree's levels with each order expanded once (eachDistinct): the way
// DemandOrders and Status take first. An error is that way's own
// (errSlow, ErrTooLarge), which DemandOrders answers another way.
func DemandItemsDistinct(p *Planner, demandID string) ([]string, error) {
	di, ok := p.demandIx[demandID]
	if !ok || !p.demands[di].live {
		return nil, ErrNotFound
	}
	var items []string
	b := treeBuilder{p: p, g: p.pegging()}
	err := b.eachDistinct(di, func(i int32, kind SupplyKind, ref int32) { items = append(items, p.idOf[i]) })
	return items, err
}

// DemandOrdersShared is DemandOrders from the demand's distinct supplies
// (the way taken when its tree is too large to build).
func DemandOrdersShared(p *Planner, demandID string) ([]PlannedOrder, error) {
	di, ok := p.demandIx[demandID]
	if !ok || !p.demands[di].live {
		return nil, ErrNotFound
	}
	var orders []PlannedOrder
	p.demandSuppliesShared(di, func(i int32, kind SupplyKind, ref int32) {
		if kind == FromPlanned {
			orders = append(orders, p.order(i, int(ref), true))
		}
	})
	return orders, nil
}

// StatusShared is Status reading the demand's distinct supplies (the way
// taken when its tree is too large to build).
func StatusShared(p *Planner, s *Schedule, demandID string) (*OrderStatus, error) {
	return p.status(s, demandID, true)
}

// PegTreeSlowLevels is PegTreeLevels from the whole single-level pegging
// of every item the tree passes through (supplyTreeSlow), whatever the
// plant.
func PegTreeSlowLevels(p *Planner, demandID string, levels int) (*PegTree, error) {
	di, ok := p.demandIx[demandID]
	if !ok || !p.demands[di].live {
		return nil, ErrNotFound
	}
	ns, err := p.supplyTreeSlow(p.pegging(), di, levels)
	if err != nil {
		return nil, err
	}
	b := treeBuilder{p: p}
	if err := b.flatten(ns, -1, 0); err != nil {
		return nil, err
	}
	return &PegTree{p: p, nodes: b.nodes}, nil
}

// SupplyTreeFast is SupplyTree by running totals only; ok is false when
// some item on the way needs its whole single-level pegging.
func SupplyTreeFast(p *Planner, demandID string) (tree []*PegNode, ok bool, err error) {
	di, found := p.demandIx[demandID]
	if !found || !p.demands[di].live {
		return nil, false, ErrNotFound
	}
	b := treeBuilder{p: p, g: p.pegging()}
	err = b.demand(di)
	if err == errSlow {
		return nil, false, nil
	}
	t := PegTree{p: p, nodes: b.nodes}
	return t.Nodes(), true, err
}

// SupplyTreePaths builds demand's supply tree by running totals and says
// how many of the requirements in it were placed by a supply that covers
// their item's whole day and how many by their position in the day.
func SupplyTreePaths(p *Planner, demandID string) (byDay, byPos int, err error) {
	di, found := p.demandIx[demandID]
	if !found || !p.demands[di].live {
		return 0, 0, ErrNotFound
	}
	b := treeBuilder{p: p, g: p.pegging()}
	err = b.demand(di)
	return b.byDay, b.byPos, err
}

// PegAll computes the whole plan's pegging in its linear-size form: the
// running totals of every item (see allTotals).
func PegAll(p *Planner) { p.allTotals(p.pegging()) }

// CheckPegging runs the pegging invariant check (which panics when it
// fails) whether or not invariants are enabled.
func CheckPegging(p *Planner) { p.checkPegging() }

// BrokenPeggingError breaks the pegging as a bug would and returns what
// the pegging check says (how: "link" pegs one unit more on an item's
// first link, "share" raises one order's share of a demand by 1%, "totals"
// adds one to the kept running total of an item's last order; the last
// changes the planner's kept pegging).
func BrokenPeggingError(p *Planner, how string) string {
	pw := &pegWorker{w: p.newWorker()}
	switch how {
	case "link":
		var a alloc
		for i := range p.items {
			p.allocItem(pw, int32(i), &a)
			if len(a.links) > 0 {
				a.links[0].qty++
				return p.allocError(int32(i), &a)
			}
		}
	case "share":
		g := &planPeg{}
		g.reset(len(p.items))
		p.allShares(g)
		for i := range g.items {
			if len(g.items[i].qty) > 0 {
				g.items[i].qty[0] *= 1.01
				return p.sharesError(g, pw)
			}
		}
	case "totals":
		g := p.pegging()
		p.allTotals(g)
		for i := range p.items {
			if n := len(g.cumQ[i]); n > 1 {
				g.cumQ[i][n-1]++
				return p.peggingError()
			}
		}
	}
	return "nothing to break"
}

// NetChangeWindowed reports how many of the items net change replanned in
// full it replanned only from their first requirement change on
// (netWindow).
func NetChangeWindowed(p *Planner) int {
	if p.ncs == nil {
		return 0
	}
	return p.ncs.nWindow
}

// NetChangeWWWindowed reports how many of the windows (NetChangeWindowed)
// were Wagner-Whitin items lot-sized again only between two cuts
// (wwWindow).
func NetChangeWWWindowed(p *Planner) int {
	if p.ncs == nil {
		return 0
	}
	return p.ncs.nWW
}

// NetChangeWindowedWithMessages reports how many of the windows
// (NetChangeWindowed) kept an item's exception message (netWindow, wwWindow).
func NetChangeWindowedWithMessages(p *Planner) int {
	if p.ncs == nil {
		return 0
	}
	return p.ncs.nWinMsg
}

// NetChangeDeltaMessages reports how many below-safety-stock messages
// net change moved with an item adjusted by delta (belowOnFirst).
func NetChangeDeltaMessages(p *Planner) int {
	if p.ncs == nil {
		return 0
	}
	return p.ncs.nDeltaMsg
}

// ItemSlack is an item's stock above safety stock before its first net
// requirement (worker.slack), which ATP reads.
func ItemSlack(p *Planner, itemID string) int64 { return p.items[p.index[itemID]].slack }

// CheckPromiseEarliest runs the promise invariant ([ctp.checkEarliest])
// for q of item wanted on day want and answered with day, on capacity c
// (nil: infinite); it panics when day is not the earliest feasible one.
func CheckPromiseEarliest(p *Planner, c *Capacity, item string, q int64, want, day int) error {
	c2 := &ctp{p: p, ctx: context.Background(), w: p.newWorker(), free: map[int32][]int64{}}
	if c != nil {
		s, err := p.FiniteSchedule(c)
		if err != nil {
			return err
		}
		c2.hours = newFreeHours(p, c, s)
	}
	c2.checkEarliest(c2.explode(p.index[item]), q, want, day)
	return nil
}

// ReceiptDays returns the days netting counts item's receipts on (in the
// receipts' time order) as the supply tree reads them, from the plan's
// reschedule-in messages (ok is false when they do not fit the receipts),
// and as a fresh netting of the item gives them.
func ReceiptDays(p *Planner, itemID string) (kept, fresh []int32, ok bool) {
	i := p.index[itemID]
	w := p.newWorker()
	ok = p.receiptDays(w, i)
	kept = slices.Clone(w.recDay)
	hi := p.replan(w, i)
	clear(w.gross[:hi+1])
	return kept, slices.Clone(w.recDay), ok
}

// TotalsError compares the running totals and supply sequences the
// pegging keeps (those computed for this plan version) with fresh ones,
// and every item's receipt days from its messages with netting's ("":
// equal).
func TotalsError(p *Planner) string { return p.totalsError(p.pegging(), p.newWorker()) }

// SetTotalsAhead sets how many running totals past those a reader asks
// for are summed (0: the default).
func SetTotalsAhead(p *Planner, n int) { p.totalsAhead = n }

// TotalsPartial reports how many items' running totals are summed only in
// part in this plan version (a supply sequence is made whole).
func TotalsPartial(p *Planner) (n int) {
	g := p.pegging()
	for i := range g.st {
		if !g.st[i].has(okTotals) && (g.st[i].nQ.Load() > 0 || g.st[i].nG.Load() > 0) {
			n++
		}
	}
	return n
}

// TotalsLeftAlone reports how many cached items have one of their two
// running totals (orders, gross requirements) summed in this plan
// version, at least in part, and the other not set up (see
// extendTotals).
func TotalsLeftAlone(p *Planner) (n int) {
	g := p.pegging()
	for i := range g.st {
		if nq, ng := g.st[i].nQ.Load(), g.st[i].nG.Load(); p.items[i].cached && (nq == 0) != (ng == 0) {
			n++
		}
	}
	return n
}

// ReceiptViews reports how many items with receipts a supply tree placed
// supplies of in this plan version, from their receipts and order totals
// (see Planner.receiptCover).
func ReceiptViews(p *Planner) (n int) {
	g := p.pegging()
	for i := range g.st {
		if g.st[i].has(okView) {
			n++
		}
	}
	return n
}

// SuppliesReused reports how many supplies of the supply sequences made
// in this plan version were kept from an earlier one, and of how many
// sequences (see supRun.kept).
func SuppliesReused(p *Planner) (sups, runs int) {
	g := p.pegging()
	for i := range g.sups {
		if g.st[i].nS.Load() > 0 && g.sups[i].reused > 0 {
			sups += int(g.sups[i].reused)
			runs++
		}
	}
	return sups, runs
}

// TotalsKeptAfterChange reports how many items' running totals, to be
// redone after a net change, keep some of their old entries.
func TotalsKeptAfterChange(p *Planner) (n int) {
	g := p.pegging()
	g.mu.Lock()
	defer g.mu.Unlock()
	for i := range g.st {
		if !g.st[i].has(okTotals) && (g.st[i].keepQ > 0 || g.st[i].keepG > 0) {
			n++
		}
	}
	return n
}

// FromBOMOneByOne is [FromBOM] resolving every standard item on its own,
// one bom.Store.Resolve (one store transaction) per item and epoch, as it
// did before bom.Store.ResolveStandard: the slow, obviously right way.
func FromBOMOneByOne(ctx context.Context, s *bom.Store, pl *Plant, o LoadOptions) (*Input, *BOMSource, error) {
	return fromBOM(ctx, s, pl, o, func(b *BOMSource, ctx context.Context, ids []string) map[string][]*bom.Variant {
		out := map[string][]*bom.Variant{}
		for _, id := range ids {
			if vs, err := b.resolve(ctx, id, nil, false); err == nil {
				out[id] = vs
			}
		}
		return out
	})
}

// SupplyTreeFromStart builds demand's supply tree by running totals and
// says how many of its requirements placed by position were counted from
// the start of their day (the other parents before the requirement's).
func SupplyTreeFromStart(p *Planner, demandID string) (int, error) {
	di, found := p.demandIx[demandID]
	if !found || !p.demands[di].live {
		return 0, ErrNotFound
	}
	b := treeBuilder{p: p, g: p.pegging()}
	err := b.demand(di)
	return b.fromStart, err
}

// SupplyTreeWith builds demand's supply tree by running totals with a
// level of at least parMin nodes built on workers goroutines in chunks of
// chunk nodes (workers 1: on this one), and returns every field of every
// flat node in order, how many requirements were placed by day, by
// position and by position from the start of the day, and how many
// levels were built on several goroutines.
func SupplyTreeWith(p *Planner, demandID string, workers, parMin, chunk int) (nodes string, byDay, byPos, fromStart, parLevels, preLevels int, err error) {
	di, found := p.demandIx[demandID]
	if !found || !p.demands[di].live {
		return "", 0, 0, 0, 0, 0, ErrNotFound
	}
	b := treeBuilder{p: p, g: p.pegging(), workers: workers, parMin: parMin, chunk: chunk}
	err = b.demand(di)
	return nodeText(b.nodes), b.byDay, b.byPos, b.fromStart, b.parLevels, b.preLevels, err
}

// nodeText writes every field of every node, with strconv (fmt's %+v of
// them was 5 s of mrp's tests, several times that under -race).
func nodeText(ns []pegNode) string {
	if n := reflect.TypeFor[pegNode]().NumField(); n != 10 {
		panic(fmt.Sprintf("pegNode has %d fields: nodeText writes 10", n))
	}
	var b []byte
	for _, n := range ns {
		for _, v := range [...]int64{n.qty, n.supQty, int64(n.item), int64(n.ref), int64(n.parent), int64(n.day), int64(n.level), int64(n.kind), int64(n.flags), int64(n.nth)} {
			b = strconv.AppendInt(b, v, 10)
			b = append(b, ' ')
		}
		b[len(b)-1] = '\n'
	}
	return string(b)
}

// NCLevel is the timing of one level of a traced net change (see
// TraceNetChange), times from the start of its planning.
type NCLevel struct {
	Level, Queued, Changes   int
	Parallel                 bool
	Start, Laid, Joined, End time.Duration
	WStart, WEnd             []time.Duration
	WItems                   []int
	Chunks                   []NCChunk
}

// NCChunk is one chunk of a traced parallel level: queued items [Lo, Hi),
// the worker W that planned them, when it started and finished them.
type NCChunk struct {
	W, Lo, Hi  int
	Start, End time.Duration
}

// TraceNetChange turns the level timing of net change on (or off).
func TraceNetChange(p *Planner, on bool) {
	s := p.nc()
	if on {
		s.tr = &ncTrace{}
	} else {
		s.tr = nil
	}
}

// NetChangeItemIDs returns the IDs of the items the last net change
// touched and changed, read from idOf by item, for comparing with the
// result's lists.
func NetChangeItemIDs(p *Planner) (touched, changed []string) {
	s := p.nc()
	for _, i := range s.touched {
		touched = append(touched, p.idOf[i])
	}
	for _, i := range s.changed {
		changed = append(changed, p.idOf[i])
	}
	return touched, changed
}

// NetChangeTraceEnd returns when, in the last traced net change, the ID
// lists were made, the workers' counters summed and the pegging's notes
// taken (from the start of its planning).
func NetChangeTraceEnd(p *Planner) (ids, counted, pegged time.Duration) {
	tr := p.nc().tr
	return tr.ids, tr.counted, tr.pegged
}

// NetChangeTrace returns the level timing of the last traced net change.
func NetChangeTrace(p *Planner) []NCLevel {
	var out []NCLevel
	for _, l := range p.nc().tr.levels {
		var cs []NCChunk
		for _, c := range l.chunks {
			cs = append(cs, NCChunk{c.w, c.lo, c.hi, c.start, c.end})
		}
		out = append(out, NCLevel{l.level, l.queued, l.changes, l.parallel, l.start, l.laid, l.joined, l.end,
			slices.Clone(l.wStart), slices.Clone(l.wEnd), slices.Clone(l.wItems), cs})
	}
	return out
}

// SetLateParallel makes LateDemands spread levels of at least min items
// over its workers, in chunks of chunk items (0: its own choice), so that
// small test plants take that path.
func SetLateParallel(p *Planner, min, chunk int) { p.lateParMin, p.lateChunk = min, chunk }

// LateParallelLevels reports how many levels LateDemands has spread over
// its workers.
func LateParallelLevels(p *Planner) int { return int(p.lateParLevels.Load()) }

// LateVisited reports how many items p's late-demand searches have
// visited.
func LateVisited(p *Planner) int { return int(p.lateVisited.Load()) }

// LateSkipped is how many items marked by net changes the late-demand
// searches of p left unvisited (their visit would have read nothing that
// changed).
func LateSkipped(p *Planner) int { return int(p.lateSkipped.Load()) }

// Anatomy is what net change's work has amounted to so far (see anatomy).
type Anatomy struct{ RunDays, LotReqs, LotOrders, LotDiff, LotItems, LotSame int }

func (a Anatomy) Sub(b Anatomy) Anatomy {
	return Anatomy{a.RunDays - b.RunDays, a.LotReqs - b.LotReqs, a.LotOrders - b.LotOrders, a.LotDiff - b.LotDiff, a.LotItems - b.LotItems, a.LotSame - b.LotSame}
}

func (a Anatomy) Add(b Anatomy) Anatomy {
	return Anatomy{a.RunDays + b.RunDays, a.LotReqs + b.LotReqs, a.LotOrders + b.LotOrders, a.LotDiff + b.LotDiff, a.LotItems + b.LotItems, a.LotSame + b.LotSame}
}

// NetChangeAnatomy reports net change's counts of its work so far.
func NetChangeAnatomy(p *Planner) Anatomy {
	a := p.nc().an
	return Anatomy{a.runDays, a.lotReqs, a.lotOrders, a.lotDiff, a.lotItems, a.lotSame}
}

// PlanSnapshot is a copy of every item's orders.
type PlanSnapshot []struct {
	due []int32
	qty []int64
}

// SnapshotPlan copies every item's orders.
func SnapshotPlan(p *Planner) PlanSnapshot {
	out := make(PlanSnapshot, len(p.items))
	for i := range p.items {
		it := &p.items[i]
		out[i].due, out[i].qty = slices.Clone(it.due), slices.Clone(it.qty)
	}
	return out
}

// RefreshSnapshot copies item id's current orders into the snapshot.
func RefreshSnapshot(p *Planner, s PlanSnapshot, id string) {
	i := p.index[id]
	it := &p.items[i]
	s[i].due, s[i].qty = append(s[i].due[:0], it.due...), append(s[i].qty[:0], it.qty...)
}

// ChangedOrderDays reports on how many days item id's orders differ from
// those in the snapshot, whether it is lot-sized and whether it is bought
// (has no components).
func ChangedOrderDays(p *Planner, s PlanSnapshot, id string) (n int, lot, buy bool) {
	i := p.index[id]
	it := &p.items[i]
	return changedDays(s[i].due, s[i].qty, it.due, it.qty), !it.lfl, len(it.comps) == 0
}

// changedDays counts the days on which two order lists (sorted by day)
// differ.
func changedDays(od []int32, oq []int64, nd []int32, nq []int64) int {
	n := 0
	a, b := 0, 0
	for a < len(od) || b < len(nd) {
		day := int32(1 << 30)
		if a < len(od) {
			day = od[a]
		}
		if b < len(nd) && nd[b] < day {
			day = nd[b]
		}
		var so, sn int64
		a0, b0 := a, b
		for a < len(od) && od[a] == day {
			so += oq[a]
			a++
		}
		for b < len(nd) && nd[b] == day {
			sn += nq[b]
			b++
		}
		if so != sn || a-a0 != b-b0 {
			n++
		}
	}
	return n
}

// NetChangeResynced reports how many of the items net change replanned by
// window it stopped where their lots fell back in step with the old ones
// (resync), and how many net requirements those left alone.
func NetChangeResynced(p *Planner) (items, reqs int) {
	if p.ncs == nil {
		return 0, 0
	}
	return p.ncs.nResync, p.ncs.nCut
}

// NetChangeNeverResynced returns how many net-change windows ruled out
// falling back in step with the old lots (their change no multiple of the
// lot unit) and so lot-sized to the end without asking.
func NetChangeNeverResynced(p *Planner) int {
	if p.ncs == nil {
		return 0
	}
	return p.ncs.nNever
}

// NetChangeExactWindows returns how many net-change windows started after
// the first order of an item whose lots leave no surplus (exactLots), so
// that they read no sums before the window.
func NetChangeExactWindows(p *Planner) (n int) {
	if p.ncs == nil {
		return 0
	}
	for _, c := range p.ncs.ws {
		n += c.w.nExact
	}
	return n
}

// WindowKept returns netWindow's kept sums of item id (see winKeep): the
// order jo and requirement index g they reach and sum(qty[:jo]) -
// sum(gq[:g]); held is false when the item holds none.
func WindowKept(p *Planner, id string) (jo, g int, diff int64, held bool) {
	i := p.index[id]
	if int(i) >= len(p.wkHeld) || !p.wkHeld[i] {
		return 0, 0, 0, false
	}
	k := p.wk[i]
	return int(k.jo), int(k.g), k.diff, true
}

// NetChangeWindowSumsRead returns how many order quantities and gross
// requirements net-change windows read for their sums before the window
// (windowSums), from kept sums or from the start.
func NetChangeWindowSumsRead(p *Planner) (n int) {
	if p.ncs == nil {
		return 0
	}
	for _, c := range p.ncs.ws {
		n += c.w.nSumRead
	}
	return n
}

// NetChangeFirstWindows returns how many net-change windows started from
// day 0, for changes on or before an item's first order (netWindowFirst),
// and how many of them changed the item's below-safety-stock message.
func NetChangeFirstWindows(p *Planner) (n, msg int) {
	if p.ncs == nil {
		return 0, 0
	}
	for _, c := range p.ncs.ws {
		n, msg = n+c.w.nFirst, msg+c.w.nFirstMsg
	}
	return n, msg
}

// LotUnit is lotUnit.
func LotUnit(l LotSizing) int64 { return lotUnit(&l) }

// CheckBalanceExceptions plans every item of p again as a regenerative
// run does and compares its messages from the projected balance
// (balanceExceptions, which stops walking the days early) with those of
// the walk over every day (balanceExceptionsByDay). It returns the first
// difference ("" if none), how many items it compared, and of them how
// many walks stopped before the horizon.
func CheckBalanceExceptions(p *Planner) (diff string, items, short int) {
	w := p.newWorker()
	w.ensure(p.cal.horizon)
	for _, lv := range p.levels {
		for _, i := range lv {
			it := &p.items[i]
			s0 := w.nShort
			p.planItem(w, i)
			if !(len(w.recs) > 0 || len(it.firm) > 0 || (it.ss > 0 && len(w.oDue) > 0 && p.cal.release(w.oDue[0], it.lt) < 0)) {
				continue
			}
			items++
			short += w.nShort - s0
			got := slices.Clone(w.exc)
			k := 0 // netting's reschedule-in messages come first
			for k < len(w.exc) && w.exc[k].kind == RescheduleIn {
				k++
			}
			w.exc = w.exc[:k]
			hi := fill(w.gross, w.cd, w.cq)
			p.balanceExceptionsByDay(w, it, hi)
			clear(w.gross[:hi+1])
			if !slices.Equal(got, w.exc) {
				return fmt.Sprintf("%s: messages %+v, by day %+v", it.in.ID, got, w.exc), items, short
			}
		}
	}
	return "", items, short
}

// ExceptionKinds counts p's exception messages by kind.
func ExceptionKinds(p *Planner) map[ExceptionKind]int {
	n := map[ExceptionKind]int{}
	for i := range p.items {
		for _, e := range p.items[i].exc {
			n[e.kind]++
		}
	}
	return n
}

// balanceExceptionsByDay is balanceExceptions without the early stop:
// every day of the horizon walked, the gross requirements summed for each
// day, and each receipt's and firm order's need day searched from its own
// day with the supply ahead of it in the sequence. A regression reference
// for CheckBalanceExceptions (the early stop and the walk beside the days
// change no message); the messages' meaning is checked against the
// oracle of excoracle_test.go.
func (p *Planner) balanceExceptionsByDay(w *worker, it *item, hi int) {
	h := p.cal.horizon
	cum := make([]int64, h)
	g := w.gross
	ss := it.ss
	firm := it.onhand // balance with past-due orders arriving when they can
	ri, oi := 0, 0
	nr, no := len(w.recs), len(w.oDue)
	// late[k] holds past-due orders' quantities by the day they can arrive.
	var lateQ []int64
	var lateDay []int32
	for k := range no {
		if r := p.cal.release(w.oDue[k], it.lt); r < 0 {
			lateDay = append(lateDay, int32(p.cal.addWorking(0, it.in.LeadTime)))
			lateQ = append(lateQ, w.oQty[k])
		}
	}
	li := 0
	belowDone := ss == 0
	var c int64
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
			c += g[d]
		}
		cum[d] = c
		if !belowDone && firm < ss {
			w.exc = append(w.exc, exc{kind: BelowSafetyStock, ref: -1, day: int32(d), qty: ss - firm})
			belowDone = true
		}
	}
	// the supply sequence: stock, then by day the receipts, the firm
	// orders, the planned orders; ref >= 0 a receipt, <= -2 firm order
	// -2-ref, -1 a planned order
	type sup struct {
		day, ref int32
		open     bool
		qty      int64
	}
	var seq []sup
	for k := range nr {
		r := &p.recs[w.recs[k]]
		seq = append(seq, sup{day: w.recDay[k], ref: w.recs[k], open: w.recDay[k] == r.day, qty: r.in.Qty})
	}
	fj := 0
	for k := range no {
		s := sup{day: w.oDue[k], ref: -1, qty: w.oQty[k]}
		if fj < len(it.firm) && p.firms[it.firm[fj]].day == w.oDue[k] {
			s.ref, s.open = -2-it.firm[fj], true
			fj++
		}
		seq = append(seq, s)
	}
	slices.SortStableFunc(seq, func(a, b sup) int { return int(a.day - b.day) })
	needDay := map[int32]int32{}
	ahead := it.onhand
	for _, s := range seq {
		if s.open {
			needDay[s.ref] = -1
			for d := int(s.day); d < h; d++ {
				if ahead-cum[d] < ss {
					needDay[s.ref] = int32(d)
					break
				}
			}
		}
		ahead += s.qty
	}
	for _, f := range it.firm {
		fo := &p.firms[f]
		switch need := needDay[-2-f]; {
		case need < 0:
			w.exc = append(w.exc, exc{kind: Cancel, ref: -2 - f, day: fo.day, to: -1, qty: fo.in.Qty})
		case need > fo.day:
			w.exc = append(w.exc, exc{kind: RescheduleOut, ref: -2 - f, day: fo.day, to: need, qty: fo.in.Qty})
		}
	}
	for k := range nr {
		r := &p.recs[w.recs[k]]
		if w.recDay[k] != r.day {
			continue // pulled in
		}
		switch need := needDay[w.recs[k]]; {
		case need < 0:
			w.exc = append(w.exc, exc{kind: Cancel, ref: w.recs[k], day: r.day, to: -1, qty: r.in.Qty})
		case need > r.day:
			w.exc = append(w.exc, exc{kind: RescheduleOut, ref: w.recs[k], day: r.day, to: need, qty: r.in.Qty})
		}
	}
}

// SupplyTreeSlowSize is the number of nodes supplyTreeSlow finds for
// demandID's tree before unfolding it (at most maxTreeNodes+1), and how
// many distinct supplies it visited to find it.
func SupplyTreeSlowSize(p *Planner, demandID string) (size, visited int, err error) {
	di, ok := p.demandIx[demandID]
	if !ok {
		return 0, 0, ErrNotFound
	}
	t, top := p.slowTreeOf(p.pegging(), di)
	return t.sizeOf(top), len(t.nodes), nil
}

// MaxTreeNodes is maxTreeNodes.
const MaxTreeNodes = maxTreeNodes

// OrderEndsError describes the first item whose noted first and last
// order's days (due0, dueN) differ from its orders, or returns "".
func OrderEndsError(p *Planner) string {
	for i := range p.items {
		if msg := endsDiff(&p.items[i]); msg != "" {
			return msg
		}
	}
	return ""
}

// QtyBounds returns each item's bound of its orders over the horizon
// (checkQty), by item ID, and the room demands have left to grow.
func QtyBounds(p *Planner) (map[string]float64, float64) {
	orders := p.qtyBounds().orders
	out := make(map[string]float64, len(orders))
	for i, o := range orders {
		out[p.idOf[i]] = o
	}
	return out, p.qtyRoom
}

// OrderCountBounds returns each item's bound of how many orders it has
// (checkQty), by item ID.
func OrderCountBounds(p *Planner) map[string]float64 {
	count := p.qtyBounds().count
	out := make(map[string]float64, len(count))
	for i, c := range count {
		out[p.idOf[i]] = c
	}
	return out
}

// SetHugeMinSize sets the least plan memory AdviseHugePages advises and
// returns a function that puts the old one back.
func SetHugeMinSize(n uintptr) func() {
	old := hugeMinSize
	hugeMinSize = n
	return func() { hugeMinSize = old }
}

// HugeAdvices counts the huge-page advices started so far.
func HugeAdvices() int64 { return hugeStarted.Load() }

// MemSpan is the span of memory AdviseHugePages advises, and the size of
// the plan's lists in it.
func MemSpan(p *Planner) (lo, hi, size uintptr) { return p.memSpan() }

// LateDemandsFresh finds p's late demands with a search from scratch,
// keeping nothing (the kept state of p's searches untouched).
func LateDemandsFresh(p *Planner) []Exception {
	sc := &lateScratch{check: true}
	sc.init(p)
	out, _ := p.lateSearch(p.pegging(), sc, true)
	return out
}

// LateCount is the count of p's late demands a net change's summary
// reads (ExceptionCount), without the messages.
func LateCount(p *Planner) int { return p.lateCount() }
