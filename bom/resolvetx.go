package bom

import (
	"context"
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
