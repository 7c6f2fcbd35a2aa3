package bom_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/ctoplan/ctoplan/bom"
	"github.com/ctoplan/ctoplan/configurator"
	"github.com/ctoplan/ctoplan/kv"
)

// handleV2 is handleModel with another version and a third grip.
var handleV2 = strings.Replace(strings.Replace(handleModel, `version "1"`, `version "2"`, 1),
	"value rubber", "value rubber value leather", 1)

func storedVersion(t *testing.T, s *bom.Store, name string) string {
	t.Helper()
	m, err := s.StoredModel(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	return m.Model().Version
}

// TestRegistryCompilesOncePerText: a model text stored again is the same
// compiled model; the catalogue resolves with the registry's own compiled
// model; a model no item uses changes no revision, one that items use
// does, and a text the master data no longer parses against is refused
// with nothing stored.
func TestRegistryCompilesOncePerText(t *testing.T) {
	s, db := newStore(t)
	m1, err := s.PutModel(ctx, "cart.ctm", []byte(cartModel))
	if err != nil {
		t.Fatal(err)
	}
	m2, err := s.PutModel(ctx, "cart.ctm", []byte(cartModel))
	if err != nil {
		t.Fatal(err)
	}
	if m1 != m2 {
		t.Error("the same text stored twice was compiled twice")
	}
	if got, _ := s.StoredModel(ctx, "cart"); got != m1 {
		t.Error("StoredModel is not the model PutModel stored")
	}
	if s.Revision() != 0 {
		t.Errorf("revision %d after storing a model no item uses, want 0", s.Revision())
	}
	if m3, err := s.PutModel(ctx, "other.ctm", []byte(cartModel)); err != nil || m3 == m1 || m3.Digest() != m1.Digest() {
		t.Errorf("same model under another file: %v; want a new compiled model (positions differ) with the same digest", err)
	}

	if err := s.Import(ctx, cartData(), cartModels(t)); err != nil {
		t.Fatal(err)
	}
	sm, err := s.StoredModel(ctx, "handle")
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.Model("handle")
	if err != nil || c != sm.Compiled() {
		t.Errorf("Model(handle) is not the registry's compiled model (%v)", err)
	}
	if got := s.ModelNames(); fmt.Sprint(got) != "[cart handle]" {
		t.Errorf("ModelNames %v, want [cart handle]", got)
	}

	rev := s.Revision()
	if _, err := s.PutModel(ctx, "handle.ctm", []byte(handleV2)); err != nil {
		t.Fatal(err)
	}
	if s.Revision() != rev+1 || storedVersion(t, s, "handle") != "2" {
		t.Errorf("after a new text of a used model: revision %d (want %d), version %s", s.Revision(), rev+1, storedVersion(t, s, "handle"))
	}

	// HANDLE's lines test grip = foam | rubber and BAR's formula counts
	// size = large: a model without "large" breaks the formula.
	before := dumpKV(t, db)
	broken := strings.Replace(handleV2, "value small value large", "value small", 1)
	_, err = s.PutModel(ctx, "handle.ctm", []byte(broken))
	if !errors.Is(err, bom.ErrInvalid) || !strings.Contains(err.Error(), "large") {
		t.Fatalf("a model text the BOM no longer parses against: %v, want ErrInvalid naming large", err)
	}
	if dumpKV(t, db) != before || storedVersion(t, s, "handle") != "2" || s.Revision() != rev+1 {
		t.Error("a refused PutModel changed the store")
	}

	_, err = s.PutModel(ctx, "bad.ctm", []byte("model bad {\n  char x single { value }\n}\n"))
	if !errors.Is(err, bom.ErrInvalid) || !errors.Is(err, configurator.ErrInvalidModel) || !strings.Contains(err.Error(), "bad.ctm:2:") {
		t.Errorf("a model that does not parse: %v, want ErrInvalid, configurator.ErrInvalidModel and bad.ctm:2", err)
	}
}

// TestWritesJoinCallerTransaction: ImportTx, PutModelTx and a write of the
// caller share one transaction. When the caller's part fails nothing is
// stored and the Store serves what it did; when it commits, the Store
// serves the change only after Apply, and applying the older change last
// does not undo the newer.
func TestWritesJoinCallerTransaction(t *testing.T) {
	s, db := newStore(t)
	if err := s.Import(ctx, cartData(), cartModels(t)); err != nil {
		t.Fatal(err)
	}
	rev := s.Revision()
	kit := &bom.Data{Items: []*bom.Item{{ID: "KIT", UOM: "pc", Kind: bom.Make}},
		Lines: []*bom.Line{{Parent: "KIT", Component: "TYRE", Qty: 4}}}
	errCaller := errors.New("the caller's own write failed")
	var p1, p2 *bom.Pending
	change := func(fail bool) error {
		return db.Update(ctx, func(txn kv.Txn) error {
			var err error
			if p1, err = s.ImportTx(ctx, txn, kit, nil); err != nil {
				return err
			}
			if _, p2, err = s.PutModelTx(ctx, txn, "handle.ctm", []byte(handleV2)); err != nil {
				return err
			}
			if err := txn.Set([]byte("caller/order"), []byte("1")); err != nil {
				return err
			}
			if fail {
				return errCaller
			}
			return nil
		})
	}

	before := dumpKV(t, db)
	if err := change(true); !errors.Is(err, errCaller) {
		t.Fatalf("failing transaction: %v", err)
	}
	if dumpKV(t, db) != before {
		t.Error("a transaction whose caller part failed wrote to the store")
	}
	if _, err := s.Item("KIT"); err == nil || s.Revision() != rev || storedVersion(t, s, "handle") != "1" {
		t.Error("the Store serves a change that was rolled back")
	}

	if err := change(false); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Item("KIT"); err == nil || s.Revision() != rev {
		t.Error("the Store serves a change before Apply")
	}
	p2.Apply()
	p1.Apply() // older: must not undo p2
	if _, err := s.Item("KIT"); err != nil {
		t.Errorf("after Apply: %v", err)
	}
	if s.Revision() != rev+2 || storedVersion(t, s, "handle") != "2" {
		t.Errorf("after Apply: revision %d (want %d), handle version %s (want 2)", s.Revision(), rev+2, storedVersion(t, s, "handle"))
	}
	// A reopened Store reads the same.
	s2, err := bom.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s2.Item("KIT"); err != nil || s2.Revision() != rev+2 || storedVersion(t, s2, "handle") != "2" {
		t.Errorf("reopened: %v, revision %d, handle %s", err, s2.Revision(), storedVersion(t, s2, "handle"))
	}
}

// TestTwoStoresOneDB: two Stores on one DB both import. Each import
// applies on top of what the other stored: the revisions go 1, 2, 3, and
// a line to an item only the other Store imported validates.
func TestTwoStoresOneDB(t *testing.T) {
	db := kv.NewMemory()
	defer db.Close()
	a, err := bom.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	b, err := bom.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Import(ctx, cartData(), cartModels(t)); err != nil {
		t.Fatal(err)
	}
	// b loaded an empty store: TYRE is only in a's import.
	kit := &bom.Data{Items: []*bom.Item{{ID: "KIT", UOM: "pc", Kind: bom.Make}},
		Lines: []*bom.Line{{Parent: "KIT", Component: "TYRE", Qty: 4}}}
	if err := b.Import(ctx, kit, nil); err != nil {
		t.Fatalf("import on the second Store, using an item the first imported: %v", err)
	}
	if a.Revision() != 1 || b.Revision() != 2 {
		t.Errorf("revisions: a %d (want 1), b %d (want 2)", a.Revision(), b.Revision())
	}
	if _, err := b.Item("CART"); err != nil {
		t.Errorf("b after its import: %v", err)
	}
	box := &bom.Data{Items: []*bom.Item{{ID: "BOX", UOM: "pc", Kind: bom.Make}},
		Lines: []*bom.Line{{Parent: "BOX", Component: "KIT", Qty: 2}}}
	if err := a.Import(ctx, box, nil); err != nil {
		t.Fatalf("import on the first Store, using an item the second imported: %v", err)
	}
	if _, err := a.PutModel(ctx, "handle.ctm", []byte(handleV2)); err != nil {
		t.Fatal(err)
	}
	if a.Revision() != 4 {
		t.Errorf("a's revision %d, want 4", a.Revision())
	}
	// b writes a model no item uses: it must still see a's changes.
	if _, err := b.PutModel(ctx, "spare.ctm", []byte("model spare {\n  char x single { value y }\n}\n")); err != nil {
		t.Fatal(err)
	}
	if b.Revision() != 4 || storedVersion(t, b, "handle") != "2" {
		t.Errorf("b after its PutModel: revision %d (want 4), handle version %s (want 2)", b.Revision(), storedVersion(t, b, "handle"))
	}
	c, err := bom.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if c.Revision() != 4 || len(c.ModelNames()) != 3 {
		t.Errorf("reopened: revision %d (want 4), models %v", c.Revision(), c.ModelNames())
	}
	for _, id := range []string{"CART", "KIT", "BOX"} {
		if _, err := c.Item(id); err != nil {
			t.Error(err)
		}
	}
}

// TestTwoStoresConcurrentImports: two Stores on one Badger DB import at
// the same time. Every import that returns nil has its own revision, and
// the last revision counts them all; a conflict that outlasts the DB's
// retries is an error matching kv.ErrConflict, never a lost import.
func TestTwoStoresConcurrentImports(t *testing.T) {
	db, err := kv.OpenBadger(t.TempDir(), kv.Options{Logf: func(string, ...any) {}})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	stores := make([]*bom.Store, 2)
	for i := range stores {
		if stores[i], err = bom.Open(ctx, db); err != nil {
			t.Fatal(err)
		}
	}
	const each = 10
	var (
		mu   sync.Mutex
		ok   []string
		wg   sync.WaitGroup
		revs = map[uint64]bool{}
	)
	for w, s := range stores {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				id := fmt.Sprintf("P%d-%d", w, i)
				err := s.Import(ctx, &bom.Data{Items: []*bom.Item{{ID: id, UOM: "pc", Kind: bom.Buy}}}, nil)
				if err != nil && !errors.Is(err, kv.ErrConflict) {
					t.Errorf("%s: %v", id, err)
					return
				}
				if err == nil {
					mu.Lock()
					ok = append(ok, id)
					if revs[s.Revision()] {
						t.Errorf("%s: revision %d handed out twice", id, s.Revision())
					}
					revs[s.Revision()] = true
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	c, err := bom.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if c.Revision() != uint64(len(ok)) {
		t.Errorf("revision %d after %d successful imports", c.Revision(), len(ok))
	}
	for _, id := range ok {
		if _, err := c.Item(id); err != nil {
			t.Errorf("imported %s is missing: %v", id, err)
		}
	}
}

// TestOldStoreFormatRefused: a store written before models had one owner
// (format version 1) is refused, saying what to do.
func TestOldStoreFormatRefused(t *testing.T) {
	db := kv.NewMemory()
	defer db.Close()
	if err := db.Update(ctx, func(txn kv.Txn) error {
		return txn.Set([]byte("bom/meta"), []byte(`{"version":1,"rev":3}`))
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := bom.Open(ctx, db); err == nil || !strings.Contains(err.Error(), "format version 1") {
		t.Errorf("opening a version-1 store: %v", err)
	}
}

// TestStoredModelFailureNotKept: a model compiled on first use under a
// context that has ended fails, and the next use with a live context
// compiles it (the failure was the caller's, not the model's).
func TestStoredModelFailureNotKept(t *testing.T) {
	s, db := newStore(t)
	if _, err := s.PutModel(ctx, "spare.ctm", []byte("model spare {\n  char x single { value y }\n}\n")); err != nil {
		t.Fatal(err)
	}
	s2, err := bom.Open(ctx, db) // spare is used by no item: not compiled yet
	if err != nil {
		t.Fatal(err)
	}
	done, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s2.StoredModel(done, "spare"); !errors.Is(err, context.Canceled) {
		t.Fatalf("StoredModel with an ended context: %v, want context.Canceled", err)
	}
	if _, err := s2.StoredModel(ctx, "spare"); err != nil {
		t.Fatalf("StoredModel after a cancelled first use: %v", err)
	}
}
