package mrp

import (
	"context"
	"fmt"

	"github.com/ctoplan/ctoplan/configurator"
	"github.com/ctoplan/ctoplan/kv"
)

// OrderChanges returns the changes that place demand d on the plan. A
// configured order (d.Product and d.Config set) is resolved with src: its
// variant is stored in src's bom store, d.Item becomes the variant's
// planning item, and the variant's items the plan lacks are added first
// (one [SetItem] each, components before their parents). A standard
// demand is one [SetDemand]. The returned demand is d as planned.
func (s *Store) OrderChanges(ctx context.Context, src *BOMSource, d Demand) ([]Change, Demand, error) {
	if d.Product == "" {
		return []Change{SetDemand{Demand: d}}, d, nil
	}
	if src == nil {
		return nil, d, fmt.Errorf("%w: demand %s: a configured order needs a BOM source", ErrInvalid, d.ID)
	}
	id, _, err := src.Variant(ctx, d.Product, d.Config)
	if err != nil {
		return nil, d, err
	}
	cs, err := s.missing(src, id)
	if err != nil {
		return nil, d, err
	}
	d.Item = id
	return append(cs, SetDemand{Demand: d}), d, nil
}

// OrderChanges is [Store.OrderChanges] inside the transaction: a
// configured order's variant is written into it (bom.Store.ResolveTx, as
// [Tx.Order] does) and published once it commits, and the changes are
// returned to apply, not applied. Store.OrderChanges inside a transaction
// of an in-memory database deadlocked: its variant took a transaction of
// its own on the locked database.
func (tx *Tx) OrderChanges(ctx context.Context, src *BOMSource, d Demand) ([]Change, Demand, error) {
	if d.Product == "" {
		return []Change{SetDemand{Demand: d}}, d, nil
	}
	if src == nil {
		return nil, d, fmt.Errorf("%w: demand %s: a configured order needs a BOM source", ErrInvalid, d.ID)
	}
	id, ps, err := src.variantTx(ctx, tx.Txn, d.Product, d.Config)
	if err != nil {
		return nil, d, err
	}
	cs, err := tx.s.missing(src, id)
	if err != nil {
		return nil, d, err
	}
	for _, p := range ps {
		tx.OnCommit(p.Apply)
	}
	d.Item = id
	return append(cs, SetDemand{Demand: d}), d, nil
}

// OrderConfigured places demands (configured or standard, see
// [Store.OrderChanges]) as one durable change: one journal entry, one
// revision. It returns the demands as planned (Item the variant's planning
// item).
// The variants are stored in the same transaction as the journal entry
// ([Tx.Order]): when it fails, neither is.
func (s *Store) OrderConfigured(ctx context.Context, src *BOMSource, ds ...Demand) (*ChangeResult, []Demand, error) {
	out := make([]Demand, len(ds))
	res := &ChangeResult{}
	err := s.Update(ctx, func(tx *Tx) error {
		*res = ChangeResult{}
		for k, d := range ds {
			pd, r, err := tx.Order(ctx, src, d)
			if err != nil {
				return err
			}
			out[k] = pd
			res.Add(r)
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return res, out, nil
}

// Order places demand d on the plan inside the transaction, as
// [Store.OrderChanges] and [Tx.Apply]: a configured order's variant is
// written into the transaction (bom.Store.ResolveTx on src's store, which
// must live in the same database) and cached by src's store only once the
// transaction committed, so that a demand and its variant are stored
// together or not at all. It returns the demand as planned.
func (tx *Tx) Order(ctx context.Context, src *BOMSource, d Demand) (Demand, *ChangeResult, error) {
	cs, d, err := tx.OrderChanges(ctx, src, d)
	if err != nil {
		return d, nil, err
	}
	res, err := tx.Apply(cs...)
	return d, res, err
}

// Quote answers available- and capable-to-promise ([Planner.Promise]) for
// a configuration of product that need not have been ordered, and stores
// nothing: the variant is resolved in memory ([BOMSource.QuoteVariant])
// and its planning items the plan lacks join the planner in memory only.
// No demand refers to them, so no planned order changes; [Store.Quoted]
// counts them and [Store.DropQuoted] drops them. A later change that
// refers to one (an order of the same configuration) journals it. req.Item
// is ignored: the answer's Item is the variant's planning item.
func (s *Store) Quote(ctx context.Context, src *BOMSource, product string, cfg configurator.Configuration, req PromiseRequest) (*Promise, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	id, _, err := src.QuoteVariant(ctx, product, cfg)
	if err != nil {
		return nil, err
	}
	cs, err := s.missing(src, id)
	if err != nil {
		return nil, err
	}
	if len(cs) > 0 {
		if _, err := s.p.Apply(cs...); err != nil {
			// nothing was added (Apply changes nothing on error)
			return nil, err
		}
		if s.quoted == nil {
			s.quoted = map[string]bool{}
		}
		for _, c := range cs {
			s.quoted[c.(SetItem).Item.ID] = true
		}
	}
	req.Item = id
	return s.p.Promise(ctx, req)
}

// missing returns a SetItem for item id and each of its components
// (all levels, every BOM change) that the plan lacks, components first.
func (s *Store) missing(src *BOMSource, id string) ([]Change, error) {
	var out []Change
	seen := map[string]bool{}
	var walk func(id string) error
	walk = func(id string) error {
		if seen[id] {
			return nil
		}
		seen[id] = true
		if _, ok := s.p.index[id]; ok {
			return nil
		}
		it, ok := src.Item(id)
		if !ok {
			return &ItemError{Item: id, Err: ErrUnknownItem}
		}
		for _, c := range it.Components {
			if err := walk(c.Item); err != nil {
				return err
			}
		}
		for _, bc := range it.BOMChanges {
			for _, c := range bc.Components {
				if err := walk(c.Item); err != nil {
					return err
				}
			}
		}
		out = append(out, SetItem{Item: it})
		return nil
	}
	return out, walk(id)
}

// DB returns the database the Store lives in.
func (s *Store) DB() kv.DB { return s.db }
