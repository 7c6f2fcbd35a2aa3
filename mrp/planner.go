package mrp

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// edge links a parent and a component. factor is quantity per, inflated by
// the parent's assembly scrap and the component scrap; mul is factor when
// that is a small integer (the fast path), else 0. The edge holds for the
// parent's orders exploded on days [from, until) (see [Item.BOMChanges]);
// an item without dated changes has one edge per component covering every
// day (allDays).
type edge struct {
	to          int32
	from, until int32
	mul         int32 // < 1<<20: the edge stays 24 bytes
	factor      float64
}

// Explosion days an undated edge covers: all of them.
const (
	dayMin = math.MinInt32
	dayMax = math.MaxInt32
)

// allDays reports whether the edge holds on every day.
func (e *edge) allDays() bool { return e.from == dayMin && e.until == dayMax }

// on reports whether the edge holds for an order exploded on day.
func (e *edge) on(day int32) bool { return day >= e.from && day < e.until }

// req is the component requirement of a parent order of q units.
func (e *edge) req(q int64) int64 {
	if e.mul > 0 {
		return q * int64(e.mul)
	}
	// The 1-1e-12 guard keeps 10 * 1.1 = 11.000000000000002 at 11.
	return int64(math.Ceil(float64(q) * e.factor * (1 - 1e-12)))
}

// item is one item's planning state. The fields net change reads for
// every touched item come first: an item is a whole number of 64-byte
// cache lines (TestItemSize) and p.items, a large allocation, starts on a page,
// so each item starts a line, and the delta path (tryDelta) reads only the
// item's first two lines, which touch reads ahead.
type item struct {
	// the plan: orders sorted by due day
	due []int32
	qty []int64
	lt  int32 // in.LeadTime, kept by setIn
	// the first indices of qty and gq net change changed since the
	// pegging last took note (see pegChanged), kept as math.MaxInt32
	// minus the index, so that the zero value means none
	chgQ, chgG int32
	lfl        bool // plainLFL(in), kept by setIn
	firmd      bool // len(firm) > 0, kept by hookFirm/unhookFirm (a hot field)
	// gross requirements kept for net change (see wantCache)
	cached bool
	buy    bool // in.Kind == Buy, kept by setIn
	// the second line
	comps  []edge
	slack  int64    // see worker.slack
	ss     int64    // in.SafetyStock, kept by setIn
	onhand int64    // here, beside the orders: a supply tree reads both
	rec    timeline // receipts, by (day, id)
	// due[0] and due[len(due)-1] (both 0 without orders), kept by
	// setEnds wherever due is written: net change guesses where a changed
	// day's order lies from them, and here, in the line it reads anyway,
	// they spare it the two lines of due that hold them (~10% of a
	// change's last-level read misses, branch i17mem)
	due0, dueN int32
	gd         []int32
	gq         []int64

	exc     []exc
	firm    []int32 // firm planned orders in the horizon, by (day, id)
	parents []edge
	llc     int32
	nfc     int32    // how many demands are forecasts
	dem     timeline // demands, by (day, -priority, id)
	in      Item     // set only through setIn
	// 448 bytes, 7 cache lines, without padding since due0 and dueN
	// (TestItemSize; a trailing pad array of length 0 would add 8 bytes)
}

// setEnds notes the first and last order's days of due (due0, dueN); it
// is called wherever due is written.
func (it *item) setEnds() {
	if n := len(it.due); n > 0 {
		it.due0, it.dueN = it.due[0], it.due[n-1]
	} else {
		it.due0, it.dueN = 0, 0
	}
}

// setIn sets the item's inputs and what is derived from them.
func (it *item) setIn(in Item) {
	it.in = in
	it.ss, it.lt, it.buy = in.SafetyStock, int32(in.LeadTime), in.Kind == Buy
	l := &in.Lot
	it.lfl = in.Kind == Phantom || (l.Policy == LotForLot && l.Min == 0 && l.Max == 0 && l.Multiple <= 1)
}

type demand struct {
	in   Demand
	item int32
	day  int32 // netting day (working day on or before due, >= 0)
	live bool
}

type firmOrder struct {
	in   FirmOrder
	item int32
	day  int32 // due day, clamped to >= 0
	live bool
}

