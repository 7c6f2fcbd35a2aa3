package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestBOMImportOneTransaction: `bom import DIR` imports DIR's models and
// CSVs in one transaction, offline and through a server. A refused import
// stores no model either: the variant IDs handed out stay valid and a value
// the refused model adds does not resolve. The same data imported again
// keeps them valid too. A value renamed in the model and in bom.csv
// together imports; a variant ID of the revision before then says it is
// of an older revision of the master data. The same holds for `--data DIR`
// on the other commands (the same load).
func TestBOMImportOneTransaction(t *testing.T) {
	v1 := writeFiles(t, tinyFiles, nil)
	unknownItem := tinyFiles["bom.csv"] + "FRAME,BOLT,4,,,0020\n"
	// the stored model, and one with a new mast value, with a bad bom.csv
	badRows := writeFiles(t, tinyFiles, map[string]string{"bom.csv": unknownItem})
	newValue := writeFiles(t, tinyFiles, map[string]string{"bom.csv": unknownItem,
		"tiny.ctm": strings.Replace(tinyFiles["tiny.ctm"], "value triplex { price 2500 }", "value triplex { price 2500 }\n    value quad", 1)})
	// duplex renamed simplex in the model and in bom.csv
	renamed := writeFiles(t, tinyFiles, map[string]string{
		"tiny.ctm": strings.ReplaceAll(tinyFiles["tiny.ctm"], "duplex", "simplex"),
		"bom.csv":  strings.ReplaceAll(tinyFiles["bom.csv"], "mast = duplex", "mast = simplex")})

	for _, where := range []string{"offline", "server"} {
		t.Run(where, func(t *testing.T) {
			to := []string{"--store", filepath.Join(t.TempDir(), "store")}
			if where == "server" {
				to = []string{"--server", startServer(t)}
			}
			run := func(args ...string) (string, error) {
				t.Helper()
				out, errOut, err := runCmd(t, newBOMCmd(), append(args, to...)...)
				if err != nil {
					t.Logf("bom %v: %v\n%s", args, err, errOut)
				}
				return out, err
			}
			if _, err := run("import", v1); err != nil {
				t.Fatal(err)
			}
			out, err := run("resolve", "TRUCK", "--pick", "mast=triplex", "--date", "2026-12-01", "--format", "csv")
			if err != nil {
				t.Fatal(err)
			}
			rows := strings.Split(out, "\n")
			id, _, _ := strings.Cut(rows[min(1, len(rows)-1)], ",")
			if len(id) != 64 {
				t.Fatalf("resolve: no variant ID in\n%s", out)
			}
			valid := func(what string) {
				t.Helper()
				if _, err := run("cost", "--variant", id); err != nil {
					t.Errorf("%s: the variant resolved before: %v", what, err)
				}
			}

			for _, dir := range []string{badRows, newValue} {
				if _, err := run("import", dir); err == nil || !strings.Contains(err.Error(), `unknown item "BOLT"`) {
					t.Errorf("import of a bad bom.csv: %v, want the unknown item BOLT", err)
				}
			}
			if _, err := run("resolve", "TRUCK", "--data", newValue, "--pick", "mast=triplex"); err == nil {
				t.Error("--data with a bad bom.csv: no error")
			}
			valid("after refused imports")
			if _, err := run("resolve", "TRUCK", "--pick", "mast=quad", "--date", "2026-12-01"); err == nil {
				t.Error("the value of a refused model resolves")
			}

			if _, err := run("import", v1); err != nil {
				t.Fatal(err)
			}
			valid("after the same import again")

			if _, err := run("import", renamed); err != nil {
				t.Fatalf("a value renamed in the model and bom.csv together: %v", err)
			}
			if out, err := run("explode", "TRUCK", "--pick", "mast=simplex", "--date", "2026-12-01"); err != nil || !strings.Contains(out, "MAST-D") {
				t.Errorf("the renamed value does not select its line: %v\n%s", err, out)
			}
			if _, err := run("cost", "--variant", id); err == nil || !strings.Contains(err.Error(), "older revision of the master data") ||
				!strings.Contains(err.Error(), "resolve the configuration again") {
				t.Errorf("a variant of the revision before the rename: %v, want it named of an older revision", err)
			}
		})
	}
}
