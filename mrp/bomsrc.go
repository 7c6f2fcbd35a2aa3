package mrp

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/ctoplan/ctoplan/bom"
	"github.com/ctoplan/ctoplan/configurator"
	"github.com/ctoplan/ctoplan/internal/kv"
)

// BOMSource builds planning items from a bom store: every standard item as
// it is (its BOM resolved on the planning date: effectivity applied,
// phantoms blown through), and every resolved configured node as an item of
// its own, "ITEM@hash" (the first 16 hex digits of its content hash), so
// that identical configured sub-assemblies are one item across all orders.
// A node identical to the item's standard resolution is the standard item.
// An item whose lines need a configuration to resolve (it sits below a
// configurable product) is a standard item without components: it is
// planned through the configured nodes that contain it.
type BOMSource struct {
	store *bom.Store
	at    time.Time
	items []Item
	index map[string]int
	std   map[string]bom.Hash // standard item -> its resolved root node
}

// NewBOMSource reads the standard items of s, resolving their BOMs on date at.
func NewBOMSource(ctx context.Context, s *bom.Store, at time.Time) (*BOMSource, error) {
	b := &BOMSource{store: s, at: at, index: map[string]int{}, std: map[string]bom.Hash{}}
	all := s.Items()
	// resolve the standard BOMs first: node hashes identify standard items
	type res struct {
		v *bom.Variant
		n *bom.Node
	}
	resolved := map[string]res{}
	for _, it := range all {
		if it.Model != "" || it.Kind == bom.Phantom || (len(s.Lines(it.ID)) == 0 && len(s.Routing(it.ID)) == 0) {
			continue
		}
		v, err := s.Resolve(ctx, it.ID, nil, at)
		if err != nil {
			// Lines whose conditions need a configuration: the item is
			// planned only inside configured products.
			continue
		}
		n, err := s.Node(v.Root)
		if err != nil {
			return nil, fmt.Errorf("mrp: bom node of %s: %w", it.ID, err)
		}
		resolved[it.ID] = res{v, n}
		b.std[it.ID] = v.Root
	}
	for _, it := range all {
		if it.Model != "" {
			continue // configurable: planned through its variants
		}
		x, err := baseItem(it)
		if err != nil {
			return nil, err
		}
		if r, ok := resolved[it.ID]; ok {
			x.LeadTime = wholeDays(r.v.LeadTime(r.n))
			x.Components, x.Operations, err = b.lines(r.v, r.n)
			if err != nil {
				return nil, err
			}
		}
		b.add(x)
	}
	return b, nil
}

func wholeDays(d float64) int { return int(math.Ceil(d - 1e-9)) }

func baseItem(it *bom.Item) (Item, error) {
	x := Item{ID: it.ID, LeadTime: wholeDays(it.LeadTimeDays), ScrapPct: it.ScrapPct, SafetyStock: int64(math.Ceil(it.SafetyStock))}
	switch it.Kind {
	case bom.Make:
		x.Kind = Make
	case bom.Buy:
		x.Kind = Buy
	case bom.Phantom:
		x.Kind = Phantom
	default:
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

// lines turns a node's lines and operations into components and operations,
// adding configured child nodes as items.
func (b *BOMSource) lines(v *bom.Variant, n *bom.Node) ([]Component, []Operation, error) {
	var cs []Component
	for _, l := range n.Lines {
		id := l.Item
		if !l.Child.IsZero() {
			var err error
			if id, err = b.node(v, l.Child); err != nil {
				return nil, nil, err
			}
		}
		// the same component on two lines: one component, quantities added
		if k := slices.IndexFunc(cs, func(c Component) bool { return c.Item == id && c.ScrapPct == l.ScrapPct }); k >= 0 {
			cs[k].QtyPer += l.Qty
			continue
		}
		cs = append(cs, Component{Item: id, QtyPer: l.Qty, ScrapPct: l.ScrapPct})
	}
	ops := make([]Operation, len(n.Ops))
	for k, o := range n.Ops {
		ops[k] = Operation{Seq: o.Seq, WorkCenter: o.WorkCenter, SetupHours: o.SetupHours, RunHours: o.RunHours}
	}
	return cs, ops, nil
}

// node returns the item ID of a resolved node, adding it (and its
// configured children) when new.
func (b *BOMSource) node(v *bom.Variant, h bom.Hash) (string, error) {
	n := v.Node(h) // a transient variant's nodes are only there
	if n == nil {
		var err error
		if n, err = b.store.Node(h); err != nil {
			return "", err
		}
	}
	if b.std[n.Item] == h {
		return n.Item, nil
	}
	id := n.Item + "@" + h.String()[:16]
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
	x.LeadTime = wholeDays(v.LeadTime(n))
	if x.Kind == Phantom {
		x.Kind = Make
	}
	if x.Components, x.Operations, err = b.lines(v, n); err != nil {
		return "", err
	}
	b.add(x)
	return id, nil
}

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
	v, err := b.store.Resolve(ctx, item, cfg, b.at)
	if err != nil {
		return "", nil, err
	}
	return b.AddVariant(v)
}

// AddVariant returns the planning item of a variant resolved on the
// source's date (by [bom.Store.Resolve] or, for a quote that must not be
// stored, [bom.Store.ResolveTransient]), adding its new nodes as items like
// [BOMSource.Variant].
func (b *BOMSource) AddVariant(v *bom.Variant) (string, []Item, error) {
	before := len(b.items)
	id, err := b.node(v, v.Root)
	if err != nil {
		return "", nil, err
	}
	return id, slices.Clone(b.items[before:]), nil
}

// LoadOptions say when and how far to plan data loaded by [LoadDir].
type LoadOptions struct {
	Start   time.Time // planning date (required)
	Horizon int       // days (0: 365)
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
		return nil, nil, err
	}
	pl, err := ReadPlant(dir)
	if err != nil {
		return nil, nil, err
	}
	return FromBOM(ctx, s, pl, o)
}

// FromBOM builds the planning input from a bom store and plant data.
func FromBOM(ctx context.Context, s *bom.Store, pl *Plant, o LoadOptions) (*Input, *BOMSource, error) {
	src, err := NewBOMSource(ctx, s, o.Start)
	if err != nil {
		return nil, nil, err
	}
	in := &Input{Stock: pl.Stock, Receipts: pl.Receipts, Calendar: Calendar{Start: o.Start, Horizon: o.Horizon, Days: pl.Days}}
	var errs []error
	for _, d := range pl.Demands {
		cfg, configured := pl.Configs[d.ID]
		bi, ierr := s.Item(d.Item)
		if configured && (ierr != nil || bi.Model == "") {
			file, row := splitAt(pl.Rows["demand:"+d.ID])
			errs = append(errs, &CSVError{File: file, Row: row, Column: "config", Err: fmt.Errorf("%s is not a configurable item", d.Item)})
			continue
		}
		if ierr == nil && bi.Model != "" {
			if !configured {
				file, row := splitAt(pl.Rows["demand:"+d.ID])
				errs = append(errs, &CSVError{File: file, Row: row, Column: "config", Err: fmt.Errorf("%s is configurable: a configuration is required", d.Item)})
				continue
			}
			id, _, err := src.Variant(ctx, d.Item, cfg)
			if err != nil {
				file, row := splitAt(pl.Rows["demand:"+d.ID])
				errs = append(errs, &CSVError{File: file, Row: row, Column: "config", Err: err})
				continue
			}
			d.Item = id
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
	if err := pl.Check(known); err != nil {
		return nil, nil, err
	}
	return in, src, nil
}
