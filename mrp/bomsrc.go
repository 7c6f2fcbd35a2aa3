package mrp

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/ctoplan/ctoplan/bom"
	"github.com/ctoplan/ctoplan/configurator"
	"github.com/ctoplan/ctoplan/kv"
)

// BOMSource builds planning items from a bom store: every standard item as
// it is, and every resolved configured node as an item of its own,
// "ITEM@hash", so that identical configured sub-assemblies are one item
// across all orders. A node identical to the item's standard resolution is
// the standard item. An item whose lines need a configuration to resolve
// (it sits below a configurable product) is a standard item without
// components: it is planned through the configured nodes that contain it.
//
// BOMs are dated: every item is resolved on the first day of every
// effectivity epoch of the planning window (bom.Store.Epochs), and where
// its components differ from one epoch to the next the item gets a
// [BOMChange] from that day, so that each order explodes the BOM in force
// on the day it starts. A configured sub-assembly is then the same item in
// every epoch (the node under the same parent line, position and item, in
// each epoch's resolution of the product); its ID is "ITEM@" and the first
// 16 hex digits of its node's hash when it is the same node in every
// epoch, else of the SHA-256 of its nodes' hashes in epoch order. Where a
// sub-assembly is not in its parent's BOM in some epoch, it keeps the node
// of the next epoch that has it (or the last one): its orders in that
// epoch can only serve parents exploded later.
type BOMSource struct {
	store *bom.Store
	at    time.Time
	dates []time.Time // the epochs' first days; dates[0] = at
	items []Item
	index map[string]int
	std   map[string][]bom.Hash // standard item -> its resolved root node per epoch
	fam   map[string][]bom.Hash // configured item -> its node per epoch
	// wcHours is each work center's hours per day (workcenters.csv's
	// capacity_hours_per_day, one machine; unset ones are absent)
	wcHours map[string]float64
}

// NewBOMSource reads the standard items of s, resolving their BOMs on date
// at and on every effectivity change within horizon days (0: 365) after it.
func NewBOMSource(ctx context.Context, s *bom.Store, at time.Time, horizon int) (*BOMSource, error) {
	return newBOMSource(ctx, s, at, horizon, (*BOMSource).resolveStandard)
}

// stdResolver resolves the standard items ids on every epoch of b and
// returns the variants of those that resolve ([BOMSource.resolveStandard];
// tests compare it with resolving one item at a time).
type stdResolver func(b *BOMSource, ctx context.Context, ids []string) map[string][]*bom.Variant

func newBOMSource(ctx context.Context, s *bom.Store, at time.Time, horizon int, resolveStd stdResolver) (*BOMSource, error) {
	if horizon <= 0 {
		horizon = 365
	}
	at = dateOf(at)
	all := s.Items()
	b := &BOMSource{store: s, at: at, dates: s.Epochs(at, at.AddDate(0, 0, horizon-1)),
		items: make([]Item, 0, len(all)), index: make(map[string]int, len(all)),
		std: map[string][]bom.Hash{}, fam: map[string][]bom.Hash{}, wcHours: map[string]float64{}}
	for _, w := range s.WorkCenters() {
		if w.HoursPerDay > 0 {
			b.wcHours[w.ID] = w.HoursPerDay
		}
	}
	// resolve the standard BOMs first: node hashes identify standard items
	std := make([]string, 0, len(all))
	for _, it := range all {
		if it.Model != "" || it.Kind == bom.Phantom || (len(s.Lines(it.ID)) == 0 && len(s.Routing(it.ID)) == 0) {
			continue
		}
		std = append(std, it.ID)
	}
	resolved := resolveStd(b, ctx, std)
	b.std = make(map[string][]bom.Hash, len(resolved))
	for id, vs := range resolved {
		b.std[id] = roots(vs)
	}
	for _, it := range all {
		if it.Model != "" {
			continue // configurable: planned through its variants
		}
		if it.Kind == bom.Phantom {
			// blown through: its parents' BOMs take its components
			// directly, so it is no item of the plan (errPhantom)
			continue
		}
		x, err := baseItem(it)
		if err != nil {
			return nil, err
		}
		if vs, ok := resolved[it.ID]; ok {
			if err := b.fill(&x, vs, b.std[it.ID]); err != nil {
				return nil, err
			}
		}
		b.add(x)
	}
	return b, nil
}

