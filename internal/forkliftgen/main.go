// Command forkliftgen writes the forklift demo's super BOM, routings, work
// centers and plant data (testdata/forklift/*.csv) from hand-written named
// assemblies and generated families of standard parts. The output depends
// only on the seed and on forklift.ctm, whose characteristics it checks
// every condition and quantity formula against.
//
//	go run ./internal/forkliftgen -out testdata/forklift
package main

import (
	"bytes"
	"encoding/csv"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/ctoplan/ctoplan/configurator"
)

// defaultSeed is the seed of the committed data.
const defaultSeed = 20261201

func main() {
	out := flag.String("out", "testdata/forklift", "output directory")
	model := flag.String("model", "", "forklift model (default OUT/forklift.ctm)")
	seed := flag.Uint64("seed", defaultSeed, "random seed for the generated long tail")
	flag.Parse()
	if *model == "" {
		*model = filepath.Join(*out, "forklift.ctm")
	}
	files, err := generate(*model, *seed)
	if err != nil {
		fmt.Fprintln(os.Stderr, "forkliftgen:", err)
		os.Exit(1)
	}
	for _, name := range sortedKeys(files) {
		if err := os.WriteFile(filepath.Join(*out, name), files[name], 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "forkliftgen:", err)
			os.Exit(1)
		}
	}
}

// generate builds all CSV files in memory, keyed by file name.
func generate(modelPath string, seed uint64) (map[string][]byte, error) {
	_, _, files, err := build(modelPath, seed)
	return files, err
}

// build generates and validates the plant data; it returns the generator's
// state and the model for tests.
func build(modelPath string, seed uint64) (*gen, *configurator.Model, map[string][]byte, error) {
	m, err := configurator.ParseFile(modelPath)
	if err != nil {
		return nil, nil, nil, err
	}
	g := newGen(seed)
	g.workCenters()
	p := g.standardParts()
	g.truck(p)
	g.useLeftovers()
	if err := g.validate(m); err != nil {
		return nil, nil, nil, err
	}
	dem, err := g.demands(m)
	if err != nil {
		return nil, nil, nil, err
	}
	needed, err := g.needed(m)
	if err != nil {
		return nil, nil, nil, err
	}
	g.order()
	files := map[string][]byte{}
	files["items.csv"] = writeCSV([]string{"item", "description", "description_zh", "uom", "kind", "lead_time_days", "unit_cost",
		"lot_policy", "lot_qty", "min_qty", "max_qty", "multiple", "safety_stock", "scrap_pct", "model"}, g.itemRows())
	files["bom.csv"] = writeCSV([]string{"parent", "component", "qty_per", "scrap_pct", "valid_from", "valid_to", "condition", "position"}, g.lineRows())
	files["routings.csv"] = writeCSV([]string{"item", "op_seq", "work_center", "setup_hours", "run_hours_per_unit", "condition", "description"}, g.opRows())
	files["workcenters.csv"] = writeCSV([]string{"work_center", "description", "rate_per_hour", "capacity_hours_per_day", "units"}, g.wcRows())
	files["stock.csv"] = writeCSV([]string{"item", "qty"}, g.stock())
	files["receipts.csv"] = writeCSV([]string{"id", "item", "qty", "due_date", "kind"}, g.receipts(needed))
	files["demands.csv"] = writeCSV([]string{"id", "item", "qty", "due_date", "priority", "config"}, dem)
	files["calendar.csv"] = writeCSV([]string{"date", "working"}, calendar())
	return g, m, files, nil
}

func writeCSV(header []string, rows [][]string) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(header)
	w.WriteAll(rows) // flushes; a bytes.Buffer never fails
	return b.Bytes()
}

func (g *gen) itemRows() [][]string {
	rows := make([][]string, 0, len(g.items))
	for _, it := range g.items {
		rows = append(rows, []string{it.ID, it.Desc, it.DescZh, it.UOM, it.Kind, strconv.Itoa(it.LeadTime), money(it.Cost),
			it.LotPolicy, num(it.LotQty), num(it.MinQty), num(it.MaxQty), num(it.Multiple), num(it.SafetyStock), num(it.Scrap), it.Model})
	}
	return rows
}

func (g *gen) lineRows() [][]string {
	rows := make([][]string, 0, len(g.lines))
	for _, l := range g.lines {
		rows = append(rows, []string{l.Parent, l.Component, l.Qty, num(l.Scrap), l.From, l.To, l.Cond, l.Pos})
	}
	return rows
}

