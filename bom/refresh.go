package bom

import (
	"context"

	"github.com/ctoplan/ctoplan/kv"
)

// Refresh reloads the master data and models when another Store on the
// same database wrote since this one loaded (bom/meta holds another
// generation), and reports whether it did. Replicas of a server call it
// when they see bom/meta change, so that reads serve the new data without
// waiting for a write of their own. Models whose text was compiled before
// are taken from the model cache, not compiled again. Safe for concurrent
// use with the Store's other methods.
func (s *Store) Refresh(ctx context.Context) (bool, error) {
	var p *Pending
	err := s.db.View(ctx, func(txn kv.Txn) error {
		mt, err := readMeta(txn)
		if err != nil {
			return err
		}
		s.mu.RLock()
		cat, reg := s.cat.Load(), s.reg.Load()
		s.mu.RUnlock()
		if reg.gen == mt.Gen && cat.rev == mt.Rev {
			return nil
		}
		cat, reg, err = s.load(ctx, txn)
		if err != nil {
			return err
		}
		p = &Pending{s: s, cat: cat, reg: reg}
		return nil
	})
	if err != nil || p == nil {
		return false, err
	}
	p.Apply()
	return true, nil
}
