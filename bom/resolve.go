package bom

import (
	"bytes"
	"context"
	"fmt"
	"slices"

	"github.com/ctoplan/ctoplan/configurator"
	"github.com/ctoplan/ctoplan/internal/csvtext"
)

// cfgCtx is a configuration in force: a full, valid configuration of one
// model.
type cfgCtx struct {
	mi  int // model index in catalog.models
	cfg configurator.Configuration
	key string
}

type memoKey struct {
	item string
	cc   *cfgCtx
}

type freshNode struct {
	n   *Node
	enc []byte
}

// resolver turns super BOM + configuration into nodes. One resolver serves
// one Resolve call.
type resolver struct {
	ctx   context.Context
	cat   *catalog
	day   Date
	known func(Hash) *Node // nodes already stored (nil: none)
	// sub finds the node of a sub-assembly by its subKey (nil: no reuse).
	sub    func(key string) *Node
	subNew map[string]Hash // subKeys of this resolve, for the store to remember
	keyBuf []byte
	// check validates a passed-down configuration (cached by the store).
	check func(ctx context.Context, m *Model, key string, cfg configurator.Configuration) error
	ctxs  map[string]*cfgCtx
	memo  map[memoKey]*Node
	nodes map[Hash]*Node // every node of the variant, but below adopted ones
	// partial is set when an adopted node has children (not in nodes)
	partial bool
	fresh   []freshNode // nodes not stored before, in creation order (children first)
	buf     []byte
	depth   int
}

func newResolver(ctx context.Context, cat *catalog, day Date) *resolver {
	return &resolver{
		ctx: ctx, cat: cat, day: day,
		ctxs:  map[string]*cfgCtx{},
		memo:  map[memoKey]*Node{},
		nodes: map[Hash]*Node{},
	}
}

func (r *resolver) resolveNode(id string, cc *cfgCtx) (*Node, error) {
	mk := memoKey{id, cc}
	if n := r.memo[mk]; n != nil {
		return n, nil
	}
	if err := r.ctx.Err(); err != nil {
		return nil, err
	}
	var sk string
	if r.sub != nil {
		sk = r.subKey(id, cc)
		if n := r.sub(sk); n != nil {
			r.adopt(n)
			r.memo[mk] = n
			return n, nil
		}
	}
	n := &Node{Item: id, Lines: make([]NodeLine, 0, len(r.cat.lines[id]))}
	if err := r.collect(n, id, cc, 1, 0, ""); err != nil {
		return nil, err
	}
	for _, o := range r.cat.ops[id] {
		if o.Condition != "" {
			ok, err := r.eval(o.Op, id, o.Condition, o.cond, cc)
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
		}
		n.Ops = append(n.Ops, Operation{Seq: o.Seq, WorkCenter: o.WorkCenter,
			SetupHours: o.SetupHours, RunHours: o.RunHours, Description: o.Description})
	}
	r.buf = n.seal(r.buf)
	if old := r.nodes[n.Hash]; old != nil {
		n = old
	} else if old := r.lookup(n.Hash); old != nil {
		n = old
		r.nodes[n.Hash] = n
	} else {
		r.nodes[n.Hash] = n
		r.fresh = append(r.fresh, freshNode{n, bytes.Clone(r.buf)})
	}
	r.memo[mk] = n
	if r.sub != nil {
		if r.subNew == nil {
			r.subNew = map[string]Hash{}
		}
		r.subNew[sk] = n.Hash
	}
	return n, nil
}

// adopt adds a stored node to the variant; the nodes below it are added
// when the variant is first read through (see Variant.all).
func (r *resolver) adopt(n *Node) {
	if r.nodes[n.Hash] != nil {
		return
	}
	r.nodes[n.Hash] = n
	r.partial = r.partial || slices.ContainsFunc(n.Lines, func(l NodeLine) bool { return !l.Child.IsZero() })
}

func (r *resolver) lookup(h Hash) *Node {
	if r.known == nil {
		return nil
	}
	return r.known(h)
}

