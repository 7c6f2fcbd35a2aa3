package mrp_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ctoplan/ctoplan/bom"
	"github.com/ctoplan/ctoplan/configurator"
	"github.com/ctoplan/ctoplan/kv"
	"github.com/ctoplan/ctoplan/mrp"
)

// forkliftBOMPlan opens a BOMPlan over a fresh database with the forklift
// demo's master data, and returns its plant data and planning options.
func forkliftBOMPlan(t *testing.T, db kv.DB) (*mrp.BOMPlan, *bom.Store, *mrp.Plant, mrp.LoadOptions) {
	t.Helper()
	ctx := context.Background()
	bs, err := bom.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if err := bs.ImportDir(ctx, "../testdata/forklift", ""); err != nil {
		t.Fatal(err)
	}
	pl, err := mrp.ReadPlant("../testdata/forklift")
	if err != nil {
		t.Fatal(err)
	}
	p, err := mrp.OpenBOMPlan(ctx, db, bs)
	if err != nil {
		t.Fatal(err)
	}
	return p, bs, pl, mrp.LoadOptions{Start: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}
}

// touchMasterData imports an item of bs again with another description: a
// master-data change (a new revision) that plans the same.
func touchMasterData(t *testing.T, bs *bom.Store) {
	t.Helper()
	it := *bs.Items()[0]
	it.Description += " (revised)"
	if err := bs.Import(context.Background(), &bom.Data{Items: []*bom.Item{&it}}, nil); err != nil {
		t.Fatal(err)
	}
}

// standardDemand returns the first demand of pl for a standard item.
func standardDemand(t *testing.T, pl *mrp.Plant) mrp.Demand {
	t.Helper()
	for _, d := range pl.Demands {
		if _, ok := pl.Configs[d.ID]; !ok && d.Product == "" && d.Config == nil {
			return d
		}
	}
	t.Fatal("the forklift plant has no demand for a standard item")
	return mrp.Demand{}
}

