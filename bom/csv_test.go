package bom_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/ctoplan/ctoplan/bom"
	"github.com/ctoplan/ctoplan/configurator"
	"github.com/ctoplan/ctoplan/internal/csvtext"
)

const (
	goodItems = `item,description,description_zh,uom,kind,lead_time_days,unit_cost,lot_policy,lot_qty,min_qty,max_qty,multiple,safety_stock,scrap_pct,model,extra
CART,Cart,手推车,pc,make,1,,,,,,,,,cart,ignored
BODY-S,Small body,,pc,make,routing,,foq,10,,,,,,,
BODY-L,Large body,,pc,make,3,,,,,,,,,,
SHEET,Sheet,,kg,buy,4,1.5,,,,,,,,,
KIT,Fasteners,,pc,phantom,0,,,,,,,,,,
BOLT,Bolt,,pc,buy,1,0.05,lfl,,,,,100,,,
`
	goodBOM = `parent,component,qty_per,scrap_pct,valid_from,valid_to,condition,position
CART,BODY-S,1,,,,size = small,10
CART,BODY-L,1,,,,"size = large",10
CART,KIT,wheels,,,,,20
BODY-S,SHEET,2,,,2026-06-30,,10
BODY-S,SHEET,2.5,,2026-07-01,,,10
BODY-L,SHEET,3,10,,,,10
KIT,BOLT,4,,,,,10
`
	goodRoutings = `item,op_seq,work_center,setup_hours,run_hours_per_unit,condition,description
CART,10,ASSY,0.5,0.5,,Final assembly
CART,20,ASSY,0,0.1,colour = blue,Touch-up
BODY-S,10,WELD,2,0.5,,Weld
`
	goodWC = `work_center,description,rate_per_hour,capacity_hours_per_day
ASSY,Assembly,40,8
WELD,Welding,60,16
`
)

func csvFS(items, bomCSV, routings, wcs string) fstest.MapFS {
	fs := fstest.MapFS{}
	for name, body := range map[string]string{"items.csv": items, "bom.csv": bomCSV, "routings.csv": routings, "workcenters.csv": wcs} {
		if body != "" {
			fs[name] = &fstest.MapFile{Data: []byte(body)}
		}
	}
	return fs
}

func importCSV(t *testing.T, s *bom.Store, fs fstest.MapFS) error {
	t.Helper()
	d, err := bom.ReadFS(fs, "")
	if err != nil {
		return err
	}
	return s.Import(ctx, d, cartModels(t))
}

func TestCSVImport(t *testing.T) {
	s, _ := newStore(t)
	if err := importCSV(t, s, csvFS(goodItems, goodBOM, goodRoutings, goodWC)); err != nil {
		t.Fatal(err)
	}
	it, err := s.Item("CART")
	if err != nil || it.DescriptionZh != "手推车" || it.Model != "cart" {
		t.Fatalf("CART = %+v, %v", it, err)
	}
	if b, _ := s.Item("BODY-S"); !b.LeadTimeFromRouting || b.LotPolicy != bom.FixedQty || b.LotQty != 10 {
		t.Errorf("BODY-S = %+v", b)
	}
	if b, _ := s.Item("BOLT"); b.SafetyStock != 100 {
		t.Errorf("BOLT = %+v", b)
	}
	// Effectivity: BODY-S takes 2 kg of sheet up to 2026-06-30 and 2.5 kg
	// from 2026-07-01. KIT is a phantom: its 4 bolts per wheel-count unit
	// move into CART.
	c := cfg("small", "3", "red")
	june, err := s.Resolve(ctx, "CART", c, today)
	if err != nil {
		t.Fatal(err)
	}
	july, err := s.Resolve(ctx, "CART", c, today.AddDate(0, 1, 0))
	if err != nil {
		t.Fatal(err)
	}
	if june.ID == july.ID || june.Root == july.Root {
		t.Error("the effectivity change did not give a new variant")
	}
	sum := func(v *bom.Variant) map[string]float64 {
		m := map[string]float64{}
		for _, r := range v.Summarize(1) {
			m[r.Item] = r.Qty
		}
		return m
	}
	if j, k := sum(june), sum(july); j["SHEET"] != 2 || k["SHEET"] != 2.5 || j["BOLT"] != 12 || j["KIT"] != 0 {
		t.Errorf("june %v, july %v", j, k)
	}
	// The same configuration on another day of the same epoch is the same variant.
	again, _ := s.Resolve(ctx, "CART", c, today.AddDate(0, 0, 10))
	if again != june {
		t.Error("same epoch, different variant")
	}
	// BODY-S derives its lead time from WELD (16 h/day): (2 + 0.5 x 10) / 16 -> 1 day.
	var bodyNode *bom.Node
	for _, n := range june.Nodes() {
		if n.Item == "BODY-S" {
			bodyNode = n
		}
	}
	if bodyNode == nil || june.LeadTime(bodyNode) != 1 {
		t.Errorf("BODY-S derived lead time wrong")
	}
}