// collect appends the selected lines of id to n; phantoms are blown
// through recursively with their quantity as multiplier, their position as
// prefix and their line scrap combined into the lines taken over.
func (r *resolver) collect(n *Node, id string, cc *cfgCtx, mult, scrap float64, prefix string) error {
	r.depth++
	defer func() { r.depth-- }()
	for _, l := range r.cat.lines[id] {
		if !l.effective(r.day) {
			continue
		}
		if l.Condition != "" {
			ok, err := r.eval(l.Line, id, l.Condition, l.cond, cc)
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
		}
		q := l.Qty
		if l.QtyExpr != "" {
			if cc == nil || l.qty == nil || l.qty[cc.mi] == nil {
				return noConfig(l.where(), "qty_per", id, l.QtyExpr)
			}
			v, err := configurator.EvalInt(l.qty[cc.mi], cc.cfg)
			if err != nil {
				return fieldAt(l.where(), "qty_per", fmt.Errorf("%w: %s: %w", ErrResolve, csvtext.Quote(l.QtyExpr), err))
			}
			if v < 0 {
				return fieldAt(l.where(), "qty_per", fmt.Errorf("%w: %s evaluates to %d for this configuration (line %s -> %s)", ErrResolve, csvtext.Quote(l.QtyExpr), v, l.Parent, l.Component))
			}
			if v == 0 {
				continue
			}
			q = float64(v)
		}
		comp := l.comp
		pos := prefix + l.Position
		sc := combineScrap(scrap, l.ScrapPct)
		if comp.Kind == Phantom {
			if err := r.collect(n, comp.ID, cc, mult*q, sc, pos+"/"); err != nil {
				return err
			}
			continue
		}
		nl := NodeLine{Position: pos, Item: comp.ID, Qty: mult * q, ScrapPct: sc}
		if l.compNode {
			child := cc
			if comp.Model != "" {
				var err error
				if child, err = r.passDown(cc, id, comp); err != nil {
					return err
				}
			}
			cn, err := r.resolveNode(comp.ID, child)
			if err != nil {
				return err
			}
			nl.Child = cn.Hash
		}
		n.Lines = append(n.Lines, nl)
	}
	return nil
}

// combineScrap combines two scrap percentages along a path:
// (1+a/100)(1+b/100) = 1 + (a+b+ab/100)/100, exact when one of them is 0.
func combineScrap(a, b float64) float64 {
	if a == 0 {
		return b
	}
	if b == 0 {
		return a
	}
	return a + b + a*b/100
}

// eval evaluates a parsed condition; at names the record in errors (its
// where() is only called then: formatting it for every line costs).
func (r *resolver) eval(at interface{ where() at }, item, src string, xs []configurator.Expr, cc *cfgCtx) (bool, error) {
	if cc == nil || xs == nil || xs[cc.mi] == nil {
		return false, noConfig(at.where(), "condition", item, src)
	}
	ok, err := configurator.Eval(xs[cc.mi], cc.cfg)
	if err != nil {
		return false, fieldAt(at.where(), "condition", fmt.Errorf("%w: %s: %w", ErrResolve, csvtext.Quote(src), err))
	}
	return ok, nil
}

func noConfig(where at, col, item, src string) error {
	return fieldAt(where, col, fmt.Errorf("%w: %s of %s needs a configuration: resolve a configurable item above %s", ErrNotConfigurable, csvtext.Quote(src), item, item))
}

func fieldAt(where at, col string, err error) *FieldError {
	return &FieldError{Pos: where.pos, Record: where.rec, Column: col, Err: err}
}

// passDown derives the configuration of the configurable sub-assembly comp
// from the configuration in force cc (nil when resolving a standard item):
// every characteristic of comp's model takes the values of the parent's
// characteristic of the same name, else its default; a Multi characteristic
// with neither is empty and an optional Single is none. The result must be
// a valid configuration of comp's model.
func (r *resolver) passDown(cc *cfgCtx, parent string, comp *Item) (*cfgCtx, error) {
	mi := r.cat.byName[comp.Model]
	if cc != nil && cc.mi == mi {
		return cc, nil
	}
	m := r.cat.models[mi]
	cfg := make(configurator.Configuration, len(m.m.Chars))
	for _, ch := range m.m.Chars {
		if cc != nil {
			if v, ok := cc.cfg[ch.Name]; ok {
				cfg[ch.Name] = v
				continue
			}
		}
		switch {
		case len(ch.Default) > 0:
			cfg[ch.Name] = ch.Default
		case ch.Kind == configurator.Multi || (ch.Kind == configurator.Single && ch.Optional):
			cfg[ch.Name] = []string{}
		default:
			return nil, fmt.Errorf("%w: %s (model %s) below %s: characteristic %s gets no value from %s and has no default",
				ErrResolve, comp.ID, m.name, parent, ch.Name, parent)
		}
	}
	cfg = canonicalConfig(m, cfg) // the parent's value may be spelled otherwise in this model
	key, err := m.key(cfg)
	if err != nil {
		return nil, fmt.Errorf("%w: %s (model %s) below %s: %w", ErrResolve, comp.ID, m.name, parent, err)
	}
	ck := fmt.Sprintf("%d\x00%s", mi, key)
	if c := r.ctxs[ck]; c != nil {
		return c, nil
	}
	if err := r.check(r.ctx, m, key, cfg); err != nil {
		return nil, fmt.Errorf("bom: %s (model %s), configuration passed down from %s: %w", comp.ID, m.name, parent, err)
	}
	c := &cfgCtx{mi: mi, cfg: cfg, key: key}
	r.ctxs[ck] = c
	return c, nil
}
