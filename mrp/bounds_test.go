package mrp_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ctoplan/ctoplan/mrp"
)

// TestLoadDirMasterBounds: master data bom takes but a plan does not (a
// lead time of 10,000 days, a quantity per of 1e11, a safety stock above
// MaxQty) is refused at its file, row and column, as the plant files'
// errors are, not by item alone ("item B: ... lead time 10000 working
// days not in [0, 3650]").
func TestLoadDirMasterBounds(t *testing.T) {
	files := map[string]string{
		"items.csv": "item,description,uom,kind,lead_time_days,unit_cost,lot_policy,lot_qty,safety_stock\n" +
			"A,assy,pc,make,2,0,lfl,,\nB,part,pc,buy,10000,1.5,foq,10,\nC,part,pc,buy,1,1,poq,4000,2e12\nR,part,pc,make,routing,1,,,\n",
		"bom.csv":     "parent,component,qty_per\nA,B,2\nA,C,1e11\n",
		"demands.csv": "id,item,qty,due_date\nD1,A,4,2027-01-13\n",
	}
	dir := t.TempDir()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, _, err := mrp.LoadDir(context.Background(), dir, mrp.LoadOptions{Start: forkliftStart})
	want := []string{
		"items.csv:3: lead_time_days: 10000 working days: MRP plans lead times of at most 3650 (ten years)",
		"items.csv:4: safety_stock: 2e+12 is more than 1000000000000, the most a quantity may be",
		"items.csv:4: lot_qty: 4000 periods: MRP plans lots of at most 3650 working days (ten years)",
		"bom.csv:3: qty_per: 1e+11 is more than 1e+06, the most MRP takes per unit of the parent (line A -> C)",
	}
	if err == nil || !errors.Is(err, mrp.ErrInvalid) {
		t.Fatalf("got %v, want invalid input", err)
	}
	got := strings.Split(err.Error(), "\n")
	for k := range got {
		got[k] = strings.TrimPrefix(got[k], dir+string(filepath.Separator))
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
