package mrp

import (
	"context"
	"errors"

	"github.com/ctoplan/ctoplan/kv"
)

// JournalLen is the number of journal entries written since the store's
// last snapshot: what an open or a new replica replays.
func (s *Store) JournalLen() uint64 { return s.m.Next }

// checkpointRetries bounds how often [CheckpointDB] catches up with
// writes that landed while it wrote its snapshot and tries again.
const checkpointRetries = 8

// CheckpointDB checkpoints the plan stored in db in the background of its
// writer: it opens a Store of its own on db (replaying the journal, with
// no lock the writer holds), writes a snapshot of it and switches the
// store to that snapshot in one transaction, which commits only if no
// write landed in between; then it catches up with those writes and tries
// again (up to 8 times). Nothing is done when the journal holds fewer than
// minEntries entries. done reports whether a snapshot was switched to.
//
// The writer (another [Store] on db) is never blocked beyond the kv
// store's own commits: its next write after the switch fails with
// [ErrStale], and [Store.CatchUp] then takes the new snapshot cheaply (the
// plan is the same at the same revision: nothing is reloaded) before it
// writes again. The opened copy costs the memory of a second planner
// while it runs.
func CheckpointDB(ctx context.Context, db kv.DB, minEntries uint64) (done bool, _ error) {
	c, err := OpenStore(ctx, db)
	if err != nil {
		return false, err
	}
	for try := 0; ; try++ {
		if c.JournalLen() < max(minEntries, 1) {
			return false, nil
		}
		err := c.Checkpoint(ctx)
		if err == nil {
			return true, nil
		}
		if !errors.Is(err, ErrStale) || try == checkpointRetries {
			return false, err
		}
		if _, err := c.CatchUp(ctx); err != nil {
			return false, err
		}
	}
}
