package server

import (
	"context"
	"errors"

	"github.com/ctoplan/ctoplan/kv"
)

// A change that spans the BOM store and the server's own keys (a model the
// BOM uses, replaced with PutModel; models carried by a BOM import) must
// commit or fail as one. The BOM store runs its own transactions, so the
// server opens it on a joinDB: an Update whose context carries a joined
// write runs that write in the same transaction, after the store's own.

// joinDB is the kv.DB the BOM store runs on.
type joinDB struct{ kv.DB }

type joinKey struct{}

// joined is a write waiting to ride along with the next Update.
type joined struct {
	write   func(kv.Txn) error
	claimed bool // an Update took it
	done    bool // and committed
}

func (d joinDB) Update(ctx context.Context, fn func(kv.Txn) error) error {
	j, _ := ctx.Value(joinKey{}).(*joined)
	if j == nil || j.claimed {
		return d.DB.Update(ctx, fn)
	}
	j.claimed = true
	err := d.DB.Update(ctx, func(txn kv.Txn) error {
		if err := fn(txn); err != nil {
			return err
		}
		return j.write(txn)
	})
	j.done = err == nil
	return err
}

// updateJoined commits write together with whatever with writes through the
// BOM store (with gets a context that carries write): either both are
// stored or neither is. When with stored nothing (it returned nil without
// an Update, e.g. because no BOM uses the model), write runs in a
// transaction of its own. with may be nil.
func updateJoined(ctx context.Context, db kv.DB, write func(kv.Txn) error, with func(context.Context) error) error {
	j := &joined{write: write}
	if with != nil {
		if err := with(context.WithValue(ctx, joinKey{}, j)); err != nil {
			return err
		}
	}
	if j.done {
		return nil
	}
	if j.claimed {
		// with swallowed the failure of the joined transaction: nothing
		// was written, so do not write half now.
		return errors.New("server: a joined store transaction failed but its error was dropped; nothing was stored")
	}
	return db.Update(ctx, write)
}
