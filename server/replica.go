package server

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"connectrpc.com/connect"

	"github.com/ctoplan/ctoplan/kv/etcd"
	"github.com/ctoplan/ctoplan/mrp"
)

// Replicas. Several servers may serve one store (an etcd cluster): each
// keeps its plan in memory and follows the others' writes by applying the
// mrp change journal in revision order ([mrp.Store.CatchUp]), and reloads
// the master data and models when bom/meta changes ([bom.Store.Refresh]).
// On etcd it learns of a write from a watch on those two keys; on every
// store it also polls (every second, see server/run.go). A write catches up first,
// and once more when it still finds itself behind, so a write on any
// replica applies to the latest plan.
//
// Read-your-writes across replicas: every response carries the plan
// revision the replica had applied when the call ended (header
// Ctoplan-Revision; after a write, at least the revision it produced). A
// call with header Ctoplan-Min-Revision: R waits (within its deadline)
// until the replica has applied R, so it sees every write that reported
// a revision up to R on any replica.
const (
	HeaderRevision    = "Ctoplan-Revision"
	HeaderMinRevision = "Ctoplan-Min-Revision"
)

// staleRetries bounds how often a write catches up and runs again after
// another replica wrote between its catch-up and its commit.
const staleRetries = 8

// replica is a server's view of the plan revision it serves.
type replica struct {
	mu       sync.Mutex
	applied  uint64
	advanced chan struct{} // closed (and replaced) when applied grows
	kick     chan struct{} // asks the follower to catch up now
	// digest of the plan at revision digestRev (computing it pegs the
	// whole plan: once per revision)
	digestRev uint64
	digest    string
}

// digest returns the plan's digest; mrp.mu is held (read or write).
func (s *Server) digest(p *mrp.Planner) string {
	rev := s.mrp.store().Revision()
	r := &s.rep
	r.mu.Lock()
	if rev != 0 && r.digestRev == rev {
		defer r.mu.Unlock()
		return r.digest
	}
	r.mu.Unlock()
	d := p.Digest()
	r.mu.Lock()
	r.digestRev, r.digest = rev, d
	r.mu.Unlock()
	return d
}

func (r *replica) init() {
	r.advanced = make(chan struct{})
	r.kick = make(chan struct{}, 1)
}

// revision is the plan revision the server has applied.
func (s *Server) revision() uint64 {
	s.rep.mu.Lock()
	defer s.rep.mu.Unlock()
	return s.rep.applied
}

// noteApplied records the plan's revision; mrp.mu is held.
func (s *Server) noteApplied() {
	var rev uint64
	if s.mrp.store() != nil {
		rev = s.mrp.store().Revision()
	}
	s.warm.poke() // the plan may have changed: its schedule is made ahead
	r := &s.rep
	r.mu.Lock()
	defer r.mu.Unlock()
	if rev > r.applied {
		r.applied = rev
		close(r.advanced)
		r.advanced = make(chan struct{})
	}
}

// catchUpLocked brings the plan and the master data up to the store's;
// mrp.mu is held exclusively.
func (s *Server) catchUpLocked(ctx context.Context) error {
	if err := s.mrp.plan.CatchUp(ctx); err != nil {
		return err
	}
	s.noteApplied()
	return nil
}

// catchUp is catchUpLocked taking the lock, only when the store holds a
// newer revision than the server applied (one read otherwise).
func (s *Server) catchUp(ctx context.Context) error {
	if _, err := s.bom.Refresh(ctx); err != nil {
		return err
	}
	rev, err := mrp.StoredRevision(ctx, s.db)
	if err != nil {
		return err
	}
	if rev <= s.revision() && (rev == 0) == (s.mrp.storeNil()) && !s.mrp.stale() {
		return nil
	}
	s.lockPlan()
	defer s.mrp.mu.Unlock()
	return s.catchUpLocked(ctx)
}

func (st *planState) storeNil() bool {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return st.store() == nil
}

// stale reports whether the plan's store must be reread before it is read
// (mrp.Store.Stale: a failed write whose reread failed too).
func (st *planState) stale() bool {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return st.store() != nil && st.store().Stale()
}

