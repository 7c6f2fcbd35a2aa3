package kv

// SetFreeSpace replaces how b learns the free space of its file system
// (tests: a disk that fills up without filling one).
func SetFreeSpace(b *Badger, free func(dir string) (int64, bool, error)) {
	b.guard.freeFn = free
}
