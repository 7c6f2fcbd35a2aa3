package engine

import "github.com/go-air/gini"

// Model repair on table models: when a model is only tables over
// single-valued, bool and int characteristics (the case rotation covers),
// a value not yet witnessed is often a short repair away from a model
// already found. Put the value in a stored model; every table over its
// characteristic that no longer holds is repaired by the closest tuple it
// allows (a shortest path through the table's diagram: an edge costs 1
// when its value differs from the current one, 1+changedCost when it
// changes a characteristic this repair changed already; the value's own
// characteristic and the picked ones never change), and the tables over
// each characteristic changed are checked in turn. When every table holds,
// the configuration is a model and witnesses all its values without a SAT
// call. Repair itself never decides that a value is dead: a value it cannot
// reach gets the failed-literal test the search would give it, and what
// is still undecided goes to the search. Every configuration repair keeps
// is checked against every table, so a slip in it costs SAT calls, never a
// wrong answer.
//
// Cold propagation with nothing picked, SAT calls before -> after (CPU
// figures in the commits): Megane 40 -> 5, renault-medium 25 -> 6.

// repairer holds the scratch state of repairs within one propagation.
type repairer struct {
	st       *propState
	vals     []int32 // the configuration being repaired
	fixed    []bool  // characteristics repair may not change
	picked   []bool  // characteristics the picks set
	queue    []int   // tables to check
	queued   []bool
	set      []int    // characteristics fixed by this repair
	cost     []int32  // repairMDD: cost of each node of the diagram
	via      []int32  // repairMDD: the node each node is reached from
	viaVal   []int32  // repairMDD: the value of that edge
	mark     []uint32 // repairMDD: mstamp when cost, via and viaVal are set
	mstamp   uint32
	buckets  [][]int32 // repairMDD: the nodes reached at each cost
	top      int       // repairMDD: highest cost with a bucket in use
	mvals    [][]int32 // valsOf, by index in st.models
	target   int       // the characteristic whose value is being witnessed
	excluded bitset    // values the picks exclude (nil: none)
	times    []int     // repairs of each table in this try
	clean    []bool    // tables repaired to a tuple, none of their columns changed since
	seen     []int32   // stamp of the last check of each table
	stamp    int32
}

func newRepairer(st *propState) *repairer {
	c := st.c
	r := &repairer{st: st, vals: make([]int32, len(c.chars)), fixed: make([]bool, len(c.chars)),
		picked: make([]bool, len(c.chars)), queued: make([]bool, len(c.rotTables))}
	for _, p := range st.picks {
		if p.want {
			r.picked[c.slots[p.slot].char] = true
		} else {
			if r.excluded == nil {
				r.excluded = newBitset(c.nTargets)
			}
			r.excluded.set(p.slot)
		}
	}
	maxNodes := 0
	for i := range c.rotTables {
		maxNodes = max(maxNodes, len(c.rotTables[i].layer))
	}
	r.times = make([]int, len(c.rotTables))
	r.clean = make([]bool, len(c.rotTables))
	r.seen = make([]int32, len(c.rotTables))
	r.cost = make([]int32, maxNodes)
	r.via = make([]int32, maxNodes)
	r.viaVal = make([]int32, maxNodes)
	r.mark = make([]uint32, maxNodes)
	return r
}

// repairer returns st's repairer, made on first use: firstModel and
// repairAll share it (each try and each settle starts from a clean
// queue, and try resets what it uses).
func (st *propState) repairer() *repairer {
	if st.rep == nil {
		st.rep = newRepairer(st)
	}
	return st.rep
}

// banned reports whether repair may not use value k of characteristic ci:
// a value known dead, or one the picks exclude.
func (r *repairer) banned(ci int, k int32) bool {
	s := r.st.c.chars[ci].first + int(k)
	return r.st.dead.has(s) || (r.excluded != nil && r.excluded.has(s))
}