// resolveStandard resolves the standard items ids (no configuration) on
// every epoch and stores their variants (bom.Store.ResolveStandard: on all
// cores, many to a store transaction), and returns the variants of those
// that resolve in every epoch. An item that does not (lines whose
// conditions need a configuration: it is planned only inside configured
// products) is left out, as when resolved alone.
func (b *BOMSource) resolveStandard(ctx context.Context, ids []string) map[string][]*bom.Variant {
	per := make([][]*bom.Variant, len(b.dates))
	failed := make([]bool, len(ids))
	for k, d := range b.dates {
		vs, errs := b.store.ResolveStandard(ctx, ids, d)
		for i, err := range errs {
			failed[i] = failed[i] || err != nil
		}
		per[k] = vs
	}
	out := make(map[string][]*bom.Variant, len(ids))
	for i, id := range ids {
		if failed[i] {
			continue
		}
		vs := make([]*bom.Variant, len(b.dates))
		for k := range per {
			vs[k] = per[k][i]
		}
		out[id] = vs
	}
	return out
}

// resolve resolves item (with cfg) on the first day of every epoch; in
// memory only, storing nothing, when transient is set (a quote).
func (b *BOMSource) resolve(ctx context.Context, item string, cfg configurator.Configuration, transient bool) ([]*bom.Variant, error) {
	vs := make([]*bom.Variant, len(b.dates))
	for k, d := range b.dates {
		resolve := b.store.Resolve
		if transient {
			resolve = b.store.ResolveTransient
		}
		v, err := resolve(ctx, item, cfg, d)
		if err != nil {
			return nil, err
		}
		vs[k] = v
	}
	return vs, nil
}

// variantTx is [BOMSource.Variant] with the variants written into txn
// (bom.Store.ResolveTx); apply the returned changes after the commit. The
// planning items are added to the source at once: when txn fails they
// stay (derived data: resolving the configuration again gives the same).
func (b *BOMSource) variantTx(ctx context.Context, txn kv.Txn, item string, cfg configurator.Configuration) (string, []*bom.Pending, error) {
	vs := make([]*bom.Variant, len(b.dates))
	ps := make([]*bom.Pending, len(b.dates))
	for k, d := range b.dates {
		v, p, err := b.store.ResolveTx(ctx, txn, item, cfg, d)
		if err != nil {
			return "", nil, err
		}
		vs[k], ps[k] = v, p
	}
	id, err := b.family(vs, roots(vs))
	if err != nil {
		return "", nil, err
	}
	return id, ps, nil
}

// node returns a node of the store or of the variants vs (a transient
// variant's new nodes are only there). The store first: asking a variant
// for a node below its root makes it gather its whole BOM.
func (b *BOMSource) node(vs []*bom.Variant, h bom.Hash) (*bom.Node, error) {
	n, err := b.store.Node(h)
	if err == nil {
		return n, nil
	}
	for _, v := range vs {
		if n := v.Node(h); n != nil {
			return n, nil
		}
	}
	return nil, err
}

func roots(vs []*bom.Variant) []bom.Hash {
	hs := make([]bom.Hash, len(vs))
	for k, v := range vs {
		hs[k] = v.Root
	}
	return hs
}

