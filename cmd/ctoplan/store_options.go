package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/ctoplan/ctoplan/kv"
	"github.com/ctoplan/ctoplan/kv/etcd"
)

// storeOptions are the flags that tune a Badger store: fsync per commit and
// the memtable size, which bounds one transaction (one import).
type storeOptions struct {
	syncWrites bool
	memtableMB int
	mustExist  bool
}

// defaultMemtableMB is Badger's default memtable size; one transaction may
// hold about 15% of it.
const defaultMemtableMB = 64

func (o *storeOptions) register(cmd *cobra.Command, syncDefault bool) {
	fl := cmd.Flags()
	fl.BoolVar(&o.syncWrites, "sync-writes", syncDefault,
		"fsync every commit (an acknowledged write survives a power cut; costs a few ms per write)")
	fl.IntVar(&o.memtableMB, "memtable-mb", defaultMemtableMB,
		"Badger memtable size in MiB; one transaction (one import) may hold about 15% of it, see docs/reliability.md")
}

// maxAutoMemtable bounds the memtable fit chooses by itself (8 GiB): an
// import that needs more fails with the transaction-too-big error.
const maxAutoMemtable = 8 << 30

// fit returns a store that can take ov's pending writes in one transaction:
// db itself, or, when its memtable is too small, db closed and reopened
// with a memtable big enough (the writes are in memory already; the
// memtable costs about seven times their size, up to 8 GiB). An offline
// command is then not bounded by one transaction of --memtable-mb; a
// server is (its imports come one request at a time).
func (o storeOptions) fit(cmd *cobra.Command, dir string, db kv.DB, ov *kv.Overlay) (kv.DB, error) {
	b, ok := db.(*kv.Badger)
	if !ok {
		return db, nil
	}
	entries, bytes := ov.PendingSize()
	need := kv.MemTableFor(entries, bytes)
	if need <= b.MemTableSize() || need > maxAutoMemtable {
		return db, nil
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "storing %d records (%.1f MiB) in one transaction: reopening %s with a %d MiB memtable\n",
		entries, float64(bytes)/(1<<20), dir, need>>20)
	if err := db.Close(); err != nil {
		return nil, err
	}
	o.memtableMB = int(need >> 20)
	return o.open(cmd, dir)
}

// open opens the Badger store in dir, the etcd cluster named by an
// etcd://HOST:PORT[,HOST:PORT...][/PREFIX] URL, or an in-memory store for "".
func (o storeOptions) open(cmd *cobra.Command, dir string) (kv.DB, error) {
	if dir == "" {
		return kv.NewMemory(), nil
	}
	if etcd.IsURL(dir) {
		eo, err := etcd.ParseURL(dir)
		if err != nil {
			return nil, err
		}
		return etcd.Open(cmd.Context(), eo)
	}
	mt := o.memtableMB
	if mt == 0 {
		mt = defaultMemtableMB
	}
	if mt < 1 || mt > 4096 {
		return nil, fmt.Errorf("--memtable-mb %d: want 1 to 4096", mt)
	}
	return kv.OpenBadger(dir, kv.Options{
		SyncWrites:   o.syncWrites,
		MemTableSize: int64(mt) << 20,
		MustExist:    o.mustExist,
		Logf: func(format string, args ...any) {
			fmt.Fprintf(cmd.ErrOrStderr(), format+"\n", args...)
		},
	})
}
