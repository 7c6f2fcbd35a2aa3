package server

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ctoplan/ctoplan/mrp"
)

// schedWarm makes the plan's finite schedule ahead of need. A capable-to-
// promise answer, a sales-order status, a finite listing and a rush
// what-if all read the finite schedule of the current plan version
// (mrp.BOMPlan.Schedule), which is made from scratch once per version:
// 1.8 s on a 10,000-item plant, 16 s on a 50,000-item one. A quoting tool
// that places an order and then quotes the next waited that long after
// every order. Once a schedule has been read (within warmFor), every
// change of the plan starts a quiet spell of idle; when no write comes
// within it, the schedule is made in the background under the plan's
// read lock. A writer cancels that build before it takes the plan lock
// (lockPlan) and goes ahead within milliseconds (the build looks at its
// context every thousand orders); the next quiet spell is twice as long
// (at most idleMax), so that a plan written faster than it can be
// scheduled does not keep a core busy with builds given up.
type schedWarm struct {
	kick    chan struct{} // buffered: the plan changed
	used    atomic.Int64  // when a schedule was last read (UnixNano; 0 never)
	writers atomic.Int32  // writers waiting for or holding the plan lock
	mu      sync.Mutex
	cancel  context.CancelFunc // of the build under way (nil: none)
	// made and gaveUp count the builds finished and given up
	made, gaveUp atomic.Int64

	idle, idleMax, warmFor time.Duration
	// build makes the schedule of plan (nil: plan.ScheduleContext; the
	// tests give a slow one)
	build func(ctx context.Context, plan *mrp.BOMPlan) error
}

const (
	warmIdle    = time.Second
	warmIdleMax = 30 * time.Second
	warmFor     = 15 * time.Minute
)

func newSchedWarm() *schedWarm {
	return &schedWarm{kick: make(chan struct{}, 1), idle: warmIdle, idleMax: warmIdleMax, warmFor: warmFor}
}

// poke says the plan changed (or a build gave up and should be tried
// again); it never blocks.
func (w *schedWarm) poke() {
	select {
	case w.kick <- struct{}{}:
	default:
	}
}

// use notes that a schedule was read.
func (w *schedWarm) use() { w.used.Store(time.Now().UnixNano()) }

// stop cancels the build under way, if any.
func (w *schedWarm) stop() {
	w.mu.Lock()
	if w.cancel != nil {
		w.cancel()
	}
	w.mu.Unlock()
}

// lockPlan takes the plan lock exclusively, a background schedule build
// giving way first.
func (s *Server) lockPlan() {
	w := s.warm
	w.writers.Add(1)
	w.stop()
	s.mrp.mu.Lock()
	w.writers.Add(-1)
}

// errYield says a background build gave way to a writer before it began.
var errYield = errors.New("a writer is waiting")

// warmSchedules makes the schedule of each new plan version once the plan
// has been quiet for a while (see schedWarm), until ctx ends.
func (s *Server) warmSchedules(ctx context.Context) {
	w := s.warm
	idle := w.idle
	for {
		select {
		case <-ctx.Done():
			return
		case <-w.kick:
		}
		// a quiet spell: no change for idle
		t := time.NewTimer(idle)
	quiet:
		for {
			select {
			case <-ctx.Done():
				t.Stop()
				return
			case <-w.kick:
				t.Reset(idle)
			case <-t.C:
				break quiet
			}
		}
		if u := w.used.Load(); u == 0 || time.Since(time.Unix(0, u)) > w.warmFor {
			continue // nobody reads schedules
		}
		switch err := s.warmOnce(ctx); {
		case err == nil:
			idle = w.idle
		case ctx.Err() != nil:
			return
		case errors.Is(err, errYield) || errors.Is(err, context.Canceled):
			w.gaveUp.Add(1)
			idle = min(2*idle, w.idleMax)
			w.poke() // again after the next quiet spell
		default:
			// the readers will meet the error themselves
			s.log.Debug("background finite schedule", "err", err)
			idle = w.idle
		}
	}
}

// warmOnce makes the current plan's schedule under the read lock unless
// it is made, giving up when a writer comes.
func (s *Server) warmOnce(ctx context.Context) error {
	w := s.warm
	bctx, cancel := context.WithCancel(ctx)
	defer cancel()
	w.mu.Lock()
	w.cancel = cancel
	w.mu.Unlock()
	defer func() {
		w.mu.Lock()
		w.cancel = nil
		w.mu.Unlock()
	}()
	st := &s.mrp
	st.mu.RLock()
	defer st.mu.RUnlock()
	if w.writers.Load() > 0 {
		// a writer came between the registration and the lock (it
		// found nothing to cancel)
		return errYield
	}
	if st.store() == nil || !st.plan.Fresh() || st.plan.ScheduleMade() {
		return nil // nothing to make now (a stale plan is rebuilt by a writer)
	}
	build := w.build
	if build == nil {
		build = func(ctx context.Context, plan *mrp.BOMPlan) error {
			_, _, err := plan.ScheduleContext(ctx)
			return err
		}
	}
	if err := build(bctx, st.plan); err != nil {
		return err
	}
	w.made.Add(1)
	return nil
}