func (g *gen) opRows() [][]string {
	rows := make([][]string, 0, len(g.ops))
	for _, o := range g.ops {
		rows = append(rows, []string{o.Item, strconv.Itoa(o.Seq), o.WC, num2(o.Setup), num2(o.Run), o.Cond, o.Desc})
	}
	return rows
}

func num2(f float64) string { return strconv.FormatFloat(round2(f), 'f', -1, 64) }

func (g *gen) wcRows() [][]string {
	var rows [][]string
	for _, w := range g.wcs {
		rows = append(rows, []string{w.ID, w.Desc, money(w.Rate), num(w.Hours), strconv.Itoa(w.Units)})
	}
	return rows
}

// order sorts items top-down (by level below FL-TRUCK, then as created),
// BOM lines by parent in that order and position, operations by item.
func (g *gen) order() {
	lv := g.levels("FL-TRUCK")
	level := func(id string) int {
		if d, ok := lv[id]; ok {
			return d
		}
		return 1 << 20
	}
	sort.SliceStable(g.items, func(i, j int) bool { return level(g.items[i].ID) < level(g.items[j].ID) })
	rank := map[string]int{}
	for i, it := range g.items {
		rank[it.ID] = i
	}
	sort.SliceStable(g.lines, func(i, j int) bool {
		a, b := g.lines[i], g.lines[j]
		if a.Parent != b.Parent {
			return rank[a.Parent] < rank[b.Parent]
		}
		return a.Pos < b.Pos
	})
	sort.SliceStable(g.ops, func(i, j int) bool {
		a, b := g.ops[i], g.ops[j]
		if a.Item != b.Item {
			return rank[a.Item] < rank[b.Item]
		}
		return a.Seq < b.Seq
	})
}

// useLeftovers puts every standard part that no assembly picked into an
// assembly where such a part belongs, so the item master holds no orphans.
func (g *gen) useLeftovers() {
	used := map[string]bool{"FL-TRUCK": true}
	for _, l := range g.lines {
		used[l.Component] = true
	}
	assembled := map[string]bool{} // items with an assembly operation
	for _, o := range g.ops {
		if strings.HasPrefix(o.WC, "ASSY-") {
			assembled[o.Item] = true
		}
	}
	byPrefix := func(prefixes ...string) []string {
		var out []string
		for _, it := range g.items {
			if it.Kind != "make" || it.ID == "FL-TRUCK" || !assembled[it.ID] {
				continue
			}
			for _, p := range prefixes {
				if strings.HasPrefix(it.ID, p) {
					out = append(out, it.ID)
					break
				}
			}
		}
		return out
	}
	homes := []struct {
		prefixes []string
		parents  []string
		qty      [2]int
	}{
		{[]string{"BOLT-", "NUT", "WASHER-", "SCREW-", "PIN-", "CIRCLIP-", "GREASE-NIPPLE-"},
			byPrefix("MAST-STAGE-", "DRV-AXLE-", "STR-AXLE-", "HOOD-ASSY-", "CAB-", "ATT-SS-C", "SHEAVE-ASSY-"), [2]int{2, 8}},
		{[]string{"HOSE-HP-", "FIT-", "PCLIP-"}, []string{"HYD-ASSY", "MAST-ASSY", "DRV-ASSY"}, [2]int{1, 2}},
		{[]string{"BRG-"}, byPrefix("DRV-AXLE-", "STR-AXLE-", "SHEAVE-ASSY-", "MAST-STAGE-"), [2]int{2, 4}},
		{[]string{"ORING-", "SEAL-", "WIPER-", "GUIDE-RING-"}, byPrefix("LIFTCYL-", "TILTCYL-", "STR-CYL-", "ATT-SS-CYL-"), [2]int{1, 2}},
		{[]string{"WIRE-", "CABLE-", "CON-", "TERM-", "LUG-", "FUSE-", "RELAY-", "CABLETIE-", "GROMMET-", "CONDUIT-", "HEATSHRINK-"},
			byPrefix("HARN-MAIN-", "HARN-BATT-"), [2]int{1, 6}},
	}
	for _, it := range g.items {
		if used[it.ID] || it.Kind != "buy" {
			continue
		}
		for _, h := range homes {
			match := false
			for _, p := range h.prefixes {
				if strings.HasPrefix(it.ID, p) {
					match = true
					break
				}
			}
			if !match || len(h.parents) == 0 {
				continue
			}
			parent := h.parents[g.r.intn(len(h.parents))]
			g.add(parent, it.ID, g.r.between(h.qty[0], h.qty[1]), "")
			used[it.ID] = true
			break
		}
	}
}