type receipt struct {
	in   Receipt
	item int32
	day  int32 // due day, clamped to >= 0
	live bool
}

// Planner holds the planning state: the inputs and the current plan.
// Its methods are not safe for concurrent use, except the read-only ones
// ([Planner.Orders], [Planner.Record], [Planner.Pegging], [Planner.Promise], ...)
// among themselves.
type Planner struct {
	opts Options
	// totalsAhead overrides the constant for the tests (0: it)
	totalsAhead int
	calIn       Calendar
	cal         *cal
	items       []item
	index       map[string]int32
	demands     []demand
	demandIx    map[string]int32
	// dueRev counts the changes of a demand's due date (the pegging's
	// order of demands by due date, see planPeg.rankDue)
	dueRev uint64
	recs   []receipt
	recIx  map[string]int32
	firms  []firmOrder
	firmIx map[string]int32
	levels [][]int32
	// how many units demands and firm orders may grow by before the bound
	// of the plan's quantities is figured again, and how many they grew
	// by since (see checkQty)
	qtyRoom, qtyGrowth float64
	llc                []int32  // items' low-level codes, compact: net change reads one per requirement change
	idOf               []string // items' IDs, compact: a net change lists thousands; never written in place (see linkAll)

	// countEarly makes net change count the items with receipts it
	// adjusts by delta on or before their last receipt (for the tests)
	countEarly bool
	// netChanges counts the net changes that reached the self-checks
	// (see checkDue)
	netChanges uint64

	// the orders of the items' timelines
	lessDem, lessRec func(a, b int32) bool

	workers []*worker
	ncArena arena // plans decoded from a store
	ncs     *ncState

	// the pegging of the current plan, brought up to date on read
	pegMu sync.Mutex
	peg   *planPeg
	// netWindow's kept sums, one an item (see winKeep), and which items
	// hold any (compact: the end of a change reads one for each item it
	// touched): allocated by net change before it propagates, dropped
	// with the pegging (pegReset), on a relink and by a plan loaded into
	// the planner. wkOwn says that no pegging is kept during this change:
	// the change notes (chgQ, chgG) serve the kept sums alone.
	wk     []winKeep
	wkHeld []bool
	wkOwn  bool
	wkAny  bool // some item may hold kept sums (a worker's wkMade, gathered after each change)
	// lateDemands' narrowest level on several goroutines and its chunk
	// size, when not zero, how many levels it spread and how many items
	// it visited (for the tests)
	lateParMin, lateChunk                   int
	lateParLevels, lateVisited, lateSkipped atomic.Int64

	// the count of the items' exception messages, kept for
	// ExceptionCount (see itemExcCount)
	excMu sync.Mutex
	exc   excCount
	// pegChanged's notes on two goroutines from this many touched items
	// (0: pegChangedParMin; the tests set it)
	pegParMin int

	// Digest hashes this many items or more on two goroutines (0:
	// digestParMin; the tests set it)
	digParMin int
	// Digest's hashes of the items' orders, kept (see digestKept)
	digMu sync.Mutex
	dig   digestKept

	// shop-floor confirmations of released production orders (progress.go)
	progress *Progress
}

// New validates in, builds the planning state and runs a regenerative plan.
func New(in *Input, opts Options) (*Planner, error) {
	return NewContext(context.Background(), in, opts)
}

// NewContext is [New] that gives up when ctx ends (checked between
// low-level codes of the regenerative run), returning ctx's error.
func NewContext(ctx context.Context, in *Input, opts Options) (*Planner, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	opts = opts.withDefaults()
	p := &Planner{opts: opts, calIn: in.Calendar}
	if err := p.load(in); err != nil {
		return nil, err
	}
	if err := p.checkQty(); err != nil {
		return nil, err
	}
	if err := p.regenerate(ctx); err != nil {
		return nil, err
	}
	return p, nil
}