// repairAll tries repair for every value neither possible nor dead, from
// the newest stored models; when the testAfter newest fail (maxBases
// under picks), a failed-literal test on g (which holds the picks, if
// any, in its test scopes) may prove the value dead, as the search would,
// and when it does not, repair tries the older models up to maxBases.
// Values it leaves undecided go to the search. units is as for search.
func (st *propState) repairAll(g *gini.Gini, units bool) {
	c := st.c
	if !c.rotOK || len(st.models) == 0 {
		return
	}
	r := st.repairer()
	after := maxBases // under picks: see testAfter
	if units {
		after = testAfter
	}
	tests := 0
	for t := 0; t < c.nTargets; t++ {
		if st.possible.hasA(t) || st.dead.hasA(t) {
			continue
		}
		if r.tryBases(t, 0, after) {
			continue
		}
		if tests == maxRepairTests {
			return // the search takes the rest
		}
		tests++
		g.Assume(c.targetLit[t])
		st.calls.Add(1)
		if res, _ := g.Test(nil); res == -1 {
			untest(g, 1)
			st.kill(g, t, units)
			continue
		}
		untest(g, 1)
		r.tryBases(t, after, maxBases)
	}
}

// Repair's bounds. Tries, models found by repair and SAT calls of the
// cold propagation with nothing picked (hard tabu = a characteristic
// changed once never changes again):
//
//	                           Megane            renault-medium
//	hard tabu, 16 models       506 / 66 / 6      157 / 28 / 6
//	cost 8, 16 models          208 / 71 / 4      144 / 28 / 6
//
// A successful repair took 1 to 61 steps (tables changed); a failed one
// nearly always ran into maxRepairSteps, going round between a few tables,
// so a dead value cost 64 steps per model tried. Giving up when a table is
// repaired a fourth time cuts that short. Every dead value of both models is
// a failed literal (unit propagation refutes it): the test comes after the
// models. Thread CPU, medians of 41 in one process, load 11 (models
// before the test / repairs per table / SAT calls):
//
//	                      Megane             renault-medium
//	2 / no limit / 12     16.6-20.7 ms       2.07-3.25 ms
//	2 / 3 / 12            14.2-23.1          1.60-1.66
//	8 / 3 / 8             11.2-12.3          2.02-2.04
//	16 / 3 / 5            9.6-12.2           1.79-2.03
//
// Since the cheapest-first search of repairMDD, giving up at a table's
// third repair instead of its fourth finds the same models on both (same
// repairs, same 6 and 4 SAT calls) with less work: table checks
// 25,641 -> 23,938 and diagram nodes visited 24,304 -> 21,048 on
// renault-medium, 9,664 -> 9,282 and 22,771 -> 20,722 on Megane. At the
// second repair, Megane needs 8 SAT calls.
// maxRepairTests bounds the failed-literal tests of one repair pass: each
// propagates over the whole model, so a pass over a large table model whose
// stored models repair few values was quadratic. On a chain of 200 int
// characteristics bound by tables (a_i <= a_{i+1}, 21 values each) the
// pass made 2,680 tests and cold propagation took 6.2 s, 0.18 s without
// it (400: 38.8 s, 0.31 s); renault-medium makes 5, Megane 2.
const maxRepairTests = 64

const (
	maxBases        = 16 // models tried in all
	changedCost     = 8  // extra cost of changing a characteristic again
	maxRepairSteps  = 64 // tables one repair may change
	maxTableRepairs = 2  // repairs of one table within one repair
)

// testAfter is the number of stored models repair tries for a value
// before its failed-literal test; a value the test does not refute gets
// the rest of the maxBases models. A dead value that unit propagation
// refutes then costs testAfter failed tries instead of maxBases: on
// renault-medium all 5 dead values (v14=4 and v18 in {3, 8, 15, 16}) are
// such values; neither they nor Megane's are dead by arc consistency over
// the tables (docs/benchmarks.md, issue 14, i14small), nor by unit
// propagation with nothing assumed (the sweep). After 6 models only the
// dead values are left on renault-medium (6 SAT calls, as with 16); after
// 4 one possible value is left too, whose test does not fail (7 calls; on
// Megane such a test takes 0.8-3.6 ms). Megane's 2 values unreached after
// 3 to 16 models are the same (4 calls). PropagateEmptyCPU -benchtime 20x,
// 4 alternated triples at load 2.4, cpu-ms medians 16 / 4 / 6 models:
// renault-medium 1.64 / 1.21 / 0.97, Megane 5.59 / 5.25 / 5.83 (noise: the
// same SAT calls). Only with nothing picked: under picks a test that does
// not fail costs ~0.1 ms on renault-medium, and its pick p99 looked worse
// with it (SessionPick -benchtime 10x, 4 alternated pairs at load 2.4-2.6,
// thread CPU p99 medians 0.46 -> 0.62 ms). A variable for the tests.
var testAfter = 6

