package bom_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/ctoplan/ctoplan/bom"
	"github.com/ctoplan/ctoplan/kv"
)

type answers struct {
	ids   []string
	roots []bom.Hash
	costs []float64
	llc   map[string]int
	stats bom.Stats
}

func collect(t *testing.T, s *bom.Store) answers {
	t.Helper()
	var a answers
	for _, c := range allCarts() {
		v, err := s.Resolve(ctx, "CART", c, today)
		if err != nil {
			t.Fatal(err)
		}
		a.ids = append(a.ids, v.ID)
		a.roots = append(a.roots, v.Root)
		a.costs = append(a.costs, v.Cost(5).Total())
	}
	a.llc = s.LowLevelCodes()
	var err error
	if a.stats, err = s.Stats(ctx); err != nil {
		t.Fatal(err)
	}
	return a
}

func TestBadgerReopen(t *testing.T) {
	dir := t.TempDir()
	db, err := kv.OpenBadger(dir, kv.Options{Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	s, err := bom.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Import(ctx, cartData(), cartModels(t)); err != nil {
		t.Fatal(err)
	}
	first := collect(t, s)

	// A second opener of the same directory gets a clear error.
	if _, err := kv.OpenBadger(dir, kv.Options{Logf: t.Logf}); !errors.Is(err, kv.ErrLocked) {
		t.Fatalf("second open: %v, want kv.ErrLocked", err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Stats(ctx); !errors.Is(err, kv.ErrClosed) {
		t.Errorf("store on a closed db: %v, want kv.ErrClosed", err)
	}

	db, err = kv.OpenBadger(dir, kv.Options{Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s2, err := bom.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	second := collect(t, s2)
	if first.stats != second.stats {
		t.Errorf("stats after reopen %+v, before %+v (resolving again must not add keys)", second.stats, first.stats)
	}
	for i := range first.ids {
		if first.ids[i] != second.ids[i] || first.roots[i] != second.roots[i] || first.costs[i] != second.costs[i] {
			t.Fatalf("configuration %d answers differently after reopen", i)
		}
	}
	for id, l := range first.llc {
		if second.llc[id] != l {
			t.Fatalf("LLC of %s changed after reopen", id)
		}
	}
	// A variant can be fetched by id in the reopened store.
	v, err := s2.Variant(ctx, first.ids[3])
	if err != nil || v.Root != first.roots[3] {
		t.Fatalf("Variant(%s) = %v, %v", first.ids[3], v, err)
	}
}

func TestVariantByIDAfterOpen(t *testing.T) {
	db := kv.NewMemory()
	defer db.Close()
	s, _ := bom.Open(ctx, db)
	if err := s.Import(ctx, cartData(), cartModels(t)); err != nil {
		t.Fatal(err)
	}
	v, err := s.Resolve(ctx, "CART", cfg("large", "4", "red", "basket"), today)
	if err != nil {
		t.Fatal(err)
	}
	s2, err := bom.Open(ctx, db) // a second Store on the same data: cold caches
	if err != nil {
		t.Fatal(err)
	}
	w, err := s2.Variant(ctx, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if w.Root != v.Root || w.ConfigKey != v.ConfigKey || len(w.Nodes()) != len(v.Nodes()) || w.Cost(1) != v.Cost(1) {
		t.Errorf("variant read back differs")
	}
	if w.Config["extras"][0] != "basket" {
		t.Errorf("configuration not kept: %v", w.Config)
	}
	if _, err := s2.Variant(ctx, "00"); !errors.Is(err, bom.ErrNotFound) {
		t.Errorf("bad id: %v", err)
	}
	// A new import starts a new revision: the old variant id is not current.
	d := cartData()
	d.Items[0].Description = "Cart, revised"
	if err := s2.Import(ctx, &bom.Data{Items: d.Items[:1]}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s2.Variant(ctx, v.ID); !errors.Is(err, bom.ErrNotFound) {
		t.Errorf("variant of an old revision: %v", err)
	}
	again, err := s2.Resolve(ctx, "CART", cfg("large", "4", "red", "basket"), today)
	if err != nil || again.Root != v.Root || again.ID != v.ID {
		t.Errorf("same content after a description change should give the same nodes")
	}
}

// TestImportTooBigForBadger: an import larger than one Badger transaction
// fails with kv.ErrTxnTooBig and leaves the store as it was.
func TestImportTooBigForBadger(t *testing.T) {
	db, err := kv.OpenBadger(t.TempDir(), kv.Options{MemTableSize: 1 << 20, Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s, err := bom.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Import(ctx, bikeData(), nil); err != nil {
		t.Fatal(err)
	}
	before := dumpKV(t, db)
	big := &bom.Data{}
	for i := range 3000 {
		big.Items = append(big.Items, &bom.Item{ID: fmt.Sprintf("PART-%05d", i), Description: strings.Repeat("x", 60), UOM: "pc", Kind: bom.Buy})
	}
	err = s.Import(ctx, big, nil)
	if !errors.Is(err, kv.ErrTxnTooBig) {
		t.Fatalf("big import: %v, want kv.ErrTxnTooBig", err)
	}
	if dumpKV(t, db) != before || s.Revision() != 1 || len(s.Items()) != 8 {
		t.Fatal("a failed import changed the store")
	}
}
