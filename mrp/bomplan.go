package mrp

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ctoplan/ctoplan/bom"
	"github.com/ctoplan/ctoplan/configurator"
	"github.com/ctoplan/ctoplan/kv"
)

// BOMPlan is the plan of a [bom.Store]'s master data and a [Store]'s plant
// data in one database: the lifecycle the server and the CLI share. It
// opens the stored plan, rebuilds it from master data and plant data,
// keeps it fresh after a master-data change (the plan's basis is the BOM
// store's revision plus one; a plan of basis 0, written by [CreateStore]
// without one, is planned as stored), applies changes in one transaction
// with a retry after [ErrStale], and orders configured lines.
//
// A BOMPlan is not safe for concurrent use: the caller serialises its
// calls (the server holds its plan lock exclusively for every call but
// [BOMPlan.Store] and [BOMPlan.Fresh], which readers may share).
type BOMPlan struct {
	db    kv.DB
	bom   *bom.Store
	store *Store // nil: no plant data yet
	// src builds planning items from the BOM store's master data at
	// revision srcRev; made on first need.
	src    *BOMSource
	srcRev uint64
	// Logger, if set, is told of firm planned orders a rebuild leaves out.
	Logger *slog.Logger
	// StaleRetries bounds how often [BOMPlan.Update] catches up and runs
	// again after [ErrStale] (another writer of the database wrote first).
	StaleRetries int
	// MaxQuoteItems bounds the planning items [BOMPlan.Promise] adds to
	// the plan in memory for configurations never ordered; past it they
	// are dropped first ([Store.DropQuoted]). 0 keeps none from one
	// quote to the next.
	MaxQuoteItems int
	// sched is the finite schedule of the plan and master data at
	// revisions schedRev of store schedOf (see Schedule), guarded by
	// schedMu: readers of the plan share it
	schedMu  sync.Mutex
	sched    *Schedule
	schedOf  *Store
	schedRev [2]uint64
	// pegLimit, when not 0, is the peg limit of every plan it opens or
	// builds (SetPegLimit)
	pegLimit int
	// huge: every plan it opens or builds asks for huge pages
	// (SetHugePages)
	huge bool
}

// SetPegLimit sets the peg limit (see [Options.PegLimit]; here 0 leaves
// each stored plan's own) of the current plan and of every plan the
// BOMPlan opens or rebuilds later.
func (p *BOMPlan) SetPegLimit(n int) {
	p.pegLimit = n
	p.applySettings()
}

// SetHugePages makes the current plan's store and every one the BOMPlan
// opens or rebuilds later ask for huge pages for their planner's memory
// ([Store.SetHugePages]), or stop asking.
func (p *BOMPlan) SetHugePages(on bool) {
	p.huge = on
	p.applySettings()
}

// applySettings gives the store the BOMPlan's settings: the peg limit
// and huge pages.
func (p *BOMPlan) applySettings() {
	if p.store == nil {
		return
	}
	if p.pegLimit != 0 {
		p.store.SetPegLimit(p.pegLimit)
	}
	if p.huge != p.store.huge {
		p.store.SetHugePages(p.huge)
	}
}

// OpenBOMPlan opens the plan stored in db beside the BOM store bs; without
// one ([ErrNoPlan]) the BOMPlan has no store until [BOMPlan.Rebuild].
func OpenBOMPlan(ctx context.Context, db kv.DB, bs *bom.Store) (*BOMPlan, error) {
	p := NewBOMPlan(db, bs, nil)
	st, err := OpenStore(ctx, db)
	if errors.Is(err, ErrNoPlan) {
		return p, nil
	}
	if err != nil {
		return nil, err
	}
	p.store = st
	return p, nil
}

// NewBOMPlan returns the BOMPlan of store (nil: none yet) in db beside bs.
func NewBOMPlan(db kv.DB, bs *bom.Store, store *Store) *BOMPlan {
	return &BOMPlan{db: db, bom: bs, store: store, StaleRetries: 8}
}

// Store returns the plan's store, nil before the first plant data.
func (p *BOMPlan) Store() *Store { return p.store }

// Basis is the [Store] basis of a plan built from the BOM store's current
// master data: its revision plus one, so that 0 stays "not built from
// this BOM store".
func (p *BOMPlan) Basis() uint64 { return p.bom.Revision() + 1 }

// Fresh reports whether the plan is built on the current master data (or
// on none of the BOM store's) and can be read: false without a plan, and
// while its store is stale ([Store.Stale]; [BOMPlan.Ensure] rereads it).
func (p *BOMPlan) Fresh() bool {
	if p.store == nil || p.store.Stale() {
		return false // a stale store is reread first (see Store.Stale)
	}
	b := p.store.Basis()
	return b == 0 || b == p.Basis()
}