// validate checks the generated data the way the importer will: items
// exist, kinds fit, conditions and formulas read against the model,
// effectivity never overlaps, the structure has no cycle.
func (g *gen) validate(m *configurator.Model) error {
	var errs []string
	wcs := map[string]bool{}
	for _, w := range g.wcs {
		wcs[w.ID] = true
	}
	for i, l := range g.lines {
		row := i + 2
		if l.Component == "" || !g.has(l.Component) || !g.has(l.Parent) {
			errs = append(errs, fmt.Sprintf("bom.csv:%d: unknown item in line %s -> %q", row, l.Parent, l.Component))
			continue
		}
		if g.byID[l.Parent].Kind == "buy" {
			errs = append(errs, fmt.Sprintf("bom.csv:%d: parent %s is a bought item", row, l.Parent))
		}
		if l.Cond != "" {
			if _, err := configurator.ParseExpr(m, configurator.Pos{File: "bom.csv", Line: row, Col: 1}, l.Cond); err != nil {
				errs = append(errs, fmt.Sprintf("bom.csv:%d: condition: %v", row, err))
			}
		}
		if f, err := strconv.ParseFloat(l.Qty, 64); err == nil {
			if f <= 0 {
				errs = append(errs, fmt.Sprintf("bom.csv:%d: qty_per %s", row, l.Qty))
			}
		} else if _, err := configurator.ParseIntExpr(m, configurator.Pos{File: "bom.csv", Line: row, Col: 1}, l.Qty); err != nil {
			errs = append(errs, fmt.Sprintf("bom.csv:%d: qty_per: %v", row, err))
		}
	}
	for i, o := range g.ops {
		row := i + 2
		if !wcs[o.WC] {
			errs = append(errs, fmt.Sprintf("routings.csv:%d: unknown work center %s", row, o.WC))
		}
		if it := g.byID[o.Item]; it == nil || it.Kind != "make" {
			errs = append(errs, fmt.Sprintf("routings.csv:%d: %s is not a make item", row, o.Item))
		}
		if o.Cond != "" {
			if _, err := configurator.ParseExpr(m, configurator.Pos{File: "routings.csv", Line: row, Col: 1}, o.Cond); err != nil {
				errs = append(errs, fmt.Sprintf("routings.csv:%d: condition: %v", row, err))
			}
		}
	}
	// Effectivity: lines with the same parent, component, position and
	// condition must not overlap.
	type key struct{ parent, comp, pos, cond string }
	spans := map[key][][2]string{}
	for _, l := range g.lines {
		k := key{l.Parent, l.Component, l.Pos, l.Cond}
		from, to := l.From, l.To
		if from == "" {
			from = "0000-00-00"
		}
		if to == "" {
			to = "9999-99-99"
		}
		for _, s := range spans[k] {
			if from <= s[1] && s[0] <= to {
				errs = append(errs, fmt.Sprintf("bom.csv: overlapping effectivity %s -> %s at %s", l.Parent, l.Component, l.Pos))
			}
		}
		spans[k] = append(spans[k], [2]string{from, to})
	}
	for _, it := range g.items {
		if it.Kind == "phantom" && g.opSeq[it.ID] > 0 {
			errs = append(errs, fmt.Sprintf("items.csv: phantom %s has a routing", it.ID))
		}
	}
	if cyc := g.cycle(); cyc != "" {
		errs = append(errs, "bom.csv: cycle "+cyc)
	}
	if len(errs) > 0 {
		sort.Strings(errs)
		return fmt.Errorf("%d problems:\n%s", len(errs), strings.Join(errs, "\n"))
	}
	return nil
}

// cycle returns a cycle of the BOM as "A -> B -> A", or "".
func (g *gen) cycle() string {
	kids := map[string][]string{}
	for _, l := range g.lines {
		kids[l.Parent] = append(kids[l.Parent], l.Component)
	}
	state := map[string]int{} // 1 on stack, 2 done
	var path []string
	var found string
	var visit func(id string) bool
	visit = func(id string) bool {
		state[id] = 1
		path = append(path, id)
		for _, k := range kids[id] {
			if state[k] == 1 {
				found = strings.Join(append(path, k), " -> ")
				return true
			}
			if state[k] == 0 && visit(k) {
				return true
			}
		}
		path = path[:len(path)-1]
		state[id] = 2
		return false
	}
	for _, it := range g.items {
		if state[it.ID] == 0 && visit(it.ID) {
			return found
		}
	}
	return ""
}
