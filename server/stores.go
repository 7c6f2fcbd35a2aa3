package server

import (
	"context"
	"errors"

	"github.com/ctoplan/ctoplan/bom"
	"github.com/ctoplan/ctoplan/kv"
	"github.com/ctoplan/ctoplan/mrp"
)

// Stores are the stores a [Server] answers from, opened by the caller
// (see [NewWithStores]). The caller closes DB after the server stopped.
type Stores struct {
	// DB is the database every store lives in (required).
	DB kv.DB
	// BOM is the registry of product models and the master data; nil
	// opens one on DB. A bom.Store is safe for concurrent use: the caller
	// may keep importing, putting models and resolving through it, and the
	// server answers from what it wrote.
	BOM *bom.Store
	// Plan is the plant data and plan; nil opens the plan stored in DB
	// (none yet: the first ImportPlant creates it). An mrp.Store is not
	// safe for concurrent use: once given to the server, change and read
	// it only through [Server.UpdatePlan] and [Server.ViewPlan], which
	// hold the server's lock.
	Plan *mrp.Store
}

// check says what is wrong with the stores.
func (st Stores) check() error {
	switch {
	case st.DB == nil:
		return errors.New("server: Stores.DB is required")
	case st.BOM != nil && st.BOM.DB() != st.DB:
		return errors.New("server: Stores.BOM lives in another database than Stores.DB")
	case st.Plan != nil && st.Plan.DB() != st.DB:
		return errors.New("server: Stores.Plan lives in another database than Stores.DB")
	}
	return nil
}

// BOM returns the server's BOM store (the caller's, or the one it opened).
func (s *Server) BOM() *bom.Store { return s.bom }

// ViewPlan runs fn on the current plan under the server's read lock (the
// plan rebuilt first if the master data changed since it was planned).
// fn must not keep p past its return. Without plant data it returns an
// error and does not call fn.
func (s *Server) ViewPlan(ctx context.Context, fn func(p *mrp.Planner) error) error {
	return s.withPlan(ctx, fn)
}

// UpdatePlan runs fn with the server's plan store under the server's
// exclusive lock (the plan rebuilt first if the master data changed since
// it was planned): the way an embedder changes the plan the server serves
// (Store.Apply, Store.Update, Store.OrderConfigured, Store.Quote) without
// racing its calls. Without plant data it returns an error and does not
// call fn (import a plant first, or give Stores.Plan).
func (s *Server) UpdatePlan(ctx context.Context, fn func(st *mrp.Store) error) error {
	p := &s.mrp
	s.lockPlan()
	defer p.mu.Unlock()
	if err := s.ensurePlan(ctx); err != nil {
		return err
	}
	err := fn(p.store())
	s.warm.poke() // fn may have changed the plan
	return err
}
