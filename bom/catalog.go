package bom

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ctoplan/ctoplan/configurator"
	"github.com/ctoplan/ctoplan/internal/csvtext"
)

// catalog is validated, indexed master data: immutable once built, shared
// by concurrent readers, replaced as a whole by an import.
type catalog struct {
	items   map[string]*Item
	ids     []string // sorted item ids
	lines   map[string][]*cline
	ops     map[string][]*cop
	wcs     map[string]*WorkCenter
	parents map[string][]string // component -> sorted distinct parents
	kids    map[string][]string // parent -> distinct components in line order
	models  []*Model            // by index
	byName  map[string]int      // model name -> index
	// ctxModels: for every item, the indices of the models whose
	// configuration is in force for its lines and operations.
	ctxModels map[string][]int
	// changes are the sorted days on which some line's effectivity starts or
	// ends (ValidFrom, ValidTo+1): between two of them every line is either
	// effective or not, so they bound the "epochs" a variant depends on.
	changes []Date
	rev     uint64
	data    *Data // the master data it was built from
	graph   *graph

	refMemo map[refKey][]string // see refs; read-only after build
}

// cline is a super BOM line with its condition and quantity formula parsed
// against each model in force (indexed like catalog.models; nil where not
// applicable).
type cline struct {
	*Line
	cond     []configurator.Expr
	qty      []configurator.IntExpr
	comp     *Item // the component
	compNode bool  // the component has a BOM or routing (resolves to a node)
}

type cop struct {
	*Op
	cond []configurator.Expr
}

// hasStructure reports whether id has a super BOM or a routing, i.e. is
// resolved into a node of its own.
func (c *catalog) hasStructure(id string) bool {
	return len(c.lines[id]) > 0 || len(c.ops[id]) > 0
}

// epoch returns the start of the effectivity epoch holding day: the
// greatest change day <= day, or 0.
func (c *catalog) epoch(day Date) Date {
	i := sort.Search(len(c.changes), func(i int) bool { return c.changes[i] > day })
	if i == 0 {
		return 0
	}
	return c.changes[i-1]
}

