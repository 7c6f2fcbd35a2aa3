package mrp_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/ctoplan/ctoplan/mrp"
)

// TestReadRepeatedIDs: demands.csv and receipts.csv with IDs in ascending
// order, in random order and switching from one to the other, with
// repeats and empty IDs, give the records, rows and messages of the
// obvious reading: a map of every ID to the row it was first read on.
func TestReadRepeatedIDs(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 3))
	for n := range 400 {
		rows := 1 + rng.IntN(30)
		sorted := rng.IntN(4) // 0: random order, 1: ascending, 2-3: ascending then random
		var ids []string
		for k := range rows {
			var id string
			switch {
			case rng.IntN(15) == 0:
				id = ""
			case sorted == 1 || (sorted >= 2 && k < rows/2):
				id = fmt.Sprintf("D%03d", k*2+rng.IntN(3)) // ascending, a repeat now and then
			default:
				id = fmt.Sprintf("D%03d", rng.IntN(2*rows))
			}
			ids = append(ids, id)
		}
		// the obvious reading: rows are 1-based, the header is row 1
		var dtext, rtext strings.Builder
		dtext.WriteString("id,item,qty,due_date\n")
		rtext.WriteString("id,item,qty,due_date,kind\n")
		first := map[string]int{}
		var wantIDs []string
		var wantRows []int
		var wantErrs []string
		for k, id := range ids {
			row := k + 2
			fmt.Fprintf(&dtext, "%s,X,1,2026-01-05\n", id)
			fmt.Fprintf(&rtext, "%s,X,1,2026-01-05,purchase\n", id)
			if id == "" {
				wantErrs = append(wantErrs, fmt.Sprintf("%%s:%d: id: empty", row))
			} else if prev, ok := first[id]; ok {
				wantErrs = append(wantErrs, fmt.Sprintf("%%s:%d: id: %s used again (first on row %d)", row, id, prev))
				continue
			} else {
				first[id] = row
			}
			wantIDs, wantRows = append(wantIDs, id), append(wantRows, row)
		}
		if len(wantErrs) > 50 {
			wantErrs = wantErrs[:50]
		}
		check := func(file string, gotIDs []string, gotRows []int, err error) {
			t.Helper()
			var gotErrs []string
			if err != nil {
				gotErrs = strings.Split(err.Error(), "\n")
			}
			want := make([]string, len(wantErrs))
			for k, e := range wantErrs {
				want[k] = fmt.Sprintf(e, file)
			}
			if !slices.Equal(gotIDs, wantIDs) || !slices.Equal(gotRows, wantRows) || !slices.Equal(gotErrs, want) {
				t.Fatalf("case %d, %s of IDs %q:\ngot  %q rows %v errors %q\nwant %q rows %v errors %q",
					n, file, ids, gotIDs, gotRows, gotErrs, wantIDs, wantRows, want)
			}
		}
		ds, _, drows, err := mrp.ReadDemands("demands.csv", strings.NewReader(dtext.String()))
		var got []string
		for _, d := range ds {
			got = append(got, d.ID)
		}
		check("demands.csv", got, drows, err)
		rs, rrows, err := mrp.ReadReceipts("receipts.csv", strings.NewReader(rtext.String()))
		got = got[:0]
		for _, r := range rs {
			got = append(got, r.ID)
		}
		check("receipts.csv", got, rrows, err)
	}
}

// TestPlantRows: a plant read from files knows the file and row of each
// stock, demand and receipt record, also after records were removed (the
// index given is then only a hint), and Check names them; a plant not read
// from files knows none.
func TestPlantRows(t *testing.T) {
	fsys := fstest.MapFS{
		mrp.StockFile: {Data: []byte("item,qty\nA,5\n\nB,6\n")},
		// D3's row is two lines: its config is quoted with a line break
		// (an id may not hold one)
		mrp.DemandsFile:  {Data: []byte("id,item,qty,due_date,config\nD2,A,1,2026-01-05,\nD1,B,2,2026-01-06,\nD3,A,3,2026-01-07,\"a=b;\nc=d\"\nD4,A,4,2026-01-08,\n")},
		mrp.ReceiptsFile: {Data: []byte("id,item,qty,due_date,kind\nR1,A,1,2026-01-05,purchase\nR0,B,1,2026-01-05,purchase\n")},
	}
	pl, err := mrp.ReadPlantFSAs(fsys, "data")
	if err != nil {
		t.Fatal(err)
	}
	type at struct {
		file string
		row  int
	}
	get := func(file string, row int) at { return at{file, row} }
	for _, c := range []struct {
		got, want at
	}{
		{get(pl.Rows.Stock("A")), at{"data/stock.csv", 2}},
		{get(pl.Rows.Stock("B")), at{"data/stock.csv", 4}},
		{get(pl.Rows.Stock("C")), at{}},
		{get(pl.Rows.Demand(0, "D2")), at{"data/demands.csv", 2}},
		{get(pl.Rows.Demand(1, "D1")), at{"data/demands.csv", 3}},
		{get(pl.Rows.Demand(2, "D3")), at{"data/demands.csv", 4}},
		{get(pl.Rows.Demand(3, "D4")), at{"data/demands.csv", 6}},
		{get(pl.Rows.Demand(0, "D4")), at{"data/demands.csv", 6}}, // a wrong hint
		{get(pl.Rows.Demand(9, "D1")), at{"data/demands.csv", 3}},
		{get(pl.Rows.Demand(0, "D9")), at{}},
		{get(pl.Rows.Receipt(1, "R0")), at{"data/receipts.csv", 3}},
		{get(pl.Rows.Receipt(0, "R0")), at{"data/receipts.csv", 3}},
		{get(pl.Rows.Receipt(0, "D2")), at{}},
	} {
		if c.got != c.want {
			t.Errorf("at %v, want %v", c.got, c.want)
		}
	}
	pl.Demands = slices.Delete(pl.Demands, 0, 1)
	err = pl.Check(map[string]bool{"A": true})
	want := []string{"data/stock.csv:4: item: ", "data/demands.csv:3: item: ", "data/receipts.csv:3: item: "}
	lines := strings.Split(fmt.Sprint(err), "\n")
	if !errors.Is(err, mrp.ErrUnknownItem) || len(lines) != len(want) {
		t.Fatalf("Check: %v, want %d unknown items", err, len(want))
	}
	for k, w := range want {
		if !strings.HasPrefix(lines[k], w) {
			t.Errorf("Check's line %q, want it to start with %q", lines[k], w)
		}
	}
	var none *mrp.PlantRows
	if f, r := none.Demand(0, "D2"); f != "" || r != 0 {
		t.Errorf("nil rows: demand at %s:%d", f, r)
	}
	if f, r := (&mrp.PlantRows{}).Stock("A"); f != "" || r != 0 {
		t.Errorf("empty rows: stock at %s:%d", f, r)
	}
}
