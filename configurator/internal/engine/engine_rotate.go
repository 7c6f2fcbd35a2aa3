package engine

import (
	"github.com/ctoplan/ctoplan/configurator/internal/mdd"
)

// Solution rotation: when a model is only tables over single-valued, bool
// and int characteristics, whether a full configuration is valid is a
// Walk of each table's diagram, with no solver. After each model found
// with nothing picked, every value not yet witnessed is tried in its
// place, one characteristic at a time; each configuration that still
// satisfies the tables over that characteristic is a model too, and
// witnesses its value without a SAT call.

// rotTable is one table as rotation checks it: an allowed table by its
// diagram, else by its rows (nil cell: any value).
type rotTable struct {
	cols      []int // characteristic indices
	forbidden bool
	rows      [][][]int32
	// The diagram, when set: node n's child for value v is
	// next[at[n]+v] (-1: none) for v < width[n]; a dense table rather
	// than a scan of the out-edges, since rotation and repair walk the
	// diagrams of every table over a characteristic for each value tried.
	next     []int32
	at       []int32
	width    []int32
	terminal int32
	edges    []mdd.Edge // the diagram's edges in layer order (repair)
	layer    []int32    // layer of each node (repair)
}

func (c *Compiled) charIndex(cc *cchar) int { return c.byName[cc.c.Name] }

// setMDD makes t check tuples by walking d instead of scanning rows.
func (t *rotTable) setMDD(d *mdd.MDD) {
	t.rows = nil
	t.at = make([]int32, d.Nodes)
	t.width = make([]int32, d.Nodes)
	for _, e := range d.Edges {
		t.width[e.From] = max(t.width[e.From], e.Val+1)
	}
	n := int32(0)
	for i, w := range t.width {
		t.at[i] = n
		n += w
	}
	t.next = make([]int32, n)
	for i := range t.next {
		t.next[i] = -1
	}
	for _, e := range d.Edges {
		t.next[t.at[e.From]+e.Val] = e.To
	}
	t.terminal = d.Terminal
	t.edges, t.layer = d.Edges, d.Layer
}

// holds reports whether the configuration vals (a value index per
// characteristic) satisfies t.
func (t *rotTable) holds(vals []int32) bool {
	if t.next != nil {
		node := int32(0)
		for _, ci := range t.cols {
			v := vals[ci]
			if v >= t.width[node] {
				return false
			}
			if node = t.next[t.at[node]+v]; node < 0 {
				return false
			}
		}
		return node == t.terminal
	}
	match := false
	for _, row := range t.rows {
		match = true
		for i, set := range row {
			if set != nil && !containsInt32(set, vals[t.cols[i]]) {
				match = false
				break
			}
		}
		if match {
			break
		}
	}
	return match != t.forbidden
}

func containsInt32(set []int32, v int32) bool {
	for _, x := range set {
		if x == v {
			return true
		}
	}
	return false
}

// rotate tries, in the model m, every value not yet possible or dead in
// place of its characteristic's value; the configurations that satisfy
// every table over that characteristic (and the picks: a picked
// characteristic keeps its value, an excluded value is not tried) are
// recorded as models. (Rotating those again found 3 more models on Megane
// and saved no time.)
func (st *propState) rotate(m bitset) {
	c := st.c
	var fixed map[int]bool // picked characteristics
	var banned map[int]bool
	for _, p := range st.picks {
		if p.want {
			if fixed == nil {
				fixed = map[int]bool{}
			}
			fixed[c.slots[p.slot].char] = true
		} else {
			if banned == nil {
				banned = map[int]bool{}
			}
			banned[p.slot] = true
		}
	}
	vals := make([]int32, len(c.chars))
	for ci := range c.chars {
		cc := &c.chars[ci]
		vals[ci] = -1
		for k := 0; k < cc.n; k++ {
			if m.has(cc.first + k) {
				vals[ci] = int32(k)
				break
			}
		}
		if vals[ci] < 0 {
			return // not a full configuration: leave it
		}
	}
	st.rotateVals(m, vals, fixed, banned)
}

// rotateVals is rotate of the model m whose value index per
// characteristic is vals (a full configuration), with the picked
// characteristics (fixed) and the excluded values (banned). It changes
// vals only while it tries a value, and restores it. Repair, which has
// the values of the model it records at hand, rotates through it,
// without rotate's scan of the model's bitset and its slice.
func (st *propState) rotateVals(m bitset, vals []int32, fixed, banned map[int]bool) {
	c := st.c
	for ci := range c.chars {
		if fixed[ci] {
			continue
		}
		cc := &c.chars[ci]
		old := vals[ci]
		for k := 0; k < cc.n; k++ {
			t := cc.first + k
			if st.possible.hasA(t) || st.dead.hasA(t) || banned[t] {
				continue
			}
			vals[ci] = int32(k)
			ok := true
			for _, ti := range c.rotByChar[ci] {
				if !c.rotTables[ti].holds(vals) {
					ok = false
					break
				}
			}
			if ok {
				r := make(bitset, len(m))
				copy(r, m)
				r[(cc.first+int(old))>>6] &^= 1 << (uint(cc.first+int(old)) & 63)
				r.set(t)
				st.possible.setA(t)
				st.mu.Lock()
				st.models = append(st.models, r)
				st.found = append(st.found, r)
				st.mu.Unlock()
			}
		}
		vals[ci] = old
	}
}
