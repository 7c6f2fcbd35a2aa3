package bom_test

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ctoplan/ctoplan/bom"
	"github.com/ctoplan/ctoplan/kv"
)

var (
	ctx   = context.Background()
	today = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
)

func newStore(t testing.TB) (*bom.Store, kv.DB) {
	t.Helper()
	db := kv.NewMemory()
	t.Cleanup(func() { db.Close() })
	s, err := bom.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	return s, db
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

// bikeData is the hand-worked example of the tests below.
//
//	BIKE (make, lt 2)                  routing: 10 ASSY setup 1 h, run 1 h
//	  10 FRAME x1 (make, lt from routing, foq 20, own cost 5, assembly scrap 10 %)
//	       10 TUBE x3, line scrap 5 % (buy, lt 10, cost 2)
//	       routing: 10 WELD setup 2 h, run 0.5 h
//	  20 WHEEL x2 (make, lt 1)          routing: 10 ASSY setup 0.5 h, run 0.25 h
//	       10 SPOKE x32 (buy, lt 5, cost 0.10)
//	       20 RIM x1 (buy, lt 7, cost 8)
//	  30 KIT x1 (phantom)
//	       10 BOLT x4, line scrap 25 % (buy, lt 1, cost 0.05)
//	WELD 60/h, ASSY 40/h, 8 h/day.
func bikeData() *bom.Data {
	return &bom.Data{
		Items: []*bom.Item{
			{ID: "BIKE", UOM: "pc", Kind: bom.Make, LeadTimeDays: 2},
			{ID: "FRAME", UOM: "pc", Kind: bom.Make, LeadTimeFromRouting: true, UnitCost: 5, ScrapPct: 10, LotPolicy: bom.FixedQty, LotQty: 20},
			{ID: "TUBE", UOM: "m", Kind: bom.Buy, LeadTimeDays: 10, UnitCost: 2},
			{ID: "WHEEL", UOM: "pc", Kind: bom.Make, LeadTimeDays: 1},
			{ID: "SPOKE", UOM: "pc", Kind: bom.Buy, LeadTimeDays: 5, UnitCost: 0.10},
			{ID: "RIM", UOM: "pc", Kind: bom.Buy, LeadTimeDays: 7, UnitCost: 8},
			{ID: "KIT", UOM: "pc", Kind: bom.Phantom},
			{ID: "BOLT", UOM: "pc", Kind: bom.Buy, LeadTimeDays: 1, UnitCost: 0.05},
		},
		Lines: []*bom.Line{
			{Parent: "BIKE", Component: "FRAME", Qty: 1, Position: "10"},
			{Parent: "BIKE", Component: "WHEEL", Qty: 2, Position: "20"},
			{Parent: "BIKE", Component: "KIT", Qty: 1, Position: "30"},
			{Parent: "FRAME", Component: "TUBE", Qty: 3, ScrapPct: 5, Position: "10"},
			{Parent: "WHEEL", Component: "SPOKE", Qty: 32, Position: "10"},
			{Parent: "WHEEL", Component: "RIM", Qty: 1, Position: "20"},
			{Parent: "KIT", Component: "BOLT", Qty: 4, ScrapPct: 25, Position: "10"},
		},
		Ops: []*bom.Op{
			{Item: "BIKE", Seq: 10, WorkCenter: "ASSY", SetupHours: 1, RunHours: 1},
			{Item: "FRAME", Seq: 10, WorkCenter: "WELD", SetupHours: 2, RunHours: 0.5},
			{Item: "WHEEL", Seq: 10, WorkCenter: "ASSY", SetupHours: 0.5, RunHours: 0.25},
		},
		WorkCenters: []*bom.WorkCenter{
			{ID: "WELD", RatePerHour: 60, HoursPerDay: 8},
			{ID: "ASSY", RatePerHour: 40},
		},
	}
}

func bike(t *testing.T) (*bom.Store, *bom.Variant) {
	s, _ := newStore(t)
	if err := s.Import(ctx, bikeData(), nil); err != nil {
		t.Fatal(err)
	}
	v, err := s.Resolve(ctx, "BIKE", nil, today)
	if err != nil {
		t.Fatal(err)
	}
	return s, v
}

func TestExplodeHandWorked(t *testing.T) {
	_, v := bike(t)
	got, err := v.Explode(10)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		level int
		pos   string
		item  string
		qty   float64
	}
	want := []row{
		{0, "", "BIKE", 10},
		{1, "10", "FRAME", 10},
		// 10 frames x 1.10 (FRAME's assembly scrap) x 3 x 1.05 (line scrap)
		{2, "10", "TUBE", 10 * 1.1 * 3 * 1.05}, // 34.65
		{1, "20", "WHEEL", 20},
		{2, "10", "SPOKE", 640}, // 20 x 32
		{2, "20", "RIM", 20},
		// KIT is a phantom: its BOLT line moves up into BIKE, position 30/10,
		// 10 x 1 x 4 x 1.25 = 50.
		{1, "30/10", "BOLT", 50},
	}
	if len(got) != len(want) {
		t.Fatalf("explosion has %d lines, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		if g.Level != w.level || g.Position != w.pos || g.Item != w.item || !near(g.Qty, w.qty) {
			t.Errorf("line %d = %d %s %s %v, want %d %s %s %v", i, g.Level, g.Position, g.Item, g.Qty, w.level, w.pos, w.item, w.qty)
		}
	}
	sum := v.Summarize(10)
	wantSum := map[string]float64{"BIKE": 10, "FRAME": 10, "TUBE": 34.65, "WHEEL": 20, "SPOKE": 640, "RIM": 20, "BOLT": 50}
	if len(sum) != len(wantSum) {
		t.Fatalf("summary %+v", sum)
	}
	for _, r := range sum {
		if !near(r.Qty, wantSum[r.Item]) {
			t.Errorf("summary %s = %v, want %v", r.Item, r.Qty, wantSum[r.Item])
		}
	}
	if n := len(v.Nodes()); n != 3 {
		t.Errorf("%d nodes, want 3 (BIKE, FRAME, WHEEL; KIT is blown through)", n)
	}
}

