package mrp_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ctoplan/ctoplan/bom"
	"github.com/ctoplan/ctoplan/mrp"
)

// forkliftStore loads the demo plant's master data into a memory store and
// builds the planning input on the demo's planning date, 2026-12-01. A
// missing demo directory fails the test.
func forkliftStore(t *testing.T) (*bom.Store, *mrp.Plant, *mrp.Input, *mrp.BOMSource) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(forkliftDir, "items.csv")); err != nil {
		t.Fatalf("forklift demo data missing: %v", err)
	}
	ctx := context.Background()
	s, err := bom.Open(ctx, bom.NewMemoryDB())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.ImportDir(ctx, forkliftDir, ""); err != nil {
		t.Fatal(err)
	}
	pl, err := mrp.ReadPlant(forkliftDir)
	if err != nil {
		t.Fatal(err)
	}
	in, src, err := mrp.FromBOM(ctx, s, pl, mrp.LoadOptions{Start: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	return s, pl, in, src
}

// TestForkliftDatedPartChange is the case: bom.csv replaces
// DISPLAY-STD-LCD by DISPLAY-STD-LCD2 from 2027-02-15 (ELE-ASSY line 0320,
// inside the configured trucks). No order starting on or after that day may
// require the old display, and the new one takes over its requirements.
func TestForkliftDatedPartChange(t *testing.T) {
	_, _, in, _ := forkliftStore(t)
	p, err := mrp.New(in, mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	change := time.Date(2027, 2, 15, 0, 0, 0, 0, time.UTC)
	gross := func(item string) (before, after int64) {
		r, err := p.Record(item)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range r.Days {
			if d.Date.Before(change) {
				before += d.Gross
			} else {
				after += d.Gross
			}
		}
		return before, after
	}
	oldB, oldA := gross("DISPLAY-STD-LCD")
	newB, newA := gross("DISPLAY-STD-LCD2")
	if oldA != 0 {
		t.Errorf("DISPLAY-STD-LCD: %d required on or after 2027-02-15", oldA)
	}
	if newB != 0 {
		t.Errorf("DISPLAY-STD-LCD2: %d required before 2027-02-15", newB)
	}
	if oldB == 0 || newA == 0 {
		t.Errorf("LCD before %d, LCD2 after %d: the demo's orders need both", oldB, newA)
	}
	// Every order of an item whose BOM names either display starts on the
	// side of the change its display belongs to.
	for _, it := range in.Items {
		for k := 0; k <= len(it.BOMChanges); k++ {
			cs, from, until := it.Components, time.Time{}, time.Time{}
			if k > 0 {
				cs, from = it.BOMChanges[k-1].Components, it.BOMChanges[k-1].From
			}
			if k < len(it.BOMChanges) {
				until = it.BOMChanges[k].From
			}
			for _, c := range cs {
				switch {
				case c.Item == "DISPLAY-STD-LCD" && !until.IsZero() && until.After(change):
					t.Errorf("%s uses DISPLAY-STD-LCD until %s", it.ID, until.Format(time.DateOnly))
				case c.Item == "DISPLAY-STD-LCD2" && from.Before(change):
					t.Errorf("%s uses DISPLAY-STD-LCD2 from %v", it.ID, from)
				}
			}
		}
	}
}

// TestForkliftQuoteNamesMRPVariant: for every configured sales-order line
// and every day a BOM can change on (and the release day of every order of
// its truck), resolving the configuration on that day (as a quote does)
// gives the node the plan explodes for an order starting that day, and,
// level by level, the plan's components on that day are that node's lines.
func TestForkliftQuoteNamesMRPVariant(t *testing.T) {
	s, pl, in, src := forkliftStore(t)
	ctx := context.Background()
	p, err := mrp.New(in, mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	epochs := src.Epochs()
	if len(epochs) < 3 {
		t.Fatalf("epochs %v: the demo data has several dated changes within a year", epochs)
	}
	items := map[string]*mrp.Item{}
	for k := range in.Items {
		items[in.Items[k].ID] = &in.Items[k]
	}
	bomOn := func(it *mrp.Item, at time.Time) []mrp.Component {
		cs := it.Components
		for _, ch := range it.BOMChanges {
			if !ch.From.After(at) {
				cs = ch.Components
			}
		}
		return cs
	}
	// check compares item's planned BOM on day at with node h, all levels.
	var check func(item string, h bom.Hash, at time.Time, path string)
	check = func(item string, h bom.Hash, at time.Time, path string) {
		got, ok := src.NodeOn(item, at)
		if !ok || got != h {
			t.Errorf("%s on %s: plan explodes node %v, bom resolves %v", path, at.Format(time.DateOnly), got, h)
			return
		}
		n, err := s.Node(h)
		if err != nil {
			t.Fatal(err)
		}
		cs := bomOn(items[item], at)
		want := map[string]float64{}
		for _, l := range n.Lines {
			want[l.Item] += l.Qty
		}
		have := map[string]float64{}
		for _, c := range cs {
			base, _, _ := strings.Cut(c.Item, "@")
			have[base] += c.QtyPer
		}
		for id, q := range want {
			if d := have[id] - q; d > 1e-9 || d < -1e-9 {
				t.Errorf("%s on %s: %s x %v planned, node has %v", path, at.Format(time.DateOnly), id, have[id], q)
			}
		}
		if len(have) != len(want) {
			t.Errorf("%s on %s: %d components planned, node has %d", path, at.Format(time.DateOnly), len(have), len(want))
		}
		for _, l := range n.Lines {
			if l.Child.IsZero() {
				continue
			}
			k := slices.IndexFunc(cs, func(c mrp.Component) bool {
				g, ok := src.NodeOn(c.Item, at)
				return ok && g == l.Child
			})
			if k < 0 {
				t.Errorf("%s on %s: no component explodes %s's node %v", path, at.Format(time.DateOnly), l.Item, l.Child)
				continue
			}
			check(cs[k].Item, l.Child, at, path+"/"+l.Item)
		}
	}
	n := 0
	for _, d := range in.Demands {
		cfg, ok := pl.Configs[d.ID]
		if !ok {
			continue
		}
		days := slices.Clone(epochs)
		os, err := p.Orders(d.Item)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range os {
			days = append(days, p.Date(max(o.ReleaseDay, 0)))
		}
		for _, at := range days {
			v, err := s.Resolve(ctx, "FL-TRUCK", cfg, at)
			if err != nil {
				t.Fatal(err)
			}
			check(d.Item, v.Root, at, d.ID)
			n++
		}
	}
	if n == 0 {
		t.Fatal("no configured sales-order line in the demo data")
	}
}