// fill sets x's lead time, components, BOM changes and operations from its
// node in each epoch (hs; vs are variants of the same epochs containing
// them), adding configured child nodes as items.
func (b *BOMSource) fill(x *Item, vs []*bom.Variant, hs []bom.Hash) error {
	nodes := make([]*bom.Node, len(hs))
	for k, h := range hs {
		n, err := b.node(vs, h)
		if err != nil {
			return fmt.Errorf("mrp: bom node of %s: %w", x.ID, err)
		}
		nodes[k] = n
	}
	// a child sub-assembly is the same item in every epoch when it hangs
	// under the same position and item
	type key struct{ pos, item string }
	var keys []key
	kids := map[key][]bom.Hash{}
	for k, n := range nodes {
		for _, l := range n.Lines {
			if l.Child.IsZero() {
				continue
			}
			kk := key{l.Position, l.Item}
			v := kids[kk]
			if v == nil {
				v = make([]bom.Hash, len(hs))
				kids[kk] = v
				keys = append(keys, kk)
			}
			v[k] = l.Child
		}
	}
	ids := make(map[key]string, len(keys))
	for _, kk := range keys {
		id, err := b.family(vs, kids[kk])
		if err != nil {
			return err
		}
		ids[kk] = id
	}
	x.LeadTime = wholeDays(vs[0].LeadTime(nodes[0]))
	x.Components, x.BOMChanges = nil, nil
	var prev []Component
	for k, n := range nodes {
		cs := lines(n, func(l *bom.NodeLine) string { return ids[key{l.Position, l.Item}] })
		switch {
		case k == 0:
			x.Components = cs
		case !slices.Equal(cs, prev):
			x.BOMChanges = append(x.BOMChanges, BOMChange{From: b.dates[k], Components: cs})
		}
		prev = cs
	}
	x.Operations = make([]Operation, len(nodes[0].Ops))
	for k, o := range nodes[0].Ops {
		x.Operations[k] = Operation{Seq: o.Seq, WorkCenter: o.WorkCenter, SetupHours: o.SetupHours, RunHours: o.RunHours, HoursPerDay: b.wcHours[o.WorkCenter]}
	}
	return nil
}

// lines turns a node's lines into components; child names the item of a
// line with a child node.
func lines(n *bom.Node, child func(*bom.NodeLine) string) []Component {
	var cs []Component
	for k := range n.Lines {
		l := &n.Lines[k]
		id := l.Item
		if !l.Child.IsZero() {
			id = child(l)
		}
		// the same component on two lines: one component, quantities added
		if k := slices.IndexFunc(cs, func(c Component) bool { return c.Item == id && c.ScrapPct == l.ScrapPct }); k >= 0 {
			cs[k].QtyPer += l.Qty
			continue
		}
		cs = append(cs, Component{Item: id, QtyPer: l.Qty, ScrapPct: l.ScrapPct})
	}
	return cs
}

// family returns the item ID of a sub-assembly whose node in epoch k is
// hs[k] (zero where absent), adding it (and its configured children) when
// new.
func (b *BOMSource) family(vs []*bom.Variant, hs []bom.Hash) (string, error) {
	id, hs, n, err := b.familyOf(vs, hs)
	if err != nil {
		return "", err
	}
	if id == n.Item {
		return id, nil // the standard item
	}
	if _, ok := b.index[id]; ok {
		return id, nil
	}
	bi, err := b.store.Item(n.Item)
	if err != nil {
		return "", err
	}
	x, err := baseItem(bi)
	if err != nil {
		return "", err
	}
	x.ID = id
	if x.Kind == Phantom {
		x.Kind = Make
	}
	if err := b.fill(&x, vs, hs); err != nil {
		return "", err
	}
	b.fam[id] = hs
	b.add(x)
	return id, nil
}

// familyOf returns the item ID of a sub-assembly whose node in epoch k is
// hs[k] (zero where absent; filled returns hs with the gaps filled), and
// its first node; the ID is the node's item itself when the nodes are the
// item's standard resolution. It adds nothing.
func (b *BOMSource) familyOf(vs []*bom.Variant, hs []bom.Hash) (id string, filled []bom.Hash, n *bom.Node, err error) {
	hs = slices.Clone(hs)
	last := bom.Hash{}
	for k := len(hs) - 1; k >= 0; k-- {
		if hs[k].IsZero() {
			hs[k] = last
		} else {
			last = hs[k]
		}
	}
	for k := range hs {
		if hs[k].IsZero() {
			hs[k] = hs[k-1] // after the last epoch that has it
		}
	}
	if n, err = b.node(vs, hs[0]); err != nil {
		return "", nil, nil, err
	}
	if std, ok := b.std[n.Item]; ok && slices.Equal(std, hs) {
		return n.Item, hs, n, nil
	}
	return n.Item + planningSep + familyHash(hs), hs, n, nil
}

// planningSep joins a configured item and its BOM family's hash in a
// planning item's ID.
const planningSep = "@"

// PlanningItemBase returns the configurable item a configured product's
// planning item ID ("ITEM@hash", made by [BOMSource]) stands for, and
// whether id has that form (an item ID of the master data has not).
func PlanningItemBase(id string) (string, bool) {
	base, _, ok := strings.Cut(id, planningSep)
	return base, ok
}