// buildCatalog validates d (the complete master data) against models and
// indexes it. All problems are returned as an ErrorList.
func buildCatalog(d *Data, models []*Model, available []string) (*catalog, error) {
	// the maps sized for the data: growing them was a fifth of the time
	// of importing a 50,000-item plant
	nParents := min(len(d.Items), len(d.Lines))
	c := &catalog{
		items:     make(map[string]*Item, len(d.Items)),
		lines:     make(map[string][]*cline, nParents),
		ops:       make(map[string][]*cop, min(len(d.Items), len(d.Ops))),
		wcs:       make(map[string]*WorkCenter, len(d.WorkCenters)),
		parents:   make(map[string][]string, nParents),
		kids:      make(map[string][]string, nParents),
		models:    models,
		byName:    map[string]int{},
		ctxModels: map[string][]int{},
	}
	for i, m := range models {
		c.byName[m.name] = i
	}
	var e errs

	// Items.
	for _, it := range d.Items {
		if it.ID == "" {
			e.addf(it.where(), "item", "value required")
			continue
		}
		if prev, ok := c.items[it.ID]; ok {
			e.addf(it.where(), "item", "item %q defined twice (also at %s)", it.ID, prev.where())
			continue
		}
		if strings.ContainsFunc(it.ID, unicode.IsControl) || !utf8.ValidString(it.ID) || strings.TrimSpace(it.ID) != it.ID {
			e.addf(it.where(), "item", "item id %q has control characters, invalid UTF-8 or surrounding blanks", it.ID)
			continue
		}
		c.items[it.ID] = it
		if c.ids == nil {
			c.ids = make([]string, 0, len(d.Items))
		}
		c.ids = append(c.ids, it.ID)
		if it.UOM == "" {
			e.addf(it.where(), "uom", "value required")
		}
		if it.Kind < Make || it.Kind > Phantom {
			e.addf(it.where(), "kind", "unknown kind %d", it.Kind)
		}
		if it.LotPolicy < LotForLot || it.LotPolicy > WagnerWhitin {
			e.addf(it.where(), "lot_policy", "unknown lot policy %d", it.LotPolicy)
		}
		for _, f := range []struct {
			col string
			v   float64
		}{{"lead_time_days", it.LeadTimeDays}, {"unit_cost", it.UnitCost}, {"lot_qty", it.LotQty},
			{"min_qty", it.MinQty}, {"max_qty", it.MaxQty}, {"multiple", it.Multiple},
			{"safety_stock", it.SafetyStock}, {"setup_cost", it.SetupCost}, {"holding_cost", it.HoldingCost}} {
			switch {
			case f.v > 1e15:
				e.addf(it.where(), f.col, "%v is too large (at most 1e15)", f.v)
			case !(f.v >= 0):
				e.addf(it.where(), f.col, "must be a non-negative number, got %v", f.v)
			}
		}
		if !(it.ScrapPct >= 0 && it.ScrapPct < 100) {
			e.addf(it.where(), "scrap_pct", "percent must be in [0, 100), got %v", it.ScrapPct)
		}
		if it.MaxQty > 0 && it.MinQty > it.MaxQty {
			e.addf(it.where(), "max_qty", "max_qty %v is below min_qty %v", it.MaxQty, it.MinQty)
		} else if col, msg := lotBoundsProblem(it.MinQty, it.MaxQty, it.Multiple); msg != "" {
			e.addf(it.where(), col, "%s", msg)
		}
		if it.LotPolicy == FixedQty && it.LotQty <= 0 {
			e.addf(it.where(), "lot_qty", "lot policy foq needs a positive lot_qty")
		}
		if it.LotPolicy == PeriodQty && it.LotQty < 1 {
			e.addf(it.where(), "lot_qty", "lot policy poq needs lot_qty >= 1 (periods)")
		}
		if it.Kind == Phantom && it.Model != "" {
			e.addf(it.where(), "model", "a phantom cannot be configurable (item %s)", it.ID)
		}
		if it.LeadTimeFromRouting && it.Kind != Make {
			e.addf(it.where(), "lead_time_days", "only make items derive their lead time from a routing (item %s is %s)", it.ID, it.Kind)
		}
		if it.Model != "" {
			if _, ok := c.byName[it.Model]; !ok {
				e.addf(it.where(), "model", "unknown model %q%s", it.Model, suggest(it.Model, append(modelNames(models), available...)))
			}
		}
	}
	slices.Sort(c.ids)

	// Work centers.
	for _, w := range d.WorkCenters {
		if w.ID == "" {
			e.addf(w.where(), "work_center", "value required")
			continue
		}
		if prev, ok := c.wcs[w.ID]; ok {
			e.addf(w.where(), "work_center", "work center %q defined twice (also at %s)", w.ID, prev.where())
			continue
		}
		if !(w.RatePerHour >= 0) || !(w.HoursPerDay >= 0 && w.HoursPerDay <= 24) {
			e.addf(w.where(), "rate_per_hour", "rate and capacity must be non-negative (capacity at most 24 h/day)")
		}
		if w.Units < 0 || w.Units > MaxUnits || !(w.Efficiency >= 0 && w.Efficiency <= 10) {
			e.addf(w.where(), "units", "units %d not in [0, %d] or efficiency %v not in [0, 10]", w.Units, MaxUnits, w.Efficiency)
		}
		c.wcs[w.ID] = w
	}

	// Lines.
	for _, l := range d.Lines {
		ok := true
		p, c2 := c.items[l.Parent], c.items[l.Component]
		if p == nil {
			e.addf(l.where(), "parent", "unknown item %q%s", l.Parent, suggestItem(c, l.Parent))
			ok = false
		} else if p.Kind == Buy {
			e.addf(l.where(), "parent", "%s is a buy item; only make and phantom items have a bill of materials", l.Parent)
		}
		if c2 == nil {
			e.addf(l.where(), "component", "unknown item %q%s", l.Component, suggestItem(c, l.Component))
			ok = false
		}
		switch {
		case l.QtyExpr != "":
		case l.Qty >= 1e12:
			e.addf(l.where(), "qty_per", "quantity %v is too large (below 1e12) (line %s -> %s)", l.Qty, l.Parent, l.Component)
		case !(l.Qty > 0):
			e.addf(l.where(), "qty_per", "quantity must be positive, got %v (line %s -> %s)", l.Qty, l.Parent, l.Component)
		}
		if !(l.ScrapPct >= 0 && l.ScrapPct < 100) {
			e.addf(l.where(), "scrap_pct", "percent must be in [0, 100), got %v", l.ScrapPct)
		}
		if l.ValidFrom != 0 && l.ValidTo != 0 && l.ValidFrom > l.ValidTo {
			e.addf(l.where(), "valid_to", "valid_to %s is before valid_from %s", l.ValidTo, l.ValidFrom)
		}
		if l.ValidFrom < 0 || l.ValidTo < 0 {
			e.addf(l.where(), "valid_from", "dates before 1970-01-02 are not supported")
		}
		if ok {
			c.lines[l.Parent] = append(c.lines[l.Parent], &cline{Line: l})
		}
	}
	for parent, ls := range c.lines {
		slices.SortStableFunc(ls, func(a, b *cline) int {
			return cmp.Or(comparePositions(a.Position, b.Position), cmp.Compare(a.Component, b.Component),
				cmp.Compare(a.ValidFrom, b.ValidFrom), cmp.Compare(a.Src.Line, b.Src.Line))
		})
		checkOverlaps(ls, &e)
		kids := make([]string, 0, len(ls))
		var seen map[string]bool // for a long super BOM; a short one scans kids
		if len(ls) > 32 {
			seen = make(map[string]bool, len(ls))
		}
		for _, l := range ls {
			if seen != nil && !seen[l.Component] || seen == nil && !slices.Contains(kids, l.Component) {
				if seen != nil {
					seen[l.Component] = true
				}
				c.parents[l.Component] = append(c.parents[l.Component], parent)
				kids = append(kids, l.Component)
			}
			if l.ValidFrom > 0 {
				c.changes = append(c.changes, l.ValidFrom)
			}
			if l.ValidTo > 0 {
				c.changes = append(c.changes, l.ValidTo+1)
			}
		}
		c.kids[parent] = kids
	}
	for _, ps := range c.parents {
		slices.Sort(ps)
	}
	slices.Sort(c.changes)
	c.changes = slices.Compact(c.changes)

	// Routings.
	opSeen := map[string]*Op{}
	for _, o := range d.Ops {
		it := c.items[o.Item]
		switch {
		case it == nil:
			e.addf(o.where(), "item", "unknown item %q%s", o.Item, suggestItem(c, o.Item))
			continue
		case it.Kind != Make:
			e.addf(o.where(), "item", "%s is a %s item; only make items have a routing", o.Item, it.Kind)
		}
		if o.Seq <= 0 {
			e.addf(o.where(), "op_seq", "want a positive integer, got %d", o.Seq)
		}
		if _, ok := c.wcs[o.WorkCenter]; !ok {
			e.addf(o.where(), "work_center", "unknown work center %q%s", o.WorkCenter, suggest(o.WorkCenter, mapKeys(c.wcs)))
		}
		if !(o.SetupHours >= 0 && o.SetupHours < 1e9) || !(o.RunHours >= 0 && o.RunHours < 1e9) {
			e.addf(o.where(), "setup_hours", "setup and run hours must be non-negative numbers")
		}
		k := fmt.Sprintf("%s\x00%d\x00%s", o.Item, o.Seq, normCond(o.Condition))
		if prev := opSeen[k]; prev != nil {
			e.addf(o.where(), "op_seq", "operation %d of %s appears twice with the same condition (also at %s)", o.Seq, o.Item, prev.where())
			continue
		}
		opSeen[k] = o
		c.ops[o.Item] = append(c.ops[o.Item], &cop{Op: o})
	}
	for _, os := range c.ops {
		slices.SortStableFunc(os, func(a, b *cop) int {
			return cmp.Or(cmp.Compare(a.Seq, b.Seq), cmp.Compare(a.Src.Line, b.Src.Line))
		})
	}
	if e.err() != nil {
		return nil, e.err()
	}

	if err := c.checkCycles(); err != nil {
		return nil, ErrorList{err}
	}
	c.findContexts()
	c.parseExprs(&e)
	if e.err() != nil {
		return nil, e.err()
	}
	for _, ls := range c.lines {
		for _, l := range ls {
			l.comp = c.items[l.Component]
			l.compNode = c.hasStructure(l.Component)
		}
	}
	c.buildGraph()
	c.computeRefs()
	return c, nil
}

