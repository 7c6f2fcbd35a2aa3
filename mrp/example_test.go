package mrp_test

import (
	"fmt"
	"time"

	"github.com/ctoplan/ctoplan/mrp"
)

func Example() {
	start := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC) // a Monday
	p, err := mrp.New(&mrp.Input{
		Items: []mrp.Item{
			{ID: "TRUCK", Kind: mrp.Make, LeadTime: 2, Components: []mrp.Component{{Item: "WHEEL", QtyPer: 4}}},
			{ID: "WHEEL", Kind: mrp.Buy, LeadTime: 3, Lot: mrp.LotSizing{Policy: mrp.FixedQty, Qty: 50}},
		},
		Demands:  []mrp.Demand{{ID: "SO-1", Item: "TRUCK", Qty: 10, Due: start.AddDate(0, 0, 14)}},
		Stock:    map[string]int64{"WHEEL": 12},
		Calendar: mrp.Calendar{Start: start, Horizon: 60},
	}, mrp.DefaultOptions())
	if err != nil {
		panic(err)
	}
	for _, o := range p.AllOrders() {
		fmt.Println(o.ID, o.Kind, o.Qty, o.Release.Format(time.DateOnly), o.Due.Format(time.DateOnly))
	}
	res, _ := p.Apply(mrp.SetDemand{Demand: mrp.Demand{ID: "SO-1", Item: "TRUCK", Qty: 12, Due: start.AddDate(0, 0, 14)}})
	fmt.Println("touched", res.Touched())
	// Output:
	// TRUCK#2026-12-14 production 10 2026-12-10 2026-12-14
	// WHEEL#2026-12-10 purchase 50 2026-12-07 2026-12-10
	// touched [TRUCK WHEEL]
}
