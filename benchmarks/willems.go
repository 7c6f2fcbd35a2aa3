package benchmarks

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/ctoplan/ctoplan/bom"
	"github.com/ctoplan/ctoplan/kv"
)

func willemsCases() []*Case {
	return []*Case{{
		Group: "bom-willems", Op: "LLC + explosion + cost roll-up of the whole chain", Size: "chain38",
		Metric: "ms/rollup", BaselineName: "naive-recursive",
		Targets: []Target{{Metric: "ms/rollup", Op: "<=", Value: 5}},
		Quick:   true, QuickTime: "200ms", QuickBaselineTime: "5x", Small: true,
		Setup: func(env Env) (*Fixture, error) { return willems(env, "38", false) },
	}, {
		Group: "bom-willems", Op: "explosion + cost per end-item variant, + LLC", Size: "chain38-variants",
		Metric: "ms/rollup", BaselineName: "naive-recursive",
		Quick: true, QuickTime: "200ms", QuickBaselineTime: "5x",
		Setup: func(env Env) (*Fixture, error) { return willems(env, "38", true) },
	}}
}

// willemsChain is one supply chain of Willems (2008) as a BOM: stages are
// items (Part_ stages bought, the others made), arcs component -> parent
// with quantity 1, stageCost the unit cost, stageTime the lead time.
type willemsChain struct {
	items    []*bom.Item
	children map[string][]string // parent -> components, in file order
	cost     map[string]float64
	tops     []string // stages used by no arc, in file order
	arcs     int
}

func readWillems(env Env, chain string) (*willemsChain, error) {
	sdPath, err := env.dataFile("mrp/willems2008/" + chain + "_SD.csv")
	if err != nil {
		return nil, err
	}
	llPath, err := env.dataFile("mrp/willems2008/" + chain + "_LL.csv")
	if err != nil {
		return nil, err
	}
	sd, err := readCSV(sdPath)
	if err != nil {
		return nil, err
	}
	ll, err := readCSV(llPath)
	if err != nil {
		return nil, err
	}
	col := func(path string, header []string, name string) (int, error) {
		for i, h := range header {
			if strings.TrimSpace(h) == name {
				return i, nil
			}
		}
		return 0, fmt.Errorf("%s:1: no column %q", path, name)
	}
	if len(sd) == 0 || len(ll) == 0 {
		return nil, fmt.Errorf("%s or %s: empty", sdPath, llPath)
	}
	iName, err := col(sdPath, sd[0], "Stage Name")
	if err != nil {
		return nil, err
	}
	iCost, err := col(sdPath, sd[0], "stageCost")
	if err != nil {
		return nil, err
	}
	iTime, err := col(sdPath, sd[0], "stageTime")
	if err != nil {
		return nil, err
	}
	num := func(row []string, i, line int, what string) (float64, error) {
		if i >= len(row) || strings.TrimSpace(row[i]) == "" {
			return 0, nil
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(row[i]), 64)
		if err != nil || v < 0 || math.IsInf(v, 0) || math.IsNaN(v) {
			return 0, fmt.Errorf("%s:%d: %s: not a non-negative number: %q", sdPath, line, what, row[i])
		}
		return v, nil
	}
	w := &willemsChain{children: map[string][]string{}, cost: map[string]float64{}}
	for k, row := range sd[1:] {
		line := k + 2
		if iName >= len(row) || strings.TrimSpace(row[iName]) == "" {
			return nil, fmt.Errorf("%s:%d: Stage Name: empty", sdPath, line)
		}
		name := strings.TrimSpace(row[iName])
		c, err := num(row, iCost, line, "stageCost")
		if err != nil {
			return nil, err
		}
		t, err := num(row, iTime, line, "stageTime")
		if err != nil {
			return nil, err
		}
		kind := bom.Make
		if strings.HasPrefix(name, "Part_") {
			kind = bom.Buy
		}
		w.items = append(w.items, &bom.Item{ID: name, UOM: "ea", Kind: kind, LeadTimeDays: t, UnitCost: c})
		w.cost[name] = c
	}
	used := map[string]bool{}
	for k, row := range ll[1:] {
		if len(row) < 2 {
			return nil, fmt.Errorf("%s:%d: want sourceStage,destinationStage", llPath, k+2)
		}
		src, dst := strings.TrimSpace(row[0]), strings.TrimSpace(row[1])
		w.children[dst] = append(w.children[dst], src)
		used[src] = true
		w.arcs++
	}
	for _, it := range w.items {
		if !used[it.ID] {
			w.tops = append(w.tops, it.ID)
		}
	}
	return w, nil
}

func readCSV(path string) ([][]string, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	r := csv.NewReader(fh)
	r.FieldsPerRecord = -1
	var rows [][]string
	for {
		row, err := r.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		rows = append(rows, row)
	}
}

// data returns the chain as master data for bom.Store.Import.
func (w *willemsChain) data() *bom.Data {
	d := &bom.Data{Items: w.items}
	for _, it := range w.items {
		for i, c := range w.children[it.ID] {
			d.Lines = append(d.Lines, &bom.Line{Parent: it.ID, Component: c, Qty: 1, Position: strconv.Itoa((i + 1) * 10)})
		}
	}
	return d
}

// rollup is what both methods compute for every end item: the summarised
// explosion of one unit, and the rolled-up unit cost; plus the low-level
// codes of all items.
type rollup struct {
	req  []map[string]float64
	cost []float64
	llc  map[string]int
	// total is the summed requirement of one unit of every end item.
	total map[string]float64
}

