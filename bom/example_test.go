package bom_test

import (
	"context"
	"fmt"
	"time"

	"github.com/ctoplan/ctoplan/bom"
)

func Example() {
	ctx := context.Background()
	db := bom.NewMemoryDB()
	defer db.Close()
	s, err := bom.Open(ctx, db)
	if err != nil {
		panic(err)
	}
	err = s.Import(ctx, &bom.Data{
		Items: []*bom.Item{
			{ID: "TABLE", UOM: "pc", Kind: bom.Make, LeadTimeDays: 2},
			{ID: "TOP", UOM: "pc", Kind: bom.Buy, LeadTimeDays: 10, UnitCost: 40},
			{ID: "LEG", UOM: "pc", Kind: bom.Buy, LeadTimeDays: 5, UnitCost: 6},
		},
		Lines: []*bom.Line{
			{Parent: "TABLE", Component: "TOP", Qty: 1, Position: "10"},
			{Parent: "TABLE", Component: "LEG", Qty: 4, ScrapPct: 25, Position: "20"},
		},
		Ops:         []*bom.Op{{Item: "TABLE", Seq: 10, WorkCenter: "ASSY", SetupHours: 1, RunHours: 0.5}},
		WorkCenters: []*bom.WorkCenter{{ID: "ASSY", RatePerHour: 30}},
	}, nil)
	if err != nil {
		panic(err)
	}
	v, err := s.Resolve(ctx, "TABLE", nil, time.Now())
	if err != nil {
		panic(err)
	}
	lines, _ := v.Explode(2)
	for _, l := range lines {
		fmt.Printf("%d %-3s %-5s %g\n", l.Level, l.Position, l.Item, l.Qty)
	}
	c := v.Cost(10)
	fmt.Printf("cost %.2f = material %.2f + setup %.2f + run %.2f\n", c.Total(), c.Material, c.Setup, c.Run)
	days, path := v.CumulativeLeadTime()
	fmt.Println("lead time", days, path)
	// Output:
	// 0     TABLE 2
	// 1 10  TOP   2
	// 1 20  LEG   10
	// cost 88.00 = material 70.00 + setup 3.00 + run 15.00
	// lead time 12 [TABLE TOP]
}