// TestBOMPlanLifecycle: no plan until the first rebuild; the rebuilt plan
// is the one FromBOM + CreateStore make (the oracle: a plan built from
// scratch); a master-data change makes it stale and Ensure rebuilds it on
// the new basis; a second BOMPlan on the same database opens what the
// first stored.
func TestBOMPlanLifecycle(t *testing.T) {
	ctx := context.Background()
	db := kv.NewMemory()
	p, bs, pl, o := forkliftBOMPlan(t, db)
	if p.Store() != nil || p.Fresh() {
		t.Fatalf("empty database: store %v, fresh %v; want none, false", p.Store(), p.Fresh())
	}
	if err := p.Ensure(ctx); !errors.Is(err, mrp.ErrNoPlan) {
		t.Fatalf("Ensure without plant data: %v, want %v", err, mrp.ErrNoPlan)
	}
	if err := p.Rebuild(ctx, pl, o); err != nil {
		t.Fatal(err)
	}
	if !p.Fresh() || p.Store().Basis() != bs.Revision()+1 {
		t.Fatalf("rebuilt: fresh %v, basis %d, want true, %d", p.Fresh(), p.Store().Basis(), bs.Revision()+1)
	}
	in, _, err := mrp.FromBOM(ctx, bs, pl, o)
	if err != nil {
		t.Fatal(err)
	}
	oracle, err := mrp.New(in, mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := planText(p.Store().Planner()), planText(oracle); got != want {
		t.Fatalf("rebuilt plan differs from a plan built from scratch:\n%s\nwant\n%s", got, want)
	}

	// the same master data imported again keeps the revision: still fresh
	rev := bs.Revision()
	if err := bs.ImportDir(ctx, "../testdata/forklift", ""); err != nil {
		t.Fatal(err)
	}
	if bs.Revision() != rev || !p.Fresh() {
		t.Fatalf("the same master data imported again: revision %d (was %d), fresh %v", bs.Revision(), rev, p.Fresh())
	}
	// a master-data change is a new revision: stale
	touchMasterData(t, bs)
	if bs.Revision() == rev {
		t.Fatalf("import left the BOM store at revision %d", rev)
	}
	if p.Fresh() {
		t.Fatal("plan fresh after a master-data change")
	}
	if err := p.Ensure(ctx); err != nil {
		t.Fatal(err)
	}
	if !p.Fresh() || p.Store().Basis() != bs.Revision()+1 {
		t.Fatalf("ensured: fresh %v, basis %d, want true, %d", p.Fresh(), p.Store().Basis(), bs.Revision()+1)
	}
	if got, want := planText(p.Store().Planner()), planText(oracle); got != want {
		t.Fatal("plan rebuilt on unchanged master data differs from the first")
	}

	bs2, err := bom.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	q, err := mrp.OpenBOMPlan(ctx, db, bs2)
	if err != nil {
		t.Fatal(err)
	}
	if !q.Fresh() || planText(q.Store().Planner()) != planText(oracle) {
		t.Fatalf("second BOMPlan: fresh %v, plan equal %v", q.Fresh(), q.Store() != nil && planText(q.Store().Planner()) == planText(oracle))
	}
}

// beforeUpdateDB runs before (once) ahead of its next Update: another
// writer of the same database committing between a BOMPlan's catch-up and
// its transaction.
type beforeUpdateDB struct {
	kv.DB
	before func()
}

func (d *beforeUpdateDB) Update(ctx context.Context, fn func(kv.Txn) error) error {
	if h := d.before; h != nil {
		d.before = nil
		h()
	}
	return d.DB.Update(ctx, fn)
}

// TestBOMPlanUpdateStale: two BOMPlans on one database (two server
// replicas, or a server and a CLI). Another writer commits after q caught
// up and before q's transaction: the store refuses q's write (ErrStale),
// q catches up and applies its change again on top. Both changes are in
// the plan, in order: revision 1 (create) + 2, the stock q set.
func TestBOMPlanUpdateStale(t *testing.T) {
	ctx := context.Background()
	mem := kv.NewMemory()
	p, bs, pl, o := forkliftBOMPlan(t, mem)
	if err := p.Rebuild(ctx, pl, o); err != nil {
		t.Fatal(err)
	}
	db := &beforeUpdateDB{DB: mem}
	q, err := mrp.OpenBOMPlan(ctx, db, bs)
	if err != nil {
		t.Fatal(err)
	}
	item := standardDemand(t, pl).Item
	set := func(b *mrp.BOMPlan, qty int64) int {
		t.Helper()
		runs := 0
		res, _, err := b.Update(ctx, func(tx *mrp.Tx) (*mrp.ChangeResult, error) {
			runs++
			return tx.Apply(mrp.SetStock{Item: item, Qty: qty})
		})
		if err != nil || res == nil {
			t.Fatalf("Update: %v (result %v)", err, res)
		}
		return runs
	}
	db.before = func() { set(p, 5) }
	if runs := set(q, 9); runs != 2 {
		t.Fatalf("the stale BOMPlan ran apply %d times, want 2 (refused with ErrStale, then again)", runs)
	}
	if db.before != nil {
		t.Fatal("the other writer did not write")
	}
	for name, b := range map[string]*mrp.BOMPlan{"writer": q, "other": p} {
		if err := b.Ensure(ctx); err != nil {
			t.Fatal(err)
		}
		if got := b.Store().Planner().Input().Stock[item]; got != 9 || b.Store().Revision() != 3 {
			t.Fatalf("%s: stock of %s %d at revision %d, want 9 at 3", name, item, got, b.Store().Revision())
		}
	}
	// without retries the stale write is an error
	q.StaleRetries = 0
	db.before = func() { set(p, 4) }
	if _, _, err := q.Update(ctx, func(tx *mrp.Tx) (*mrp.ChangeResult, error) {
		return tx.Apply(mrp.SetStock{Item: item, Qty: 8})
	}); !errors.Is(err, mrp.ErrStale) {
		t.Fatalf("stale Update without retries: %v, want %v", err, mrp.ErrStale)
	}
}

// TestBOMPlanOrderConfigured: a configured line ordered through a
// BOMPlan is planned as its variant's planning item, and the variant is
// stored with the demand in the same transaction; a standard line names
// no variant. A failing apply stores neither.
func TestBOMPlanOrderConfigured(t *testing.T) {
	ctx := context.Background()
	db := kv.NewMemory()
	p, bs, pl, o := forkliftBOMPlan(t, db)
	if err := p.Rebuild(ctx, pl, o); err != nil {
		t.Fatal(err)
	}
	m, err := bs.Model("forklift")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := m.Complete(ctx, []configurator.Pick{{Char: "capacity", Value: "t35"}, {Char: "battery", Value: "lfp"}})
	if err != nil {
		t.Fatal(err)
	}
	d := mrp.Demand{ID: "SO-BP-1", Item: "FL-TRUCK", Product: "FL-TRUCK", Config: cfg, Qty: 1, Due: o.Start.AddDate(0, 2, 0)}
	before := storedVariants(t, db)
	boom := errors.New("caller failed")
	if _, _, err := p.Update(ctx, func(tx *mrp.Tx) (*mrp.ChangeResult, error) {
		if _, _, _, err := p.Order(ctx, tx, d); err != nil {
			return nil, err
		}
		return nil, boom
	}); !errors.Is(err, boom) {
		t.Fatalf("Update: %v, want %v", err, boom)
	}
	if got := storedVariants(t, db); got != before {
		t.Fatalf("failed order stored %d variants, want %d", got, before)
	}
	var (
		planned mrp.Demand
		variant string
	)
	if _, _, err := p.Update(ctx, func(tx *mrp.Tx) (*mrp.ChangeResult, error) {
		var res *mrp.ChangeResult
		var err error
		planned, variant, res, err = p.Order(ctx, tx, d)
		return res, err
	}); err != nil {
		t.Fatal(err)
	}
	if variant == "" || planned.Item == "FL-TRUCK" || storedVariants(t, db) <= before {
		t.Fatalf("configured order: variant %q, planned as %s, %d variants (before %d)", variant, planned.Item, storedVariants(t, db), before)
	}
	re, err := mrp.OpenStore(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := re.Planner().Demand(d.ID); !ok || got.Item != planned.Item || got.Product != "FL-TRUCK" {
		t.Fatalf("reopened: demand %+v (found %v), want item %s", got, ok, planned.Item)
	}
	std := standardDemand(t, pl)
	std.ID = "SO-BP-2"
	if _, _, err := p.Update(ctx, func(tx *mrp.Tx) (*mrp.ChangeResult, error) {
		_, v, res, err := p.Order(ctx, tx, std)
		if v != "" {
			t.Errorf("standard line %s: variant %q, want none", std.Item, v)
		}
		return res, err
	}); err != nil {
		t.Fatal(err)
	}
}
