package plantgen_test

import (
	"strings"
	"testing"

	"github.com/ctoplan/ctoplan/internal/plantgen"
)

// TestLadderCSV: by hand, two levels are A0 (made of A1, B1), A1 and B1
// (each made of A2, B2) and A2, B2 bought; 20 levels are 1 + 2*20 = 41
// items and 2 + 4*19 = 78 BOM lines (A0's two, two items of two lines on
// each of levels 1 to 19).
func TestLadderCSV(t *testing.T) {
	items, bom := plantgen.LadderCSV(2)
	wantItems := "item,description,uom,kind,lead_time_days,unit_cost\n" +
		"A0,part,pc,make,0,1\nA1,part,pc,make,0,1\nB1,part,pc,make,0,1\nA2,part,pc,buy,0,1\nB2,part,pc,buy,0,1\n"
	wantBOM := "parent,component,qty_per\nA0,A1,1\nA0,B1,1\nA1,A2,1\nA1,B2,1\nB1,A2,1\nB1,B2,1\n"
	if items != wantItems || bom != wantBOM {
		t.Errorf("items:\n%s\nbom:\n%s", items, bom)
	}
	items, bom = plantgen.LadderCSV(20)
	if n, m := strings.Count(items, "\n")-1, strings.Count(bom, "\n")-1; n != 41 || m != 78 {
		t.Errorf("20 levels: %d items, %d BOM lines; want 41, 78", n, m)
	}
}