// comparePositions orders positions as numbers when both are digits only
// ("9" < "20" < "0050" < "100": Excel drops the leading zeros of 0010),
// otherwise as text; an empty position comes first, then numbers, then
// other text.
func comparePositions(a, b string) int {
	na, nb := isDigits(a), isDigits(b)
	switch {
	case a == "" || b == "":
		return cmp.Compare(a, b) // no position first
	case na && nb:
		ta, tb := strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
		return cmp.Or(cmp.Compare(len(ta), len(tb)), cmp.Compare(ta, tb), cmp.Compare(a, b))
	case na:
		return -1
	case nb:
		return 1
	}
	return cmp.Compare(a, b)
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// checkOverlaps reports lines of one parent with the same component,
// position and condition whose effectivity overlaps. ls is sorted by
// position, component and valid_from.
func checkOverlaps(ls []*cline, e *errs) {
	// lines of one component and position are next to each other: when
	// no two are, every group has one line and nothing overlaps
	alone := true
	for k := 1; k < len(ls) && alone; k++ {
		alone = ls[k].Component != ls[k-1].Component || ls[k].Position != ls[k-1].Position
	}
	if alone {
		return
	}
	groups := map[string][]*cline{}
	var order []string
	for _, l := range ls {
		k := l.Component + "\x00" + l.Position + "\x00" + normCond(l.Condition)
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], l)
	}
	for _, k := range order {
		g := groups[k]
		// Sorted by ValidFrom: g[i] overlaps some earlier line iff it starts
		// on or before the latest end seen so far (a is that line; an open
		// end, 0, is the latest of all).
		a := g[0]
		for _, b := range g[1:] {
			if a.ValidTo == 0 || b.ValidFrom == 0 || b.ValidFrom <= a.ValidTo {
				e.addf(b.where(), "valid_from", "effectivity %s..%s of %s -> %s overlaps %s (%s..%s) with the same position %s and condition",
					b.ValidFrom, b.ValidTo, b.Parent, b.Component, a.where(), a.ValidFrom, a.ValidTo, csvtext.Quote(b.Position))
			}
			if a.ValidTo != 0 && (b.ValidTo == 0 || b.ValidTo > a.ValidTo) {
				a = b
			}
		}
	}
}

