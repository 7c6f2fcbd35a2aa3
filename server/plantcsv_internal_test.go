package server

import (
	"errors"
	"strings"
	"testing"

	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
	"github.com/ctoplan/ctoplan/mrp"
)

// TestPlantFromCSV: the server reads plant texts through mrp.ReadPlantFS
// and reports rows and errors at the names the client gave.
func TestPlantFromCSV(t *testing.T) {
	files := []*mrpv1.CSVFile{
		{Name: "data/stock.csv", Text: "item,qty\nA,5\n"},
		{Name: "my demands", Kind: mrpv1.PlantFile_PLANT_FILE_DEMANDS, Text: "id,item,qty,due_date\nD1,A,3,2026-03-02\n"},
	}
	pl, err := plantFromCSV(files)
	if err != nil {
		t.Fatal(err)
	}
	if pl.Stock["A"] != 5 || len(pl.Demands) != 1 || pl.Demands[0].Qty != 3 {
		t.Errorf("plant %+v", pl)
	}
	if file, row := pl.Rows.Stock("A"); file != "data/stock.csv" || row != 2 {
		t.Errorf("stock row at %s:%d", file, row)
	}
	if file, row := pl.Rows.Demand(0, "D1"); file != "my demands" || row != 2 {
		t.Errorf("demand row at %s:%d", file, row)
	}

	files[0].Text = "item,qty\nA,five\n"
	files[1].Text = "id,item,qty,due_date\nD1,A,-3,2026-03-02\n"
	_, err = plantFromCSV(files)
	if !errors.Is(err, mrp.ErrInvalid) {
		t.Fatalf("got %v, want ErrInvalid", err)
	}
	for _, want := range []string{"data/stock.csv:2: qty: ", "my demands:2: qty: "} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	for _, bad := range [][]*mrpv1.CSVFile{
		{{Name: "a/stock.csv"}, {Name: "b/stock.csv"}},
		{{Name: "workcenters.csv"}},
	} {
		if _, err := plantFromCSV(bad); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}