// TestCSVWagnerWhitinCosts: the optional setup_cost and holding_cost
// columns are read, and a negative one is refused with row and column.
// TestCSVUnknownColumns: columns a reader does not take are ignored unless
// one is a plausible misspelling of a column the header lacks
// (TestCSVErrors): descriptions in other languages, a near name beside the
// column it resembles, and names far from any column import.
func TestCSVUnknownColumns(t *testing.T) {
	// no description_zh: description_de is not taken for it; unit_costs
	// stands beside unit_cost; supplier is far from any column
	items := `item,description,Description_DE,uom,kind,lead_time_days,unit_cost,unit_costs,supplier,lot_policy,safety_stock,model
CART,Cart,Wagen,pc,make,1,,,ACME,,,cart
BODY-S,Small body,,pc,make,routing,,,,,,
BODY-L,Large body,,pc,make,3,,,,,,
SHEET,Sheet,Blech,kg,buy,4,1.5,1.7,ACME,,,
KIT,Fasteners,,pc,phantom,0,,,,,,
BOLT,Bolt,,pc,buy,1,0.05,,,lfl,100,
`
	s, _ := newStore(t)
	if err := importCSV(t, s, csvFS(items, goodBOM, goodRoutings, goodWC)); err != nil {
		t.Fatal(err)
	}
	if it, err := s.Item("SHEET"); err != nil || it.Description != "Sheet" || it.UnitCost != 1.5 {
		t.Fatalf("SHEET = %+v, %v", it, err)
	}
	if it, err := s.Item("BOLT"); err != nil || it.SafetyStock != 100 {
		t.Fatalf("BOLT = %+v, %v", it, err)
	}
}

func TestCSVWagnerWhitinCosts(t *testing.T) {
	items := strings.Replace(goodItems, ",model,extra\n", ",model,extra,setup_cost,holding_cost\n", 1) +
		"PAINT,Paint,,l,buy,2,4,ww,,,,,,,,,120,0.05\n"
	s, _ := newStore(t)
	if err := importCSV(t, s, csvFS(items, goodBOM, goodRoutings, goodWC)); err != nil {
		t.Fatal(err)
	}
	if it, err := s.Item("PAINT"); err != nil || it.LotPolicy != bom.WagnerWhitin || it.SetupCost != 120 || it.HoldingCost != 0.05 {
		t.Fatalf("PAINT = %+v, %v", it, err)
	}
	if it, _ := s.Item("BOLT"); it.SetupCost != 0 || it.HoldingCost != 0 {
		t.Errorf("BOLT without costs = %+v", it)
	}
	bad := strings.Replace(items, ",120,0.05\n", ",120,-1\n", 1)
	s2, _ := newStore(t)
	err := importCSV(t, s2, csvFS(bad, goodBOM, goodRoutings, goodWC))
	if err == nil || !strings.Contains(err.Error(), "items.csv:8: holding_cost: must not be negative, got -1") {
		t.Fatalf("negative holding cost: %v", err)
	}
}

