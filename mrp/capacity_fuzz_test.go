package mrp_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ctoplan/ctoplan/mrp"
)

func FuzzReadConfirmations(f *testing.F) {
	f.Add([]byte("id,order,op_seq,good_qty,scrap_qty,hours,done\nC1,MO-1,10,5,1,2.5,1\nC2,MO-1,20,,,,\n"))
	f.Add([]byte("id,order,op_seq\nC1,,x\n\"unterminated"))
	f.Fuzz(func(t *testing.T, b []byte) {
		cs, err := mrp.ReadConfirmations("confirmations.csv", bytes.NewReader(b))
		checkCSVErr(t, "confirmations.csv", err)
		if err == nil {
			for _, c := range cs {
				if c.ID == "" || c.Order == "" || c.Good < 0 || c.Scrap < 0 || !(c.Hours >= 0) {
					t.Fatalf("accepted bad confirmation %+v", c)
				}
			}
		}
	})
}

// FuzzReadCapacity: any workcenters.csv and capacity_exceptions.csv give
// a capacity or file:row: column: problem errors, never a panic.
func FuzzReadCapacity(f *testing.F) {
	seedFile(f, "workcenters.csv")
	f.Add([]byte("work_center,capacity_hours_per_day,units,efficiency_pct\nW,8,2,85\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		dir := t.TempDir()
		wcs, exc, _ := bytes.Cut(b, []byte("\n\n"))
		if err := os.WriteFile(filepath.Join(dir, mrp.WorkCentersFile), wcs, 0o644); err != nil {
			t.Fatal(err)
		}
		if len(exc) > 0 {
			if err := os.WriteFile(filepath.Join(dir, mrp.CapacityExceptionsFile), exc, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		c, err := mrp.ReadCapacity(dir)
		if err != nil {
			var ce *mrp.CSVError
			if !errors.As(err, &ce) {
				t.Fatalf("error %v is not a CSVError", err)
			}
			for _, line := range strings.Split(err.Error(), "\n") {
				if !strings.HasPrefix(line, mrp.WorkCentersFile+":") && !strings.HasPrefix(line, mrp.CapacityExceptionsFile+":") {
					t.Fatalf("error line %q names no file", line)
				}
			}
			return
		}
		for _, w := range c.WorkCenters() {
			if d := w.Daily(); !(d >= 0 && d <= 24*100_000*10) {
				t.Fatalf("work center %+v: %v hours a day", w, d)
			}
		}
	})
}
