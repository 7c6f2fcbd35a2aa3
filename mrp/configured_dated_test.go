package mrp_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ctoplan/ctoplan/mrp"
)

// TestConfiguredDatedBOM works a configured product with dated lines by
// hand: the mast's chain changes from CHAIN-A to CHAIN-B on 2026-12-10, and
// from that day the truck also takes a new sub-assembly NEWSUB (itself
// configured). Each order explodes the variant in force on the day it
// starts.
func TestConfiguredDatedBOM(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{
		"tiny.ctm": `model tiny {
  version "1"
  currency EUR
  char mast single {
    default duplex
    value duplex
    value triplex
  }
}
`,
		"items.csv": `item,description,uom,kind,lead_time_days,unit_cost,model
TRUCK,Truck,pc,make,1,0,tiny
MAST,Mast,pc,make,1,0,
NEWSUB,New sub-assembly,pc,make,3,0,
CHAIN-A,Chain A,pc,buy,1,1,
CHAIN-B,Chain B,pc,buy,1,1,
BOLT,Bolt,pc,buy,1,1,
`,
		"bom.csv": `parent,component,qty_per,scrap_pct,valid_from,valid_to,condition,position
TRUCK,MAST,1,,,,,10
TRUCK,NEWSUB,1,,2026-12-10,,,20
MAST,CHAIN-A,2,,,2026-12-09,mast = triplex,10
MAST,CHAIN-B,2,,2026-12-10,,mast = triplex,10
MAST,BOLT,1,,,,,20
NEWSUB,BOLT,3,,,,mast = triplex,10
`,
		"demands.csv": `id,item,qty,due_date,priority,config
SO-1,TRUCK,2,2026-12-08,,mast=triplex
SO-2,TRUCK,3,2026-12-14,,mast=triplex
`,
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	in, src, err := mrp.LoadDir(context.Background(), dir, mrp.LoadOptions{Start: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC), Horizon: 40})
	if err != nil {
		t.Fatal(err)
	}
	if e := src.Epochs(); len(e) != 2 || e[1].Format(time.DateOnly) != "2026-12-10" {
		t.Fatalf("epochs %v", e)
	}
	p, err := mrp.New(in, mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	// One truck item and one mast item for the triplex configuration
	// across both epochs.
	var truck, mast []string
	for _, it := range in.Items {
		switch {
		case strings.HasPrefix(it.ID, "TRUCK@"):
			truck = append(truck, it.ID)
		case strings.HasPrefix(it.ID, "MAST@"):
			mast = append(mast, it.ID)
		}
	}
	if len(truck) != 1 || len(mast) != 1 {
		t.Fatalf("truck items %v, mast items %v: want one each", truck, mast)
	}
	// Weekends do not work. TRUCK (1 day): SO-1 due Tue 12-08 starts Mon
	// 12-07 (before the change: MAST only); SO-2 due Mon 12-14 starts Fri
	// 12-11 (after: MAST and NEWSUB).
	// MAST (1 day): due 12-07 -> starts Fri 12-04, CHAIN-A 2 x 2 = 4, BOLT
	// 2; due 12-11 -> starts Thu 12-10, the change's day: CHAIN-B 2 x 3 =
	// 6, BOLT 3.
	// NEWSUB (3 days): due 12-11 -> starts Tue 12-08, before the change,
	// when the truck has no NEWSUB: it keeps the node of the epoch that
	// has it, BOLT 3 x 3 = 9 on 12-08.
	for item, want := range map[string]string{
		truck[0]:  "2026-12-08:2 2026-12-14:3",
		mast[0]:   "2026-12-07:2 2026-12-11:3",
		"CHAIN-A": "2026-12-04:4",
		"CHAIN-B": "2026-12-10:6",
		"BOLT":    "2026-12-04:2 2026-12-08:9 2026-12-10:3",
	} {
		r, err := p.Record(item)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, d := range r.Days {
			if d.Gross != 0 {
				got = append(got, d.Date.Format(time.DateOnly)+":"+strconv.FormatInt(d.Gross, 10))
			}
		}
		if strings.Join(got, " ") != want {
			t.Errorf("%s: gross %v, want %s", item, got, want)
		}
	}
}