func TestCSVErrors(t *testing.T) {
	long := strings.Repeat("9", 100000)
	cases := []struct {
		name                        string
		items, bomCSV, routings, wc string
		want                        []string
	}{
		{"unknown component", goodItems, goodBOM + "CART,WHEEL,4,,,,,30\n", goodRoutings, goodWC,
			[]string{`bom.csv:9: component: unknown item "WHEEL"`}},
		{"did you mean", goodItems, goodBOM + "CART,SHEETT,4,,,,,30\n", goodRoutings, goodWC,
			[]string{`bom.csv:9: component: unknown item "SHEETT" (did you mean "SHEET"?)`}},
		{"cycle", goodItems, goodBOM + "SHEET,CART,1,,,,,\n", goodRoutings, goodWC,
			[]string{`parent: SHEET is a buy item`}},
		{"cycle path", goodItems, goodBOM + "BOLT,CART,1,,,,,\n" + "", goodRoutings, goodWC,
			[]string{`parent: BOLT is a buy item`}},
		{"non-positive qty", goodItems, goodBOM + "CART,SHEET,0,,,,,30\nCART,BOLT,-2,,,,,40\n", goodRoutings, goodWC,
			[]string{`bom.csv:9: qty_per: quantity must be positive, got 0 (line CART -> SHEET)`, `bom.csv:10: qty_per: quantity must be positive, got -2 (line CART -> BOLT)`}},
		{"overlap", goodItems, goodBOM + "BODY-S,SHEET,9,,2026-06-01,2026-08-01,,10\n", goodRoutings, goodWC,
			[]string{`bom.csv:9: valid_from: effectivity 2026-06-01..2026-08-01 of BODY-S -> SHEET overlaps bom.csv:5 (open..2026-06-30)`}},
		{"condition unknown value", goodItems, goodBOM + "CART,SHEET,1,,,,size = huge,30\n", goodRoutings, goodWC,
			[]string{"bom.csv:9:24: condition: unknown value \"huge\" for size"}},
		{"quoted condition column", goodItems, goodBOM + "CART,SHEET,1,,,,\"  mast = triplex\",50\n", goodRoutings, goodWC,
			[]string{`bom.csv:9:20: condition: unknown characteristic "mast"`}},
		{"two bad names in one routing condition", goodItems, goodBOM, goodRoutings + "CART,30,ASSY,1,1,sise = small or colur = red,\n", goodWC,
			[]string{`routings.csv:5:18: condition: unknown characteristic "sise" (did you mean "size"?)`, `routings.csv:5:34: condition: unknown characteristic "colur" (did you mean "colour"?)`}},
		{"condition unknown char", goodItems, goodBOM + "CART,SHEET,1,,,,sise = small,30\n", goodRoutings, goodWC,
			[]string{`bom.csv:9:17: condition: unknown characteristic "sise" (did you mean "size"?)`}},
		{"qty formula", goodItems, goodBOM + "CART,SHEET,wheelz * 2,,,,,30\n", goodRoutings, goodWC,
			[]string{`bom.csv:9:12: qty_per: unknown characteristic "wheelz"`}},
		{"condition outside configurable", goodItems + "FIX,Fixture,,pc,make,1,,,,,,,,,,\n", goodBOM + "FIX,BOLT,1,,,,size = small,20\n", goodRoutings, goodWC,
			[]string{`bom.csv:9: condition: FIX is not below any configurable item, so there is no configuration to evaluate "size = small" against`}},
		{"decimal comma in qty_per", goodItems, goodBOM + "BODY-S,BOLT,\"1,5\",,,,,30\n", goodRoutings, goodWC,
			[]string{`bom.csv:9: qty_per: "1,5" is not a number (write a decimal point: 1.5)`}},
		{"huge numbers", goodItems + "X,x,,pc,buy,1,1e300,,,,,,,,,\n", goodBOM + "CART,SHEET,1e300,,,,,30\n", goodRoutings, goodWC,
			[]string{`items.csv:8: unit_cost: 1e+300 is too large (at most 1e15)`, `bom.csv:9: qty_per: quantity 1e+300 is too large (below 1e12) (line CART -> SHEET)`}},
		{"garbled qty_per", goodItems, goodBOM + "BODY-S,BOLT,1.5.2,,,,,30\n", goodRoutings, goodWC,
			[]string{`bom.csv:9: qty_per: "1.5.2" is not a number`}},
		// 手推车 in GBK, as Excel on a Chinese Windows saves "CSV".
		{"GBK description", goodItems + "X,x,\xca\xd6\xcd\xc6\xb3\xb5,pc,buy,1,,,,,,,,,,\n", goodBOM, goodRoutings, goodWC,
			[]string{`items.csv:8: description_zh: not valid UTF-8 (a file saved as GBK/GB18030 or another legacy encoding? save it as CSV UTF-8)`}},
		{"UTF-16 file", "\xff\xfei\x00t\x00e\x00m\x00\n\x00", goodBOM, goodRoutings, goodWC,
			[]string{`items.csv:1: the file is UTF-16 (Excel's "Unicode text"); save it as CSV UTF-8`}},
		// a row of far more (empty) cells than the header: refused at its
		// row, before encoding/csv makes a string of each
		{"wide row", goodItems, goodBOM + "CART,SHEET,1" + strings.Repeat(",", 5000) + "\n", goodRoutings, goodWC,
			[]string{"bom.csv:9: 5003 cells, the header has 8: a row may have at most 1000 cells more than its header (empty ones, as some exports write)"}},
		{"wide header", "item,uom" + strings.Repeat(",", 10000) + "\n", goodBOM, goodRoutings, goodWC,
			[]string{"items.csv:1: a header of 10002 cells: at most 10000 are read"}},
		// ids and names as the server takes them: at most 256 bytes of
		// printable text (a longer one would not fit a store key)
		{"long ids", goodItems + strings.Repeat("X", 70000) + ",x,,pc,buy,1,,,,,,,,,,\n", goodBOM + "CART,SHEET\tB,1,,,,,30\n", goodRoutings, goodWC,
			[]string{"items.csv:8: item: 70000 bytes is too long (at most 256)",
				"bom.csv:9: component: control character U+0009 at byte 5 (ids and names are one line of printable text)"}},
		// a long value is quoted by its first 40 bytes and its length, a
		// long name in a condition too (quoted whole by the model language)
		{"long values", goodItems + "X,x,,pc," + long + "," + long + ",,,,,,,,,,\n", goodBOM + "CART,SHEET,1,,,,,30,,," + long + "\nBODY-S,BOLT," + long + ",,,,,30\nCART,SHEET,1,,,," + long + " = small,30\n", goodRoutings, goodWC,
			[]string{`items.csv:8: kind: unknown kind "` + strings.Repeat("9", 40) + `"… (100000 bytes) (want make, buy or phantom)`,
				`bom.csv:9: 11 cells for 8 columns ("` + strings.Repeat("9", 40) + `"… (100000 bytes) beyond the last)`}},
		{"long condition", goodItems, goodBOM + "CART,SHEET,1,,,," + strings.Repeat("s", 100000) + " = small,30\n", goodRoutings, goodWC,
			[]string{`bom.csv:9:17: condition: unknown characteristic "` + strings.Repeat("s", 40) + `"… (100000 bytes)`}},
		{"long condition outside configurable", goodItems + "FIX,Fixture,,pc,make,1,,,,,,,,,,\n", goodBOM + "FIX,BOLT,1,,,," + strings.Repeat("s", 100000) + " = small,20\n", goodRoutings, goodWC,
			[]string{`bom.csv:9: condition: FIX is not below any configurable item, so there is no configuration to evaluate "` + strings.Repeat("s", 40) + `"… (100008 bytes) against`}},
		{"semicolon separated", goodItems, strings.ReplaceAll(goodBOM, ",", ";"), goodRoutings, goodWC,
			[]string{"bom.csv:1: the header is separated by ';': write the file comma-separated (CSV with ',' as separator)"}},
		{"bad number", goodItems + "X,x,,pc,buy,soon,,,,,,,,,,\n", goodBOM, goodRoutings, goodWC,
			[]string{`items.csv:8: lead_time_days: "soon" is not a number`}},
		// numbers are decimal, as the format says, and within a float64:
		// not Go's other forms, nor a quantity formula of a number out of
		// range (it was "not below any configurable item")
		{"number forms", goodItems + "X,x,,pc,buy,1_0,,,,,,,,,,\nY,y,,pc,buy,0x10,,,,,,,,,,\nZ,z,,pc,buy,1e400,,,,,,,,,,\nW,w,,pc,buy,NaN,,,,,,,,,,\n",
			goodBOM + "BODY-S,BOLT,1e400,,,,,30\nBODY-S,BOLT,0x1p4,,,,,40\nBODY-S,BOLT,1_000,,,,,50\nBODY-S,BOLT,Inf,,,,,60\n", goodRoutings, goodWC,
			[]string{`items.csv:8: lead_time_days: "1_0" is not a decimal number (write it without separators: 10)`,
				`items.csv:9: lead_time_days: "0x10" is not a decimal number (hexadecimal is not read: write it in decimal digits)`,
				`items.csv:10: lead_time_days: "1e400" is out of range`,
				`items.csv:11: lead_time_days: "NaN" is not a number`,
				`bom.csv:9: qty_per: "1e400" is out of range`,
				`bom.csv:10: qty_per: "0x1p4" is not a decimal number (hexadecimal is not read: write it in decimal digits)`,
				`bom.csv:11: qty_per: "1_000" is not a decimal number (write it without separators: 1000)`,
				`bom.csv:12: qty_per: "Inf" is not a number`}},
		// a decimal comma splits a value into two cells: refused, not read
		// as its first part (trailing empty cells are fine)
		{"decimal comma", goodItems, goodBOM + "BODY-S,BOLT,0,5,,,,,30\nBODY-L,BOLT,2,,,,,20,,\n", goodRoutings, goodWC,
			[]string{`bom.csv:9: 9 cells for 8 columns ("30" beyond the last): a decimal comma? write 0.5`}},
		// a configurable buy item: nothing for a configuration to select
		{"configurable buy item", goodItems + "X,x,,pc,buy,1,,,,,,,,,cart,\n", goodBOM, goodRoutings, goodWC,
			[]string{`items.csv:8: model: a buy item cannot be configurable (item X)`}},
		// MRP plans whole units and days: a lot it could not honor
		{"fractional lots", goodItems + "X,x,,kg,buy,1,,foq,40.5,,,,,,,\nY,y,,m2,buy,1,,,,,,2.5,,,,\nZ,z,,pc,buy,1,,poq,1.5,,,,,,,\nW,w,,pc,buy,1,,,,0.5,9.5,,2.5,,,\n", goodBOM, goodRoutings, goodWC,
			[]string{`items.csv:8: lot_qty: 40.5 is not a whole number: MRP plans whole units and days, give a fixed lot of whole units of kg`,
				`items.csv:9: multiple: 2.5 is not a whole number: MRP plans whole units and days, give a multiple of whole units of m2`,
				`items.csv:10: lot_qty: 1.5 is not a whole number: MRP plans whole units and days, give a whole number of periods (working days)`}},
		// Lot rounding that no order quantity can meet: the multiples of 8
		// around [58, 60] are 56 and 64.
		{"infeasible multiple", goodItems + "X,x,,pc,buy,1,,lfl,,58,60,8,,,,\n", goodBOM, goodRoutings, goodWC,
			[]string{`items.csv:8: multiple: no multiple of 8 lies between min_qty 58 and max_qty 60`}},
		// Whole units: min 2.5 orders at least 3, max 2.9 at most 2.
		{"no whole quantity", goodItems + "X,x,,pc,buy,1,,lfl,,2.5,2.9,,,,,\n", goodBOM, goodRoutings, goodWC,
			[]string{`items.csv:8: max_qty: no whole quantity lies between min_qty 2.5 and max_qty 2.9`}},
		{"max below one", goodItems + "X,x,,pc,buy,1,,lfl,,,0.5,,,,,\n", goodBOM, goodRoutings, goodWC,
			[]string{`items.csv:8: max_qty: max_qty 0.5 allows no whole order quantity`}},
		{"bad kind", goodItems + "X,x,,pc,bought,1,,,,,,,,,,\n", goodBOM, goodRoutings, goodWC,
			[]string{`items.csv:8: kind: unknown kind "bought" (want make, buy or phantom)`}},
		{"duplicate item", goodItems + "CART,again,,pc,make,1,,,,,,,,,,\n", goodBOM, goodRoutings, goodWC,
			[]string{`items.csv:8: item: item "CART" defined twice (also at items.csv:2)`}},
		{"missing column", strings.Replace(goodItems, ",uom,", ",unit,", 1), goodBOM, goodRoutings, goodWC,
			[]string{`items.csv:1: uom: missing required column`}},
		{"date with a time", goodItems, goodBOM + "CART,SHEET,1,,2026-06-01 00:00:00,,,30\n", goodRoutings, goodWC,
			[]string{`bom.csv:9: valid_from: bad date "2026-06-01 00:00:00" (want YYYY-MM-DD: without the time of day)`}},
		{"bad date", goodItems, goodBOM + "CART,SHEET,1,,2026-13-01,,,30\n", goodRoutings, goodWC,
			[]string{`bom.csv:9: valid_from: bad date "2026-13-01" (want YYYY-MM-DD)`}},
		{"unknown work center", goodItems, goodBOM, goodRoutings + "CART,30,PAINT,1,1,,\n", goodWC,
			[]string{`routings.csv:5: work_center: unknown work center "PAINT"`}},
		{"phantom routing", goodItems, goodBOM, goodRoutings + "KIT,10,ASSY,1,1,,\n", goodWC,
			[]string{`routings.csv:5: item: KIT is a phantom item; only make items have a routing`}},
		{"duplicate op", goodItems, goodBOM, goodRoutings + "CART,10,ASSY,1,1,,\n", goodWC,
			[]string{`routings.csv:5: op_seq: operation 10 of CART appears twice with the same condition (also at routings.csv:2)`}},
		{"quote error", goodItems, goodBOM + "CART,\"SHEET,1\n", goodRoutings, goodWC,
			[]string{`bom.csv:9: extraneous or missing " in quoted-field`}},
		// A misspelt optional column would leave every item without safety
		// stock; other unknown columns (extra, description_de) are allowed.
		{"misspelt column", strings.Replace(goodItems, ",safety_stock,", ",safty_stock,", 1), goodBOM, goodRoutings, goodWC,
			[]string{`items.csv:1: safty_stock: unknown column, did you mean "safety_stock"? (columns not read are ignored: a misspelt one would leave safety_stock empty)`}},
		{"misspelt column case", goodItems, strings.Replace(goodBOM, ",valid_to,", ",Valid_Too,", 1), goodRoutings, goodWC,
			[]string{`bom.csv:1: valid_too: unknown column, did you mean "valid_to"?`}},
		{"unknown model", strings.Replace(goodItems, ",cart,", ",carts,", 1), goodBOM, goodRoutings, goodWC,
			[]string{`items.csv:2: model: unknown model "carts" (did you mean "cart"?)`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, db := newStore(t)
			before := dumpKV(t, db)
			err := importCSV(t, s, csvFS(tc.items, tc.bomCSV, tc.routings, tc.wc))
			if err == nil {
				t.Fatal("import succeeded")
			}
			if !errors.Is(err, bom.ErrInvalid) {
				t.Errorf("error does not wrap ErrInvalid: %v", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error\n%.3000v\ndoes not contain\n%s", err, w)
				}
			}
			if len(err.Error()) > 5000 {
				t.Errorf("error of %d bytes: %.300s...", len(err.Error()), err)
			}
			if after := dumpKV(t, db); after != before {
				t.Errorf("a failed import changed the store")
			}
		})
	}
}

