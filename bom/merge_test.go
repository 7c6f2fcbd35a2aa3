package bom_test

import (
	"sort"
	"strings"
	"testing"

	"github.com/ctoplan/ctoplan/bom"
	"github.com/ctoplan/ctoplan/kv"
)

// usedIndex reads the stored where-used index as "component<parent" pairs.
func usedIndex(t *testing.T, db kv.DB) []string {
	t.Helper()
	var out []string
	err := db.View(ctx, func(txn kv.Txn) error {
		return kv.ScanPrefix(txn, []byte("bom/used/"), func(k, v []byte) error {
			out = append(out, strings.Replace(string(k[len("bom/used/"):]), "\x00", "<", 1))
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func wantIndex(s *bom.Store) []string {
	var out []string
	for _, it := range s.Items() {
		seen := map[string]bool{}
		for _, l := range s.WhereUsed(it.ID) {
			if !seen[l.Parent] {
				seen[l.Parent] = true
				out = append(out, it.ID+"<"+l.Parent)
			}
		}
	}
	sort.Strings(out)
	return out
}

// TestImportMerge: a second import replaces the super BOM of the parents it
// names and upserts items; the stored where-used index follows.
func TestImportMerge(t *testing.T) {
	s, db := newStore(t)
	if err := s.Import(ctx, bikeData(), nil); err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(usedIndex(t, db), " "), strings.Join(wantIndex(s), " "); got != want {
		t.Fatalf("where-used index %s, want %s", got, want)
	}
	// WHEEL now takes a hub instead of spokes; BIKE is untouched.
	err := s.Import(ctx, &bom.Data{
		Items: []*bom.Item{{ID: "HUB", UOM: "pc", Kind: bom.Buy, LeadTimeDays: 3, UnitCost: 9}},
		Lines: []*bom.Line{
			{Parent: "WHEEL", Component: "HUB", Qty: 1, Position: "10"},
			{Parent: "WHEEL", Component: "RIM", Qty: 1, Position: "20"},
		},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.Revision() != 2 {
		t.Errorf("revision %d, want 2", s.Revision())
	}
	if ws := s.WhereUsed("SPOKE"); len(ws) != 0 {
		t.Errorf("SPOKE still used: %+v", ws)
	}
	if len(s.Lines("BIKE")) != 3 || len(s.Lines("WHEEL")) != 2 {
		t.Errorf("BIKE has %d lines, WHEEL %d", len(s.Lines("BIKE")), len(s.Lines("WHEEL")))
	}
	if got, want := strings.Join(usedIndex(t, db), " "), strings.Join(wantIndex(s), " "); got != want {
		t.Fatalf("where-used index after merge %s, want %s", got, want)
	}
	v, err := s.Resolve(ctx, "BIKE", nil, today)
	if err != nil {
		t.Fatal(err)
	}
	// WHEEL: RIM 8 + HUB 9 = 17 material; BIKE: FRAME 11.93 + 2 x 17 + BOLT 0.25.
	if c := v.Cost(10); !near(c.Material, 11.93+34+0.25) {
		t.Errorf("material after merge %v", c.Material)
	}
	// Reopening reads the merged data back.
	s2, err := bom.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if len(s2.Lines("WHEEL")) != 2 || s2.Revision() != 2 || len(s2.Items()) != 9 {
		t.Errorf("reopened: %d WHEEL lines, revision %d, %d items", len(s2.Lines("WHEEL")), s2.Revision(), len(s2.Items()))
	}
}