// CatchUp brings the master data and the plan up to what the database
// holds (other writers of it: server replicas): it refreshes the BOM
// store, opens a plan written since, or replays the journal entries
// another writer added.
func (p *BOMPlan) CatchUp(ctx context.Context) error {
	if _, err := p.bom.Refresh(ctx); err != nil {
		return err
	}
	if p.store == nil {
		store, err := OpenStore(ctx, p.db)
		if errors.Is(err, ErrNoPlan) {
			return nil
		}
		if err != nil {
			return err
		}
		p.store, p.src = store, nil
		p.applySettings()
		return nil
	}
	changed, err := p.store.CatchUp(ctx)
	if err != nil {
		return err
	}
	if changed {
		p.src = nil // its resolutions may name items of the old plan
	}
	return nil
}

// Rebuild makes planning input from plant data pl and the current master
// data and plans it from scratch as the store's new inputs (creating the
// store on first use). On error the plan is as it was. A firm planned
// order of a configured variant item that the master data no longer
// yields cannot be planned: it is left out (logged, and kept in pl).
func (p *BOMPlan) Rebuild(ctx context.Context, pl *Plant, o LoadOptions) error {
	rev := p.bom.Revision()
	in, src, err := FromBOM(ctx, p.bom, pl, o)
	if err != nil {
		return err
	}
	in.Firm = slices.DeleteFunc(in.Firm, func(f FirmOrder) bool {
		if _, ok := src.Item(f.Item); !ok {
			if p.Logger != nil {
				p.Logger.Warn("firm planned order left out: its item is not planned with the current master data", "order", f.ID, "item", f.Item)
			}
			return true
		}
		return false
	})
	if p.store == nil {
		opts := DefaultOptions()
		opts.PegLimit = p.pegLimit
		store, err := CreateStore(ctx, p.db, in, opts, WithBasis(rev+1))
		if err != nil {
			return err
		}
		p.store = store
		p.applySettings()
	} else if err := p.store.Reset(ctx, in, WithBasis(rev+1)); err != nil {
		return err
	}
	p.src, p.srcRev = src, rev
	return nil
}

// Ensure catches up ([BOMPlan.CatchUp]) and rebuilds the plan from its
// stored inputs if the master data changed since it was built. Without a
// plan it returns [ErrNoPlan].
func (p *BOMPlan) Ensure(ctx context.Context) error {
	if err := p.CatchUp(ctx); err != nil {
		return err
	}
	if p.store == nil {
		return ErrNoPlan
	}
	if p.Fresh() {
		return nil
	}
	pn := p.store.Planner()
	return p.Rebuild(ctx, PlantOf(pn.Input()), LoadOptionsOf(pn))
}

// Source returns the BOM source of the current master data (rebuilt when
// the BOM store's revision moved); the plan must exist.
func (p *BOMPlan) Source(ctx context.Context) (*BOMSource, error) {
	if p.store == nil {
		return nil, ErrNoPlan
	}
	if rev := p.bom.Revision(); p.src == nil || p.srcRev != rev {
		o := LoadOptionsOf(p.store.Planner())
		src, err := NewBOMSource(ctx, p.bom, o.Start, o.Horizon)
		if err != nil {
			return nil, err
		}
		p.src, p.srcRev = src, rev
	}
	return p.src, nil
}

// DropSource forgets the BOM source (after [Store.DropQuoted], whose
// items its resolutions may name).
func (p *BOMPlan) DropSource() { p.src = nil }

// Update applies a change in one transaction of the store
// ([Store.Update]): the plan is made current first ([BOMPlan.Ensure]),
// then apply writes its changes and other keys of the database (a
// configured order's variant) into tx, committed together or not at all.
// After [ErrStale] it catches up and runs apply again, up to
// StaleRetries times, so apply must build everything it returns anew.
// It returns apply's result (never nil on success) and the time the
// last transaction took.
func (p *BOMPlan) Update(ctx context.Context, apply func(tx *Tx) (*ChangeResult, error)) (*ChangeResult, time.Duration, error) {
	var (
		res     *ChangeResult
		elapsed time.Duration
	)
	for try := 0; ; try++ {
		if err := p.Ensure(ctx); err != nil {
			return nil, 0, err
		}
		t0 := time.Now()
		err := p.store.Update(ctx, func(tx *Tx) error {
			var err error
			res, err = apply(tx)
			return err
		})
		elapsed = time.Since(t0)
		if errors.Is(err, ErrStale) && try < p.StaleRetries {
			continue
		}
		if err != nil {
			return nil, elapsed, phantomError(p.bom, err)
		}
		break
	}
	if res == nil {
		res = &ChangeResult{}
	}
	return res, elapsed, nil
}

