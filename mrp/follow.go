package mrp

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/ctoplan/ctoplan/internal/invariants"
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
// included) with its item, ID, quantity, release and due day, kind and
// firm flag, item by item in the plan's order; then the exception count.
// Items without orders (such as those a quote added) do not count. Two
// planners that hold the same plan have the same digest, so replicas that
// applied the same revision can be compared.
//
// The pegging is not hashed: it follows from the orders and the inputs
// (the same at the same revision), and hashing it read every order's
// demands (118 million shares on the 50,000-item default plant: 7-10 s a
// revision, under the plan's read lock). Each item's orders are hashed
// once and kept (digestKept): after a net change only the items it
// changed (ChangeResult.Changed) are hashed again.
func (p *Planner) Digest() string {
	p.digMu.Lock()
	defer p.digMu.Unlock()
	c := &p.dig
	if !c.ok || len(c.h) > len(p.items) {
		c.h, c.dirty = c.h[:0], c.dirty[:0]
	}
	if n := len(c.h); n < len(p.items) {
		// new items (or all): hashed below
		c.h = slices.Grow(c.h, len(p.items)-n)[:len(p.items)]
		for i := n; i < len(p.items); i++ {
			c.dirty = append(c.dirty, int32(i))
		}
	}
	c.ok = true
	// each item once: the halves hashed on two goroutines must not
	// share one
	slices.Sort(c.dirty)
	c.dirty = slices.Compact(c.dirty)
	p.hashItems(c.h, c.dirty)
	c.dirty = c.dirty[:0]
	if invariants.Enabled && len(p.items)+len(p.demands) < checkNetChangeMaxSize {
		fresh := make([][sha256.Size]byte, len(p.items))
		all := make([]int32, len(p.items))
		for i := range all {
			all[i] = int32(i)
		}
		p.hashItems(fresh, all)
		for i := range fresh {
			if fresh[i] != c.h[i] {
				panic(fmt.Sprintf("mrp: kept digest of item %s differs from its orders' (a change not noted)", p.items[i].in.ID))
			}
		}
	}
	h := sha256.New()
	for i := range c.h {
		if c.h[i] != ([sha256.Size]byte{}) {
			h.Write(c.h[i][:])
		}
	}
	var b []byte
	b = binary.AppendUvarint(b, uint64(p.ExceptionCount()))
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil))
}

// digestKept is Digest's hash of each item's orders (zero for an item
// without orders), kept between plan versions; a regenerative run or a
// plan taken over forgets it (pegReset).
type digestKept struct {
	kept
	h [][sha256.Size]byte
}

// digTouched notes the items a net change touched for the kept digest.
func (p *Planner) digTouched(touched []int32) {
	p.digMu.Lock()
	defer p.digMu.Unlock()
	p.dig.touched(touched, len(p.items))
}

// digestParMin is the fewest items hashItems hashes on two goroutines
// (Planner.digParMin, when set, instead: the tests lower it).
const digestParMin = 4096

// hashItems sets h[i] to the hash of item i's orders for every i in
// items (each once), on two goroutines for many items.
func (p *Planner) hashItems(h [][sha256.Size]byte, items []int32) {
	hash := func(items []int32) {
		d := sha256.New()
		var b []byte
		u := func(v uint64) { b = binary.AppendUvarint(b, v) }
		line := func(o *OrderLine) error {
			// the ID: a firm order's own, else the item's, the due
			// day's date and the order's number on that day
			u(uint64(len(o.id)))
			b = append(b, o.id...)
			u(uint64(o.n))
			b = binary.AppendVarint(b, o.Qty)
			b = binary.AppendVarint(b, int64(o.ReleaseDay))
			b = binary.AppendVarint(b, int64(o.DueDay))
			b = append(b, byte(o.Kind))
			if o.Firm {
				b = append(b, 1)
			} else {
				b = append(b, 0)
			}
			if len(b) > 32<<10 {
				d.Write(b)
				b = b[:0]
			}
			return nil
		}
		for _, i := range items {
			it := &p.items[i]
			if len(it.due) == 0 {
				h[i] = [sha256.Size]byte{}
				continue
			}
			d.Reset()
			b = b[:0]
			u(uint64(len(it.in.ID)))
			b = append(b, it.in.ID...)
			_ = p.EachOrderOf(int(i), int(i)+1, true, false, line)
			d.Write(b)
			d.Sum(h[i][:0])
		}
	}
	parMin := p.digParMin
	if parMin == 0 {
		parMin = digestParMin
	}
	if len(items) < parMin || p.opts.Workers == 1 {
		hash(items)
		return
	}
	var wg sync.WaitGroup
	half := len(items) / 2
	wg.Go(func() { hash(items[:half]) })
	hash(items[half:])
	wg.Wait()
}
