package main

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ctoplan/ctoplan/internal/demodata"
	"github.com/ctoplan/ctoplan/kv"
)

// TestDemo runs `ctoplan demo` as a user does (Badger store) and checks
// the story is told.
func TestDemo(t *testing.T) {
	store := filepath.Join(t.TempDir(), "store")
	out, errOut, err := runCmd(t, newDemoCmd(), "--store", store)
	if err != nil {
		t.Fatalf("%v\n%s\n%s", err, out, errOut)
	}
	for _, want := range []string{
		"1. The data", "product model forklift",
		"2. A salesperson configures", "picks capacity=", "rules out", "why did",
		"3. The truck is completed", "it is exactly the configuration on the importer's order", "standard cost", "promised",
		"4. The importer confirms: SO-26-1187, 100 trucks", "one BOM per effectivity period", "planned as one item, FL-TRUCK@",
		"5. MRP:", "production FL-TRUCK@", "purchase ",
		"6. The importer asks for the trucks a week earlier", "net change replanned",
		// It ends with how to see the same store in the browser.
		"Next: ctoplan serve --store " + store + ", then open http://127.0.0.1:8080/ (the quoting page)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q", want)
		}
	}
	if strings.Contains(out, "demo data:") || !strings.Contains(errOut, "demo data: ") {
		t.Errorf("logs belong on stderr: %q", errOut)
	}
	if t.Failed() {
		t.Log(out)
	}
}

// TestDemoFacts checks the story's key facts on the repository's data and
// on the embedded copy.
func TestDemoFacts(t *testing.T) {
	ds, _, err := demoData("")
	if err != nil {
		t.Fatal(err)
	}
	for name, ds := range map[string]dataSet{"testdata": ds, "embedded": {fsys: demodata.FS(), dir: "forklift"}} {
		t.Run(name, func(t *testing.T) {
			mem := kv.NewMemory()
			cl, err := startLocal(io.Discard, mem, mem.Close)
			if err != nil {
				t.Fatal(err)
			}
			defer cl.close()
			f, err := runDemo(context.Background(), io.Discard, cl, ds, storyDate)
			if err != nil {
				t.Fatal(readable(err))
			}
			// 100 identical trucks are one planning item and one BOM variant
			// per effectivity period of the planning window (the demo data
			// has 7 periods a year), never one per truck.
			if n := f.VariantsAfter - f.VariantsBefore; n < 1 || n > 7 {
				t.Errorf("confirming the order stored %d new variants, want 1 to 7 (one per BOM period)", n)
			}
			// The plan builds the trucks as the variant in force when their
			// assembly starts (BOMs are exploded by date).
			if !strings.HasPrefix(f.PlanningItem, "FL-TRUCK@") || len(f.BuildVariant) != 64 {
				t.Errorf("planning item %q, built as variant %q", f.PlanningItem, f.BuildVariant)
			}
			if f.TruckOrders == 0 || f.TruckQty != 100 {
				t.Errorf("truck variant: %d production orders for %d trucks, want 100", f.TruckOrders, f.TruckQty)
			}
			// Planned orders pegged to the order: production and purchase.
			if f.PeggedOrders == 0 || f.Production < 2 || f.Purchase == 0 || f.NotPegged != 0 {
				t.Errorf("orders for the story order: %d (%d production, %d purchase, %d not pegged to it)",
					f.PeggedOrders, f.Production, f.Purchase, f.NotPegged)
			}
			// Net change touched fewer items than a full run plans.
			if f.RushTouched == 0 || f.RushTouched >= f.ItemsInPlan || f.ConfirmTouched >= f.ItemsInPlan {
				t.Errorf("net change touched %d (confirm) and %d (rush) of %d items", f.ConfirmTouched, f.RushTouched, f.ItemsInPlan)
			}
			if !f.CompletedMatches {
				t.Error("completing the salesperson's picks did not give the order's configuration")
			}
			if f.RushPromised < keyRushDue || !f.RushAccepted || f.Confirmed != 2 || f.StatusOpsTotal == 0 || f.StatusExpected == "" {
				t.Errorf("rush order promised %q (accepted %v), %d confirmed, status: %d operations, expected %q",
					f.RushPromised, f.RushAccepted, f.Confirmed, f.StatusOpsTotal, f.StatusExpected)
			}
			if f.PromisedBy == "" {
				t.Error("no promise date")
			}
		})
	}
}

func TestDemoBadData(t *testing.T) {
	if _, _, err := runCmd(t, newDemoCmd(), "--data", t.TempDir()); err == nil || !strings.Contains(err.Error(), "demands.csv") {
		t.Errorf("empty --data: %v", err)
	}
	// Data without the story's order.
	files := tinyPlant()
	dir := writeFiles(t, files, nil)
	if _, _, err := runCmd(t, newDemoCmd(), "--data", dir, "--store", filepath.Join(t.TempDir(), "s")); err == nil || !strings.Contains(err.Error(), "SO-26-1187") {
		t.Errorf("data without the story order: %v", err)
	}
}
