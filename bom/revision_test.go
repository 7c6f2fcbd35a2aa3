package bom_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/ctoplan/ctoplan/bom"
)

// TestRevisionKeptWhenNothingChanges: importing the data stored already
// (also read from other files: only the rows' positions differ), storing
// a model's stored text again, and storing a text that only reads
// differently (a comment: the same canonical text) keep the revision and
// the variant IDs handed out; the text stored again writes nothing. A real
// change starts a new revision, and a variant ID of the old one is then
// an *bom.OldVariantError naming both revisions, in this Store and in a
// reopened one.
func TestRevisionKeptWhenNothingChanges(t *testing.T) {
	s, db := newStore(t)
	if err := s.Import(ctx, cartData(), cartModels(t)); err != nil {
		t.Fatal(err)
	}
	v, err := s.Resolve(ctx, "CART", cfg("large", "4", "blue", "bell"), today)
	if err != nil {
		t.Fatal(err)
	}
	rev := s.Revision()
	kept := func(what string) {
		t.Helper()
		if s.Revision() != rev {
			t.Errorf("%s: revision %d, want %d", what, s.Revision(), rev)
		}
		if got, err := s.Variant(ctx, v.ID); err != nil || got.Root != v.Root {
			t.Errorf("%s: variant %s: %v", what, v.ID, err)
		}
	}

	if err := s.Import(ctx, cartData(), cartModels(t)); err != nil {
		t.Fatal(err)
	}
	kept("the same import again")

	moved := cartData()
	for i, l := range moved.Lines {
		l.Src = bom.Pos{File: "elsewhere/bom.csv", Line: i + 2}
	}
	if err := s.Import(ctx, moved, nil); err != nil {
		t.Fatal(err)
	}
	kept("the same lines from another file")
	if ls := s.Lines("CART"); len(ls) == 0 || ls[0].Src.File != "elsewhere/bom.csv" {
		t.Errorf("the rows imported again are not stored as imported: %+v", ls)
	}

	// The import stored handle's canonical text; handleModel is laid out
	// otherwise.
	if _, err := s.PutModel(ctx, "handle.ctm", []byte(handleModel)); err != nil {
		t.Fatal(err)
	}
	kept("a used model's text laid out otherwise")
	before := dumpKV(t, db)
	if _, err := s.PutModel(ctx, "handle.ctm", []byte(handleModel)); err != nil {
		t.Fatal(err)
	}
	kept("the stored text again")
	if dumpKV(t, db) != before {
		t.Error("storing the stored model text again wrote to the store")
	}
	commented := "// the handle of the cart\n" + handleModel
	if _, err := s.PutModel(ctx, "handle.ctm", []byte(commented)); err != nil {
		t.Fatal(err)
	}
	kept("a comment added to a used model")
	if m, err := s.StoredModel(ctx, "handle"); err != nil || string(m.Source()) != commented {
		t.Errorf("the commented text is not stored as given: %v", err)
	}

	kit := &bom.Data{Items: []*bom.Item{{ID: "KIT", UOM: "pc", Kind: bom.Make}},
		Lines: []*bom.Line{{Parent: "KIT", Component: "TYRE", Qty: 4}}}
	if err := s.Import(ctx, kit, nil); err != nil {
		t.Fatal(err)
	}
	if s.Revision() != rev+1 {
		t.Fatalf("an import of a new item: revision %d, want %d", s.Revision(), rev+1)
	}
	reopened, err := bom.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	for name, st := range map[string]*bom.Store{"store": s, "reopened": reopened} {
		_, err := st.Variant(ctx, v.ID)
		var old *bom.OldVariantError
		if !errors.As(err, &old) || !errors.Is(err, bom.ErrNotFound) || old.ID != v.ID || old.Revision != rev || old.Current != rev+1 ||
			!strings.Contains(err.Error(), "older revision") || !strings.Contains(err.Error(), "resolve the configuration again") {
			t.Errorf("%s: a variant of the revision before: %v, want an OldVariantError (%d, now %d) matching ErrNotFound", name, err, rev, rev+1)
		}
		if _, err := st.Variant(ctx, strings.Repeat("ab", 32)); !errors.Is(err, bom.ErrNotFound) || errors.As(err, &old) {
			t.Errorf("%s: a variant of no revision: %v, want ErrNotFound only", name, err)
		}
	}
}
