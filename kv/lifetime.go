package kv

import (
	"context"
	"sync"
)

// lifetime is the open/closed state shared by the stores: transactions hold
// it shared between begin and end, Close holds it exclusively, so Close
// waits for running transactions and none starts after it.
type lifetime struct {
	mu     sync.RWMutex
	closed bool // guarded by mu
}

// begin enters a transaction: ctx's error, [ErrClosed], or nil, in which
// case the caller must call end.
func (l *lifetime) begin(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	l.mu.RLock()
	if l.closed {
		l.mu.RUnlock()
		return ErrClosed
	}
	return nil
}

// end leaves a transaction entered by a successful begin.
func (l *lifetime) end() { l.mu.RUnlock() }

// close runs release once, after running transactions have ended; later
// calls return nil.
func (l *lifetime) close(release func() error) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return nil
	}
	l.closed = true
	return release()
}
