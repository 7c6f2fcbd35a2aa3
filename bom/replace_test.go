package bom_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/ctoplan/ctoplan/bom"
	"github.com/ctoplan/ctoplan/kv"
)

// masterKV is the master data a database holds (items, super BOMs,
// routings, work centers and where-used entries), one key=value a line.
func masterKV(t *testing.T, db kv.DB) string {
	t.Helper()
	var keep []string
	for _, l := range strings.Split(dumpKV(t, db), "\n") {
		for _, p := range []string{`"bom/item/`, `"bom/bom/`, `"bom/rtg/`, `"bom/wc/`, `"bom/used/`} {
			if strings.HasPrefix(l, p) {
				keep = append(keep, l)
			}
		}
	}
	return strings.Join(keep, "\n")
}

// TestImportReplace: an import that replaces kinds whole leaves the
// master data a fresh store importing only the new set holds (the oracle),
// stored and served, for rows deleted from every file; kinds it does not
// replace merge; a replace that would leave a kept line naming a deleted
// item fails at that line and changes nothing.
func TestImportReplace(t *testing.T) {
	v1 := csvFS(goodItems, goodBOM, goodRoutings, goodWC)
	// v2: no BOLT (nor the KIT's line for it, so KIT has no BOM left), no
	// touch-up operation, BODY-S without a routing, no WELD
	v2 := csvFS(
		strings.Replace(strings.Replace(goodItems, "BOLT,Bolt,,pc,buy,1,0.05,lfl,,,,,100,,,\n", "", 1), "BODY-S,Small body,,pc,make,routing,", "BODY-S,Small body,,pc,make,2,", 1),
		strings.Replace(goodBOM, "KIT,BOLT,4,,,,,10\n", "", 1),
		"item,op_seq,work_center,setup_hours,run_hours_per_unit,condition,description\nCART,10,ASSY,0.5,0.5,,Final assembly\n",
		"work_center,description,rate_per_hour,capacity_hours_per_day\nASSY,Assembly,40,8\n")
	read := func(fs fstest.MapFS) *bom.Data {
		d, err := bom.ReadFS(fs, "")
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	s, db := newStore(t)
	if err := importCSV(t, s, v1); err != nil {
		t.Fatal(err)
	}
	all := bom.Replace{Items: true, BOM: true, Routings: true, WorkCenters: true}
	if err := s.ImportReplace(ctx, read(v2), cartModels(t), all); err != nil {
		t.Fatal(err)
	}
	fresh, freshDB := newStore(t)
	if err := importCSV(t, fresh, v2); err != nil {
		t.Fatal(err)
	}
	if got, want := masterKV(t, db), masterKV(t, freshDB); got != want {
		t.Fatalf("replaced store holds\n%s\nwant (a fresh import of the new set)\n%s", got, want)
	}
	if _, err := s.Item("BOLT"); err == nil {
		t.Error("BOLT is still served")
	}
	if ls := s.Lines("KIT"); len(ls) != 0 {
		t.Errorf("KIT's lines: %v", ls)
	}
	if ops := s.Routing("BODY-S"); len(ops) != 0 {
		t.Errorf("BODY-S's routing: %v", ops)
	}
	if len(s.WorkCenters()) != 1 || len(s.Routing("CART")) != 1 {
		t.Errorf("work centers %v, CART's routing %v", s.WorkCenters(), s.Routing("CART"))
	}
	// a store opened on the database reads the same
	again, err := bom.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := again.Item("BOLT"); err == nil || len(again.Items()) != len(s.Items()) {
		t.Errorf("reopened: BOLT %v, %d items, want %d", err, len(again.Items()), len(s.Items()))
	}

	// the items replaced, the BOM merged: KIT's line for BOLT stays and
	// names a deleted item
	s2, db2 := newStore(t)
	if err := importCSV(t, s2, v1); err != nil {
		t.Fatal(err)
	}
	before, rev := dumpKV(t, db2), s2.Revision()
	err = s2.ImportReplace(ctx, read(csvFS(string(v2["items.csv"].Data), "", "", "")), cartModels(t), bom.Replace{Items: true})
	if err == nil || !strings.Contains(err.Error(), `bom.csv:8: component: unknown item "BOLT"`) {
		t.Errorf("items replaced under a kept line: %v", err)
	}
	if dumpKV(t, db2) != before || s2.Revision() != rev {
		t.Error("a failed replace changed the store")
	}
	// merged by default: nothing of v1 goes
	if err := s2.Import(ctx, read(v2), cartModels(t)); err != nil {
		t.Fatal(err)
	}
	if _, err := s2.Item("BOLT"); err != nil {
		t.Errorf("a merging import deleted BOLT: %v", err)
	}
}