func (p *Planner) load(in *Input) error {
	p.lessDem, p.lessRec = p.demandLess, p.receiptLess
	p.index = make(map[string]int32, len(in.Items))
	p.items = make([]item, len(in.Items))
	maxLT := 0
	for i := range in.Items {
		it := &in.Items[i]
		if err := validateItem(it); err != nil {
			return err
		}
		if _, dup := p.index[it.ID]; dup {
			return &ItemError{Item: it.ID, Err: fmt.Errorf("%w: duplicate item", ErrInvalid)}
		}
		p.index[it.ID] = int32(i)
		p.items[i].setIn(cloneItem(it))
		maxLT = max(maxLT, it.LeadTime)
	}
	k, err := compileCalendar(in.Calendar, max(maxLT, 30))
	if err != nil {
		return err
	}
	p.cal = k
	if err := p.linkAll(); err != nil {
		return err
	}
	for id, q := range in.Stock {
		i, ok := p.index[id]
		if !ok {
			return &ItemError{Item: id, Err: fmt.Errorf("%w (in stock)", ErrUnknownItem)}
		}
		if q < 0 || q > MaxQty {
			return &ItemError{Item: id, Err: fmt.Errorf("%w: stock %d not in [0, %d]", ErrInvalid, q, int64(MaxQty))}
		}
		p.items[i].onhand = q
	}
	p.demandIx = make(map[string]int32, len(in.Demands))
	p.demands = make([]demand, 0, len(in.Demands))
	for _, d := range in.Demands {
		if err := p.addDemand(d); err != nil {
			return err
		}
	}
	p.loadDemandTimelines()
	p.recIx = make(map[string]int32, len(in.Receipts))
	for _, r := range in.Receipts {
		if err := p.addReceipt(r); err != nil {
			return err
		}
	}
	p.firmIx = make(map[string]int32, len(in.Firm))
	for _, f := range in.Firm {
		i, err := p.checkFirm(&f)
		if err != nil {
			return err
		}
		if _, dup := p.firmIx[f.ID]; dup {
			return fmt.Errorf("%w: duplicate firm planned order %s", ErrInvalid, f.ID)
		}
		if _, dup := p.recIx[f.ID]; dup {
			return errFirmReceipt(f.ID)
		}
		k := int32(len(p.firms))
		p.firms = append(p.firms, p.newFirm(f, i))
		p.firmIx[f.ID] = k
		p.hookFirm(nil, k)
	}
	return nil
}

// errFirmReceipt refuses a firm planned order and a scheduled receipt of
// one ID: once released, a firm order is the receipt of its ID.
func errFirmReceipt(id string) error {
	return fmt.Errorf("%w: %s is the ID of a firm planned order and of a scheduled receipt: one ID names one order (a released firm order is the receipt of its ID)", ErrInvalid, id)
}

func (p *Planner) checkFirm(f *FirmOrder) (int32, error) {
	if f.ID == "" {
		return 0, fmt.Errorf("%w: firm planned order with empty id", ErrInvalid)
	}
	i, ok := p.index[f.Item]
	if !ok {
		return 0, &ItemError{Item: f.Item, Err: fmt.Errorf("%w (firm planned order %s)", ErrUnknownItem, f.ID)}
	}
	if p.items[i].in.Kind == Phantom {
		return 0, &ItemError{Item: f.Item, Err: fmt.Errorf("%w: firm planned order %s: a phantom item has no orders to firm", ErrInvalid, f.ID)}
	}
	if f.Qty <= 0 || f.Qty > MaxQty {
		return 0, fmt.Errorf("%w: firm planned order %s: quantity %d not in (0, %d]", ErrInvalid, f.ID, f.Qty, int64(MaxQty))
	}
	if f.Due.IsZero() {
		return 0, fmt.Errorf("%w: firm planned order %s: no due date", ErrInvalid, f.ID)
	}
	if orderIDOf(f.ID, f.Item) != "" {
		// ITEM#... names a planned order of ITEM: another item's would clash
		return 0, fmt.Errorf("%w: firm planned order %s of item %s: an ID with '#' must start with its item (%s#...)", ErrInvalid, f.ID, f.Item, f.Item)
	}
	return i, nil
}

// newFirm is firm order f of item i, on the day netting sees: due on a
// non-working day, the working day before, as its release day counts
// back from and as a demand due that day is netted (due before the
// planning date: day 0).
func (p *Planner) newFirm(f FirmOrder, i int32) firmOrder {
	return firmOrder{in: f, item: i, day: p.cal.demandDay(min(p.cal.day(f.Due), math.MaxInt32)), live: true}
}

