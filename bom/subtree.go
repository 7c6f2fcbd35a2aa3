package bom

import (
	"encoding/binary"
	"slices"

	"github.com/ctoplan/ctoplan/configurator/model"
)

// Sub-assembly reuse. The node of item X under configuration cfg depends
// only on the effectivity epoch and on cfg's values of the characteristics
// that conditions, quantity formulas and operation conditions in X's subtree
// refer to (through phantoms and standard sub-assemblies; for a
// configurable sub-assembly with another model, on every characteristic of
// that model, which is what the pass-down reads). Those characteristics are
// computed once per catalog; a resolve then looks a sub-assembly up by that
// projection of the configuration before evaluating it, so a new variant
// only evaluates the sub-assemblies that really differ.

// refs returns the sorted characteristic names X's node depends on under
// model mi (-1: no configuration), as computed by computeRefs.
func (c *catalog) refs(id string, mi int) []string { return c.refMemo[refKey{id, mi}] }

// computeRefs fills refMemo for every item under every model in force for
// it and under no model, so that resolves only read it.
func (c *catalog) computeRefs() {
	c.refMemo = make(map[refKey][]string, len(c.ids))
	for _, id := range c.ids {
		c.refsLocked(id, -1)
		for _, mi := range c.ctxModels[id] {
			c.refsLocked(id, mi)
		}
	}
}

type refKey struct {
	item string
	mi   int
}

func (c *catalog) refsLocked(id string, mi int) []string {
	k := refKey{id, mi}
	if r, ok := c.refMemo[k]; ok {
		return r
	}
	var out []string
	add := func(names ...string) {
		for _, n := range names {
			if !slices.Contains(out, n) {
				out = append(out, n)
			}
		}
	}
	for _, l := range c.lines[id] {
		if mi >= 0 && l.cond != nil && l.cond[mi] != nil {
			add(model.Chars(l.cond[mi])...)
		}
		if mi >= 0 && l.qty != nil && l.qty[mi] != nil {
			add(model.Chars(&model.Cmp{L: l.qty[mi], R: &model.IntLit{}})...)
		}
		comp := l.comp
		switch {
		case comp.Model != "" && (mi < 0 || c.byName[comp.Model] != mi):
			for _, ch := range c.models[c.byName[comp.Model]].m.Chars {
				add(ch.Name)
			}
		case comp.Kind == Phantom || l.compNode:
			add(c.refsLocked(comp.ID, mi)...)
		}
	}
	for _, o := range c.ops[id] {
		if mi >= 0 && o.cond != nil && o.cond[mi] != nil {
			add(model.Chars(o.cond[mi])...)
		}
	}
	slices.Sort(out)
	c.refMemo[k] = out
	return out
}

// subKey is the lookup key of X's node: model, item, epoch and the values
// of the characteristics X depends on.
func (r *resolver) subKey(id string, cc *cfgCtx) string {
	mi := -1
	if cc != nil {
		mi = cc.mi
	}
	buf := r.keyBuf[:0]
	buf = binary.AppendVarint(buf, int64(mi))
	buf = appendString(buf, id)
	buf = binary.AppendVarint(buf, int64(r.cat.epoch(r.day)))
	for _, name := range r.cat.refs(id, mi) {
		var vs []string
		ok := false
		if cc != nil {
			vs, ok = cc.cfg[name]
		}
		if !ok {
			buf = append(buf, 0xff) // absent, distinct from any length
			continue
		}
		buf = binary.AppendUvarint(buf, uint64(len(vs)))
		if len(vs) > 1 && !slices.IsSorted(vs) {
			vs = slices.Sorted(slices.Values(vs))
		}
		for _, v := range vs {
			buf = appendString(buf, v)
		}
	}
	r.keyBuf = buf
	return string(buf)
}
