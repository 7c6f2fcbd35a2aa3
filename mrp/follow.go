package mrp

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/ctoplan/ctoplan/kv"
)

// CatchUp brings a Store that other Stores on the same database wrote
// past (replicas of one plan) up to the stored state: it reads mrp/meta
// and applies the journal entries after the Store's revision, in order,
// by net change; after a new snapshot (a Reset elsewhere) it reloads the
// generation. It returns whether the plan changed. Afterwards the next
// write no longer fails with [ErrStale] (unless yet another write came
// between). On error the Store is as it was or reloaded whole; it is
// never left between two revisions. A Store whose reload failed (after a
// failed write, see [Store.Update]) is reloaded whole.
//
// Every Store that applied revision R by CatchUp or by its own writes
// holds the same plan: net change is deterministic, and a journal entry
// is the batch of changes its writer applied to the plan of revision R-1.
// The caller holds the Store's write lock.
func (s *Store) CatchUp(ctx context.Context) (bool, error) {
	if s.stale {
		// a reload failed before: the planner is not the plan of
		// s.m.Rev, so entries are not applied to it
		return true, s.reload(ctx)
	}
	var cur meta
	var entries [][]byte
	err := s.db.View(ctx, func(tx kv.Txn) error {
		if err := getMeta(tx, &cur); err != nil {
			return err
		}
		if cur.Gen != s.m.Gen || cur.Next <= s.m.Next {
			return nil
		}
		pre := journalPrefix(cur.Gen)
		from := []byte(fmt.Sprintf("%s%016x", pre, s.m.Next))
		return tx.Scan(from, kv.PrefixEnd([]byte(pre)), func(_, v []byte) error {
			entries = append(entries, slices.Clone(v))
			return nil
		})
	})
	if err != nil {
		return false, err
	}
	switch {
	case cur.Gen == s.m.Gen && cur.Next == s.m.Next && cur.Rev == s.m.Rev:
		return false, nil
	case cur.Gen != s.m.Gen && cur.Rev == s.m.Rev && len(s.quoted) == 0 && cur.Basis == s.m.Basis:
		// a checkpoint elsewhere: the same plan in a new snapshot
		s.m = cur
		return false, nil
	case cur.Gen != s.m.Gen || uint64(len(entries)) != cur.Next-s.m.Next:
		return true, s.reload(ctx)
	}
	for k, b := range entries {
		if err := ctx.Err(); err != nil {
			return true, s.reloadAfter(err, ctx)
		}
		rev, cs, err := decodeEntry(b)
		if err == nil && rev != 0 && rev != s.m.Rev+1 {
			err = fmt.Errorf("revision %d after %d", rev, s.m.Rev)
		}
		if err == nil {
			_, err = s.p.Apply(cs...)
		}
		if err != nil {
			return true, s.reloadAfter(fmt.Errorf("mrp: journal entry %d: %w", s.m.Next+uint64(k), err), ctx)
		}
		for _, c := range cs {
			if si, ok := c.(SetItem); ok {
				delete(s.quoted, si.Item.ID)
			}
		}
		s.m.Next++
		s.m.Rev = max(rev, s.m.Rev+1)
	}
	s.m = cur
	return true, nil
}

// reloadAfter reloads the store after a failed catch-up: the reload's error
// if it fails, else nil (the store is current).
func (s *Store) reloadAfter(cause error, ctx context.Context) error {
	if err := s.reload(context.WithoutCancel(ctx)); err != nil {
		return errors.Join(cause, err)
	}
	return nil
}

// StoredRevision reads the revision stored in db's plan (0 when it holds
// none) without loading the plan: a replica compares it with
// [Store.Revision] to learn that it is behind.
func StoredRevision(ctx context.Context, db kv.DB) (uint64, error) {
	var m meta
	err := db.View(ctx, func(tx kv.Txn) error { return getMeta(tx, &m) })
	if errors.Is(err, ErrNoPlan) {
		return 0, nil
	}
	return m.Rev, err
}

// Digest is a hash of the whole plan: every planned order (phantoms
// included) with its item, ID, quantity, release and due day and firm
// flag, and its pegging to demands, in the plan's order; then the
// exception count. Items without orders (such as those a quote added) do
// not count. Two planners that hold the same plan have the same
// digest, so replicas that applied the same revision can be compared.
func (p *Planner) Digest() string {
	h := sha256.New()
	var b, id []byte
	u := func(v uint64) { b = binary.AppendUvarint(b, v) }
	str := func(x string) { u(uint64(len(x))); b = append(b, x...) }
	_ = p.EachOrder(true, true, func(o *OrderLine) error {
		str(o.Item)
		id = o.AppendID(id[:0])
		u(uint64(len(id)))
		b = append(b, id...)
		b = binary.AppendVarint(b, o.Qty)
		b = binary.AppendVarint(b, int64(o.ReleaseDay))
		b = binary.AppendVarint(b, int64(o.DueDay))
		b = append(b, byte(o.Kind))
		if o.Firm {
			b = append(b, 1)
		} else {
			b = append(b, 0)
		}
		u(uint64(len(o.Pegged)))
		for _, d := range o.Pegged {
			str(d.Demand)
			u(math.Float64bits(d.Qty))
		}
		u(math.Float64bits(o.PeggedRest))
		if len(b) > 32<<10 {
			h.Write(b)
			b = b[:0]
		}
		return nil
	})
	u(uint64(p.ExceptionCount()))
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil))
}