// hookFirm puts firm order k into its item's list (when in the horizon)
// and marks the item for replanning.
func (p *Planner) hookFirm(s *ncState, k int32) {
	f := &p.firms[k]
	if int(f.day) >= p.cal.horizon {
		return
	}
	it := &p.items[f.item]
	h, _ := slices.BinarySearchFunc(it.firm, k, p.firmCmp)
	it.firm = slices.Insert(it.firm, h, k)
	it.firmd = true
	if s != nil {
		s.mark(p, f.item, full)
	}
}

func (p *Planner) unhookFirm(s *ncState, k int32) {
	f := &p.firms[k]
	it := &p.items[f.item]
	h := slices.Index(it.firm, k)
	if h < 0 {
		return
	}
	it.firm = slices.Delete(it.firm, h, h+1)
	it.firmd = len(it.firm) > 0
	if s != nil {
		s.mark(p, f.item, full)
	}
}

func (p *Planner) firmCmp(a, b int32) int {
	x, y := &p.firms[a], &p.firms[b]
	if x.day != y.day {
		return int(x.day - y.day)
	}
	return strings.Compare(x.in.ID, y.in.ID)
}

func cloneItem(it *Item) Item {
	c := *it
	c.Components = slices.Clone(it.Components)
	if it.BOMChanges != nil {
		c.BOMChanges = make([]BOMChange, len(it.BOMChanges))
		for k, ch := range it.BOMChanges {
			c.BOMChanges[k] = BOMChange{From: ch.From, Components: slices.Clone(ch.Components)}
		}
	}
	c.Operations = slices.Clone(it.Operations)
	return c
}

// demandIDProblem says why a demand ID with ';' is refused.
func demandIDProblem(id string) string {
	return fmt.Sprintf("demand ID %q has ';', which separates the demands an order is pegged to (pegged_to: ID:qty;ID:qty)", id)
}

func (p *Planner) checkDemand(d *Demand) (int32, error) {
	if d.ID == "" {
		return 0, fmt.Errorf("%w: demand with empty id", ErrInvalid)
	}
	if strings.ContainsRune(d.ID, ';') {
		return 0, fmt.Errorf("%w: %s", ErrInvalid, demandIDProblem(d.ID))
	}
	i, ok := p.index[d.Item]
	if !ok {
		return 0, &ItemError{Item: d.Item, Err: fmt.Errorf("%w (demand %s)", ErrUnknownItem, d.ID)}
	}
	if d.Qty <= 0 || d.Qty > MaxQty {
		return 0, fmt.Errorf("%w: demand %s: quantity %d not in (0, %d]", ErrInvalid, d.ID, d.Qty, int64(MaxQty))
	}
	if d.Due.IsZero() {
		return 0, fmt.Errorf("%w: demand %s: no due date", ErrInvalid, d.ID)
	}
	return i, nil
}

func (p *Planner) addDemand(d Demand) error {
	i, err := p.checkDemand(&d)
	if err != nil {
		return err
	}
	if _, dup := p.demandIx[d.ID]; dup {
		return fmt.Errorf("%w: duplicate demand %s", ErrInvalid, d.ID)
	}
	x := demand{in: d, item: i, day: p.cal.demandDay(p.cal.day(d.Due)), live: true}
	p.demandIx[d.ID] = int32(len(p.demands))
	p.demands = append(p.demands, x)
	return nil
}

