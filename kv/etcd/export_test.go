package etcd

// SetAfterLock makes every big commit call f after taking the lock; an
// error from f ends the commit there, as if its writer died.
func SetAfterLock(f func() error) { testAfterLock = f }