// Follow keeps the server's plan and master data current with the store
// until ctx is done: after every write it learns of (etcd watch) and
// every interval (any store). [Server.Serve] runs it; a caller that mounts
// [Server.Handler] itself runs it beside, as long as other servers write
// to the same store.
func (s *Server) Follow(ctx context.Context, interval time.Duration) {
	if interval <= 0 {
		interval = time.Second
	}
	if db, ok := s.db.(*etcd.DB); ok {
		for _, key := range []string{"mrp/meta", "bom/meta"} {
			go s.watchKey(ctx, db, key)
		}
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if err := s.catchUp(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("replica: catching up with the store", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-s.rep.kick:
		}
	}
}

// watchKey kicks the follower at every write of key, re-establishing the
// watch after errors.
func (s *Server) watchKey(ctx context.Context, db *etcd.DB, key string) {
	for ctx.Err() == nil {
		s.kick()
		err := db.Watch(ctx, []byte(key), 0, func(int64, []etcd.Event) error {
			s.kick()
			return nil
		})
		if ctx.Err() != nil {
			return
		}
		s.log.Debug("replica: watch ended; watching again", "key", key, "err", err)
		select {
		case <-ctx.Done():
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func (s *Server) kick() {
	select {
	case s.rep.kick <- struct{}{}:
	default:
	}
}

// waitRevision waits until the server applied rev, catching up itself
// when no follower does, or ctx ends.
func (s *Server) waitRevision(ctx context.Context, rev uint64) error {
	for {
		s.rep.mu.Lock()
		applied, ch := s.rep.applied, s.rep.advanced
		s.rep.mu.Unlock()
		if applied >= rev {
			return nil
		}
		if err := s.catchUp(ctx); err != nil {
			return err
		}
		if s.revision() >= rev {
			return nil
		}
		select {
		case <-ch:
		case <-time.After(50 * time.Millisecond):
		case <-ctx.Done():
			return connect.NewError(connect.CodeDeadlineExceeded,
				fmt.Errorf("this replica has applied plan revision %d, not yet %d (%s); retry, or on another replica", s.revision(), rev, HeaderMinRevision))
		}
	}
}

// minRevision parses the Ctoplan-Min-Revision header (0: none).
func minRevision(v string) (uint64, error) {
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		return 0, connect.NewError(connect.CodeInvalidArgument, fmt.Errorf("header %s: %q is not a revision (a decimal number)", HeaderMinRevision, v))
	}
	return n, nil
}

// replicaInterceptor waits for Ctoplan-Min-Revision and reports
// Ctoplan-Revision.
type replicaInterceptor struct{ s *Server }

func (r replicaInterceptor) WrapUnary(next connect.UnaryFunc) connect.UnaryFunc {
	return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
		min, err := minRevision(req.Header().Get(HeaderMinRevision))
		if err != nil {
			return nil, err
		}
		if min > 0 {
			if err := r.s.waitRevision(ctx, min); err != nil {
				return nil, r.s.toConnect(err)
			}
		}
		resp, err := next(ctx, req)
		rev := strconv.FormatUint(r.s.revision(), 10)
		if err != nil {
			var ce *connect.Error
			if errors.As(err, &ce) {
				ce.Meta().Set(HeaderRevision, rev)
			}
			return nil, err
		}
		resp.Header().Set(HeaderRevision, rev)
		return resp, nil
	}
}

func (r replicaInterceptor) WrapStreamingClient(next connect.StreamingClientFunc) connect.StreamingClientFunc {
	return next
}

func (r replicaInterceptor) WrapStreamingHandler(next connect.StreamingHandlerFunc) connect.StreamingHandlerFunc {
	return func(ctx context.Context, conn connect.StreamingHandlerConn) error {
		min, err := minRevision(conn.RequestHeader().Get(HeaderMinRevision))
		if err != nil {
			return err
		}
		if min > 0 {
			if err := r.s.waitRevision(ctx, min); err != nil {
				return r.s.toConnect(err)
			}
		}
		conn.ResponseHeader().Set(HeaderRevision, strconv.FormatUint(r.s.revision(), 10))
		return next(ctx, conn)
	}
}