// loadDemandTimelines puts the loaded demands due within the horizon into
// their items' timelines. Each item's are sorted first on a compact copy
// of their keys and inserted in order: inserted as they came, every
// comparison of the B-tree's search read two demands far apart in memory
// (a plant of 10^6 sales-order lines spent 1.35 s there; in order, the
// search reads the demands inserted just before).
func (p *Planner) loadDemandTimelines() {
	type key struct {
		day  int32
		k    int32
		prio int
		id   string
	}
	// counting sort by item, then each item's keys sorted
	start := make([]int32, len(p.items)+1)
	for k := range p.demands {
		if x := &p.demands[k]; int(x.day) < p.cal.horizon {
			start[x.item+1]++
		}
	}
	for i := range p.items {
		start[i+1] += start[i]
	}
	keys := make([]key, start[len(p.items)])
	at := slices.Clone(start[:len(p.items)])
	for k := range p.demands {
		if x := &p.demands[k]; int(x.day) < p.cal.horizon {
			keys[at[x.item]] = key{x.day, int32(k), x.in.Priority, x.in.ID}
			at[x.item]++
		}
	}
	for i := range p.items {
		ks := keys[start[i]:start[i+1]]
		// the order of demandLess: day, higher priority first, ID
		slices.SortFunc(ks, func(a, b key) int {
			if a.day != b.day {
				return cmp.Compare(a.day, b.day)
			}
			if a.prio != b.prio {
				return cmp.Compare(b.prio, a.prio)
			}
			return strings.Compare(a.id, b.id)
		})
		it := &p.items[i]
		for _, x := range ks {
			it.dem.insert(x.k, p.lessDem)
			if p.demands[x.k].in.Forecast {
				it.nfc++
			}
		}
	}
}

// orderIDOf returns the item another item's order ID names: "ITEM#..."
// is the form of ITEM's planned orders' IDs ([PlannedOrder.ID]); "" when
// id has not that form or names item itself.
func orderIDOf(id, item string) string {
	h := strings.LastIndexByte(id, '#')
	if h < 0 || id[:h] == item {
		return ""
	}
	return id[:h]
}

// receiptOrderID refuses receipt r whose ID is ITEM#... for another item
// of the plan: ITEM#... names ITEM's planned orders (released, receipts
// of ITEM), so it would take the ID of one of them, which could then
// never be released or firmed ("PO#4711" names no item: fine).
func receiptOrderID(r *Receipt) error {
	other := orderIDOf(r.ID, r.Item)
	return fmt.Errorf("%w: receipt %s of item %s: %s#... names the orders of item %s; give it another ID", ErrInvalid, r.ID, r.Item, other, other)
}

func (p *Planner) checkReceipt(r *Receipt) (int32, error) {
	if r.ID == "" {
		return 0, fmt.Errorf("%w: receipt with empty id", ErrInvalid)
	}
	i, ok := p.index[r.Item]
	if !ok {
		return 0, &ItemError{Item: r.Item, Err: fmt.Errorf("%w (receipt %s)", ErrUnknownItem, r.ID)}
	}
	if r.Qty <= 0 || r.Qty > MaxQty {
		return 0, fmt.Errorf("%w: receipt %s: quantity %d not in (0, %d]", ErrInvalid, r.ID, r.Qty, int64(MaxQty))
	}
	if r.Due.IsZero() {
		return 0, fmt.Errorf("%w: receipt %s: no due date", ErrInvalid, r.ID)
	}
	if r.Kind > ProductionOrder {
		return 0, fmt.Errorf("%w: receipt %s: kind %d", ErrInvalid, r.ID, r.Kind)
	}
	if _, other := p.index[orderIDOf(r.ID, r.Item)]; other {
		return 0, receiptOrderID(r)
	}
	return i, nil
}

func (p *Planner) addReceipt(r Receipt) error {
	i, err := p.checkReceipt(&r)
	if err != nil {
		return err
	}
	if _, dup := p.recIx[r.ID]; dup {
		return fmt.Errorf("%w: duplicate receipt %s", ErrInvalid, r.ID)
	}
	d := max(p.cal.day(r.Due), 0)
	x := receipt{in: r, item: i, day: int32(min(d, math.MaxInt32)), live: true}
	p.recIx[r.ID] = int32(len(p.recs))
	p.recs = append(p.recs, x)
	if d < p.cal.horizon {
		p.items[i].rec.insert(int32(len(p.recs)-1), p.lessRec)
	}
	return nil
}

// linkAll resolves every item's components, builds where-used and
// computes low-level codes.
func (p *Planner) linkAll() error {
	for i := range p.items {
		p.items[i].parents = p.items[i].parents[:0]
	}
	for i := range p.items {
		if err := p.linkComps(int32(i)); err != nil {
			return err
		}
	}
	for i := range p.items {
		for _, e := range p.items[i].comps {
			c := &p.items[e.to]
			c.parents = append(c.parents, edge{to: int32(i), from: e.from, until: e.until, factor: e.factor, mul: e.mul})
		}
	}
	return p.computeLLC()
}