// checkCycles finds a cycle by depth-first search and reports its path.
func (c *catalog) checkCycles() error {
	const (
		white = iota
		grey
		black
	)
	color := make(map[string]int, len(c.items))
	var stack []string
	var found error
	var visit func(id string) bool
	visit = func(id string) bool {
		color[id] = grey
		stack = append(stack, id)
		for _, l := range c.lines[id] {
			switch color[l.Component] {
			case grey:
				i := slices.Index(stack, l.Component)
				path := append(slices.Clone(stack[i:]), l.Component)
				found = &CycleError{Path: path, Pos: l.Src}
				return true
			case white:
				if visit(l.Component) {
					return true
				}
			}
		}
		stack = stack[:len(stack)-1]
		color[id] = black
		return false
	}
	for _, id := range c.ids {
		if color[id] == white && visit(id) {
			return found
		}
	}
	return nil
}

// findContexts computes, for every item, the models in force for its lines:
// its own model, or those of the configurable items above it up to (not
// through) the next configurable item.
func (c *catalog) findContexts() {
	for _, id := range c.ids {
		it := c.items[id]
		if it.Model == "" {
			continue
		}
		mi := c.byName[it.Model]
		seen := map[string]bool{}
		var walk func(id string)
		walk = func(id string) {
			if seen[id] {
				return
			}
			seen[id] = true
			if !slices.Contains(c.ctxModels[id], mi) {
				c.ctxModels[id] = append(c.ctxModels[id], mi)
			}
			for _, k := range c.kids[id] {
				if c.items[k].Model == "" {
					walk(k)
				}
			}
		}
		walk(id)
	}
	for _, ms := range c.ctxModels {
		slices.Sort(ms)
	}
}

// parseExprs parses every condition and quantity formula against each
// model in force for its item.
func (c *catalog) parseExprs(e *errs) {
	for _, parent := range c.ids {
		ms := c.ctxModels[parent]
		for _, l := range c.lines[parent] {
			if l.Condition == "" && l.QtyExpr == "" {
				continue
			}
			if len(ms) == 0 {
				col := "condition"
				if l.Condition == "" {
					col = "qty_per"
				}
				e.addf(l.where(), col, "%s is not below any configurable item, so there is no configuration to evaluate %s against", parent, csvtext.Quote(cmp.Or(l.Condition, l.QtyExpr)))
				continue
			}
			l.cond = make([]configurator.Expr, len(c.models))
			l.qty = make([]configurator.IntExpr, len(c.models))
			for _, mi := range ms {
				m := c.models[mi]
				if l.Condition != "" {
					x, err := m.parseCond(l.Src, l.condCol, l.Condition)
					if err != nil {
						e.addAll(exprErrors(l.where(), "condition", modelTag(m, len(ms)), err))
					}
					l.cond[mi] = x
				}
				if l.QtyExpr != "" {
					x, err := m.parseQty(l.Src, l.qtyCol, l.QtyExpr)
					if err != nil {
						e.addAll(exprErrors(l.where(), "qty_per", modelTag(m, len(ms)), err))
					}
					l.qty[mi] = x
				}
			}
		}
		for _, o := range c.ops[parent] {
			if o.Condition == "" {
				continue
			}
			if len(ms) == 0 {
				e.addf(o.where(), "condition", "%s is not below any configurable item, so there is no configuration to evaluate %s against", parent, csvtext.Quote(o.Condition))
				continue
			}
			o.cond = make([]configurator.Expr, len(c.models))
			for _, mi := range ms {
				m := c.models[mi]
				x, err := m.parseCond(o.Src, o.condCol, o.Condition)
				if err != nil {
					e.addAll(exprErrors(o.where(), "condition", modelTag(m, len(ms)), err))
				}
				o.cond[mi] = x
			}
		}
	}
}

