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
// diagram (out-edges per node), else by its rows (nil cell: any value).
type rotTable struct {
	cols      []int // characteristic indices
	forbidden bool
	rows      [][][]int32
	out       [][]mdd.Edge
	terminal  int32
}

func (c *Compiled) charIndex(cc *cchar) int { return c.byName[cc.c.Name] }

// setMDD makes t check tuples by walking d instead of scanning rows.
func (t *rotTable) setMDD(d *mdd.MDD) {
	t.rows = nil
	t.out = make([][]mdd.Edge, d.Nodes)
	for _, e := range d.Edges {
		t.out[e.From] = append(t.out[e.From], e)
	}
	t.terminal = d.Terminal
}

// holds reports whether the configuration vals (a value index per
// characteristic) satisfies t.
func (t *rotTable) holds(vals []int32) bool {
	if t.out != nil {
		node := int32(0)
		for _, ci := range t.cols {
			v, next := vals[ci], int32(-1)
			for _, e := range t.out[node] {
				if e.Val == v {
					next = e.To
					break
				}
			}
			if next < 0 {
				return false
			}
			node = next
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