// naive computes the roll-up the obviously right slow way: walk every path
// from every end item down (no sharing), adding 1 per path to the item's
// requirement, raising its LLC to the depth, and summing costs recursively.
func (w *willemsChain) naive() *rollup {
	r := &rollup{llc: map[string]int{}}
	var walk func(id string, depth int, req map[string]float64)
	walk = func(id string, depth int, req map[string]float64) {
		req[id]++
		if depth > r.llc[id] {
			r.llc[id] = depth
		}
		for _, c := range w.children[id] {
			walk(c, depth+1, req)
		}
	}
	var cost func(id string) float64
	cost = func(id string) float64 {
		s := w.cost[id]
		for _, c := range w.children[id] {
			s += cost(c)
		}
		return s
	}
	r.total = map[string]float64{}
	for _, t := range w.tops {
		req := map[string]float64{}
		walk(t, 0, req)
		r.req = append(r.req, req)
		r.cost = append(r.cost, cost(t))
		for id, q := range req {
			r.total[id] += q
		}
	}
	for _, it := range w.items {
		if _, ok := r.llc[it.ID]; !ok {
			r.llc[it.ID] = 0
		}
	}
	return r
}

// willems times the roll-up of a chain: with perVariant false, the
// store's whole-structure passes (LowLevelCodes, Explode of one unit of
// every end item at once, Costs of every item); with perVariant true, each
// end item's resolved variant (Summarize and Cost) plus LowLevelCodes.
func willems(env Env, chain string, perVariant bool) (*Fixture, error) {
	w, err := readWillems(env, chain)
	if err != nil {
		return nil, err
	}
	ctx := context.Background()
	db := kv.NewMemory()
	s, err := bom.Open(ctx, db)
	if err != nil {
		return nil, err
	}
	if err := s.Import(ctx, w.data(), nil); err != nil {
		return nil, fmt.Errorf("chain %s: import: %w", chain, err)
	}
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var vs []*bom.Variant
	if perVariant {
		vs = make([]*bom.Variant, len(w.tops))
	}
	for i, t := range w.tops[:len(vs)] {
		v, err := s.Resolve(ctx, t, nil, at)
		if err != nil {
			return nil, fmt.Errorf("chain %s: resolve %s: %w", chain, t, err)
		}
		vs[i] = v
	}
	f := &Fixture{Close: func() { db.Close() }}
	if perVariant {
		f.note("chain %s: %d stages, %d arcs, %d end items", chain, len(w.items), w.arcs, len(w.tops))
	}
	var ours, base *rollup
	demand := map[string]float64{}
	for _, t := range w.tops {
		demand[t] = 1
	}
	f.Ours = func(b B) {
		var lat latencies
		rows := 0
		b.ReportAllocs()
		for b.Loop() {
			t0 := time.Now()
			r := &rollup{llc: s.LowLevelCodes()}
			if !perVariant {
				reqs, err := s.Explode(demand, at)
				if err != nil {
					f.fatal(b, fmt.Errorf("chain %s: explode: %w", chain, err))
				}
				costs := s.Costs(at, 1)
				lat = append(lat, time.Since(t0))
				r.total = make(map[string]float64, len(reqs))
				for _, q := range reqs {
					r.total[q.Item] = q.Qty
				}
				for _, t := range w.tops {
					c, ok := costs[t]
					if !ok {
						c.Material = math.NaN()
					}
					r.cost = append(r.cost, c.Total())
				}
				rows = len(reqs)
				ours = r
				continue
			}
			reqs := make([][]bom.ItemTotal, len(vs))
			for i, v := range vs {
				reqs[i] = v.Summarize(1)
				r.cost = append(r.cost, v.Cost(1).Total())
			}
			lat = append(lat, time.Since(t0))
			rows = 0
			for _, req := range reqs {
				rows += len(req)
				m := make(map[string]float64, len(req))
				for _, q := range req {
					m[q.Item] = q.Qty
				}
				r.req = append(r.req, m)
			}
			ours = r
		}
		lat.report(b, "ms/rollup")
		b.ReportMetric(float64(rows), "requirements/op")
	}
	f.Baseline = func(b B) {
		var lat latencies
		b.ReportAllocs()
		for b.Loop() {
			t0 := time.Now()
			base = w.naive()
			lat = append(lat, time.Since(t0))
		}
		lat.report(b, "ms/rollup")
	}
	f.Check = func() error {
		if ours == nil || base == nil {
			return fmt.Errorf("chain %s: nothing to check (a run did not finish)", chain)
		}
		if !perVariant {
			if len(ours.total) != len(base.total) {
				return fmt.Errorf("chain %s: explosion has %d items, the naive one %d", chain, len(ours.total), len(base.total))
			}
			for id, q := range base.total {
				if ours.total[id] != q {
					return fmt.Errorf("chain %s: %s: quantity %g, the naive explosion %g", chain, id, ours.total[id], q)
				}
			}
		}
		for i, t := range w.tops {
			if d := math.Abs(ours.cost[i] - base.cost[i]); !(d <= 1e-9*math.Max(1, math.Abs(base.cost[i]))) {
				return fmt.Errorf("chain %s: %s: cost %g, the naive roll-up %g", chain, t, ours.cost[i], base.cost[i])
			}
			if !perVariant {
				continue
			}
			a, b := ours.req[i], base.req[i]
			if len(a) != len(b) {
				return fmt.Errorf("chain %s: %s: explosion has %d items, the naive one %d", chain, t, len(a), len(b))
			}
			for id, q := range b {
				if a[id] != q {
					return fmt.Errorf("chain %s: %s: %s: quantity %g, the naive explosion %g", chain, t, id, a[id], q)
				}
			}
		}
		for id, l := range base.llc {
			if got, ok := ours.llc[id]; !ok || got != l {
				return fmt.Errorf("chain %s: %s: low-level code %d, the naive one %d", chain, id, got, l)
			}
		}
		return nil
	}
	return f, nil
}