func TestCycleNamesPath(t *testing.T) {
	d := &bom.Data{
		Items: []*bom.Item{{ID: "A", UOM: "pc"}, {ID: "B", UOM: "pc"}, {ID: "C", UOM: "pc"}, {ID: "D", UOM: "pc", Kind: bom.Buy}},
		Lines: []*bom.Line{
			{Parent: "A", Component: "B", Qty: 1}, {Parent: "B", Component: "C", Qty: 1},
			{Parent: "C", Component: "A", Qty: 1, Src: bom.Pos{File: "bom.csv", Line: 4}},
			{Parent: "C", Component: "D", Qty: 1},
		},
	}
	s, _ := newStore(t)
	err := s.Import(ctx, d, nil)
	var ce *bom.CycleError
	if !errors.As(err, &ce) || !errors.Is(err, bom.ErrCycle) {
		t.Fatalf("got %v, want a CycleError", err)
	}
	if got := err.Error(); got != "bom.csv:4: component: cycle A -> B -> C -> A" {
		t.Errorf("got %q", got)
	}
}

// TestImportAtomic: a bad row in the middle of a second import leaves the
// first import's data and answers untouched.
func TestImportAtomic(t *testing.T) {
	s, db := newStore(t)
	if err := importCSV(t, s, csvFS(goodItems, goodBOM, goodRoutings, goodWC)); err != nil {
		t.Fatal(err)
	}
	v1, err := s.Resolve(ctx, "CART", cfg("large", "4", "red"), today)
	if err != nil {
		t.Fatal(err)
	}
	before := dumpKV(t, db)
	rev := s.Revision()
	lines := strings.Split(goodBOM, "\n")
	bad := strings.Join(lines[:4], "\n") + "\nCART,NOPE,1,,,,,99\n" + strings.Join(lines[4:], "\n")
	err = importCSV(t, s, csvFS(strings.Replace(goodItems, "Sheet", "Sheet steel", 1), bad, goodRoutings, goodWC))
	if err == nil || !strings.Contains(err.Error(), `bom.csv:5: component: unknown item "NOPE"`) {
		t.Fatalf("bad import: %v", err)
	}
	if after := dumpKV(t, db); after != before || s.Revision() != rev {
		t.Fatal("failed import changed the store")
	}
	if it, _ := s.Item("SHEET"); it.Description != "Sheet" {
		t.Errorf("failed import changed the in-memory master data: %q", it.Description)
	}
	v2, err := s.Resolve(ctx, "CART", cfg("large", "4", "red"), today)
	if err != nil || v2 != v1 {
		t.Errorf("answers changed after a failed import")
	}
}