// Order places demand d inside tx ([Tx.Order]); a configured line
// (d.Product and d.Config set) is resolved against the current master
// data, and the variant an order for it explodes (the one in force on
// the day that order starts) is stored in tx too. It returns the demand
// as planned, the variant's id ("" for a standard item, or when the
// variant cannot be resolved on that day) and the change.
func (p *BOMPlan) Order(ctx context.Context, tx *Tx, d Demand) (Demand, string, *ChangeResult, error) {
	var src *BOMSource
	if d.Product != "" {
		var err error
		if src, err = p.Source(ctx); err != nil {
			return d, "", nil, err
		}
	}
	md, r, err := tx.Order(ctx, src, d)
	if err != nil || d.Product == "" {
		return md, "", r, err
	}
	at := tx.Planner().Calendar().Start
	if x, ok := src.Item(md.Item); ok {
		at = tx.Planner().ReleaseDate(md.Due, x.LeadTime)
	}
	v, pv, err := p.bom.ResolveTx(ctx, tx.Txn, d.Product, d.Config, at)
	if err != nil {
		return md, "", r, nil
	}
	tx.OnCommit(pv.Apply)
	return md, v.ID, r, nil
}

// Capacity is the work centers' capacity of the master data, with the
// plan's capacity exceptions of those work centers; the plan must exist.
func (p *BOMPlan) Capacity() (*Capacity, error) {
	if p.store == nil {
		return nil, ErrNoPlan
	}
	var wcs []WorkCenter
	known := map[string]bool{}
	for _, w := range p.bom.WorkCenters() {
		wcs = append(wcs, WorkCenter{ID: w.ID, HoursPerDay: w.HoursPerDay, Units: w.Units, Efficiency: w.Efficiency})
		known[w.ID] = true
	}
	var exc []CapacityException
	for _, x := range p.store.Planner().Calendar().CapacityExceptions {
		if known[x.WorkCenter] {
			exc = append(exc, x)
		}
	}
	return NewCapacity(wcs, exc)
}

// Schedule returns the capacity ([BOMPlan.Capacity]) and the finite
// schedule of the current plan on it ([Planner.FiniteSchedule]), made
// once per plan and master-data revision and shared by every caller until
// either changes: callers only read it. The schedule depends only on the
// orders and the capacity (items quoted into the plan add no order). Safe
// for concurrent use by readers of the plan (under a server's read lock):
// the first makes it, the others wait for it. On a 10,000-item plant it
// takes seconds; a status query, a finite listing, a rush what-if and a
// promise on the same plan version then take it as made.
func (p *BOMPlan) Schedule() (*Capacity, *Schedule, error) {
	return p.ScheduleContext(context.Background())
}

// ScheduleContext is [BOMPlan.Schedule], given up with ctx's error when
// ctx ends while it makes the schedule (a server making it ahead of need
// gives way to a writer); the next call makes it again.
func (p *BOMPlan) ScheduleContext(ctx context.Context) (*Capacity, *Schedule, error) {
	if p.store == nil {
		return nil, nil, ErrNoPlan
	}
	c, err := p.Capacity()
	if err != nil {
		return nil, nil, err
	}
	p.schedMu.Lock()
	defer p.schedMu.Unlock()
	if !p.scheduleCurrent() {
		p.sched = nil
		rev := [2]uint64{p.store.Revision(), p.bom.Revision()}
		sc, err := p.store.Planner().FiniteScheduleContext(ctx, c)
		if err != nil {
			return nil, nil, err
		}
		p.sched, p.schedOf, p.schedRev = sc, p.store, rev
	}
	return c, p.sched, nil
}

// ScheduleMade reports whether the schedule of the current plan and
// master data is made (the next [BOMPlan.Schedule] returns at once).
// Safe for concurrent use by readers of the plan.
func (p *BOMPlan) ScheduleMade() bool {
	if p.store == nil {
		return false
	}
	p.schedMu.Lock()
	defer p.schedMu.Unlock()
	return p.scheduleCurrent()
}

// scheduleCurrent reports whether p.sched is the schedule of the current
// plan and master data; schedMu is held.
func (p *BOMPlan) scheduleCurrent() bool {
	return p.sched != nil && p.schedOf == p.store && p.schedRev == [2]uint64{p.store.Revision(), p.bom.Revision()}
}

