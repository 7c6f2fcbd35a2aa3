package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// reimportPlant is a small plant (A takes 2 B and 1 D, B 3 C) in which
// the tests below delete an item or a BOM line.
var reimportPlant = map[string]string{
	"items.csv": "item,description,uom,kind,lead_time_days,unit_cost,lot_policy,lot_qty,min_qty,max_qty,multiple,safety_stock,scrap_pct\n" +
		"A,top,pc,make,2,0,lfl,,,,,,\nB,sub,pc,make,1,0,foq,40,,,,,\nC,raw,pc,buy,3,1,lfl,,30,,10,,\nD,raw2,pc,buy,2,1,poq,3,,,,10,\n",
	"bom.csv":      "parent,component,qty_per,scrap_pct\nA,B,2,\nB,C,3,10\nA,D,1,\n",
	"demands.csv":  "id,item,qty,due_date\nS1,A,15,2027-03-05\nS2,A,10,2027-03-10\nS3,A,20,2027-03-13\nS4,A,12,2027-03-19\n",
	"receipts.csv": "id,item,qty,due_date,kind\nR1,B,20,2027-03-05,production\n",
	"stock.csv":    "item,qty\nA,5\nD,25\n",
}

// TestRunDataReplacesStoredMasterData: `mrp run --data DIR --store S`
// again after rows were deleted from DIR plans what a fresh run of DIR
// plans (the oracle): a deleted item, a deleted BOM line and a BOM whose
// every line went (its parent now bought) are gone from the store too.
// `bom import` merges unless --replace.
func TestRunDataReplacesStoredMasterData(t *testing.T) {
	v1 := writeFiles(t, reimportPlant, nil)
	versions := map[string]map[string]string{
		"item D deleted": {
			"items.csv": strings.Replace(reimportPlant["items.csv"], "D,raw2,pc,buy,2,1,poq,3,,,,10,\n", "", 1),
			"bom.csv":   "parent,component,qty_per,scrap_pct\nA,B,2,\nB,C,3,10\n",
			"stock.csv": "item,qty\nA,5\n",
		},
		"line B-C deleted": {"bom.csv": "parent,component,qty_per,scrap_pct\nA,B,2,\nA,D,1,\n"},
		"B bought": {
			"items.csv": strings.Replace(reimportPlant["items.csv"], "B,sub,pc,make,1,0,foq,40", "B,sub,pc,buy,1,0,foq,40", 1),
			"bom.csv":   "parent,component,qty_per,scrap_pct\nA,B,2,\nA,D,1,\n",
		},
	}
	run := func(args ...string) string {
		t.Helper()
		out, errOut, err := runCmd(t, newRootCmd(), append([]string{"mrp", "run", "--date", "2027-03-01", "--format", "csv"}, args...)...)
		if err != nil {
			t.Fatalf("mrp run %v: %v\n%s", args, err, errOut)
		}
		return out
	}
	for name, changes := range versions {
		store := filepath.Join(t.TempDir(), "store")
		run("--data", v1, "--store", store)
		v2 := writeFiles(t, reimportPlant, changes)
		if got, want := run("--data", v2, "--store", store), run("--data", v2); got != want {
			t.Errorf("%s: planned into the store\n%s\nwant (a fresh run)\n%s", name, got, want)
		}
	}

	// bom import merges: the line B-C stays unless --replace
	v4 := writeFiles(t, reimportPlant, versions["line B-C deleted"])
	store := filepath.Join(t.TempDir(), "store")
	if _, errOut, err := runCmd(t, newRootCmd(), "bom", "import", "--store", store, v1); err != nil {
		t.Fatal(err, errOut)
	}
	whereUsed := func() string {
		out, errOut, err := runCmd(t, newRootCmd(), "bom", "where-used", "--store", store, "C")
		if err != nil {
			t.Fatal(err, errOut)
		}
		return out
	}
	if _, errOut, err := runCmd(t, newRootCmd(), "bom", "import", "--store", store, filepath.Join(v4, "bom.csv")); err != nil {
		t.Fatal(err, errOut)
	}
	if !strings.Contains(whereUsed(), "B") {
		t.Errorf("a merging import deleted the line B-C:\n%s", whereUsed())
	}
	if _, errOut, err := runCmd(t, newRootCmd(), "bom", "import", "--replace", "--store", store, filepath.Join(v4, "bom.csv")); err != nil {
		t.Fatal(err, errOut)
	}
	if w := whereUsed(); strings.Contains(w, "B") {
		t.Errorf("after bom import --replace, C is still used:\n%s", w)
	}
}