func TestReadCSVModelsFromDir(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{"items.csv": goodItems, "bom.csv": goodBOM, "routings.csv": goodRoutings, "workcenters.csv": goodWC, "cart.ctm": cartModel} {
		writeFile(t, dir, name, body)
	}
	s, _ := newStore(t)
	if err := s.ImportDir(ctx, dir, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Resolve(ctx, "CART", cfg("small", "4", "blue"), today); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Model("cart"); err != nil {
		t.Fatal(err)
	}
	var _ configurator.Configuration
}

// TestImportDirFeatureModel: a data directory's model may be a feature
// model (here UVL) beside the CSVs; it is stored as the .ctm text it reads
// as, and its rules hold when a variant is resolved.
func TestImportDirFeatureModel(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"car.uvl": "features\n\tCar\n\t\tmandatory\n\t\t\tEngine\n\t\t\t\talternative\n\t\t\t\t\tPetrol\n\t\t\t\t\tElectric\n\t\toptional\n\t\t\t\"Tow Bar\"\n" +
			"constraints\n\t\"Tow Bar\" => Petrol\n",
		"items.csv": "item,description,uom,kind,lead_time_days,unit_cost,model\nCAR,Car,pc,make,2,,car\nICE,Petrol engine,pc,buy,5,900,\nEMOT,Electric motor,pc,buy,5,700,\nHITCH,Tow hitch,pc,buy,1,50,\n",
		"bom.csv":   "parent,component,qty_per,condition\nCAR,ICE,1,Petrol\nCAR,EMOT,1,Electric\nCAR,HITCH,1,`Tow Bar`\n",
	} {
		writeFile(t, dir, name, body)
	}
	s, _ := newStore(t)
	if err := s.ImportDir(ctx, dir, ""); err != nil {
		t.Fatal(err)
	}
	m, err := s.StoredModel(ctx, "car")
	if err != nil {
		t.Fatal(err)
	}
	if got := filepath.Base(m.File()); got != "car.ctm" {
		t.Errorf("stored under %q, want car.ctm", got)
	}
	car := configurator.Configuration{"Car": {"true"}, "Engine": {"true"}, "Petrol": {"false"}, "Electric": {"true"}, "Tow Bar": {"false"}}
	if _, err := s.Resolve(ctx, "CAR", car, today); err != nil {
		t.Fatalf("an electric car: %v", err)
	}
	car["Tow Bar"] = []string{"true"}
	if _, err := s.Resolve(ctx, "CAR", car, today); err == nil || !strings.Contains(err.Error(), "constraint 1") {
		t.Errorf("an electric car with a tow bar resolved: %v", err)
	}
	// two models of one name
	writeFile(t, dir, "car.ctm", strings.Replace(cartModel, "model cart", "model car", 1))
	if err := s.ImportDir(ctx, dir, ""); err == nil || !strings.Contains(err.Error(), "defined twice") {
		t.Errorf("car.ctm beside car.uvl: %v", err)
	}
}

