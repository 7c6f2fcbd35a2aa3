package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ctoplan/ctoplan/configurator"
)

const testdataDir = "../../testdata/forklift"

func buildTest(t *testing.T) (*gen, *configurator.Model, map[string][]byte) {
	t.Helper()
	g, m, files, err := build(filepath.Join(testdataDir, "forklift.ctm"), defaultSeed)
	if err != nil {
		t.Fatal(err)
	}
	return g, m, files
}

// The committed CSV files are exactly what the generator writes: edit the
// generator, then run go run ./internal/forkliftgen -out testdata/forklift.
func TestCommittedFilesMatchGenerator(t *testing.T) {
	_, _, files := buildTest(t)
	for _, name := range sortedKeys(files) {
		got, err := os.ReadFile(filepath.Join(testdataDir, name))
		if err != nil {
			t.Errorf("%s: %v (run go run ./internal/forkliftgen -out testdata/forklift)", name, err)
			continue
		}
		if !bytes.Equal(got, files[name]) {
			gl, wl := strings.Split(string(got), "\n"), strings.Split(string(files[name]), "\n")
			line := 0
			for line < len(gl) && line < len(wl) && gl[line] == wl[line] {
				line++
			}
			t.Errorf("testdata/forklift/%s differs from the generator's output from line %d on; run go run ./internal/forkliftgen -out testdata/forklift", name, line+1)
		}
	}
}

func TestGeneratorIsDeterministic(t *testing.T) {
	_, _, a := buildTest(t)
	_, _, b := buildTest(t)
	for name := range a {
		if !bytes.Equal(a[name], b[name]) {
			t.Errorf("%s: two runs with the same seed differ", name)
		}
	}
}

// The super BOM has the shape the demo promises.
func TestShape(t *testing.T) {
	g, _, _ := buildTest(t)
	if n := len(g.items); n < 1500 {
		t.Errorf("%d items, want at least 1500", n)
	}
	lv := g.levels("FL-TRUCK")
	maxDepth := 0
	for _, d := range lv {
		maxDepth = max(maxDepth, d)
	}
	if maxDepth < 5 {
		t.Errorf("BOM depth %d, want at least 6 levels (depth 5)", maxDepth)
	}
	for _, it := range g.items {
		if _, ok := lv[it.ID]; !ok {
			t.Errorf("item %s is not used below FL-TRUCK", it.ID)
		}
	}
	kinds := map[string]int{}
	for _, it := range g.items {
		kinds[it.Kind]++
		if it.Kind == "make" && g.opSeq[it.ID] == 0 {
			t.Errorf("make item %s has no routing", it.ID)
		}
		if it.Kind == "buy" && (it.LeadTime < 2 || it.LeadTime > 40) {
			t.Errorf("buy item %s: lead time %d outside 2-40", it.ID, it.LeadTime)
		}
		if it.Kind == "make" && (it.LeadTime < 1 || it.LeadTime > 10) {
			t.Errorf("make item %s: lead time %d outside 1-10", it.ID, it.LeadTime)
		}
	}
	if kinds["phantom"] < 5 {
		t.Errorf("%d phantoms, want several", kinds["phantom"])
	}
	parents := map[string]map[string]bool{}
	var scrap, formulas, conds int
	for _, l := range g.lines {
		if parents[l.Component] == nil {
			parents[l.Component] = map[string]bool{}
		}
		parents[l.Component][l.Parent] = true
		if l.Scrap > 0 {
			scrap++
		}
		if !isNumber(l.Qty) {
			formulas++
		}
		if l.Cond != "" {
			conds++
		}
	}
	shared := 0
	for _, ps := range parents {
		if len(ps) >= 5 {
			shared++
		}
	}
	if shared < 20 {
		t.Errorf("%d parts used in 5 or more assemblies, want at least 20", shared)
	}
	if scrap == 0 || formulas < 5 || conds < 300 {
		t.Errorf("lines with scrap %d, formulas %d, conditions %d: too few", scrap, formulas, conds)
	}
	// Effectivity changes come in pairs: the successor starts the day after
	// its predecessor ends, at the same position.
	type key struct{ parent, pos, cond string }
	ends := map[key]string{}
	starts := map[key]string{}
	for _, l := range g.lines {
		k := key{l.Parent, l.Pos, l.Cond}
		if l.To != "" {
			ends[k] = l.To
		}
		if l.From != "" {
			starts[k] = l.From
		}
	}
	if len(ends) < 5 {
		t.Errorf("%d effectivity changes, want several", len(ends))
	}
	for k, to := range ends {
		if from, ok := starts[k]; !ok || dayBefore(from) != to {
			t.Errorf("%s %s: line ends %s but successor starts %q", k.parent, k.pos, to, starts[k])
		}
	}
}

