package bom

import (
	"context"
	"time"

	"github.com/ctoplan/ctoplan/configurator"
)

// ResolveUncached resolves like Store.Resolve but from scratch: no caches,
// no stored nodes, no sub-assembly reuse, nothing written. Tests compare
// the two.
func ResolveUncached(ctx context.Context, s *Store, item string, cfg configurator.Configuration, at time.Time) (Hash, error) {
	cat := s.cat.Load()
	it := cat.items[item]
	var cc *cfgCtx
	if it.Model != "" {
		mi := cat.byName[it.Model]
		key, err := cat.models[mi].key(cfg)
		if err != nil {
			return Hash{}, err
		}
		cc = &cfgCtx{mi: mi, cfg: cfg, key: key}
	}
	r := newResolver(ctx, cat, DateOf(at))
	r.check = func(ctx context.Context, m *Model, _ string, cfg configurator.Configuration) error {
		return m.validate(ctx, cfg)
	}
	n, err := r.resolveNode(item, cc)
	if err != nil {
		return Hash{}, err
	}
	return n.Hash, nil
}