// tryBases tries repair for target t from the stored models lo..hi-1,
// counted from the newest, and records the first model it finds.
func (r *repairer) tryBases(t, lo, hi int) bool {
	st := r.st
	for a := lo; a < hi && a < len(st.models); a++ {
		if r.try(r.valsOf(len(st.models)-1-a), t) {
			r.record()
			return true
		}
	}
	return false
}

// valsOf is stored model i as a value index per characteristic, or nil
// when it is not a full configuration.
func (r *repairer) valsOf(i int) []int32 {
	c := r.st.c
	for len(r.mvals) <= i {
		r.mvals = append(r.mvals, nil)
	}
	if r.mvals[i] != nil {
		return r.mvals[i]
	}
	m := r.st.models[i]
	vals := make([]int32, len(c.chars))
	for cj := range c.chars {
		cc := &c.chars[cj]
		vals[cj] = -1
		for k := 0; k < cc.n; k++ {
			if m.has(cc.first + k) {
				vals[cj] = int32(k)
				break
			}
		}
		if vals[cj] < 0 {
			return nil
		}
	}
	r.mvals[i] = vals
	return vals
}

// record stores the full configuration vals as a model and returns it.
func (st *propState) record(vals []int32) bitset {
	c := st.c
	m := newBitset(c.nTargets)
	for ci, k := range vals {
		m.set(c.chars[ci].first + int(k))
	}
	st.possible.orA(m)
	st.mu.Lock()
	st.models = append(st.models, m)
	st.found = append(st.found, m)
	st.mu.Unlock()
	return m
}

// record stores r.vals, a configuration repair found, as a model and
// rotates it.
func (r *repairer) record() {
	m := r.st.record(r.vals)
	if len(r.st.picks) == 0 {
		r.st.rotateVals(m, r.vals, nil, nil)
	} else {
		r.st.rotate(m)
	}
}

// try repairs the model base (a value index per characteristic) so that
// it holds the value of target t; on success r.vals is a configuration
// that satisfies every table.
func (r *repairer) try(base []int32, t int) bool {
	c := r.st.c
	s := c.targetOf[t]
	ci := c.slots[s].char
	if base == nil || r.picked[ci] || r.banned(ci, int32(s-c.chars[ci].first)) {
		return false
	}
	copy(r.vals, base)
	for _, cj := range r.set {
		r.fixed[cj] = false
	}
	r.set = r.set[:0]
	for cj := range r.fixed {
		r.fixed[cj] = r.picked[cj]
	}
	r.target = ci
	clear(r.times)
	clear(r.clean)
	r.change(ci, int32(s-c.chars[ci].first))
	if !r.settle(maxRepairSteps, maxTableRepairs) {
		return false
	}
	// Every table over a changed characteristic was checked after its
	// last change; check them all once more, so that a slip here costs a
	// SAT call, never a wrong answer. The other tables hold as they do
	// in base, a model (found by the solver, or checked like this one).
	r.stamp++
	for _, cj := range r.set {
		for _, ti := range c.rotByChar[cj] {
			if r.seen[ti] == r.stamp {
				continue
			}
			r.seen[ti] = r.stamp
			if !c.rotTables[ti].holds(r.vals) {
				return false
			}
		}
	}
	return true
}

// settle repairs the queued tables until none is queued: each one that
// does not hold is repaired (repairTable), which queues the tables over
// the characteristics it changed. It gives up, draining the queue, when a
// repair fails, after maxSteps repairs in all, or when one table needs
// more than maxTimes repairs (the repair goes round in a cycle, as it does
// towards a dead value).
func (r *repairer) settle(maxSteps, maxTimes int) bool {
	c := r.st.c
	ok := true
	steps := 0
	for len(r.queue) > 0 {
		ti := r.queue[len(r.queue)-1]
		r.queue = r.queue[:len(r.queue)-1]
		r.queued[ti] = false
		if !ok {
			continue // drain the queue
		}
		tab := &c.rotTables[ti]
		if r.clean[ti] || tab.holds(r.vals) {
			// A table just repaired to one of its tuples holds
			// without a walk: its repair queued it again (a quarter
			// of the checks on renault-medium).
			continue
		}
		// A table repaired again and again means the repair goes
		// round in a cycle, as it does towards a dead value: give up.
		r.times[ti]++
		if steps++; steps > maxSteps || r.times[ti] > maxTimes {
			ok = false
			continue
		}
		ok = r.repairTable(tab)
		// Moving off a forbidden row may match another.
		r.clean[ti] = ok && !tab.forbidden
	}
	return ok
}