// checkComplete resolves cfg's truck and checks that every alternative
// family picks what a buildable truck needs: one frame, the right number of
// mast stages, one controller, forks unless a clamp, and so on.
func (r *resolver) checkComplete(cfg configurator.Configuration, date string) error {
	one := func(c string) string {
		if v := cfg[c]; len(v) == 1 {
			return v[0]
		}
		return ""
	}
	count := func(parent string, prefixes ...string) (int, float64, error) {
		ls, err := r.lines(parent, cfg, date)
		if err != nil {
			return 0, 0, err
		}
		n, q := 0, 0.0
		for _, l := range ls {
			for _, p := range prefixes {
				if strings.HasPrefix(l.comp, p) {
					n++
					q += l.qty
					break
				}
			}
		}
		return n, q, nil
	}
	stages := map[string]int{"duplex": 2, "duplex_ffl": 2, "triplex": 3, "quad": 4}[one("mast")]
	forks := 2.0
	if one("load_backrest") == "" {
		forks = 0
	}
	cabins := 1
	if one("cabin") == "roof_guard" {
		cabins = 0
	}
	tyres := 4.0
	if one("dual_front") == "true" {
		tyres = 6
	}
	want := []struct {
		parent   string
		prefixes []string
		lines    int
		qty      float64 // 0: do not check
	}{
		{"FL-TRUCK", []string{"FRM-ASSY"}, 1, 1},
		{"FL-TRUCK", []string{"STR-AXLE-", "STR-TURNTABLE-"}, 1, 1},
		{"FL-TRUCK", []string{"FORK-"}, int(forks / 2), forks},
		{"FL-TRUCK", []string{"TYRE-"}, 2, tyres},
		{"FL-TRUCK", []string{"CHG-"}, 1, 1},
		{"FL-TRUCK", []string{"SEAT-"}, 1, 1},
		{"FL-TRUCK", []string{"PEDAL-"}, 1, 1},
		{"FL-TRUCK", []string{"HORN-"}, 1, 1},
		{"FL-TRUCK", []string{"MAN-OP-"}, 1, 1},
		{"FL-TRUCK", []string{"DECAL-LOADCHART-"}, 1, 1},
		{"FL-TRUCK", []string{"KIT-DECAL-"}, 1, 1},
		{"FL-TRUCK", []string{"OIL-"}, 1, 0},
		{"FL-TRUCK", []string{"PAINT-RAL", "PAINT-CUSTOM"}, 1, 0},
		{"FRM-ASSY", []string{"FRM-WLD-"}, 1, 1},
		{"FRM-ASSY", []string{"HOOD-ASSY-"}, 1, 1},
		{"MAST-ASSY", []string{"MAST-STAGE-"}, stages, float64(stages)},
		{"MAST-ASSY", []string{"FC-C"}, 1, 1},
		{"MAST-ASSY", []string{"LIFTCYL-MAIN-"}, 1, 2},
		{"MAST-ASSY", []string{"TILTCYL-"}, 1, 2},
		{"DRV-ASSY", []string{"DRV-AXLE-"}, 1, 1},
		{"DRV-ASSY", []string{"MOT-TRAC-"}, 1, 0},
		{"HYD-ASSY", []string{"MOT-PUMP-"}, 1, 1},
		{"HYD-ASSY", []string{"PUMP-GEAR-"}, 1, 1},
		{"HYD-ASSY", []string{"VALVE-MAIN-"}, 1, 1},
		{"HYD-ASSY", []string{"HYD-TANK-"}, 1, 1},
		{"ELE-ASSY", []string{"MC-TRAC-", "MC-DUAL-"}, 1, 1},
		{"ELE-ASSY", []string{"MC-PUMP-"}, 1, 1},
		{"ELE-ASSY", []string{"HARN-MAIN-"}, 1, 1},
		{"ELE-ASSY", []string{"DISPLAY-"}, 1, 1},
		{"OPG-ASSY", []string{"OHG-"}, 1, 1},
		{"OPG-ASSY", []string{"CAB-"}, cabins, float64(cabins)},
		{"CWT-ASSY", []string{"CWT-CAST-"}, 1, 1},
		{"BAT-PACK", []string{"BAT-TRAY-"}, 1, 1},
		{"BAT-PACK", []string{"BAT-PLUG-160A", "BAT-PLUG-320A"}, 1, 1},
		{"BAT-PACK", []string{"CELL-PZS-", "MOD-LFP-"}, 1, 0},
	}
	for _, w := range want {
		n, q, err := count(w.parent, w.prefixes...)
		if err != nil {
			return err
		}
		if n != w.lines || (w.qty != 0 && q != w.qty) {
			return fmt.Errorf("%s on %s: %d lines of %v with quantity %g, want %d lines, quantity %g", w.parent, date, n, w.prefixes, q, w.lines, w.qty)
		}
	}
	// Every line of every assembly reached evaluates without error.
	_, err := r.reach("FL-TRUCK", cfg, date)
	return err
}