// Promise answers available- and capable-to-promise for r on the
// capacity the plan's finite schedule leaves free ([BOMPlan.Capacity];
// r.Capacity and r.Schedule are filled in, the schedule made once per
// plan and master-data revision). For a configuration cfg of the
// configurable item r.Item it quotes the configuration ([Store.Quote]:
// nothing is stored) and returns the variant an order for it explodes on
// the day it starts. The plan must be current ([BOMPlan.Ensure]).
func (p *BOMPlan) Promise(ctx context.Context, r PromiseRequest, cfg configurator.Configuration) (*Promise, string, error) {
	if p.store == nil {
		return nil, "", ErrNoPlan
	}
	pn := p.store.Planner()
	c, sched, err := p.Schedule()
	if err != nil {
		return nil, "", err
	}
	r.Capacity, r.Schedule = c, sched
	if cfg == nil {
		pr, err := pn.Promise(ctx, r)
		return pr, "", phantomError(p.bom, err)
	}
	product := r.Item
	if n := p.store.Quoted(); n > 0 && n >= p.MaxQuoteItems {
		if p.Logger != nil {
			p.Logger.Debug("dropping quote items", "items", n)
		}
		if err := p.store.DropQuoted(ctx); err != nil {
			return nil, "", err
		}
		p.src = nil // its resolutions may name the dropped items
	}
	src, err := p.Source(ctx)
	if err != nil {
		return nil, "", err
	}
	pr, err := p.store.Quote(ctx, src, product, cfg, r)
	if err != nil {
		return nil, "", err
	}
	v, err := p.bom.ResolveTransient(ctx, product, cfg, pr.Start)
	if err != nil {
		return nil, "", err
	}
	return pr, v.ID, nil
}

// LoadOptionsOf returns the planning date, horizon and plant time of a
// plan.
func LoadOptionsOf(p *Planner) LoadOptions {
	c := p.Calendar()
	return LoadOptions{Start: c.Start, Horizon: c.Horizon, TimeZone: c.TimeZone, ShiftStart: c.ShiftStart}
}

// PlantOf turns a plan's inputs back into plant data (configured demands
// as ordered, with their configurations).
func PlantOf(in *Input) *Plant {
	pl := &Plant{Stock: in.Stock, Receipts: in.Receipts, Firm: in.Firm, Days: in.Calendar.Days, CapacityExceptions: in.Calendar.CapacityExceptions,
		Configs: map[string]configurator.Configuration{}}
	for _, d := range in.Demands {
		if d.Product != "" {
			d.Item = d.Product
		}
		pl.Demands = append(pl.Demands, d)
	}
	return pl
}

// ErrBreaksOrders reports a master-data change under which orders of the
// stored plan could no longer be planned (see [BOMPlan.CheckModel]).
var ErrBreaksOrders = errors.New("mrp: the change would break orders of the plan")

// CheckModel says whether model m may replace the model of its name in
// the master data: every configured sales-order line of the stored plan
// whose item takes that model must be a valid configuration of m.
// Otherwise the plan could not be rebuilt on the new master data (every
// later call would fail), so the error, matching [ErrBreaksOrders], names
// the lines and why: change or delete them first. It reads the plan: call
// it with the plan held as for a change, and store m before letting go.
func (p *BOMPlan) CheckModel(ctx context.Context, m *configurator.Model) error {
	if p.store == nil || m == nil {
		return nil
	}
	pn := p.store.Planner()
	var (
		c     *configurator.Compiled
		seen  = map[string]error{}
		shown []string
		n     int
	)
	for k := range pn.demands {
		d := &pn.demands[k].in
		if !pn.demands[k].live || d.Product == "" {
			continue
		}
		if it, err := p.bom.Item(d.Product); err != nil || it.Model != m.Name {
			continue
		}
		if c == nil {
			var err error
			if c, err = configurator.CompileContext(ctx, m); err != nil {
				return err
			}
		}
		key := configText(d.Config)
		verr, ok := seen[key]
		if !ok {
			verr = c.ValidateConfiguration(ctx, d.Config)
			if ctx.Err() != nil {
				return ctx.Err()
			}
			seen[key] = verr
		}
		if verr != nil {
			n++
			if len(shown) < 3 {
				shown = append(shown, fmt.Sprintf("%s (%v)", d.ID, verr))
			}
		}
	}
	if n == 0 {
		return nil
	}
	more := ""
	if n > len(shown) {
		more = fmt.Sprintf(" and %d more", n-len(shown))
	}
	return fmt.Errorf("%w: model %s: the configurations of %d sales-order lines would be invalid: %s%s; change or delete them first, or keep the model as it is",
		ErrBreaksOrders, m.Name, n, strings.Join(shown, "; "), more)
}

// configText is a configuration as one string, the same for the same
// picks in any order.
func configText(cfg configurator.Configuration) string {
	var b strings.Builder
	for _, ch := range slices.Sorted(maps.Keys(cfg)) {
		b.WriteString(ch)
		b.WriteByte('=')
		b.WriteString(strings.Join(cfg[ch], ","))
		b.WriteByte('\n')
	}
	return b.String()
}