// change sets characteristic ci to value k, fixes it for the rest of this
// repair and queues the tables over it.
func (r *repairer) change(ci int, k int32) bool {
	c := r.st.c
	r.vals[ci] = k
	if !r.fixed[ci] {
		r.fixed[ci] = true
		r.set = append(r.set, ci)
	}
	for _, ti := range c.rotByChar[ci] {
		r.clean[ti] = false
		if !r.queued[ti] {
			r.queued[ti] = true
			r.queue = append(r.queue, ti)
		}
	}
	return true
}

// repairTable changes the fewest characteristics not yet fixed so that
// tab holds, or reports that no tuple of tab agrees with the fixed ones.
func (r *repairer) repairTable(tab *rotTable) bool {
	switch {
	case tab.next != nil:
		return r.repairMDD(tab)
	case tab.forbidden:
		return r.repairForbidden(tab)
	default:
		return r.repairRows(tab)
	}
}

// repairMDD finds the tuple of tab's diagram that differs from r.vals on
// the fewest columns (fixed columns and banned values excluded): a
// shortest path from the root to the terminal, an edge costing 1 when its
// value differs from the current one. The path is searched cheapest first
// (Dial's algorithm: a bucket of nodes per cost, costs being small
// integers) and the search stops when it reaches the terminal: a repair
// usually changes one or two columns, so it visits the nodes within that
// cost of the root, where a pass over every edge visited the whole
// diagram (Megane's largest diagrams have thousands of edges).
func (r *repairer) repairMDD(tab *rotTable) bool {
	c := r.st.c
	r.mstamp++
	if r.mstamp == 0 { // wrapped: no stale mark may match
		clear(r.mark)
		r.mstamp = 1
	}
	stamp, mark, cost, via, viaVal := r.mstamp, r.mark, r.cost, r.via, r.viaVal
	r.push(0, 0, -1, -1)
	dead, excluded := r.st.dead, r.excluded
	defer func() {
		for d := 0; d <= r.top && d < len(r.buckets); d++ {
			r.buckets[d] = r.buckets[d][:0]
		}
		r.top = 0
	}()
	for d := int32(0); int(d) <= r.top; d++ {
		// The bucket grows while it is read: an unchanged value costs 0.
		for j := 0; j < len(r.buckets[d]); j++ {
			n := r.buckets[d][j]
			if cost[n] != d {
				continue // reached again more cheaply
			}
			if n == tab.terminal {
				for n != 0 {
					ci := tab.cols[tab.layer[via[n]]]
					if r.vals[ci] != viaVal[n] {
						r.change(ci, viaVal[n])
					}
					n = via[n]
				}
				return true
			}
			ci := tab.cols[tab.layer[n]]
			cur, first := r.vals[ci], c.chars[ci].first
			step := int32(1) // cost of an edge off the current value; -1: none may be taken
			if r.fixed[ci] {
				if ci == r.target || r.picked[ci] {
					step = -1
				} else {
					step += changedCost
				}
			}
			next := tab.next[tab.at[n] : tab.at[n]+tab.width[n]]
			if int(cur) < len(next) {
				if u := next[cur]; u >= 0 && (mark[u] != stamp || cost[u] > d) {
					r.push(u, d, n, cur)
				}
			}
			if step < 0 {
				continue
			}
			for v, child := range next {
				if child < 0 || int32(v) == cur {
					continue
				}
				if s := first + v; dead.has(s) || (excluded != nil && excluded.has(s)) {
					continue // banned
				}
				if mark[child] != stamp || cost[child] > d+step {
					r.push(child, d+step, n, int32(v))
				}
			}
		}
	}
	return false
}