// modelTag names m in expression errors when an item reads in several
// models (n > 1), so that the message says in which one it failed.
func modelTag(m *Model, n int) string {
	if n > 1 {
		return m.name
	}
	return ""
}

// levels returns the low-level code of every item: 0 for items no line uses,
// otherwise one more than the deepest parent, over all lines regardless of
// effectivity and conditions. The computation is a sweep in topological
// order (Kahn's algorithm, see graph).
func (c *catalog) levels() map[string]int {
	lv := c.graph.levels()
	out := make(map[string]int, len(lv))
	for i, l := range lv {
		out[c.ids[i]] = int(l)
	}
	return out
}

func modelNames(ms []*Model) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.name
	}
	return out
}

func mapKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func suggestItem(c *catalog, s string) string {
	if len(c.ids) > 5000 {
		return "" // keep error reporting linear on big catalogs
	}
	return suggest(s, c.ids)
}

// suggest returns ` (did you mean "x"?)` for the closest name within a
// small edit distance, or "".
func suggest(s string, names []string) string {
	best, bestD := "", 3
	if len(s) <= 3 {
		bestD = 2
	}
	for _, n := range names {
		if d := editDistance(strings.ToLower(s), strings.ToLower(n), bestD); d < bestD {
			best, bestD = n, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// editDistance is the Levenshtein distance of a and b, or max when it is at
// least max.
func editDistance(a, b string, max int) int {
	if d := len(a) - len(b); d >= max || -d >= max {
		return max
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			v := prev[j-1]
			if a[i-1] != b[j-1] {
				v = 1 + min(prev[j-1], prev[j], cur[j-1])
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin >= max {
			return max
		}
		prev, cur = cur, prev
	}
	return min(prev[len(b)], max)
}

// lotBoundsProblem says which column makes an item's lot rounding
// (min_qty, max_qty, multiple; zero means no bound) impossible to meet
// and why, or "" when some order quantity meets it. Orders are whole
// units: planning rounds min_qty and multiple up and max_qty down, so
// this checks those whole numbers.
func lotBoundsProblem(minQty, maxQty, multiple float64) (col, msg string) {
	if maxQty <= 0 || !(maxQty <= 1e15) || !(minQty >= 0) || !(multiple >= 0) {
		return "", "" // no upper bound, or a range error reported on its own
	}
	lo, hi, mult := math.Ceil(minQty), math.Floor(maxQty), math.Ceil(multiple)
	if hi < 1 {
		return "max_qty", fmt.Sprintf("max_qty %v allows no whole order quantity", maxQty)
	}
	least := math.Max(lo, 1)
	if mult > 1 {
		least = math.Ceil(least/mult) * mult
	}
	switch {
	case least <= hi:
		return "", ""
	case mult > 1:
		return "multiple", fmt.Sprintf("no multiple of %v lies between min_qty %v and max_qty %v", multiple, minQty, maxQty)
	default:
		return "max_qty", fmt.Sprintf("no whole quantity lies between min_qty %v and max_qty %v", minQty, maxQty)
	}
}

// configurableBuys refuses a configurable buy item: it has no BOM for a
// configuration to select from, so its configurations would all be one
// purchased part, and MRP, which plans a configurable item as the variants
// its configurations resolve to, would have nothing to plan for it. Checked
// on import, not on load, so that a store written before the rule opens.
func (c *catalog) configurableBuys() error {
	var e errs
	for _, id := range c.ids {
		if it := c.items[id]; it.Model != "" && it.Kind == Buy {
			e.addf(it.where(), "model", "a buy item cannot be configurable (item %s): its configurations would all be one purchased part; give each purchased variant an item of its own, selected by conditions in its parent's BOM", it.ID)
		}
	}
	return e.err()
}
