package bom_test

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"testing"

	"github.com/ctoplan/ctoplan/bom"
)

// Willems (2008), "Real-World Multiechelon Supply Chains Used for Inventory
// Optimization", M&SOM 10(1):19-23: 38 supply chains, stages with cost and
// time, arcs component -> parent. Read in place from ../shared/data beside
// the repository; the tests fail when it is absent.
func willemsDir(t testing.TB) string {
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(file), "..", "..", "shared", "data", "mrp", "willems2008")
	if _, err := os.Stat(filepath.Join(dir, "00_SD.csv")); err != nil {
		t.Fatalf("Willems 2008 data not found in %s (../shared/data beside the repository)", dir)
	}
	return dir
}

func readCSVFile(t testing.TB, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// willemsData turns chain n into master data: every stage an item (lead
// time stageTime, cost stageCost), every arc a line of quantity 1; stages
// without components are bought, the others made.
func willemsData(t testing.TB, dir string, n int) *bom.Data {
	sd := readCSVFile(t, filepath.Join(dir, fmt.Sprintf("%02d_SD.csv", n)))
	ll := readCSVFile(t, filepath.Join(dir, fmt.Sprintf("%02d_LL.csv", n)))
	col := func(name string) int {
		i := slices.Index(sd[0], name)
		if i < 0 {
			t.Fatalf("chain %d: no column %s", n, name)
		}
		return i
	}
	cName, cCost, cTime := col("Stage Name"), col("stageCost"), col("stageTime")
	num := func(rec []string, i int) float64 {
		if i >= len(rec) || rec[i] == "" {
			return 0
		}
		v, err := strconv.ParseFloat(rec[i], 64)
		if err != nil {
			t.Fatalf("chain %d: %v", n, err)
		}
		return v
	}
	hasKids := map[string]bool{}
	seen := map[[2]string]bool{}
	d := &bom.Data{}
	for _, a := range ll[1:] {
		if len(a) < 2 || a[0] == "" {
			continue
		}
		k := [2]string{a[0], a[1]}
		if seen[k] {
			continue
		}
		seen[k] = true
		hasKids[a[1]] = true
		d.Lines = append(d.Lines, &bom.Line{Parent: a[1], Component: a[0], Qty: 1})
	}
	for _, r := range sd[1:] {
		if len(r) == 0 || r[cName] == "" {
			continue
		}
		kind := bom.Buy
		if hasKids[r[cName]] {
			kind = bom.Make
		}
		d.Items = append(d.Items, &bom.Item{ID: r[cName], UOM: "pc", Kind: kind,
			LeadTimeDays: num(r, cTime), UnitCost: num(r, cCost)})
	}
	return d
}

// naive is an independent, obviously right computation on the raw lines.
type naive struct {
	kids, parents map[string][]string
	lt, cost      map[string]float64
}

func newNaive(d *bom.Data) *naive {
	nv := &naive{kids: map[string][]string{}, parents: map[string][]string{}, lt: map[string]float64{}, cost: map[string]float64{}}
	for _, l := range d.Lines {
		nv.kids[l.Parent] = append(nv.kids[l.Parent], l.Component)
		nv.parents[l.Component] = append(nv.parents[l.Component], l.Parent)
	}
	for _, it := range d.Items {
		nv.lt[it.ID] = it.LeadTimeDays
		nv.cost[it.ID] = it.UnitCost
	}
	return nv
}

// llc: 0 without parents, else 1 + the deepest parent (memoised recursion).
func (nv *naive) llc(id string, memo map[string]int) int {
	if v, ok := memo[id]; ok {
		return v
	}
	v := 0
	for _, p := range nv.parents[id] {
		v = max(v, nv.llc(p, memo)+1)
	}
	memo[id] = v
	return v
}

func (nv *naive) tops(id string, seen map[string]bool, out map[string]bool) {
	if seen[id] {
		return
	}
	seen[id] = true
	if len(nv.parents[id]) == 0 {
		out[id] = true
	}
	for _, p := range nv.parents[id] {
		nv.tops(p, seen, out)
	}
}

func (nv *naive) clt(id string, memo map[string]float64) float64 {
	if v, ok := memo[id]; ok {
		return v
	}
	best := 0.0
	for _, k := range nv.kids[id] {
		best = max(best, nv.clt(k, memo))
	}
	memo[id] = nv.lt[id] + best
	return memo[id]
}

// explode adds, path by path, what q units of id need (id included).
func (nv *naive) explode(id string, q float64, out map[string]float64) {
	out[id] += q
	for _, k := range nv.kids[id] {
		nv.explode(k, q, out)
	}
}

func (nv *naive) rolled(id string, memo map[string]float64) float64 {
	if v, ok := memo[id]; ok {
		return v
	}
	c := nv.cost[id]
	for _, k := range nv.kids[id] {
		c += nv.rolled(k, memo)
	}
	memo[id] = c
	return c
}

func TestWillemsChains(t *testing.T) {
	dir := willemsDir(t)
	stages, arcs := 0, 0
	for n := 0; n <= 38; n++ {
		if _, err := os.Stat(filepath.Join(dir, fmt.Sprintf("%02d_SD.csv", n))); err != nil {
			continue
		}
		if n == 38 && testing.Short() {
			continue
		}
		d := willemsData(t, dir, n)
		stages += len(d.Items)
		arcs += len(d.Lines)
		s, _ := newStore(t)
		if err := s.Import(ctx, d, nil); err != nil {
			t.Fatalf("chain %d: %v", n, err)
		}
		nv := newNaive(d)
		llc := s.LowLevelCodes()
		memo := map[string]int{}
		cltMemo, costMemo := map[string]float64{}, map[string]float64{}
		for _, it := range d.Items {
			if want := nv.llc(it.ID, memo); llc[it.ID] != want {
				t.Fatalf("chain %d: LLC %s = %d, want %d", n, it.ID, llc[it.ID], want)
			}
			want := map[string]bool{}
			nv.tops(it.ID, map[string]bool{}, want)
			got := s.WhereUsedTop(it.ID)
			if len(got) != len(want) {
				t.Fatalf("chain %d: where-used top of %s = %v, want %v", n, it.ID, got, want)
			}
			for _, g := range got {
				if !want[g] {
					t.Fatalf("chain %d: where-used top of %s has %s", n, it.ID, g)
				}
			}
			if wu := s.WhereUsed(it.ID); len(wu) != len(nv.parents[it.ID]) {
				t.Fatalf("chain %d: where-used %s has %d lines, want %d", n, it.ID, len(wu), len(nv.parents[it.ID]))
			}
			if len(nv.parents[it.ID]) > 0 {
				continue
			}
			v, err := s.Resolve(ctx, it.ID, nil, today)
			if err != nil {
				t.Fatal(err)
			}
			days, path := v.CumulativeLeadTime()
			if want := nv.clt(it.ID, cltMemo); !near(days, want) {
				t.Fatalf("chain %d: cumulative lead time of %s = %v, want %v", n, it.ID, days, want)
			}
			// The path must add up to the figure and follow real arcs.
			sum := 0.0
			for i, p := range path {
				sum += nv.lt[p]
				if i > 0 && !slices.Contains(nv.kids[path[i-1]], p) {
					t.Fatalf("chain %d: critical path %v has no arc %s -> %s", n, path, path[i-1], p)
				}
			}
			if !near(sum, days) {
				t.Fatalf("chain %d: critical path %v sums to %v, not %v", n, path, sum, days)
			}
			if got, want := v.Cost(1).Total(), nv.rolled(it.ID, costMemo); !near(got, want) {
				t.Fatalf("chain %d: rolled cost of %s = %v, want %v", n, it.ID, got, want)
			}
		}
		// Whole-structure roll-ups: one unit of every end item at once,
		// against the sum of path-by-path explosions, and every item's cost.
		demand := map[string]float64{}
		want := map[string]float64{}
		for _, it := range d.Items {
			if len(nv.parents[it.ID]) == 0 {
				demand[it.ID] = 1
				nv.explode(it.ID, 1, want)
			}
		}
		reqs, err := s.Explode(demand, today)
		if err != nil {
			t.Fatal(err)
		}
		if len(reqs) != len(want) {
			t.Fatalf("chain %d: explosion has %d items, want %d", n, len(reqs), len(want))
		}
		for _, r := range reqs {
			if !near(r.Qty, want[r.Item]) {
				t.Fatalf("chain %d: gross requirement %s = %v, want %v", n, r.Item, r.Qty, want[r.Item])
			}
		}
		costs := s.Costs(today, 1)
		for _, it := range d.Items {
			if got, want := costs[it.ID].Total(), nv.rolled(it.ID, costMemo); !near(got, want) {
				t.Fatalf("chain %d: Costs %s = %v, want %v", n, it.ID, got, want)
			}
		}
	}
	t.Logf("checked %d stages, %d arcs", stages, arcs)
}