// linkComps builds item i's component edges: one per component and
// period of its BOM ([Item.BOMChanges]), a component that stays the same
// across changes keeping one edge over all those periods.
func (p *Planner) linkComps(i int32) error {
	it := &p.items[i]
	it.comps = it.comps[:0]
	from := int32(dayMin)
	for k := 0; k <= len(it.in.BOMChanges); k++ {
		cs := it.in.Components
		until := int32(dayMax)
		if k > 0 {
			cs = it.in.BOMChanges[k-1].Components
		}
		if k < len(it.in.BOMChanges) {
			until = p.explosionDay(it.in.BOMChanges[k].From)
		}
		if until <= from {
			continue // a change before the planning window's first day, superseded
		}
		for _, c := range cs {
			j, ok := p.index[c.Item]
			if !ok {
				return &ItemError{Item: it.in.ID, Err: fmt.Errorf("%w: component %s", ErrUnknownItem, c.Item)}
			}
			f := c.QtyPer * (1 + it.in.ScrapPct/100) * (1 + c.ScrapPct/100)
			var mul int32
			if f == math.Trunc(f) && f >= 1 && f < 1<<20 {
				mul = int32(f)
			}
			// the same component, quantity and scrap as in the period
			// before: that edge goes on
			if x := slices.IndexFunc(it.comps, func(e edge) bool { return e.to == j && e.until == from && e.factor == f }); x >= 0 {
				it.comps[x].until = until
				continue
			}
			it.comps = append(it.comps, edge{to: j, from: from, until: until, factor: f, mul: mul})
		}
		from = until
	}
	return nil
}

// explosionDay is the day number of a BOM change's date, clamped to the
// days an order can be exploded on (never before day 0, see
// [Item.BOMChanges]): a change on or before the planning date holds from
// day 0.
func (p *Planner) explosionDay(t time.Time) int32 {
	d := p.cal.day(t)
	return int32(min(max(d, 0), dayMax-1))
}

// computeLLC assigns low-level codes (longest path from a top item) and
// groups items by level; a cycle is reported with its path.
func (p *Planner) computeLLC() error {
	n := len(p.items)
	indeg := make([]int32, n)
	for i := range p.items {
		for _, e := range p.items[i].comps {
			indeg[e.to]++
		}
	}
	queue := make([]int32, 0, n)
	for i := range n {
		p.items[i].llc = 0
		if indeg[i] == 0 {
			queue = append(queue, int32(i))
		}
	}
	for h := 0; h < len(queue); h++ {
		i := queue[h]
		for _, e := range p.items[i].comps {
			c := &p.items[e.to]
			c.llc = max(c.llc, p.items[i].llc+1)
			indeg[e.to]--
			if indeg[e.to] == 0 {
				queue = append(queue, e.to)
			}
		}
	}
	if len(queue) < n {
		return p.cycleError(indeg)
	}
	maxL := int32(0)
	for i := range p.items {
		maxL = max(maxL, p.items[i].llc)
	}
	p.levels = make([][]int32, maxL+1)
	p.llc = slices.Grow(p.llc[:0], n)[:n]
	// a new list, never one written in place: net changes' results
	// read the one of their day (ChangeResult)
	p.idOf = make([]string, n)
	for i := range p.items {
		l := p.items[i].llc
		p.levels[l] = append(p.levels[l], int32(i))
		p.llc[i] = l
		p.idOf[i] = p.items[i].in.ID
	}
	return nil
}

func (p *Planner) cycleError(indeg []int32) error {
	// Every node left with indeg > 0 lies on or below a cycle; walk
	// components among them until a node repeats.
	start := int32(-1)
	for i, d := range indeg {
		if d > 0 {
			start = int32(i)
			break
		}
	}
	pos := map[int32]int{}
	var path []int32
	for cur := start; ; {
		if k, seen := pos[cur]; seen {
			names := make([]string, 0, len(path)-k+1)
			for _, x := range path[k:] {
				names = append(names, p.items[x].in.ID)
			}
			names = append(names, p.items[cur].in.ID)
			return &ItemError{Item: names[0], Err: fmt.Errorf("%w: %s", ErrCycle, strings.Join(names, " -> "))}
		}
		pos[cur] = len(path)
		path = append(path, cur)
		next := int32(-1)
		for _, e := range p.items[cur].comps {
			if indeg[e.to] > 0 {
				next = e.to
				break
			}
		}
		if next < 0 {
			return fmt.Errorf("%w (unreported)", ErrCycle)
		}
		cur = next
	}
}

