package main

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ctoplan/ctoplan/kv"
)

// storeState is a digest of every key and value of the store in dir and
// their number ("absent" when dir does not exist).
func storeState(t *testing.T, dir string) string {
	t.Helper()
	if _, err := os.Stat(dir); os.IsNotExist(err) {
		return "absent"
	}
	db, err := kv.OpenBadger(dir, kv.Options{Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	h := sha256.New()
	n := 0
	err = db.View(context.Background(), func(txn kv.Txn) error {
		return txn.Scan(nil, nil, func(k, v []byte) error {
			n++
			fmt.Fprintf(h, "%d:%s=%d:%s\n", len(k), k, len(v), v)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%d keys %x", n, h.Sum(nil)[:8])
}

// badModel is a second model file that does not parse.
const badModel = "model broken {\n  char x single {\n    value a\n"

// TestOfflineStoreAllOrNothing: an offline command that fails after some
// of its calls succeeded stores nothing, on a new store and on one with
// data; one that succeeds stores everything.
func TestOfflineStoreAllOrNothing(t *testing.T) {
	badDemand := "id,item,qty,due_date,priority,config\nSO-1,TRUCK,ten,2027-01-15,1,mast=triplex;capacity=t25\n"
	// A new item and a new model alongside the bad row: both were stored
	// before the demands failed.
	withNew := map[string]string{
		"demands.csv": badDemand,
		"items.csv":   tinyFiles["items.csv"] + "BOLT,Bolt,pc,buy,1,0.1,\n",
		"other.ctm":   strings.Replace(tinyFiles["tiny.ctm"], "model tiny", "model other", 1),
	}
	cases := []struct {
		name string
		cmd  func() []string // arguments of a failing command
		want string          // in its error
	}{
		{"mrp run with a bad demands row", func() []string {
			return []string{"mrp", "run", "--data", writeFiles(t, tinyPlant(), withNew), "--date", "2026-12-01"}
		}, "demands.csv:2"},
		{"bom import of a directory with a bad second model", func() []string {
			return []string{"bom", "import", writeFiles(t, tinyFiles, map[string]string{"zz-broken.ctm": badModel})}
		}, "zz-broken.ctm"},
		{"bom import of files with a bad second model", func() []string {
			d := writeFiles(t, tinyFiles, map[string]string{"zz-broken.ctm": badModel, "other.ctm": withNew["other.ctm"]})
			return []string{"bom", "import", filepath.Join(d, "other.ctm"), filepath.Join(d, "zz-broken.ctm"), filepath.Join(d, "items.csv")}
		}, "zz-broken.ctm"},
	}
	for _, tc := range cases {
		for _, prior := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/prior=%v", tc.name, prior), func(t *testing.T) {
				store := filepath.Join(t.TempDir(), "store")
				if prior {
					if _, errOut, err := runCmd(t, newRootCmd(), "mrp", "run", "--store", store, "--data", writeFiles(t, tinyPlant(), nil), "--date", "2026-12-01"); err != nil {
						t.Fatalf("%v\n%s", err, errOut)
					}
				}
				before := storeState(t, store)
				_, errOut, err := runCmd(t, newRootCmd(), append(tc.cmd(), "--store", store)...)
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("got %v, want an error naming %s\n%s", err, tc.want, errOut)
				}
				if after := storeState(t, store); after != before && !(before == "absent" && strings.HasPrefix(after, "0 keys")) {
					t.Fatalf("the failed command changed the store: %s -> %s", before, after)
				}
			})
		}
	}
	// The same data without the bad row is stored in full.
	store := filepath.Join(t.TempDir(), "store")
	good := map[string]string{"items.csv": withNew["items.csv"], "other.ctm": withNew["other.ctm"]}
	if _, errOut, err := runCmd(t, newRootCmd(), "mrp", "run", "--store", store, "--data", writeFiles(t, tinyPlant(), good), "--date", "2026-12-01"); err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	out, errOut, err := runCmd(t, newRootCmd(), "bom", "explode", "--store", store, "TRUCK", "--pick", "mast=duplex", "--format", "csv")
	if err != nil || !strings.Contains(out, "CHAIN") {
		t.Fatalf("stored plant: %v\n%s\n%s", err, out, errOut)
	}
	out, _, err = runCmd(t, newRootCmd(), "mrp", "run", "--store", store, "--format", "csv")
	if err != nil || !strings.Contains(out, ",SO-1:") {
		t.Fatalf("replanning the stored plant: %v\n%s", err, out)
	}
}

// TestServeBackupChecks: --backup refuses a store directory that does not
// exist (a typo used to write an empty backup and exit 0) and a target
// inside the store directory (which could overwrite the store's files).
func TestServeBackupChecks(t *testing.T) {
	tmp := t.TempDir()
	typo := filepath.Join(tmp, "stroe")
	bak := filepath.Join(tmp, "x.bak")
	_, _, err := runCmd(t, newServeCmd(), "--store", typo, "--backup", bak)
	if err == nil || !strings.Contains(err.Error(), "no store") {
		t.Fatalf("backup of a missing store: %v", err)
	}
	for _, p := range []string{typo, bak} {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Fatalf("%s was created", p)
		}
	}

	store := filepath.Join(tmp, "store")
	if _, errOut, err := runCmd(t, newRootCmd(), "bom", "import", "--store", store, writeFiles(t, tinyFiles, nil)); err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	before := storeState(t, store)
	for _, target := range []string{filepath.Join(store, "MANIFEST"), filepath.Join(store, "sub", "..", "x.bak"), store + "/"} {
		_, _, err := runCmd(t, newServeCmd(), "--store", store, "--backup", target)
		if err == nil || !strings.Contains(err.Error(), "inside the store directory") {
			t.Fatalf("backup to %s: %v", target, err)
		}
	}
	if after := storeState(t, store); after != before {
		t.Fatalf("store changed: %s -> %s", before, after)
	}
	// A backup next to the store works, and restores to the same state.
	if _, errOut, err := runCmd(t, newServeCmd(), "--store", store, "--backup", bak); err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	restored := filepath.Join(tmp, "restored")
	if _, errOut, err := runCmd(t, newServeCmd(), "--store", restored, "--restore", bak); err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	if got := storeState(t, restored); got != before {
		t.Fatalf("restored %s, want %s", got, before)
	}
}

// TestStoreVerify: a healthy store verifies (exit 0, keys counted); a
// damaged one lists the damaged file and fails; a missing one fails.
func TestStoreVerify(t *testing.T) {
	store := filepath.Join(t.TempDir(), "store")
	if _, errOut, err := runCmd(t, newRootCmd(), "mrp", "run", "--store", store, "--data", writeFiles(t, tinyPlant(), nil), "--date", "2026-12-01"); err != nil {
		t.Fatalf("%v\n%s", err, errOut)
	}
	out, _, err := runCmd(t, newRootCmd(), "store", "verify", store)
	if err != nil || !strings.Contains(out, ": ok: ") || strings.Contains(out, " 0 keys") {
		t.Fatalf("healthy store: %v\n%s", err, out)
	}
	// Reopen and close once more so that the data is in a table, then
	// damage the table.
	db, err := kv.OpenBadger(store, kv.Options{Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	ssts, _ := filepath.Glob(filepath.Join(store, "*.sst"))
	if len(ssts) == 0 {
		t.Fatal("no table")
	}
	fi, _ := os.Stat(ssts[0])
	if err := os.Truncate(ssts[0], fi.Size()-10); err != nil {
		t.Fatal(err)
	}
	out, _, err = runCmd(t, newRootCmd(), "store", "verify", store)
	if err == nil || !strings.Contains(out, filepath.Base(ssts[0])) || !strings.Contains(out, "DAMAGED") {
		t.Fatalf("damaged store: %v\n%s", err, out)
	}
	// serve refuses it with the same diagnosis instead of panicking.
	_, _, err = runCmd(t, newServeCmd(), "--store", store, "--addr", "127.0.0.1:0")
	if err == nil || !strings.Contains(err.Error(), "corrupt") || !strings.Contains(err.Error(), filepath.Base(ssts[0])) {
		t.Fatalf("serve on a damaged store: %v", err)
	}
	if _, _, err := runCmd(t, newRootCmd(), "store", "verify", store+"-typo"); err == nil {
		t.Fatal("verify of a missing directory succeeded")
	}
}

// bigPlant writes items.csv and bom.csv with n bought parts under one
// assembly: 2n+1 records and about 2n entries in the store.
func bigPlant(t *testing.T, n int) string {
	t.Helper()
	var items, lines strings.Builder
	items.WriteString("item,description,uom,kind,lead_time_days,unit_cost,model\nTOP,Top assembly,pc,make,2,0,\n")
	lines.WriteString("parent,component,qty_per,scrap_pct,condition,position\n")
	for i := range n {
		fmt.Fprintf(&items, "P%06d,Part %d,pc,buy,5,1.5,\n", i, i)
		fmt.Fprintf(&lines, "TOP,P%06d,1,,,%06d\n", i, i)
	}
	return writeFiles(t, map[string]string{"items.csv": items.String(), "bom.csv": lines.String()}, nil)
}

// TestImportBeyondOneTransaction: with a 4 MiB memtable one Badger
// transaction holds about 6,500 entries (15% of 4 MiB / ~96 bytes a
// skiplist node); an import of 5,000 parts and 5,000 BOM lines needs about
// 10,000. Offline the CLI reopens the store with a memtable big enough and
// stores everything in one transaction; a server with that memtable refuses
// the import as ResourceExhausted and stores nothing.
func TestImportBeyondOneTransaction(t *testing.T) {
	const n = 5000
	if entries, _ := kv.TxnLimit(4 << 20); entries >= 2*n {
		t.Fatalf("a 4 MiB transaction holds %d entries: the test needs more than that", entries)
	}
	data := bigPlant(t, n)
	store := filepath.Join(t.TempDir(), "store")
	_, errOut, err := runCmd(t, newRootCmd(), "bom", "import", "--store", store, "--memtable-mb", "4", data)
	if err != nil || !strings.Contains(errOut, "in one transaction: reopening") {
		t.Fatalf("offline import: %v\n%s", err, errOut)
	}
	out, _, err := runCmd(t, newRootCmd(), "store", "verify", store)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var keys int
	if _, err := fmt.Sscanf(out[strings.Index(out, "MiB), ")+len("MiB), "):], "%d keys", &keys); err != nil || keys < 2*n {
		t.Fatalf("%d keys stored (%v), want at least %d:\n%s", keys, err, 2*n, out)
	}

	remote := filepath.Join(t.TempDir(), "remote")
	url, stop := serveFor(t, "--store", remote, "--memtable-mb", "4")
	_, _, err = runCmd(t, newRootCmd(), "bom", "import", "--server", url, data)
	if err == nil || !strings.Contains(err.Error(), "transaction too big") || !strings.Contains(err.Error(), "--memtable-mb") {
		t.Fatalf("import into a server with a 4 MiB memtable: %v", err)
	}
	if _, err := stop(); err != nil {
		t.Fatal(err)
	}
	if got := storeState(t, remote); got != "0 keys e3b0c44298fc1c14" {
		t.Fatalf("the refused import left %s", got)
	}
}

// TestBOMImportFeatureModel: a feature model (UVL) named to bom import is
// stored as the .ctm model it reads as, and its features configure a super
// BOM like any model's characteristics.
func TestBOMImportFeatureModel(t *testing.T) {
	d := writeFiles(t, map[string]string{
		"car.uvl": "features\n\tCar\n\t\tmandatory\n\t\t\tEngine\n\t\t\t\talternative\n\t\t\t\t\tPetrol\n\t\t\t\t\tElectric\n\t\toptional\n\t\t\t\"Tow Bar\"\n" +
			"constraints\n\t\"Tow Bar\" => Petrol\n",
		"items.csv": "item,description,uom,kind,lead_time_days,unit_cost,model\nCAR,Car,pc,make,2,,car\nICE,Petrol engine,pc,buy,5,900,\nEMOT,Electric motor,pc,buy,5,700,\nHITCH,Tow hitch,pc,buy,1,50,\n",
		"bom.csv":   "parent,component,qty_per,condition\nCAR,ICE,1,Petrol\nCAR,EMOT,1,Electric\nCAR,HITCH,1,`Tow Bar`\n",
	}, nil)
	store := filepath.Join(t.TempDir(), "store")
	out, errOut, err := runCmd(t, newRootCmd(), "bom", "import", "--store", store, filepath.Join(d, "car.uvl"), filepath.Join(d, "items.csv"), filepath.Join(d, "bom.csv"))
	if err != nil || !strings.Contains(out, "1 models") {
		t.Fatalf("import: %v\n%s\n%s", err, out, errOut)
	}
	out, errOut, err = runCmd(t, newRootCmd(), "bom", "explode", "--store", store, "CAR", "--pick", "Petrol=true", "--pick", "Tow Bar=true", "--format", "csv")
	if err != nil || !strings.Contains(out, "ICE") || !strings.Contains(out, "HITCH") || strings.Contains(out, "EMOT") {
		t.Fatalf("explode: %v\n%s\n%s", err, out, errOut)
	}
	// the feature model's rules hold: a tow bar needs the petrol engine
	_, _, err = runCmd(t, newRootCmd(), "bom", "explode", "--store", store, "CAR", "--pick", "Electric=true", "--pick", "Tow Bar=true")
	if err == nil || !strings.Contains(err.Error(), "constraint 1") {
		t.Fatalf("an electric car with a tow bar: %v, want the conflict naming constraint 1", err)
	}
	// in a data directory, beside the CSVs, the same
	out, errOut, err = runCmd(t, newRootCmd(), "bom", "explode", "--data", d, "CAR", "--pick", "Electric=true", "--format", "csv")
	if err != nil || !strings.Contains(out, "EMOT") || strings.Contains(out, "ICE") {
		t.Fatalf("explode --data: %v\n%s\n%s", err, out, errOut)
	}
}
