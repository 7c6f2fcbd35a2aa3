// Package plantgen generates deterministic synthetic plants for MRP tests
// and benchmarks: layered bills of material with shared components, lead
// times, lot-size policies, stock, scheduled receipts and a year of
// sales-order lines.
//
// # Basics
//
// [Default] gives a configuration for a plant of n items; adjust its
// fields, then [Generate] returns an [mrp.Input]. The same Config (Seed
// included) always gives the same plant.
//
// Items are arranged in Levels layers: EndItems top items, then layers
// growing geometrically down to purchased parts. Every assembly has
// FanOutMin..FanOutMax components, each drawn from the layer just below
// or, with probability Commonality, from any deeper layer (shared parts);
// every item below the top is used by at least one assembly. Items
// without components are bought.
//
// # Caveats
//
// The plants are random, not realistic: no configurable items, no
// routings beyond one operation per make item, uniform demand dates.
package plantgen

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/ctoplan/ctoplan/mrp"
)

// Config describes a plant to generate.
type Config struct {
	Seed  uint64
	Items int
	// Levels is the number of BOM layers (>= 2).
	Levels int
	// EndItems is the number of top-level items (0: Items/100, at least 1).
	EndItems             int
	FanOutMin, FanOutMax int
	// QtyPerMax bounds the quantity per (1..QtyPerMax).
	QtyPerMax int
	// Commonality is the probability that a component comes from any
	// deeper layer instead of the next one.
	Commonality float64
	// PhantomShare is the share of assemblies that are phantoms.
	PhantomShare float64
	// Demands is the number of sales-order lines, due uniformly over Days.
	Demands int
	Days    int
	// QtyMax bounds a sales-order line's quantity (1..QtyMax).
	QtyMax int
	// LeadTimeMax bounds lead times in working days.
	LeadTimeMax int
	// StockShare, ReceiptShare and SafetyShare are the shares of items
	// with on-hand stock, with scheduled receipts and with safety stock.
	StockShare, ReceiptShare, SafetyShare float64
	// LotShare is the share of items with a lot policy other than
	// lot-for-lot (fixed, period, Wagner-Whitin, or min/multiple rounding).
	LotShare float64
	// ScrapShare is the share of component lines with scrap.
	ScrapShare float64
	Start      time.Time
}

// Default returns the configuration of a plant of n items: 6 levels,
// fan-out 4-12, 2 sales-order lines per item over a year.
func Default(n int) Config {
	return Config{
		Seed: 1, Items: n, Levels: 6, FanOutMin: 4, FanOutMax: 12, QtyPerMax: 3,
		Commonality: 0.15, PhantomShare: 0.02, Demands: 2 * n, Days: 365, QtyMax: 20,
		LeadTimeMax: 8, StockShare: 0.3, ReceiptShare: 0.05, SafetyShare: 0.05,
		LotShare: 0.1, ScrapShare: 0.05,
		Start: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC),
	}
}

// Validate reports whether c can be generated.
func (c Config) Validate() error {
	switch {
	case c.Items < 2 || c.Items > 10_000_000:
		return fmt.Errorf("plantgen: items %d not in [2, 1e7]", c.Items)
	case c.Levels < 2 || c.Levels > 30:
		return fmt.Errorf("plantgen: levels %d not in [2, 30]", c.Levels)
	case c.FanOutMin < 1 || c.FanOutMax < c.FanOutMin:
		return fmt.Errorf("plantgen: fan-out %d-%d", c.FanOutMin, c.FanOutMax)
	case c.QtyPerMax < 1 || c.QtyMax < 1 || c.Days < 1 || c.LeadTimeMax < 1 || c.Demands < 0:
		return fmt.Errorf("plantgen: qty per max %d, qty max %d, days %d, lead time max %d, demands %d",
			c.QtyPerMax, c.QtyMax, c.Days, c.LeadTimeMax, c.Demands)
	case c.Start.IsZero():
		return fmt.Errorf("plantgen: no start date")
	}
	return nil
}

