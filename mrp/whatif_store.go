package mrp

import (
	"context"
	"fmt"
)

// RushFor builds the what-if question ([Planner.WhatIf]) of rush demand d
// on the store's plan. A configured demand (d.Product and d.Config set) is
// resolved with src in memory ([BOMSource.QuoteVariant]: nothing is
// stored): d.Item becomes the variant's planning item and the items the
// plan lacks become Rush.Items (components first). Neither the plan nor
// the store changes.
func (s *Store) RushFor(ctx context.Context, src *BOMSource, d Demand) (Rush, error) {
	if d.Product == "" {
		return Rush{Demand: d}, nil
	}
	if src == nil {
		return Rush{}, fmt.Errorf("%w: rush order %s: a configured order needs a BOM source", ErrInvalid, d.ID)
	}
	id, _, err := src.QuoteVariant(ctx, d.Product, d.Config)
	if err != nil {
		return Rush{}, err
	}
	cs, err := s.missing(src, id)
	if err != nil {
		return Rush{}, err
	}
	d.Item = id
	r := Rush{Demand: d}
	for _, c := range cs {
		r.Items = append(r.Items, c.(SetItem).Item)
	}
	return r, nil
}
