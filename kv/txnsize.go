package kv

import "github.com/dgraph-io/badger/v4/skl"

// Badger bounds one transaction by its memtable: at most 15% of
// MemTableSize in bytes (each entry counts its key, value and 12 bytes) and
// that many bytes divided by the size of a skiplist node (about 100 bytes)
// in entries. With the default 64 MiB memtable that is about 9.6 MiB or
// about 100,000 entries, whichever comes first; a ctoplan import writes
// one entry per item, BOM line, operation and work centre (and a few more),
// so the entry count is what usually binds: about 50,000 items with as many
// BOM lines.

// defaultMemTableSize is Badger's default memtable size.
const defaultMemTableSize = 64 << 20

// TxnLimit is what one transaction may hold with a memtable of memTable
// bytes (<= 0: the default): entries, and bytes of keys and values.
func TxnLimit(memTable int64) (entries int64, bytes int64) {
	if memTable <= 0 {
		memTable = defaultMemTableSize
	}
	b := 15 * memTable / 100
	return b / int64(skl.MaxNodeSize), b
}

// MemTableFor is the smallest memtable size (whole MiB) whose transactions
// hold entries entries of bytes bytes of keys and values, with a tenth to
// spare.
func MemTableFor(entries int, bytes int64) int64 {
	n := int64(entries) + 1
	need := max(n*int64(skl.MaxNodeSize), bytes+12*n+1)
	mt := need * 100 / 15
	mt += mt / 10
	return (mt + 1<<20 - 1) &^ (1<<20 - 1)
}

// MemTableSize is the memtable size the store was opened with.
func (b *Badger) MemTableSize() int64 { return b.memTable }

// PendingSize is the number of pending writes and the bytes of their keys
// and values.
func (o *Overlay) PendingSize() (entries int, bytes int64) {
	t := o.pending.Load()
	t.Ascend(func(e oentry) bool {
		bytes += int64(len(e.k) + len(e.v))
		return true
	})
	return t.Len(), bytes
}