// Generate builds the plant described by c.
func Generate(c Config) (*mrp.Input, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	r := rand.New(rand.NewPCG(c.Seed, c.Seed^0x9e3779b97f4a7c15))
	ends := c.EndItems
	if ends <= 0 {
		ends = max(1, c.Items/100)
	}
	ends = min(ends, c.Items-c.Levels+1)
	// layer sizes: ends * g^k for k = 1..L-1 summing to Items-ends.
	rest := float64(c.Items - ends)
	g := 1.0
	for lo, hi := 1.0, 1000.0; hi-lo > 1e-9; {
		g = (lo + hi) / 2
		s, x := 0.0, 1.0
		for k := 1; k < c.Levels; k++ {
			x *= g
			s += float64(ends) * x
		}
		if s > rest {
			hi = g
		} else {
			lo = g
		}
	}
	size := make([]int, c.Levels)
	size[0] = ends
	left := c.Items - ends
	x := 1.0
	for k := 1; k < c.Levels; k++ {
		x *= g
		n := int(math.Round(float64(ends) * x))
		if k == c.Levels-1 {
			n = left
		}
		n = max(1, min(n, left-(c.Levels-1-k)))
		size[k] = n
		left -= n
	}
	first := make([]int, c.Levels+1)
	for k := range c.Levels {
		first[k+1] = first[k] + size[k]
	}
	in := &mrp.Input{
		Items:    make([]mrp.Item, c.Items),
		Stock:    map[string]int64{},
		Calendar: mrp.Calendar{Start: c.Start, Horizon: c.Days + 70},
	}
	id := func(i int) string { return fmt.Sprintf("P%07d", i) }
	level := make([]int, c.Items)
	for k := range c.Levels {
		for i := first[k]; i < first[k+1]; i++ {
			level[i] = k
			in.Items[i] = mrp.Item{ID: id(i)}
		}
	}
	// components: first cover every item of the next layer, then draw.
	for k := 0; k+1 < c.Levels; k++ {
		next := first[k+1]
		for i := first[k]; i < first[k+1]; i++ {
			nc := c.FanOutMin + r.IntN(c.FanOutMax-c.FanOutMin+1)
			seen := map[int]bool{}
			for j := 0; j < nc; j++ {
				var comp int
				switch {
				case next < first[k+2]:
					comp = next
					next++
				case k+2 < c.Levels && r.Float64() < c.Commonality:
					comp = first[k+2] + r.IntN(first[c.Levels]-first[k+2])
				default:
					comp = first[k+1] + r.IntN(size[k+1])
				}
				if seen[comp] {
					continue
				}
				seen[comp] = true
				cm := mrp.Component{Item: id(comp), QtyPer: float64(1 + r.IntN(c.QtyPerMax))}
				if r.Float64() < c.ScrapShare {
					cm.ScrapPct = float64(1 + r.IntN(10))
				}
				in.Items[i].Components = append(in.Items[i].Components, cm)
			}
		}
		// any left over in the next layer go to random assemblies
		for ; next < first[k+2]; next++ {
			i := first[k] + r.IntN(size[k])
			in.Items[i].Components = append(in.Items[i].Components, mrp.Component{Item: id(next), QtyPer: 1})
		}
	}
	for i := range in.Items {
		it := &in.Items[i]
		switch {
		case len(it.Components) == 0:
			it.Kind = mrp.Buy
			it.LeadTime = 1 + r.IntN(c.LeadTimeMax)
		case level[i] > 0 && r.Float64() < c.PhantomShare:
			it.Kind = mrp.Phantom
		default:
			it.Kind = mrp.Make
			it.LeadTime = 1 + r.IntN(max(1, c.LeadTimeMax/2))
			it.Operations = []mrp.Operation{{Seq: 10, WorkCenter: fmt.Sprintf("WC%02d", r.IntN(20)), SetupHours: 0.5, RunHours: 0.1}}
		}
		if it.Kind != mrp.Phantom && r.Float64() < c.LotShare {
			switch r.IntN(4) {
			case 0:
				it.Lot = mrp.LotSizing{Policy: mrp.FixedQty, Qty: int64(10 * (1 + r.IntN(20)))}
			case 1:
				it.Lot = mrp.LotSizing{Policy: mrp.PeriodQty, Periods: 1 + r.IntN(10)}
			case 2:
				it.Lot = mrp.LotSizing{Policy: mrp.WagnerWhitin, SetupCost: float64(50 + r.IntN(500)), HoldingCost: 0.05 + r.Float64()}
			case 3:
				it.Lot = mrp.LotSizing{Min: int64(r.IntN(50)), Multiple: int64(1 + r.IntN(12))}
			}
		}
		if r.Float64() < c.SafetyShare {
			it.SafetyStock = int64(1 + r.IntN(50))
		}
		if r.Float64() < c.StockShare {
			in.Stock[it.ID] = int64(r.IntN(500))
		}
		if it.Kind != mrp.Phantom && r.Float64() < c.ReceiptShare {
			n := 1 + r.IntN(3)
			for j := range n {
				kind := mrp.PurchaseOrder
				if it.Kind == mrp.Make {
					kind = mrp.ProductionOrder
				}
				in.Receipts = append(in.Receipts, mrp.Receipt{
					ID: fmt.Sprintf("R%s-%d", it.ID, j), Item: it.ID, Qty: int64(1 + r.IntN(200)),
					Due: c.Start.AddDate(0, 0, r.IntN(40)-5), Kind: kind,
				})
			}
		}
	}
	for j := range c.Demands {
		in.Demands = append(in.Demands, mrp.Demand{
			ID: fmt.Sprintf("SO%07d", j), Item: id(r.IntN(ends)), Qty: int64(1 + r.IntN(c.QtyMax)),
			Due: c.Start.AddDate(0, 0, r.IntN(c.Days)), Priority: r.IntN(3),
		})
	}
	return in, nil
}

// Light returns the configuration of the plant of issue 12, the kind of
// file set an ERP export gives: n items in 5 levels, fan-out 2-4, every
// item lot-for-lot without safety stock, stock on hand and some scheduled
// receipts, and the given number of sales-order lines over a year.
func Light(n, demands int) Config {
	c := Default(n)
	c.Levels, c.FanOutMin, c.FanOutMax = 5, 2, 4
	c.LotShare, c.SafetyShare = 0, 0
	c.Demands = demands
	return c
}
