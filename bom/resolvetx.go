package bom

import (
	"context"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ctoplan/ctoplan/configurator"
	"github.com/ctoplan/ctoplan/kv"
)

// ResolveTx is [Store.Resolve] inside the caller's transaction txn (of the
// Store's DB): a new variant and its new nodes are written into txn, so
// that storing the variant and what refers to it (a demand in a plan's
// journal, see mrp.Store.Update) commit or fail together. Call
// [Pending.Apply] after the commit to cache the variant; when txn is
// rolled back, drop the Pending: nothing was stored or cached. A variant
// stored or cached before is returned with a Pending that does nothing.
func (s *Store) ResolveTx(ctx context.Context, txn kv.Txn, item string, cfg configurator.Configuration, at time.Time) (*Variant, *Pending, error) {
	v, publish, err := s.resolveIn(ctx, txn, item, cfg, at, true)
	if err != nil {
		return nil, nil, err
	}
	p := &Pending{s: s}
	if publish != nil {
		p.variant = publish
	}
	return v, p, nil
}

// ResolveStandard is [Store.Resolve] of many standard items (resolved
// without a configuration) on the day of at, for a caller that needs them
// all (a plan of every item): the items are resolved on up to GOMAXPROCS
// goroutines, and the new variants are stored many to a transaction
// instead of one each (on the in-memory store every transaction clones the
// B-tree and copies the path of nodes its first write touches). vs[k] is
// the variant of items[k], or nil with errs[k] saying why it does not
// resolve (lines whose conditions need a configuration, an unknown item).
// A batch whose transaction fails (too big, a conflict) is stored one item
// at a time, as Resolve does, so that one bad write costs the others
// nothing.
//
// The items are resolved from the bottom of the BOMs up: those whose
// sub-assemblies are all at most h levels deep before those with a
// deeper one, and a batch holds items of one such height. Items resolved
// together do not see each other's new nodes until those are stored, but
// items of one height never contain each other, so each finds its
// sub-assemblies stored by earlier batches and resolves only its own
// node, as when resolved one at a time bottom-up. A new node two of them
// both need (an item listed twice, a sub-assembly not in items) is
// resolved by each and written twice, with the same hash and bytes, and
// cached once. Like Resolve, it opens no transaction when nothing is new.
func (s *Store) ResolveStandard(ctx context.Context, items []string, at time.Time) (vs []*Variant, errs []error) {
	type prepared struct {
		v       *Variant
		write   func(kv.Txn) error
		publish func() *Variant
	}
	ps := make([]prepared, len(items))
	errs = make([]error, len(items))
	vs = make([]*Variant, len(items))
	// Batches of variants per transaction (a few hundred bytes each),
	// each resolved on all cores, then stored.
	const batch, chunk = 256, 32
	workers := runtime.GOMAXPROCS(0)
	order, height := bottomUp(s.cat.Load(), items)
	for lo := 0; lo < len(order); {
		hi := lo + 1
		for hi < len(order) && hi-lo < batch && height[order[hi]] == height[order[lo]] {
			hi++
		}
		var next atomic.Int64
		next.Store(int64(lo))
		var wg sync.WaitGroup
		for range min(workers, (hi-lo+chunk-1)/chunk) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					from := int(next.Add(chunk)) - chunk
					if from >= hi {
						return
					}
					for _, k := range order[from:min(from+chunk, hi)] {
						p := &ps[k]
						p.v, p.write, p.publish, errs[k] = s.prepare(ctx, items[k], nil, at, true)
					}
				}
			}()
		}
		wg.Wait()
		// no transaction when there is nothing to store (every variant was
		// stored before), as Resolve: a caller may be inside a write of its own
		var err error
		if slices.ContainsFunc(order[lo:hi], func(k int) bool { return ps[k].write != nil }) {
			err = s.db.Update(ctx, func(txn kv.Txn) error {
				for _, k := range order[lo:hi] {
					if ps[k].write != nil {
						if err := ps[k].write(txn); err != nil {
							return err
						}
					}
				}
				return nil
			})
		}
		for _, k := range order[lo:hi] {
			switch p := &ps[k]; {
			case errs[k] != nil:
			case p.write == nil:
				vs[k] = p.v // stored or cached before
			case err == nil:
				vs[k] = p.publish()
			default:
				vs[k], errs[k] = s.Resolve(ctx, items[k], nil, at)
			}
			ps[k] = prepared{}
		}
		lo = hi
	}
	return vs, errs
}

// bottomUp orders the indices of items by height, the number of levels of
// sub-assembly nodes below the item's node (0: none of its components has
// a BOM or routing; a phantom's lines count as its parent's), ignoring
// effectivity and conditions, so that an item comes after every item its
// node can contain. Unknown items have height 0.
func bottomUp(cat *catalog, items []string) (order, height []int) {
	memo := map[string]int{}
	var h func(id string) int
	h = func(id string) int {
		if v, ok := memo[id]; ok {
			return v
		}
		v := 0
		for _, l := range cat.lines[id] {
			switch {
			case l.comp == nil:
			case l.comp.Kind == Phantom:
				v = max(v, h(l.comp.ID))
			case l.compNode:
				v = max(v, 1+h(l.comp.ID))
			}
		}
		memo[id] = v
		return v
	}
	height = make([]int, len(items))
	order = make([]int, len(items))
	for k, id := range items {
		height[k], order[k] = h(id), k
	}
	slices.SortStableFunc(order, func(a, b int) int { return height[a] - height[b] })
	return order, height
}