func TestCostHandWorked(t *testing.T) {
	_, v := bike(t)
	// Lot 10:
	// WHEEL: material RIM 8 + 32 x SPOKE 0.10 = 11.20; setup 0.5 h x 40 / 10 = 2;
	//        run 0.25 h x 40 = 10.
	// FRAME: material own 5 + 3 x 1.05 x 1.10 x TUBE 2 = 5 + 6.93 = 11.93;
	//        setup 2 h x 60 / 10 = 12; run 0.5 h x 60 = 30.
	// BIKE:  material FRAME 11.93 + 2 x WHEEL 11.20 + 4 x 1.25 x BOLT 0.05
	//        = 11.93 + 22.40 + 0.25 = 34.58;
	//        setup 1 h x 40 / 10 + FRAME 12 + 2 x WHEEL 2 = 4 + 12 + 4 = 20;
	//        run 1 h x 40 + FRAME 30 + 2 x WHEEL 10 = 40 + 30 + 20 = 90.
	c := v.Cost(10)
	if !near(c.Material, 34.58) || !near(c.Setup, 20) || !near(c.Run, 90) || !near(c.Total(), 144.58) {
		t.Errorf("cost(lot 10) = %+v total %v, want material 34.58 setup 20 run 90 total 144.58", c, c.Total())
	}
	// Own lots (lot <= 0): FRAME is foq 20, so its setup is 2 x 60 / 20 = 6;
	// the others use lot 1: WHEEL setup 0.5 x 40 = 20, BIKE 1 x 40 = 40.
	// Setup = 40 + 6 + 2 x 20 = 86.
	if c := v.Cost(0); !near(c.Setup, 86) || !near(c.Material, 34.58) || !near(c.Run, 90) {
		t.Errorf("cost(own lots) = %+v, want setup 86", c)
	}
}

