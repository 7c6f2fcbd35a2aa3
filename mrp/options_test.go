package mrp_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ctoplan/ctoplan/bom"
	"github.com/ctoplan/ctoplan/mrp"
)

// TestZeroOptions: the zero Options are valid (HoursPerDay 0 means the
// default 8 hours), bad values are still refused.
func TestZeroOptions(t *testing.T) {
	if err := (mrp.Options{}).Validate(); err != nil {
		t.Fatalf("zero Options: %v", err)
	}
	for name, o := range map[string]mrp.Options{
		"hours":  {HoursPerDay: 25},
		"neg":    {HoursPerDay: -1},
		"window": {RescheduleWindow: -1},
	} {
		if err := o.Validate(); err == nil {
			t.Errorf("%s: Validate accepted %+v", name, o)
		}
	}
}

// TestLoadDirMasterDataError: a master-data error of LoadDir (files that
// lack required columns) matches bom.ErrInvalid, which is mrp.ErrInvalid.
func TestLoadDirMasterDataError(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"items.csv": "item,description,uom,kind,lead_time_days\nA,a,pc,gizmo,1\n",
		"bom.csv":   "parent,position,component,qty\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, _, err := mrp.LoadDir(context.Background(), dir, mrp.LoadOptions{Start: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)})
	if err == nil {
		t.Fatal("LoadDir accepted master data without required columns")
	}
	if !errors.Is(err, bom.ErrInvalid) || !errors.Is(err, mrp.ErrInvalid) {
		t.Errorf("%v: matches bom.ErrInvalid %v, mrp.ErrInvalid %v; want both", err, errors.Is(err, bom.ErrInvalid), errors.Is(err, mrp.ErrInvalid))
	}
	t.Log(err)
}
