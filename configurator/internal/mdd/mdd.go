// Package mdd compiles a table of tuples into a reduced multi-valued
// decision diagram: layer i tests column i, equal sub-diagrams are shared.
package mdd

import (
	"slices"
	"strconv"
	"strings"
)

// Edge goes from node From (in layer i) to node To (in layer i+1) when
// column i takes value Val. Node 0 is the root; the terminal is node
// Terminal.
type Edge struct {
	From, To int32
	Val      int32
}

// MDD is a reduced diagram. Layer[n] is the layer of node n; Edges are
// grouped by layer, in order.
type MDD struct {
	Arity    int
	Nodes    int
	Terminal int32
	Layer    []int32
	Edges    []Edge
}

// Build compiles tuples (each of length arity, values >= 0) into an MDD.
// Duplicates are fine. With no tuples the MDD has no edges. Build sorts
// tuples in place.
func Build(arity int, tuples [][]int32) *MDD {
	if len(tuples) == 0 || arity == 0 {
		// No edges: the root is the terminal.
		return &MDD{Arity: arity, Nodes: 1, Layer: []int32{int32(arity)}}
	}
	slices.SortFunc(tuples, slices.Compare)
	tuples = slices.CompactFunc(tuples, slices.Equal)
	b := &builder{arity: arity, ids: map[string]int32{}}
	// Node ids: assign during recursion, root forced to 0 afterwards.
	b.layer = append(b.layer, int32(arity)) // node 0 placeholder: terminal gets id 0 temporarily
	root := b.node(0, tuples)
	m := &MDD{Arity: arity}
	// Renumber: root -> 0, then others in creation order reversed (top-down).
	n := len(b.layer)
	newID := make([]int32, n)
	for i := range newID {
		newID[i] = -1
	}
	order := make([]int32, 0, n)
	order = append(order, root)
	for i := n - 1; i >= 0; i-- {
		if int32(i) != root {
			order = append(order, int32(i))
		}
	}
	for k, old := range order {
		newID[old] = int32(k)
	}
	m.Nodes = n
	m.Terminal = newID[0]
	m.Layer = make([]int32, n)
	for old, l := range b.layer {
		m.Layer[newID[old]] = l
	}
	for l := 0; l < arity; l++ {
		for _, e := range b.edges[l] {
			m.Edges = append(m.Edges, Edge{From: newID[e.From], To: newID[e.To], Val: e.Val})
		}
	}
	return m
}

type builder struct {
	arity int
	ids   map[string]int32
	layer []int32
	edges [][]Edge
	key   strings.Builder
}

// node returns the id of the reduced node for the sorted tuples at layer l.
func (b *builder) node(l int, tuples [][]int32) int32 {
	if l == b.arity || len(tuples) == 0 {
		return 0
	}
	type out struct{ val, child int32 }
	var outs []out
	for i := 0; i < len(tuples); {
		v := tuples[i][l]
		j := i + 1
		for j < len(tuples) && tuples[j][l] == v {
			j++
		}
		outs = append(outs, out{v, b.node(l+1, tuples[i:j])})
		i = j
	}
	b.key.Reset()
	b.key.WriteString(strconv.Itoa(l))
	for _, o := range outs {
		b.key.WriteByte(' ')
		b.key.WriteString(strconv.Itoa(int(o.val)))
		b.key.WriteByte(':')
		b.key.WriteString(strconv.Itoa(int(o.child)))
	}
	k := b.key.String()
	if id, ok := b.ids[k]; ok {
		return id
	}
	id := int32(len(b.layer))
	b.ids[k] = id
	b.layer = append(b.layer, int32(l))
	for len(b.edges) <= l {
		b.edges = append(b.edges, nil)
	}
	for _, o := range outs {
		b.edges[l] = append(b.edges[l], Edge{From: id, To: o.child, Val: o.val})
	}
	return id
}