// push records that node n of the diagram under repair is reached at cost
// d by the edge of value v from node from, and queues it.
func (r *repairer) push(n, d, from, v int32) {
	r.mark[n], r.cost[n], r.via[n], r.viaVal[n] = r.mstamp, d, from, v
	for int(d) >= len(r.buckets) {
		r.buckets = append(r.buckets, nil)
	}
	r.buckets[d] = append(r.buckets[d], n)
	r.top = max(r.top, int(d))
}

// repairRows is repairMDD for an allowed table kept as rows (too large
// to expand): the row needing the fewest changes, each changed cell set to
// its first usable value.
func (r *repairer) repairRows(tab *rotTable) bool {
	best, bestCost := -1, len(tab.cols)+1
	for ri, row := range tab.rows {
		n := 0
		for i, set := range row {
			ci := tab.cols[i]
			if set == nil || containsInt32(set, r.vals[ci]) {
				continue
			}
			if r.fixed[ci] || r.firstUsable(ci, set) < 0 {
				n = bestCost
				break
			}
			n++
		}
		if n < bestCost {
			best, bestCost = ri, n
		}
	}
	if best < 0 {
		return false
	}
	for i, set := range tab.rows[best] {
		ci := tab.cols[i]
		if set != nil && !containsInt32(set, r.vals[ci]) {
			r.change(ci, r.firstUsable(ci, set))
		}
	}
	return true
}

// firstUsable is the first value of set repair may use for ci, or -1.
func (r *repairer) firstUsable(ci int, set []int32) int32 {
	for _, k := range set {
		if !r.banned(ci, k) {
			return k
		}
	}
	return -1
}

// repairForbidden moves the configuration off the forbidden row it
// matches: the first column not fixed takes the first usable value outside
// that row's cell (a "*" cell cannot be left).
func (r *repairer) repairForbidden(tab *rotTable) bool {
	c := r.st.c
	for _, row := range tab.rows {
		match := true
		for i, set := range row {
			if set != nil && !containsInt32(set, r.vals[tab.cols[i]]) {
				match = false
				break
			}
		}
		if !match {
			continue
		}
		moved := false
		for i, set := range row {
			ci := tab.cols[i]
			if set == nil || r.fixed[ci] {
				continue
			}
			for k := int32(0); int(k) < c.chars[ci].n; k++ {
				if !containsInt32(set, k) && !r.banned(ci, k) {
					r.change(ci, k)
					moved = true
					break
				}
			}
			if moved {
				break
			}
		}
		if !moved {
			return false
		}
		// The move may match another forbidden row: the table is
		// queued again by change and checked once more.
		return true
	}
	return true
}

// firstModel looks for a first model of a table model without the
// solver: every characteristic starts at its first value not known dead,
// and every table that does not hold is repaired (as in try, but with no
// value held and every table queued) until all hold, within
// maxFirstSteps repairs and maxFirstRepairs repairs of any one table.
// Every table is then checked, so the configuration it records (and
// rotates, as a solver's first model is) is a model of the tables, which
// rotOK models are entirely. It returns false, having recorded nothing,
// when it gives up: the solver then finds the first model. Only with
// nothing picked.
//
// On renault-medium it replaces the first SAT call of the cold
// propagation, a solve of a never-solved solver (0.12-0.17 ms of the
// 1.0-1.3 ms).
func (st *propState) firstModel() bool {
	c := st.c
	if !c.rotOK || len(st.picks) > 0 || len(c.rotTables) == 0 {
		return false
	}
	r := st.repairer()
	for ci := range c.chars {
		r.vals[ci] = -1
		for k := int32(0); int(k) < c.chars[ci].n; k++ {
			if !r.banned(ci, k) {
				r.vals[ci] = k
				break
			}
		}
		if r.vals[ci] < 0 {
			return false // every value dead: the solver says why
		}
	}
	r.target = -1
	for ti := range c.rotTables {
		r.queued[ti] = true
		r.queue = append(r.queue, ti)
	}
	if !r.settle(maxFirstSteps(len(c.rotTables)), maxFirstRepairs) {
		return false
	}
	for ti := range c.rotTables {
		if !c.rotTables[ti].holds(r.vals) {
			return false
		}
	}
	r.record()
	return true
}

// firstModel's bounds: repairs in all (a few per table), and repairs of
// one table.
const maxFirstRepairs = 4

func maxFirstSteps(tables int) int { return 4*tables + maxRepairSteps }
