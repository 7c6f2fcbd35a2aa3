package mrp_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/ctoplan/ctoplan/bom"
	"github.com/ctoplan/ctoplan/configurator"
	"github.com/ctoplan/ctoplan/mrp"
)

// TestBOMSourceDatedStandard: a standard sub-assembly whose BOM line
// changes on 2026-12-10 (OLD until 12-09, NEW from 12-10) gets a dated BOM
// change, and each of its orders explodes the BOM of the day it starts.
func TestBOMSourceDatedStandard(t *testing.T) {
	ctx := context.Background()
	s, err := bom.Open(ctx, bom.NewMemoryDB())
	if err != nil {
		t.Fatal(err)
	}
	d := func(s string) bom.Date {
		x, err := bom.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	data := &bom.Data{
		Items: []*bom.Item{
			{ID: "TOP", UOM: "pc", Kind: bom.Make, LeadTimeDays: 2},
			{ID: "SUB", UOM: "pc", Kind: bom.Make, LeadTimeDays: 1},
			{ID: "OLD", UOM: "pc", Kind: bom.Buy, LeadTimeDays: 1},
			{ID: "NEW", UOM: "pc", Kind: bom.Buy, LeadTimeDays: 1},
			{ID: "BOLT", UOM: "pc", Kind: bom.Buy, LeadTimeDays: 1},
		},
		Lines: []*bom.Line{
			{Parent: "TOP", Component: "SUB", Qty: 1, Position: "10"},
			{Parent: "SUB", Component: "OLD", Qty: 1, Position: "10", ValidTo: d("2026-12-09")},
			{Parent: "SUB", Component: "NEW", Qty: 1, Position: "10", ValidFrom: d("2026-12-10")},
			{Parent: "SUB", Component: "BOLT", Qty: 2, Position: "20"},
		},
	}
	if err := s.Import(ctx, data, map[string]*configurator.Model{}); err != nil {
		t.Fatal(err)
	}
	date := func(s string) time.Time {
		x, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	pl := &mrp.Plant{Stock: map[string]int64{}, Configs: map[string]configurator.Configuration{}, Days: map[time.Time]bool{},
		Demands: []mrp.Demand{
			{ID: "d1", Item: "TOP", Qty: 5, Due: date("2026-12-04")},
			{ID: "d2", Item: "TOP", Qty: 4, Due: date("2026-12-11")},
			{ID: "d3", Item: "TOP", Qty: 7, Due: date("2026-12-15")},
		}}
	in, _, err := mrp.FromBOM(ctx, s, pl, mrp.LoadOptions{Start: date("2026-11-30"), Horizon: 60})
	if err != nil {
		t.Fatal(err)
	}
	var sub mrp.Item
	for _, it := range in.Items {
		if it.ID == "SUB" {
			sub = it
		}
		if it.ID == "TOP" && len(it.BOMChanges) != 0 {
			t.Errorf("TOP's BOM does not change: %+v", it.BOMChanges)
		}
	}
	if len(sub.BOMChanges) != 1 || !sub.BOMChanges[0].From.Equal(date("2026-12-10")) ||
		!slices.Equal(sub.Components, []mrp.Component{{Item: "OLD", QtyPer: 1}, {Item: "BOLT", QtyPer: 2}}) ||
		!slices.Equal(sub.BOMChanges[0].Components, []mrp.Component{{Item: "NEW", QtyPer: 1}, {Item: "BOLT", QtyPer: 2}}) {
		t.Fatalf("SUB: %+v", sub)
	}
	p, err := mrp.New(in, mrp.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	// Day 0 is Monday 2026-11-30; weekends do not work. TOP (2 working
	// days): due Fri 12-04 -> starts Wed 12-02; due Fri 12-11 -> Wed
	// 12-09; due Tue 12-15 -> Fri 12-11. SUB (1 day) is due then and
	// starts Tue 12-01 (5), Tue 12-08 (4), Thu 12-10 (7): the first two
	// before the change (OLD), the last on its day (NEW).
	gross := func(item string) map[string]int64 {
		r, err := p.Record(item)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]int64{}
		for _, x := range r.Days {
			if x.Gross != 0 {
				out[x.Date.Format(time.DateOnly)] = x.Gross
			}
		}
		return out
	}
	for item, want := range map[string]map[string]int64{
		"SUB":  {"2026-12-02": 5, "2026-12-09": 4, "2026-12-11": 7},
		"OLD":  {"2026-12-01": 5, "2026-12-08": 4},
		"NEW":  {"2026-12-10": 7},
		"BOLT": {"2026-12-01": 10, "2026-12-08": 8, "2026-12-10": 14},
	} {
		got := gross(item)
		if len(got) != len(want) {
			t.Errorf("%s: gross %v, want %v", item, got, want)
			continue
		}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s: gross %v, want %v", item, got, want)
				break
			}
		}
	}
}
