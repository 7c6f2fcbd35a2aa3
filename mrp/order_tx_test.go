package mrp_test

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ctoplan/ctoplan/bom"
	"github.com/ctoplan/ctoplan/configurator"
	"github.com/ctoplan/ctoplan/kv"
	"github.com/ctoplan/ctoplan/mrp"
)

// journalFailDB fails every write of a journal entry (mrp/j/...) while
// fail is set; other writes of the same transaction go through to it.
type journalFailDB struct {
	kv.DB
	fail bool
}

type journalFailTxn struct {
	kv.Txn
	db *journalFailDB
}

var errJournal = errors.New("journal write failed")

func (t journalFailTxn) Set(k, v []byte) error {
	if t.db.fail && bytes.HasPrefix(k, []byte("mrp/j/")) {
		return errJournal
	}
	return t.Txn.Set(k, v)
}

func (d *journalFailDB) Update(ctx context.Context, fn func(kv.Txn) error) error {
	return d.DB.Update(ctx, func(txn kv.Txn) error { return fn(journalFailTxn{txn, d}) })
}

// storedVariants counts the variant records in db, read by a fresh Store.
func storedVariants(t *testing.T, db kv.DB) int {
	t.Helper()
	bs, err := bom.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	st, err := bs.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return st.Variants
}

// TestOrderConfiguredAllOrNothing: a configured order's variant is stored
// in the transaction of its journal entry. When the journal write fails,
// neither the demand nor the variant is stored (nor cached: the bom store
// stores it on the next successful order); when it works, both are.
func TestOrderConfiguredAllOrNothing(t *testing.T) {
	ctx := context.Background()
	db := &journalFailDB{DB: kv.NewMemory()}
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
	start := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	in, src, err := mrp.FromBOM(ctx, bs, pl, mrp.LoadOptions{Start: start})
	if err != nil {
		t.Fatal(err)
	}
	st, err := mrp.CreateStore(ctx, db, in, mrp.Options{})
	if err != nil {
		t.Fatal(err)
	}
	m, err := bs.Model("forklift")
	if err != nil {
		t.Fatal(err)
	}
	// a configuration no demand of the demo has (3.5 t, LFP battery)
	cfg, err := m.Complete(ctx, []configurator.Pick{{Char: "capacity", Value: "t35"}, {Char: "battery", Value: "lfp"}})
	if err != nil {
		t.Fatal(err)
	}
	order := mrp.Demand{ID: "SO-TX-1", Product: "FL-TRUCK", Config: cfg, Qty: 2, Due: start.AddDate(0, 2, 0)}
	before, rev := storedVariants(t, db), st.Revision()

	db.fail = true
	if _, _, err := st.OrderConfigured(ctx, src, order); !errors.Is(err, errJournal) {
		t.Fatalf("OrderConfigured with a failing journal: %v, want %v", err, errJournal)
	}
	if got := storedVariants(t, db); got != before {
		t.Fatalf("%d variants stored after the failed order, want %d (none new)", got, before)
	}
	if _, ok := st.Planner().Demand(order.ID); ok || st.Revision() != rev {
		t.Fatalf("failed order: demand planned %v, revision %d -> %d", ok, rev, st.Revision())
	}

	db.fail = false
	_, planned, err := st.OrderConfigured(ctx, src, order)
	if err != nil {
		t.Fatal(err)
	}
	if got := storedVariants(t, db); got <= before {
		t.Fatalf("%d variants stored after the order, want more than %d", got, before)
	}
	re, err := mrp.OpenStore(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	d, ok := re.Planner().Demand(order.ID)
	if !ok || d.Item != planned[0].Item || d.Product != "FL-TRUCK" {
		t.Fatalf("reopened: demand %+v (found %v), want item %s", d, ok, planned[0].Item)
	}
	// the variants are the bom store's: resolving the configuration again
	// finds them stored
	v, err := bs.Resolve(ctx, "FL-TRUCK", cfg, start)
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := bom.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := fresh.Variant(ctx, v.ID); err != nil || got.ID != v.ID {
		t.Fatalf("variant %s not stored: %v", v.ID, err)
	}
}