func TestLeadTimeHandWorked(t *testing.T) {
	_, v := bike(t)
	// FRAME derives its lead time from its routing at its own lot of 20:
	// (2 h setup + 0.5 h x 20) / 8 h per day = 1.5 -> 2 days.
	// FRAME path: 2 + TUBE 10 = 12; WHEEL path: 1 + max(SPOKE 5, RIM 7) = 8;
	// BOLT: 1. BIKE: 2 + 12 = 14 along BIKE -> FRAME -> TUBE.
	days, path := v.CumulativeLeadTime()
	if days != 14 || !slices.Equal(path, []string{"BIKE", "FRAME", "TUBE"}) {
		t.Errorf("cumulative lead time %v along %v, want 14 along BIKE FRAME TUBE", days, path)
	}
}

func TestLowLevelCodesAndWhereUsedHandWorked(t *testing.T) {
	s, _ := bike(t)
	llc := s.LowLevelCodes()
	want := map[string]int{"BIKE": 0, "FRAME": 1, "WHEEL": 1, "KIT": 1, "TUBE": 2, "SPOKE": 2, "RIM": 2, "BOLT": 2}
	for id, w := range want {
		if llc[id] != w {
			t.Errorf("LLC %s = %d, want %d", id, llc[id], w)
		}
	}
	if ws := s.WhereUsed("BOLT"); len(ws) != 1 || ws[0].Parent != "KIT" {
		t.Errorf("where-used BOLT = %+v", ws)
	}
	if top := s.WhereUsedTop("BOLT"); !slices.Equal(top, []string{"BIKE"}) {
		t.Errorf("where-used top BOLT = %v", top)
	}
}

// TestPositionsInNumericOrder: positions are listed in numeric order when
// they are numbers, as Excel leaves them after dropping leading zeros
// (0010 -> 10, 0100 -> 100), not as text ("100" < "20").
func TestPositionsInNumericOrder(t *testing.T) {
	s, _ := newStore(t)
	d := &bom.Data{
		Items: []*bom.Item{{ID: "P", UOM: "pc"}, {ID: "A", UOM: "pc", Kind: bom.Buy}, {ID: "B", UOM: "pc", Kind: bom.Buy},
			{ID: "C", UOM: "pc", Kind: bom.Buy}, {ID: "D", UOM: "pc", Kind: bom.Buy}, {ID: "E", UOM: "pc", Kind: bom.Buy}},
		Lines: []*bom.Line{
			{Parent: "P", Component: "A", Qty: 1, Position: "100"},
			{Parent: "P", Component: "B", Qty: 1, Position: "20"},
			{Parent: "P", Component: "C", Qty: 1, Position: "9"},
			{Parent: "P", Component: "D", Qty: 1, Position: "0050"},
			{Parent: "P", Component: "E", Qty: 1, Position: "X1"},
		},
	}
	if err := s.Import(ctx, d, nil); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range s.Lines("P") {
		got = append(got, l.Position)
	}
	if want := []string{"9", "20", "0050", "100", "X1"}; !slices.Equal(got, want) {
		t.Errorf("positions in order %v, want %v", got, want)
	}
}

// TestStoreExplodeRefusesBadDemand: a negative, NaN or infinite demand is an
// error naming the item, not a negative or NaN requirement.
func TestStoreExplodeRefusesBadDemand(t *testing.T) {
	s, _ := bike(t)
	for _, q := range []float64{-1, math.NaN(), math.Inf(1)} {
		if _, err := s.Explode(map[string]float64{"BIKE": q}, today); err == nil || !strings.Contains(err.Error(), "BIKE") {
			t.Errorf("demand %v: %v", q, err)
		}
	}
	if reqs, err := s.Explode(map[string]float64{"BIKE": 0}, today); err != nil || len(reqs) != 0 {
		t.Errorf("zero demand: %v, %v", reqs, err)
	}
}