// The sales orders carry full valid configurations, and their trucks
// resolve completely.
func TestDemandConfigurations(t *testing.T) {
	g, m, _ := buildTest(t)
	r, err := newResolver(g, m)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range salesOrders {
		cfg, err := o.configuration(m)
		if err != nil {
			t.Fatal(err)
		}
		for _, date := range []string{planningDate, "2027-06-01"} {
			if err := r.checkComplete(cfg, date); err != nil {
				t.Errorf("%s: %v", o.id, err)
			}
		}
	}
}

// The model has valid configurations, every value is possible (no dead
// values), none is forced, and the all-defaults configuration is valid.
func TestModelHealth(t *testing.T) {
	_, m, _ := buildTest(t)
	cfg := configurator.Configuration{}
	for _, c := range m.Chars {
		if len(c.Default) == 0 {
			t.Errorf("%s has no default", c.Name)
		}
		cfg[c.Name] = c.Default
		if len(c.Labels["en"]) == 0 || len(c.Labels["zh"]) == 0 {
			t.Errorf("%s: missing en or zh label", c.Name)
		}
		for _, v := range c.Values {
			if len(v.Labels["en"]) == 0 || len(v.Labels["zh"]) == 0 {
				t.Errorf("%s=%s: missing en or zh label", c.Name, v.Name)
			}
		}
	}
	if bad, err := m.Violations(cfg); err != nil || len(bad) > 0 {
		t.Errorf("all-defaults configuration breaks %v (%v)", bad, err)
	}
	for _, r := range m.Rules {
		if r.Message["en"] == "" || r.Message["zh"] == "" {
			t.Errorf("rule %s: missing en or zh message", r.Name)
		}
	}
	for _, tb := range m.Tables {
		if tb.Message["en"] == "" || tb.Message["zh"] == "" {
			t.Errorf("table %s: missing en or zh message", tb.Name)
		}
	}
	if len(m.Chars) < 30 || len(m.Rules)+len(m.Tables) < 80 {
		t.Errorf("%d characteristics, %d rules and tables: too small", len(m.Chars), len(m.Rules)+len(m.Tables))
	}
	c, err := configurator.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	d, err := c.Propagate(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !d.Valid {
		t.Fatal("the forklift model has no valid configuration")
	}
	for _, cd := range d.Chars {
		for _, v := range cd.Values {
			if v.Status == configurator.Excluded {
				t.Errorf("dead value %s=%q", cd.Char, v.Value)
			}
			if v.Status == configurator.Forced {
				t.Errorf("forced value %s=%q", cd.Char, v.Value)
			}
		}
	}
}

// randomConfiguration walks the characteristics in random order and picks a
// random possible value each time; complete propagation guarantees the walk
// never gets stuck.
func randomConfiguration(ctx context.Context, c *configurator.Compiled, m *configurator.Model, r *rng) (configurator.Configuration, error) {
	var picks []configurator.Pick
	order := make([]*configurator.Characteristic, len(m.Chars))
	copy(order, m.Chars)
	for i := len(order) - 1; i > 0; i-- {
		j := r.intn(i + 1)
		order[i], order[j] = order[j], order[i]
	}
	domain := func(d *configurator.Domains, name string) []configurator.ValueStatus {
		for _, cd := range d.Chars {
			if cd.Char == name {
				return cd.Values
			}
		}
		return nil
	}
	for _, ch := range order {
		d, err := c.Propagate(ctx, picks)
		if err != nil {
			return nil, err
		}
		if !d.Valid {
			return nil, fmt.Errorf("picks %v became invalid", picks)
		}
		if ch.Kind == configurator.Multi {
			for i := range domain(d, ch.Name) {
				v := domain(d, ch.Name)[i] // d changes after each pick
				if v.Status != configurator.Possible {
					continue
				}
				picks = append(picks, configurator.Pick{Char: ch.Name, Value: v.Value, Exclude: r.intn(3) != 0})
				if d, err = c.Propagate(ctx, picks); err != nil || !d.Valid {
					return nil, fmt.Errorf("picks %v: invalid (%v)", picks, err)
				}
			}
			continue
		}
		var cand []string
		for _, v := range domain(d, ch.Name) {
			if v.Status != configurator.Excluded {
				cand = append(cand, v.Value)
			}
		}
		if len(cand) == 0 {
			return nil, fmt.Errorf("%s has no possible value after %v", ch.Name, picks)
		}
		picks = append(picks, configurator.Pick{Char: ch.Name, Value: cand[r.intn(len(cand))]})
	}
	d, err := c.Propagate(ctx, picks)
	if err != nil || !d.Valid {
		return nil, fmt.Errorf("final picks invalid (%v)", err)
	}
	cfg := configurator.Configuration{}
	for _, cd := range d.Chars {
		vals := []string{}
		for _, v := range cd.Values {
			if (v.Status == configurator.Selected || v.Status == configurator.Forced) && v.Value != "" {
				vals = append(vals, v.Value)
			}
		}
		cfg[cd.Char] = vals
	}
	return cfg, nil
}

// Random valid configurations (drawn through the configurator's complete
// propagation) resolve to complete trucks: every condition and formula
// evaluates, and each alternative family contributes exactly what it should.
func TestRandomConfigurationsResolve(t *testing.T) {
	g, m, _ := buildTest(t)
	c, err := configurator.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	res, err := newResolver(g, m)
	if err != nil {
		t.Fatal(err)
	}
	n := 12
	if testing.Short() {
		n = 3
	}
	if s := os.Getenv("FORKLIFT_RANDOM_CONFIGS"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	r := &rng{s: 7}
	for i := 0; i < n; i++ {
		cfg, err := randomConfiguration(context.Background(), c, m, r)
		if err != nil {
			t.Fatal(err)
		}
		if bad, err := m.Violations(cfg); err != nil || len(bad) > 0 {
			t.Fatalf("engine's configuration %v breaks %v (%v)", cfg, bad, err)
		}
		for _, date := range []string{planningDate, "2027-06-01"} {
			if err := res.checkComplete(cfg, date); err != nil {
				t.Errorf("configuration %d: %v\n%v", i, err, cfg)
			}
		}
	}
}

// The README's counts are those of the generated data.
func TestReadmeCounts(t *testing.T) {
	g, m, _ := buildTest(t)
	readme, err := os.ReadFile(filepath.Join(testdataDir, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var conds, formulas int
	for _, l := range g.lines {
		if l.Cond != "" {
			conds++
		}
		if !isNumber(l.Qty) {
			formulas++
		}
	}
	for _, want := range []string{
		fmt.Sprintf("| items | %s:", thousands(len(g.items))),
		fmt.Sprintf("| BOM lines | %s: %d with a condition, %d with a quantity formula", thousands(len(g.lines)), conds, formulas),
		fmt.Sprintf("| routings | %d operations through %d work centers", len(g.ops), len(g.wcs)),
		fmt.Sprintf("%d characteristics", len(m.Chars)),
		fmt.Sprintf("%d rules, %d compatibility tables", len(m.Rules), len(m.Tables)),
	} {
		if !strings.Contains(string(readme), want) {
			t.Errorf("testdata/forklift/README.md does not say %q", want)
		}
	}
}

func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
