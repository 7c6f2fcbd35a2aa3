package mrp

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
)

// SetConfirmation records a shop-floor [Confirmation] of an operation of
// a released production order (or replaces the one with the same ID) and
// applies what it changes as a net change: the order's receipt becomes its
// quantity at its first confirmation less all scrap confirmed for it (no
// unit left removes it), and the capacity load and finite schedule count
// only its remaining operations.
//
// The resulting state depends only on the set of confirmations, not on
// the order they were applied in. A [Store] journals confirmations and
// keeps them in its snapshots, so they survive a reopen.
type SetConfirmation struct{ Confirmation Confirmation }

func (SetConfirmation) isChange() {}

// applyConfirmation is applyOne of a SetConfirmation: it records the
// confirmation (and, at an order's first one, the order's quantity), then
// changes the order's receipt through applyOne, undoing both on failure.
func (p *Planner) applyConfirmation(s *ncState, c Confirmation) (func(), bool, error) {
	if err := p.checkConfirmation(c); err != nil {
		return nil, false, err
	}
	pr := p.prog()
	old, had := pr.conf[c.ID]
	_, hadOrig := pr.orig[c.Order]
	k := p.recIx[c.Order]
	if !hadOrig {
		pr.orig[c.Order] = p.recs[k].in.Qty
	}
	pr.conf[c.ID] = c
	undo := func() {
		if had {
			pr.conf[c.ID] = old
		} else {
			delete(pr.conf, c.ID)
		}
		if !hadOrig {
			delete(pr.orig, c.Order)
		}
	}
	rc := p.recs[k].in
	left := pr.orig[c.Order] - pr.scrap(c.Order)
	var ch Change
	switch {
	case left <= 0:
		ch = RemoveReceipt{ID: c.Order}
	case left != rc.Qty:
		rc.Qty = left
		ch = SetReceipt{Receipt: rc}
	default:
		return undo, false, nil
	}
	u, _, err := p.applyOne(s, ch)
	if err != nil {
		undo()
		return nil, false, err
	}
	return func() { u(); undo() }, false, nil
}

// resetOrigQty makes qty the receipt quantity of a confirmed order id
// after a [SetReceipt]: its recorded quantity at the first confirmation
// becomes qty plus the scrap confirmed so far, so that the receipt stays
// that quantity less all scrap (later scrap reduces qty, earlier scrap is
// not taken twice). It returns the undo; an order without confirmations
// has nothing to reset.
func (p *Planner) resetOrigQty(id string, qty int64) func() {
	pr := p.progress
	if pr == nil {
		return func() {}
	}
	old, ok := pr.orig[id]
	if !ok {
		return func() {}
	}
	pr.orig[id] = qty + pr.scrap(id)
	return func() { pr.orig[id] = old }
}

// Keys of a store generation's progress (see the layout in store.go):
//
//	mrp/g/<gen>/c/<confirmation>  JSON: Confirmation
//	mrp/g/<gen>/o/<order>         JSON: the order's quantity at its first confirmation
const (
	keyConfirmation = "c/"
	keyOrigQty      = "o/"
)

// saveProgress writes the planner's confirmations under a generation's
// prefix pre with put.
func (p *Planner) saveProgress(pre string, put func(k string, v []byte) error) error {
	pr := p.progress
	if pr == nil {
		return nil
	}
	for _, id := range slices.Sorted(maps.Keys(pr.conf)) {
		b, err := json.Marshal(pr.conf[id])
		if err != nil {
			return err
		}
		if err := put(pre+keyConfirmation+id, b); err != nil {
			return err
		}
	}
	for _, id := range slices.Sorted(maps.Keys(pr.orig)) {
		b, _ := json.Marshal(pr.orig[id])
		if err := put(pre+keyOrigQty+id, b); err != nil {
			return err
		}
	}
	return nil
}

// loadProgress restores confirmations read from a snapshot (key suffix to
// value, as saveProgress wrote them).
func (p *Planner) loadProgress(conf, orig map[string][]byte) error {
	if len(conf) == 0 && len(orig) == 0 {
		return nil
	}
	pr := p.prog()
	for id, b := range conf {
		var c Confirmation
		if err := json.Unmarshal(b, &c); err != nil {
			return fmt.Errorf("mrp: stored confirmation %s: %w", id, err)
		}
		if c.ID != id {
			return fmt.Errorf("mrp: stored confirmation %s holds %q", id, c.ID)
		}
		pr.conf[id] = c
	}
	for id, b := range orig {
		var q int64
		if err := json.Unmarshal(b, &q); err != nil {
			return fmt.Errorf("mrp: stored quantity of order %s: %w", id, err)
		}
		pr.orig[id] = q
	}
	return nil
}
