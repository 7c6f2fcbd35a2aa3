package mrp_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/ctoplan/ctoplan/mrp"
)

// TestReadPlantFS: the one plant reader gives the same plant from a
// directory and from an in-memory file system holding the same files, and
// reads the capacity and confirmations with it.
func TestReadPlantFS(t *testing.T) {
	mem := fstest.MapFS{}
	ents, err := os.ReadDir(forkliftDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(forkliftDir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		mem[e.Name()] = &fstest.MapFile{Data: b}
	}
	mem[mrp.ConfirmationsFile] = &fstest.MapFile{Data: []byte("id,order,op_seq,good_qty,done\nC1,MO-1,10,2,1\n")}
	fromDir, err := mrp.ReadPlant(forkliftDir)
	if err != nil {
		t.Fatal(err)
	}
	fromFS, err := mrp.ReadPlantFS(mem)
	if err != nil {
		t.Fatal(err)
	}
	if len(fromDir.Demands) == 0 || len(fromDir.Stock) == 0 || fromDir.Capacity == nil {
		t.Fatalf("forklift plant read incompletely: %d demands, %d stock rows, capacity %v", len(fromDir.Demands), len(fromDir.Stock), fromDir.Capacity)
	}
	if fromDir.Confirmations != nil {
		t.Errorf("confirmations %v from a directory without confirmations.csv", fromDir.Confirmations)
	}
	want := []mrp.Confirmation{{ID: "C1", Order: "MO-1", Seq: 10, Good: 2, Done: true}}
	if !reflect.DeepEqual(fromFS.Confirmations, want) {
		t.Errorf("confirmations %+v, want %+v", fromFS.Confirmations, want)
	}
	fromFS.Confirmations = nil
	if !reflect.DeepEqual(fromDir, fromFS) {
		t.Error("ReadPlant and ReadPlantFS of the same files differ")
	}
	capDir, err := mrp.ReadCapacity(forkliftDir)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(capDir, fromFS.Capacity) {
		t.Error("ReadCapacity and ReadPlantFS's capacity differ")
	}
}

// TestReadPlantFSErrors: every bad row of every file, plant, capacity and
// confirmations alike, is reported as file:row: column: problem and
// matches ErrInvalid.
func TestReadPlantFSErrors(t *testing.T) {
	mem := fstest.MapFS{
		mrp.StockFile:         {Data: []byte("item,qty\nA,x\n")},
		mrp.DemandsFile:       {Data: []byte("id,item,qty,due_date\nD1,A,3,2026-13-01\n")},
		mrp.WorkCentersFile:   {Data: []byte("work_center,capacity_hours_per_day\nWC,25\n")},
		mrp.ConfirmationsFile: {Data: []byte("id,order,op_seq\nC1,MO-1,ten\n")},
	}
	pl, err := mrp.ReadPlantFS(mem)
	if err == nil {
		t.Fatalf("no error, plant %+v", pl)
	}
	if !errors.Is(err, mrp.ErrInvalid) {
		t.Errorf("%v does not match ErrInvalid", err)
	}
	for _, want := range []string{"stock.csv:2: qty: ", "demands.csv:2: due_date: ", "workcenters.csv:2: capacity_hours_per_day: ", "confirmations.csv:2: op_seq: "} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

// TestReadPlantFSWideRow: in every plant file, a row of a million empty
// cells is refused at its row with its count of cells, without making a
// string of each (about 90 MB for encoding/csv alone).
func TestReadPlantFSWideRow(t *testing.T) {
	headers := map[string]string{
		mrp.StockFile:              "item,qty",
		mrp.DemandsFile:            "id,item,qty,due_date",
		mrp.ReceiptsFile:           "id,item,qty,due_date,kind",
		mrp.FirmFile:               "id,item,qty,due_date",
		mrp.CalendarFile:           "date,working",
		mrp.WorkCentersFile:        "work_center,capacity_hours_per_day",
		mrp.CapacityExceptionsFile: "work_center,date,hours",
		mrp.ConfirmationsFile:      "id,order,op_seq",
	}
	const commas = 1 << 20
	for file, head := range headers {
		cols := strings.Count(head, ",") + 1
		text := head + "\n" + strings.Repeat(",", commas) + "\n"
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		_, err := mrp.ReadPlantFS(fstest.MapFS{file: {Data: []byte(text)}})
		runtime.ReadMemStats(&after)
		want := fmt.Sprintf("%s:2: %d cells, the header has %d: a row may have at most 1000 cells more", file, commas+1, cols)
		if err == nil || !strings.HasPrefix(err.Error(), want) || !errors.Is(err, mrp.ErrInvalid) {
			t.Errorf("%s: got %v, want %s...", file, err, want)
		}
		if a := after.TotalAlloc - before.TotalAlloc; a > 16<<20 {
			t.Errorf("%s: %d MB allocated to read a row of %d cells, want well below 16 MB", file, a>>20, commas+1)
		}
	}
}