// Regenerate replans every item from scratch, level by level.
func (p *Planner) Regenerate() { _ = p.regenerate(context.Background()) }

// regenerate is Regenerate that stops between levels once ctx ended (the
// plan is then incomplete: only New, which drops it, passes a ctx that
// can end).
func (p *Planner) regenerate(ctx context.Context) error {
	nw := p.opts.Workers
	if nw == 0 {
		nw = runtime.GOMAXPROCS(0)
	}
	for len(p.workers) < nw {
		p.workers = append(p.workers, p.newWorker())
	}
	for _, w := range p.workers {
		w.ensure(p.cal.horizon)
		w.arena.reset()
		w.garena.reset()
	}
	p.ncArena.reset()
	p.pegReset()
	for _, lv := range p.levels {
		if err := ctx.Err(); err != nil {
			return err
		}
		if nw == 1 || len(lv) < 256 {
			w := p.workers[0]
			for _, i := range lv {
				p.planItem(w, i)
				p.keep(w, &w.arena, i)
			}
			continue
		}
		var next atomic.Int64
		var wg sync.WaitGroup
		for k := range nw {
			wg.Add(1)
			go func(w *worker) {
				defer wg.Done()
				for {
					lo := int(next.Add(32)) - 32
					if lo >= len(lv) {
						return
					}
					for _, i := range lv[lo:min(lo+32, len(lv))] {
						p.planItem(w, i)
						p.keep(w, &w.arena, i)
					}
				}
			}(p.workers[k])
		}
		wg.Wait()
	}
	return nil
}

// keep stores the worker's result as item i's plan.
func (p *Planner) keep(w *worker, a *arena, i int32) {
	it := &p.items[i]
	n := len(w.oDue)
	if n == 0 {
		it.due, it.qty = nil, nil
	} else {
		it.due, it.qty = a.alloc(n)
		copy(it.due, w.oDue)
		copy(it.qty, w.oQty)
	}
	it.setEnds()
	if len(w.exc) == 0 {
		it.exc = nil
	} else {
		it.exc = slices.Clone(w.exc)
	}
	it.slack = w.slack
	setCache(it, w, &w.garena, false)
}

// setCache stores (or drops) the gross requirements captured in w, in the
// item's old space when inPlace and it fits.
func setCache(it *item, w *worker, a *arena, inPlace bool) {
	it.cached = w.cache
	if !w.cache || len(w.cd) == 0 {
		it.gd, it.gq = nil, nil
		return
	}
	n := len(w.cd)
	if !inPlace || n > cap(it.gd) || n > cap(it.gq) {
		extra := 0
		if inPlace {
			extra = n/4 + 4 // net change: room to grow in place
		}
		it.gd, it.gq = a.alloc(n + extra)
	}
	it.gd, it.gq = it.gd[:n], it.gq[:n]
	copy(it.gd, w.cd)
	copy(it.gq, w.cq)
}

// arena hands out order storage from big reused blocks: a regenerative
// run allocates (almost) nothing once warm.
type arena struct {
	d   [][]int32
	q   [][]int64
	cur int
	off int
}

const arenaBlock = 1 << 17

func (a *arena) reset() { a.cur, a.off = 0, 0 }