// familyHash is the first 16 hex digits of the node's hash when hs holds
// one node, else of the SHA-256 of the hashes in order.
func familyHash(hs []bom.Hash) string {
	if !slices.ContainsFunc(hs, func(h bom.Hash) bool { return h != hs[0] }) {
		return hs[0].String()[:16]
	}
	h := sha256.New()
	for _, x := range hs {
		h.Write(x[:])
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// NodeOn returns the resolved bom node an order of a planning item exploded
// on date at uses: the node of the item's standard BOM or of its
// configured sub-assembly in the epoch holding at. It reports false for an
// item without a node (a purchased part, or one not built by this source).
func (b *BOMSource) NodeOn(item string, at time.Time) (bom.Hash, bool) {
	hs, ok := b.fam[item]
	if !ok {
		hs, ok = b.std[item]
	}
	if !ok {
		return bom.Hash{}, false
	}
	d := dateOf(at)
	k, found := slices.BinarySearchFunc(b.dates, d, func(e, t time.Time) int { return e.Compare(t) })
	if !found {
		k--
	}
	return hs[max(k, 0)], true
}

// Epochs returns the first days of the effectivity epochs the source
// resolved BOMs on (the planning date first).
func (b *BOMSource) Epochs() []time.Time { return slices.Clone(b.dates) }

func wholeDays(d float64) int { return int(math.Ceil(d - 1e-9)) }

func baseItem(it *bom.Item) (Item, error) {
	x := Item{ID: it.ID, LeadTime: wholeDays(it.LeadTimeDays), ScrapPct: it.ScrapPct, SafetyStock: int64(math.Ceil(it.SafetyStock))}
	x.Kind = it.Kind
	if x.Kind < Make || x.Kind > Phantom {
		return x, &ItemError{Item: it.ID, Err: fmt.Errorf("%w: bom kind %v", ErrInvalid, it.Kind)}
	}
	l := &x.Lot
	switch it.LotPolicy {
	case bom.FixedQty:
		l.Policy, l.Qty = FixedQty, int64(math.Ceil(it.LotQty))
	case bom.PeriodQty:
		l.Policy, l.Periods = PeriodQty, int(math.Ceil(it.LotQty))
	case bom.WagnerWhitin:
		// Costs not given: a setup costs one unit's standard cost,
		// holding 0.1% of it per unit and day.
		l.Policy, l.SetupCost, l.HoldingCost = WagnerWhitin, it.SetupCost, it.HoldingCost
		if l.SetupCost == 0 {
			l.SetupCost = math.Max(it.UnitCost, 1)
		}
		if l.HoldingCost == 0 {
			l.HoldingCost = math.Max(it.UnitCost, 1) * 0.001
		}
	}
	l.Min, l.Max, l.Multiple = int64(math.Ceil(it.MinQty)), int64(math.Floor(it.MaxQty)), int64(math.Ceil(it.Multiple))
	return x, nil
}

func (b *BOMSource) add(x Item) {
	b.index[x.ID] = len(b.items)
	b.items = append(b.items, x)
}

// Store is the BOM store the source resolves configurations in (its
// items and models, e.g. to complete picks before [BOMSource.Variant]).
func (b *BOMSource) Store() *bom.Store { return b.store }

// Items returns the planning items built so far (standard items and every
// configured node resolved through [BOMSource.Variant]).
func (b *BOMSource) Items() []Item { return slices.Clone(b.items) }

// Item returns one built item.
func (b *BOMSource) Item(id string) (Item, bool) {
	k, ok := b.index[id]
	if !ok {
		return Item{}, false
	}
	return b.items[k], true
}

// Variant resolves a configuration of a configurable item and returns the
// planning item of its variant (adding the variant's new nodes as items;
// new ones are also returned, in an order where components come first, for
// [SetItem] changes on a running planner).
func (b *BOMSource) Variant(ctx context.Context, item string, cfg configurator.Configuration) (string, []Item, error) {
	return b.variant(ctx, item, cfg, false)
}

// QuoteVariant is [BOMSource.Variant] for a configuration that is only
// quoted: its variants are resolved in memory ([bom.Store.ResolveTransient])
// and nothing is stored.
func (b *BOMSource) QuoteVariant(ctx context.Context, item string, cfg configurator.Configuration) (string, []Item, error) {
	return b.variant(ctx, item, cfg, true)
}

// PlanningItem returns the planning item a configuration of a
// configurable item is planned as ("ITEM@hash", the ID orders, pegs and
// promises give it), resolving it in memory: nothing is stored or added.
func (b *BOMSource) PlanningItem(ctx context.Context, item string, cfg configurator.Configuration) (string, error) {
	vs, err := b.resolve(ctx, item, cfg, true)
	if err != nil {
		return "", err
	}
	id, _, _, err := b.familyOf(vs, roots(vs))
	return id, err
}

func (b *BOMSource) variant(ctx context.Context, item string, cfg configurator.Configuration, transient bool) (string, []Item, error) {
	vs, err := b.resolve(ctx, item, cfg, transient)
	if err != nil {
		return "", nil, err
	}
	before := len(b.items)
	id, err := b.family(vs, roots(vs))
	if err != nil {
		return "", nil, err
	}
	return id, slices.Clone(b.items[before:]), nil
}

// LoadOptions say when and how far to plan data loaded by [LoadDir].
type LoadOptions struct {
	Start   time.Time // planning date (required)
	Horizon int       // days (0: 365)
	// TimeZone and ShiftStart are the plant's (see [Calendar]).
	TimeZone, ShiftStart string
	// ModelDir holds the product models (.ctm) named by items.csv
	// ("" means the data directory).
	ModelDir string
}

// LoadDir reads a plant directory: the bom master data (items.csv,
// bom.csv, routings.csv, workcenters.csv and the models) into an in-memory
// bom store, then stock.csv, demands.csv, receipts.csv and calendar.csv,
// resolving every configured sales-order line to its variant. Any bad row
// fails the whole load with file:row: column: problem.
func LoadDir(ctx context.Context, dir string, o LoadOptions) (*Input, *BOMSource, error) {
	if o.Start.IsZero() {
		return nil, nil, fmt.Errorf("%w: no planning date", ErrInvalid)
	}
	s, err := bom.Open(ctx, kv.NewMemory())
	if err != nil {
		return nil, nil, err
	}
	if err := s.ImportDir(ctx, dir, o.ModelDir); err != nil {
		return nil, nil, err // bad master data matches ErrInvalid (= bom.ErrInvalid)
	}
	pl, err := ReadPlant(dir)
	if err != nil {
		return nil, nil, err
	}
	return FromBOM(ctx, s, pl, o)
}

// FromBOM builds the planning input from a bom store and plant data.
func FromBOM(ctx context.Context, s *bom.Store, pl *Plant, o LoadOptions) (*Input, *BOMSource, error) {
	return fromBOM(ctx, s, pl, o, (*BOMSource).resolveStandard)
}

func fromBOM(ctx context.Context, s *bom.Store, pl *Plant, o LoadOptions, resolveStd stdResolver) (*Input, *BOMSource, error) {
	if pl.Rows == nil {
		// a stored plan's inputs (a rebuild), not files: what they hold
		// of a phantom was never used (its stock) or exploded, and a
		// refusal here would fail every later call; it is left out
		pl = withoutPhantoms(s, pl)
	}
	if err := masterBounds(s); err != nil {
		return nil, nil, err
	}
	src, err := newBOMSource(ctx, s, o.Start, o.Horizon, resolveStd)
	if err != nil {
		return nil, nil, err
	}
	in := &Input{Stock: pl.Stock, Receipts: pl.Receipts, Firm: pl.Firm, Calendar: Calendar{Start: o.Start, Horizon: o.Horizon, Days: pl.Days,
		TimeZone: o.TimeZone, ShiftStart: o.ShiftStart, CapacityExceptions: pl.CapacityExceptions}}
	if len(pl.Demands) > 0 {
		in.Demands = make([]Demand, 0, len(pl.Demands)) // nil without demands, as before
	}
	var errs []error
	for k, d := range pl.Demands {
		cfg, configured := pl.Configs[d.ID]
		if d.Product != "" {
			// a configured order carried with its configuration (a plan
			// rebuilt from a [Store]'s inputs)
			d.Item, cfg, configured = d.Product, d.Config, true
		}
		bi, ierr := s.Item(d.Item)
		if configured && (ierr != nil || bi.Model == "") {
			file, row := pl.Rows.Demand(k, d.ID)
			errs = append(errs, &CSVError{Pos: bom.Pos{File: file, Line: row}, Column: "config", Err: fmt.Errorf("%s is not a configurable item", d.Item)})
			continue
		}
		if ierr == nil && bi.Model != "" {
			if !configured {
				file, row := pl.Rows.Demand(k, d.ID)
				errs = append(errs, &CSVError{Pos: bom.Pos{File: file, Line: row}, Column: "config", Err: fmt.Errorf("%s is configurable: a configuration is required", d.Item)})
				continue
			}
			id, _, err := src.Variant(ctx, d.Item, cfg)
			if err != nil {
				file, row := pl.Rows.Demand(k, d.ID)
				errs = append(errs, &CSVError{Pos: bom.Pos{File: file, Line: row}, Column: "config", Err: err})
				continue
			}
			d.Product, d.Config, d.Item = d.Item, cfg, id
		}
		in.Demands = append(in.Demands, d)
	}
	if len(errs) > 0 {
		return nil, nil, errors.Join(errs...)
	}
	in.Items = src.Items()
	known := make(map[string]bool, len(in.Items))
	for _, it := range in.Items {
		known[it.ID] = true
	}
	for _, it := range s.Items() {
		if it.Model != "" {
			known[it.ID] = true // demands for it were resolved above
		}
	}
	if err := checkPhantoms(s, pl); err != nil {
		return nil, nil, err
	}
	if err := pl.Check(known); err != nil {
		return nil, nil, err
	}
	// firm orders read from firm.csv that cannot be planned: an error at
	// their row (a stored plant's, without rows, are left to
	// BOMPlan.Rebuild, which drops those of items no longer planned)
	for k, f := range pl.Firm {
		file, row := pl.Rows.Firm(k, f.ID)
		if row == 0 {
			continue
		}
		why := ""
		if _, ok := src.Item(f.Item); !ok && known[f.Item] {
			why = "a configurable item is planned as its variants: firm an order of one of them"
		}
		if why != "" {
			errs = append(errs, &CSVError{Pos: bom.Pos{File: file, Line: row}, Column: "item", Err: fmt.Errorf("%w: %s: %s", ErrInvalid, f.Item, why)})
			if len(errs) == maxCSVErrors {
				break
			}
		}
	}
	if len(errs) > 0 {
		return nil, nil, errors.Join(errs...)
	}
	return in, src, nil
}

// masterBounds refuses master data beyond what a plan takes (bom takes
// more: its bounds are a cost's and an explosion's), each value at the
// file, row and column it was read from: a lead time or a period lot of
// more than [MaxLeadTime] working days, a safety stock or lot size above
// [MaxQty], a quantity per above [MaxQtyPer]. [New] refuses such items
// too, but by item only ("item B: lead time 10000 working days not in
// [0, 3650]"). It returns a [bom.ErrorList].
func masterBounds(s *bom.Store) error {
	var errs bom.ErrorList
	bad := func(src bom.Pos, rec, col, format string, a ...any) {
		if len(errs) < bom.MaxErrors {
			errs = append(errs, &bom.FieldError{Pos: src, Record: rec, Column: col, Err: fmt.Errorf(format, a...)})
		}
	}
	items := s.Items()
	for _, it := range items {
		rec := "item " + it.ID
		if !it.LeadTimeFromRouting && wholeDays(it.LeadTimeDays) > MaxLeadTime {
			bad(it.Src, rec, "lead_time_days", "%v working days: MRP plans lead times of at most %d (ten years)", it.LeadTimeDays, MaxLeadTime)
		}
		for _, f := range []struct {
			col string
			v   float64 // as baseItem rounds it
		}{{"safety_stock", math.Ceil(it.SafetyStock)}, {"min_qty", math.Ceil(it.MinQty)}, {"max_qty", math.Floor(it.MaxQty)}, {"multiple", math.Ceil(it.Multiple)}} {
			if f.v > MaxQty {
				bad(it.Src, rec, f.col, "%v is more than %d, the most a quantity may be", f.v, int64(MaxQty))
			}
		}
		switch {
		case it.LotPolicy == bom.FixedQty && math.Ceil(it.LotQty) > MaxQty:
			bad(it.Src, rec, "lot_qty", "%v is more than %d, the most a quantity may be", it.LotQty, int64(MaxQty))
		case it.LotPolicy == bom.PeriodQty && math.Ceil(it.LotQty) > MaxLeadTime:
			bad(it.Src, rec, "lot_qty", "%v periods: MRP plans lots of at most %d working days (ten years)", it.LotQty, MaxLeadTime)
		}
	}
	for _, it := range items { // the lines after the items, as the files are read
		for _, l := range s.Lines(it.ID) {
			if l.QtyExpr == "" && l.Qty > MaxQtyPer {
				bad(l.Src, "line "+l.Parent+" -> "+l.Component, "qty_per", "%v is more than %g, the most MRP takes per unit of the parent (line %s -> %s)", l.Qty, float64(MaxQtyPer), l.Parent, l.Component)
			}
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// errPhantom says why phantom item id of the master data takes no stock,
// receipts, demands or firm orders in a plan made from it.
func errPhantom(id string) error {
	return fmt.Errorf("%w: %s is a phantom, blown through into its parents' BOMs: it has no stock, receipts, demands or orders of its own (to stock or sell it, make it a make item with lead time 0)", ErrInvalid, id)
}

// checkPhantoms refuses plant data naming a phantom item of s: its stock
// would never be used and its demands never exploded (at their rows).
func checkPhantoms(s *bom.Store, pl *Plant) error {
	phantom := func(id string) bool { return isPhantom(s, id) }
	var errs []error
	bad := func(file string, row int, item string) {
		if len(errs) < maxCSVErrors {
			errs = append(errs, &CSVError{Pos: bom.Pos{File: file, Line: row}, Column: "item", Err: errPhantom(item)})
		}
	}
	for _, id := range slices.Sorted(maps.Keys(pl.Stock)) {
		if phantom(id) {
			file, row := pl.Rows.Stock(id)
			bad(file, row, id)
		}
	}
	for k, d := range pl.Demands {
		if phantom(d.Item) {
			file, row := pl.Rows.Demand(k, d.ID)
			bad(file, row, d.Item)
		}
	}
	for k, r := range pl.Receipts {
		if phantom(r.Item) {
			file, row := pl.Rows.Receipt(k, r.ID)
			bad(file, row, r.Item)
		}
	}
	for k, f := range pl.Firm {
		if phantom(f.Item) {
			file, row := pl.Rows.Firm(k, f.ID)
			bad(file, row, f.Item)
		}
	}
	return errors.Join(errs...)
}

// phantomError is err with the reason when it is an unknown item that is
// a phantom of s's master data (a change naming it).
func phantomError(s *bom.Store, err error) error {
	var ie *ItemError
	if !errors.As(err, &ie) || !errors.Is(err, ErrUnknownItem) {
		return err
	}
	if !isPhantom(s, ie.Item) {
		return err
	}
	return &ItemError{Item: ie.Item, Err: errPhantom(ie.Item)}
}

// withoutPhantoms is pl without the stock, demands, receipts and firm
// orders of phantom items of s (pl itself when it has none).
func withoutPhantoms(s *bom.Store, pl *Plant) *Plant {
	phantom := func(id string) bool { return isPhantom(s, id) }
	found := false
	for id := range pl.Stock {
		found = found || phantom(id)
	}
	for _, d := range pl.Demands {
		found = found || phantom(d.Item)
	}
	for _, r := range pl.Receipts {
		found = found || phantom(r.Item)
	}
	for _, f := range pl.Firm {
		found = found || phantom(f.Item)
	}
	if !found {
		return pl
	}
	out := *pl
	out.Stock = maps.Clone(pl.Stock)
	maps.DeleteFunc(out.Stock, func(id string, _ int64) bool { return phantom(id) })
	out.Demands = slices.DeleteFunc(slices.Clone(pl.Demands), func(d Demand) bool { return phantom(d.Item) })
	out.Receipts = slices.DeleteFunc(slices.Clone(pl.Receipts), func(r Receipt) bool { return phantom(r.Item) })
	out.Firm = slices.DeleteFunc(slices.Clone(pl.Firm), func(f FirmOrder) bool { return phantom(f.Item) })
	return &out
}

// isPhantom reports whether id is a phantom item of s's master data.
func isPhantom(s *bom.Store, id string) bool {
	it, err := s.Item(id)
	return err == nil && it.Kind == bom.Phantom
}
