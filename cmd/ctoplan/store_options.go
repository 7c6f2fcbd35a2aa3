package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/ctoplan/ctoplan/internal/kv"
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

// open opens the Badger store in dir, or an in-memory store for "".
func (o storeOptions) open(cmd *cobra.Command, dir string) (kv.DB, error) {
	if dir == "" {
		return kv.NewMemory(), nil
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