// alloc returns n entries of order storage. A nil arena allocates them
// on the heap: net change does, so that order lists it replaces are
// garbage collected instead of piling up in blocks until the next
// regenerative run.
func (a *arena) alloc(n int) ([]int32, []int64) {
	if a == nil {
		return make([]int32, n), make([]int64, n)
	}
	for {
		if a.cur < len(a.d) && a.off+n <= len(a.d[a.cur]) {
			d := a.d[a.cur][a.off : a.off+n : a.off+n]
			q := a.q[a.cur][a.off : a.off+n : a.off+n]
			a.off += n
			return d, q
		}
		if a.cur < len(a.d) && a.off > 0 {
			a.cur++
			a.off = 0
			continue
		}
		// blocks grow from 4096 entries: small plans stay small
		size := max(n, min(arenaBlock, 4096<<len(a.d)))
		if a.cur < len(a.d) {
			// too small a block for n: put a new one in its place
			a.d[a.cur] = make([]int32, size)
			a.q[a.cur] = make([]int64, size)
		} else {
			a.d = append(a.d, make([]int32, size))
			a.q = append(a.q, make([]int64, size))
		}
	}
}

// Input returns a copy of the current planning inputs (after all applied
// changes): items in the order they were added, live demands and receipts
// in the order they were added. New(p.Input(), opts) plans the same.
func (p *Planner) Input() *Input {
	in := &Input{Calendar: p.calIn, Stock: map[string]int64{}}
	in.Items = make([]Item, len(p.items))
	for i := range p.items {
		in.Items[i] = cloneItem(&p.items[i].in)
		if p.items[i].onhand != 0 {
			in.Stock[p.items[i].in.ID] = p.items[i].onhand
		}
	}
	for k := range p.demands {
		if p.demands[k].live {
			in.Demands = append(in.Demands, p.demands[k].in)
		}
	}
	for k := range p.recs {
		if p.recs[k].live {
			in.Receipts = append(in.Receipts, p.recs[k].in)
		}
	}
	for k := range p.firms {
		if p.firms[k].live {
			in.Firm = append(in.Firm, p.firms[k].in)
		}
	}
	return in
}

// takeOver makes p the planner q (which is dropped): a caller holding p
// sees q's inputs and plan.
func (p *Planner) takeOver(q *Planner) {
	p.opts, p.calIn, p.cal = q.opts, q.calIn, q.cal
	p.items, p.index = q.items, q.index
	p.demands, p.demandIx = q.demands, q.demandIx
	p.recs, p.recIx = q.recs, q.recIx
	p.firms, p.firmIx = q.firms, q.firmIx
	p.levels, p.llc, p.idOf = q.levels, q.llc, q.idOf
	p.qtyRoom, p.qtyGrowth = q.qtyRoom, q.qtyGrowth
	p.lessDem, p.lessRec = p.demandLess, p.receiptLess
	p.workers, p.ncArena, p.ncs = q.workers, q.ncArena, q.ncs
	p.progress = q.progress
	// the timelines' B-trees order by q's records: rebuild them on p's
	for i := range p.items {
		it := &p.items[i]
		for _, tl := range []struct {
			t    *timeline
			less func(a, b int32) bool
		}{{&it.dem, p.lessDem}, {&it.rec, p.lessRec}} {
			ks := tl.t.appendTo(nil)
			tl.t.t = nil
			for _, k := range ks {
				tl.t.insert(k, tl.less)
			}
		}
	}
	p.pegReset()
}

// Item returns the planning item id as the plan has it now.
func (p *Planner) Item(id string) (Item, bool) {
	k, ok := p.index[id]
	if !ok {
		return Item{}, false
	}
	return cloneItem(&p.items[k].in), true
}

// Demand returns the live demand id.
func (p *Planner) Demand(id string) (Demand, bool) {
	k, ok := p.demandIx[id]
	if !ok || !p.demands[k].live {
		return Demand{}, false
	}
	return p.demands[k].in, true
}

// Receipt returns the live scheduled receipt id.
func (p *Planner) Receipt(id string) (Receipt, bool) {
	k, ok := p.recIx[id]
	if !ok || !p.recs[k].live {
		return Receipt{}, false
	}
	return p.recs[k].in, true
}

// FirmOrder returns the live firm planned order id.
func (p *Planner) FirmOrder(id string) (FirmOrder, bool) {
	k, ok := p.firmIx[id]
	if !ok || !p.firms[k].live {
		return FirmOrder{}, false
	}
	return p.firms[k].in, true
}

// Calendar returns the calendar the plan was built with.
func (p *Planner) Calendar() Calendar { return p.calIn }
