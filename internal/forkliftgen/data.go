package main

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Item is one row of items.csv.
type Item struct {
	ID, Desc, DescZh, UOM, Kind string
	LeadTime                    int
	Cost                        float64
	LotPolicy                   string
	LotQty, MinQty, MaxQty      float64
	Multiple, SafetyStock       float64
	Scrap                       float64
	Model                       string
}

// Line is one row of bom.csv. Qty is a decimal number or an integer
// expression of the model language.
type Line struct {
	Parent, Component, Qty string
	Scrap                  float64
	From, To               string
	Cond                   string
	Pos                    string
}

// Op is one row of routings.csv.
type Op struct {
	Item       string
	Seq        int
	WC         string
	Setup, Run float64
	Cond, Desc string
}

// WorkCenter is one row of workcenters.csv.
type WorkCenter struct {
	ID, Desc    string
	Rate, Hours float64
	Units       int
}

// rng is a small deterministic generator (splitmix64), so that the output
// never depends on the standard library's random algorithms.
type rng struct{ s uint64 }

func (r *rng) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// intn returns an integer in [0, n).
func (r *rng) intn(n int) int { return int(r.next() % uint64(n)) }

// between returns an integer in [lo, hi].
func (r *rng) between(lo, hi int) int { return lo + r.intn(hi-lo+1) }

func round2(f float64) float64 {
	return float64(int64(f*100+0.5)) / 100
}

// gen accumulates the plant's master data in insertion order.
type gen struct {
	r     *rng
	items []*Item
	byID  map[string]*Item
	lines []Line
	pos   map[string]int // next position per parent
	ops   []Op
	opSeq map[string]int
	wcs   []WorkCenter
}

func newGen(seed uint64) *gen {
	return &gen{r: &rng{s: seed}, byID: map[string]*Item{}, pos: map[string]int{}, opSeq: map[string]int{}}
}

func (g *gen) item(it *Item) *Item {
	if old, ok := g.byID[it.ID]; ok {
		return old
	}
	g.items = append(g.items, it)
	g.byID[it.ID] = it
	return it
}

// buy declares a purchased item (once; later calls return the first).
func (g *gen) buy(id, desc, zh, uom string, lt int, cost float64) *Item {
	return g.item(&Item{ID: id, Desc: desc, DescZh: zh, UOM: uom, Kind: "buy", LeadTime: lt, Cost: round2(cost)})
}

// mk declares a manufactured item.
func (g *gen) mk(id, desc, zh string, lt int) *Item {
	return g.item(&Item{ID: id, Desc: desc, DescZh: zh, UOM: "pc", Kind: "make", LeadTime: lt})
}

// phantom declares a kit that is never stocked.
func (g *gen) phantom(id, desc, zh string) *Item {
	return g.item(&Item{ID: id, Desc: desc, DescZh: zh, UOM: "pc", Kind: "phantom"})
}

func (g *gen) has(id string) bool { _, ok := g.byID[id]; return ok }

// add appends a BOM line. comp is a part number or an *Item; qty is a
// float64, an int or an expression string.
func (g *gen) add(parent string, comp any, qty any, cond string) *Line {
	g.pos[parent] += 10
	l := Line{Parent: parent, Component: ref(comp), Qty: qtyString(qty), Cond: cond, Pos: fmt.Sprintf("%04d", g.pos[parent])}
	g.lines = append(g.lines, l)
	return &g.lines[len(g.lines)-1]
}

// addScrap appends a line with component scrap.
func (g *gen) addScrap(parent string, comp any, qty any, scrap float64, cond string) {
	l := g.add(parent, comp, qty, cond)
	l.Scrap = scrap
}

// change appends a pair of lines at one position: old until the day before
// date, its successor from date on.
func (g *gen) change(parent, oldComp, newComp string, qty any, date, cond string) {
	g.pos[parent] += 10
	p := fmt.Sprintf("%04d", g.pos[parent])
	g.lines = append(g.lines,
		Line{Parent: parent, Component: oldComp, Qty: qtyString(qty), Cond: cond, Pos: p, To: dayBefore(date)},
		Line{Parent: parent, Component: newComp, Qty: qtyString(qty), Cond: cond, Pos: p, From: date})
}

func (g *gen) op(item, wc string, setup, run float64, cond, desc string) {
	g.opSeq[item] += 10
	g.ops = append(g.ops, Op{Item: item, Seq: g.opSeq[item], WC: wc, Setup: setup, Run: run, Cond: cond, Desc: desc})
}

// altOp adds an operation with the same number as the previous one of item
// (an alternative selected by a different condition).
func (g *gen) altOp(item, wc string, setup, run float64, cond, desc string) {
	g.ops = append(g.ops, Op{Item: item, Seq: g.opSeq[item], WC: wc, Setup: setup, Run: run, Cond: cond, Desc: desc})
}

// ref returns the part number of a string or an *Item.
func ref(c any) string {
	switch v := c.(type) {
	case string:
		return v
	case *Item:
		return v.ID
	}
	panic(fmt.Sprintf("forkliftgen: bad component %T", c))
}

func qtyString(q any) string {
	switch v := q.(type) {
	case int:
		return strconv.Itoa(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case string:
		return v
	}
	panic(fmt.Sprintf("forkliftgen: bad quantity %T", q))
}

func num(f float64) string {
	if f == 0 {
		return ""
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

func money(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) }

// inSet formats "char in {a, b}" (or "char = a" for one value).
func inSet(char string, vals ...string) string {
	if len(vals) == 1 {
		return char + " = " + vals[0]
	}
	return char + " in {" + strings.Join(vals, ", ") + "}"
}

// and joins non-empty conditions with "and", parenthesising disjunctions.
func and(conds ...string) string {
	var parts []string
	for _, c := range conds {
		if c == "" {
			continue
		}
		if strings.Contains(c, " or ") || strings.Contains(c, "->") {
			c = "(" + c + ")"
		}
		parts = append(parts, c)
	}
	return strings.Join(parts, " and ")
}

// levels computes the depth of every item below root (0 = root), the
// longest path, for the report and the tests.
func (g *gen) levels(root string) map[string]int {
	kids := map[string][]string{}
	for _, l := range g.lines {
		kids[l.Parent] = append(kids[l.Parent], l.Component)
	}
	depth := map[string]int{}
	var walk func(id string, d int)
	walk = func(id string, d int) {
		if old, ok := depth[id]; ok && old >= d {
			return
		}
		depth[id] = d
		for _, k := range kids[id] {
			walk(k, d+1)
		}
	}
	walk(root, 0)
	return depth
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
