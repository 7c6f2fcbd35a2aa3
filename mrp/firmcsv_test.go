package mrp_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ctoplan/ctoplan/mrp"
)

// forkliftCopy copies the forklift demo's master and plant files into a
// temporary directory.
func forkliftCopy(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{"items.csv", "bom.csv", "routings.csv", "workcenters.csv", "forklift.ctm", "stock.csv", "receipts.csv", "demands.csv"} {
		b, err := os.ReadFile(filepath.Join(forkliftDir, f))
		if err != nil {
			t.Fatalf("forklift demo data (testdata/forklift is part of the repository): %v", err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestLoadDirFirm: firm.csv's firm planned orders are planned as firm
// orders under their own IDs; bad rows fail the load at file:row: column.
func TestLoadDirFirm(t *testing.T) {
	dir := forkliftCopy(t)
	write := func(text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, "firm.csv"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// a motor bought on the planner's word: 7 due 2026-12-21, and one of
	// the derived form, 3 due 2027-01-04
	write("id,item,qty,due_date\nF-1,MOT-TRAC-48V-11KW,7,2026-12-21\nMOT-TRAC-48V-11KW#2027-01-04,MOT-TRAC-48V-11KW,3,2027-01-04\n")
	in, _, err := mrp.LoadDir(context.Background(), dir, mrp.LoadOptions{Start: forkliftStart})
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Firm) != 2 {
		t.Fatalf("firm orders %+v", in.Firm)
	}
	p, err := mrp.New(in, mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	os, err := p.Orders("MOT-TRAC-48V-11KW")
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, o := range os {
		if o.Firm {
			found[o.ID] = true
			if o.ID == "F-1" && (o.Qty != 7 || o.Due.Format("2006-01-02") != "2026-12-21") || o.ID != "F-1" && o.Qty != 3 {
				t.Errorf("firm order %+v", o)
			}
		}
	}
	if !found["F-1"] || !found["MOT-TRAC-48V-11KW#2027-01-04"] {
		t.Errorf("firm orders listed: %v", found)
	}
	for _, c := range []struct{ text, want string }{
		{"id,item,qty,due_date\nF,NOPE,1,2026-12-21\n", "firm.csv:2: item: mrp: unknown item NOPE"},
		{"id,item,qty,due_date\nF,KIT-HOSE-ATT,1,2026-12-21\n", "firm.csv:2: item: ctoplan: invalid input: KIT-HOSE-ATT is a phantom, blown through into its parents' BOMs"},
		{"id,item,qty,due_date\nF,FL-TRUCK,1,2026-12-21\n", "firm.csv:2: item: ctoplan: invalid input: FL-TRUCK: a configurable item is planned as its variants"},
		{"id,item,qty,due_date\nFRM-ASSY#2026-12-21,MOT-TRAC-48V-11KW,1,2026-12-21\n", "firm.csv:2: id: FRM-ASSY#2026-12-21: an ID with '#' must start with its item (MOT-TRAC-48V-11KW#...)"},
		{"id,item,qty,due_date\nF,MOT-TRAC-48V-11KW,0,2026-12-21\n", "firm.csv:2: qty:"},
		{"id,item,qty,due_date\nF,MOT-TRAC-48V-11KW,1,2026-12-21\nF,MOT-TRAC-48V-11KW,2,2026-12-22\n", "firm.csv:3: id: F used again (first on row 2)"},
		{"id,item,qty\nF,MOT-TRAC-48V-11KW,1\n", "firm.csv:1: due_date: missing column"},
		{"id,item,qty,due_date\nF,MOT-TRAC-48V-11KW,1,2026-12-21\nPO-26-4402,MOT-TRAC-48V-11KW,40,2026-12-18\n", "firm.csv:3: id: ctoplan: invalid input: PO-26-4402 is the ID of a scheduled receipt too (receipts.csv:3)"},
	} {
		write(c.text)
		_, _, err := mrp.LoadDir(context.Background(), dir, mrp.LoadOptions{Start: forkliftStart})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: err %v, want %q", c.text, err, c.want)
		}
	}
}

func FuzzReadFirm(f *testing.F) {
	f.Add([]byte("id,item,qty,due_date\nF,X,5,2026-02-01\nX#2026-02-02,X,1,2026-02-02\n"))
	f.Add([]byte("id,item,qty,due_date\nY#1,X,5,2026-02-01\nF,X,1,2026-02-02\nF,X,1,2026-02-03\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		fs, rows, err := mrp.ReadFirm("firm.csv", bytes.NewReader(b))
		checkCSVErr(t, "firm.csv", err)
		if err == nil {
			if len(rows) != len(fs) {
				t.Fatalf("%d rows for %d firm orders", len(rows), len(fs))
			}
			seen := map[string]bool{}
			for k, x := range fs {
				h := strings.LastIndexByte(x.ID, '#')
				if x.Qty <= 0 || x.ID == "" || x.Item == "" || x.Due.IsZero() || rows[k] < 2 || (k > 0 && rows[k] <= rows[k-1]) || seen[x.ID] || h >= 0 && x.ID[:h] != x.Item {
					t.Fatalf("accepted bad firm order %+v on row %d", x, rows[k])
				}
				seen[x.ID] = true
			}
		}
	})
}