func FuzzReadCSV(f *testing.F) {
	for _, s := range []string{goodItems, goodBOM, goodRoutings, goodWC, "a,b\n\"x", "\ufeffitem\n", ""} {
		f.Add(0, s)
		f.Add(1, s)
		f.Add(2, s)
		f.Add(3, s)
	}
	files := []string{bom.ItemsFile, bom.BOMFile, bom.RoutingsFile, bom.WorkCentersFile}
	models := map[string]*configurator.Model{"cart": parseModel(f, "cart", cartModel)}
	f.Fuzz(func(t *testing.T, which int, body string) {
		if which < 0 {
			which = -which
		}
		name := files[which%len(files)]
		d, err := bom.ReadCSV(name, name, strings.NewReader(body))
		if err != nil {
			if !errors.Is(err, bom.ErrInvalid) && !strings.Contains(err.Error(), name) {
				t.Fatalf("error without file name: %v", err)
			}
			return
		}
		for _, it := range d.Items {
			if p := csvtext.NameProblem(it.ID, csvtext.MaxNameBytes); p != "" {
				t.Fatalf("item id %q read: %s", it.ID, p)
			}
		}
		// Whatever parses must import or be refused cleanly.
		s, _ := newStore(t)
		base, _ := bom.ReadFS(csvFS(goodItems, goodBOM, goodRoutings, goodWC), "")
		if err := s.Import(ctx, base, models); err != nil {
			t.Fatal(err)
		}
		if err := s.Import(ctx, d, models); err != nil && !errors.Is(err, bom.ErrInvalid) {
			t.Fatalf("import error not ErrInvalid: %v", err)
		}
		for _, it := range s.Items() {
			if it.Model == "" {
				v, err := s.Resolve(ctx, it.ID, nil, today)
				if err == nil {
					v.Summarize(1)
					v.Cost(0)
					v.CumulativeLeadTime()
				}
			}
		}
		s.LowLevelCodes()
	})
}
