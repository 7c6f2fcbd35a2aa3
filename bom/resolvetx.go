package bom

import (
	"context"
	"runtime"
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
// Items resolved together do not see each other's new nodes until those
// are stored: a node two of them share (a sub-assembly resolved as a node
// of its own) is resolved and written by each, with the same hash and
// bytes, and cached once.
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
	for lo := 0; lo < len(items); lo += batch {
		hi := min(lo+batch, len(items))
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
					for k := from; k < min(from+chunk, hi); k++ {
						p := &ps[k]
						p.v, p.write, p.publish, errs[k] = s.prepare(ctx, items[k], nil, at, true)
					}
				}
			}()
		}
		wg.Wait()
		err := s.db.Update(ctx, func(txn kv.Txn) error {
			for k := lo; k < hi; k++ {
				if ps[k].write != nil {
					if err := ps[k].write(txn); err != nil {
						return err
					}
				}
			}
			return nil
		})
		for k := lo; k < hi; k++ {
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
	}
	return vs, errs
}
