package bom_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/ctoplan/ctoplan/bom"
)

// TestImportTextsRename: a value renamed in a model text and in the rows
// that test it imports in one ImportTexts (the old rows are replaced, not
// checked against the new text); the text is stored as given, comments
// and all. A refused ImportTexts stores neither the rows nor the model, and
// one model given twice is refused.
func TestImportTextsRename(t *testing.T) {
	s, db := newStore(t)
	if err := s.Import(ctx, cartData(), cartModels(t)); err != nil {
		t.Fatal(err)
	}
	sponge := "// foam is sold as sponge now\n" + strings.ReplaceAll(handleModel, "foam", "sponge")
	renamed := &bom.Data{Lines: []*bom.Line{
		{Parent: "HANDLE", Component: "BAR", QtyExpr: "count(size = large) + 1"},
		{Parent: "HANDLE", Component: "GRIP-FOAM", Qty: 2, Condition: "grip = sponge"},
		{Parent: "HANDLE", Component: "GRIP-RUBBER", Qty: 2, Condition: "grip = rubber"},
	}}
	texts := []bom.ModelText{{File: "models/handle.ctm", Source: []byte(sponge)}}

	before := dumpKV(t, db)
	bad := &bom.Data{Lines: append(renamed.Lines[:3:3], &bom.Line{Parent: "HANDLE", Component: "NO-SUCH", Qty: 1})}
	if err := s.ImportTexts(ctx, bad, texts, bom.Replace{}); !errors.Is(err, bom.ErrInvalid) || !strings.Contains(err.Error(), "NO-SUCH") {
		t.Fatalf("an import with a bad row: %v, want ErrInvalid naming NO-SUCH", err)
	}
	twice := append(texts[:1:1], bom.ModelText{File: "handle.ctm", Source: []byte(handleModel)})
	if err := s.ImportTexts(ctx, renamed, twice, bom.Replace{}); !errors.Is(err, bom.ErrInvalid) || !strings.Contains(err.Error(), "given twice") {
		t.Errorf("one model given twice: %v, want ErrInvalid", err)
	}
	if dumpKV(t, db) != before || storedGrips(t, s) != "[foam rubber]" {
		t.Fatal("a refused import changed the store")
	}

	if err := s.ImportTexts(ctx, renamed, texts, bom.Replace{}); err != nil {
		t.Fatalf("a rename in the model and its rows together: %v", err)
	}
	m, err := s.StoredModel(ctx, "handle")
	if err != nil || string(m.Source()) != sponge || m.File() != "models/handle.ctm" {
		t.Errorf("stored model: %v, want the text as given under models/handle.ctm", err)
	}
	v, err := s.Resolve(ctx, "CART", cfg("small", "4", "red"), today)
	if err != nil {
		t.Fatal(err)
	}
	if got := v.Summarize(1); !strings.Contains(summary(got), "GRIP-FOAM") {
		t.Errorf("the default grip (sponge) selects no GRIP-FOAM: %v", summary(got))
	}
}

func storedGrips(t *testing.T, s *bom.Store) string {
	t.Helper()
	m, err := s.StoredModel(ctx, "handle")
	if err != nil {
		t.Fatal(err)
	}
	var vals []string
	for _, v := range m.Model().Char("grip").Values {
		vals = append(vals, v.Name)
	}
	return "[" + strings.Join(vals, " ") + "]"
}

func summary(rows []bom.ItemTotal) string {
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(r.Item)
		b.WriteByte(' ')
	}
	return b.String()
}
