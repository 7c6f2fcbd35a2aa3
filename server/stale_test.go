package server_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/proto"

	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
	"github.com/ctoplan/ctoplan/kv"
	"github.com/ctoplan/ctoplan/mrp"
)

// goneDB is a database that goes away in the middle of a write: once
// armed, the next write runs its function, then fails and takes the
// database down (every read and write fails) until it is brought back.
type goneDB struct {
	kv.DB
	armed, down atomic.Bool
}

var errGone = errors.New("injected: database unreachable")

func (d *goneDB) Update(ctx context.Context, fn func(kv.Txn) error) error {
	if d.down.Load() {
		return errGone
	}
	if !d.armed.Load() {
		return d.DB.Update(ctx, fn)
	}
	return d.DB.Update(ctx, func(txn kv.Txn) error {
		if err := fn(txn); err != nil {
			return err
		}
		d.armed.Store(false)
		d.down.Store(true)
		return errGone // the transaction is dropped
	})
}

func (d *goneDB) View(ctx context.Context, fn func(kv.Txn) error) error {
	if d.down.Load() {
		return errGone
	}
	return d.DB.View(ctx, fn)
}

// TestStalePlanNotServed: a write fails and the database goes away before
// the server can reread its plan, so the planner still holds the unsaved
// demand at the stored revision. While the database is away no read may
// show that demand (it fails, asking to retry); once the database is
// back, with no other write to move the revision, the next read and the
// follower reread the plan: the demand is gone and the digest is the
// stored plan's. Before, the server served the unsaved demand for good.
func TestStalePlanNotServed(t *testing.T) {
	db := &goneDB{DB: kv.NewMemory()}
	e := startOn(t, db, true)
	p := protocols[1]
	importTinyPlant(t, e, p)
	c := e.mrp(p)
	ctx := context.Background()
	before, err := c.GetPlanStats(ctx, connect.NewRequest(&mrpv1.GetPlanStatsRequest{}))
	if err != nil {
		t.Fatal(err)
	}
	db.armed.Store(true)
	lost := &mrpv1.Demand{Id: "LOST", Item: "CHAIN", Qty: 40, DueDate: "2027-02-01"}
	if _, err := c.UpsertDemands(ctx, connect.NewRequest(&mrpv1.UpsertDemandsRequest{Demands: []*mrpv1.Demand{lost}})); err == nil {
		t.Fatal("UpsertDemands on a database that went away: no error")
	}
	if !db.down.Load() {
		t.Fatal("the write did not reach the database (the case needs it to fail there)")
	}
	for range 3 {
		got, err := c.GetPlanStats(ctx, connect.NewRequest(&mrpv1.GetPlanStatsRequest{}))
		if err == nil {
			t.Fatalf("GetPlanStats while the plan cannot be reread: %d demands (%d stored), want an error", got.Msg.GetDemands(), before.Msg.GetDemands())
		}
		if code := connect.CodeOf(err); code != connect.CodeUnavailable {
			t.Errorf("GetPlanStats while the database is away: code %v (%v), want unavailable", code, err)
		}
	}
	if s, err := c.PegDemand(ctx, connect.NewRequest(&mrpv1.PegDemandRequest{Demand: "LOST"})); err == nil {
		n := 0
		for s.Receive() {
			n += len(s.Msg().GetPegs())
		}
		if s.Err() == nil {
			t.Errorf("PegDemand of the unsaved demand while the database is away: %d pegs, no error", n)
		}
	}
	db.down.Store(false)
	// this read (or the follower, polling every second) rereads it
	after, err := c.GetPlanStats(ctx, connect.NewRequest(&mrpv1.GetPlanStatsRequest{}))
	if err != nil {
		t.Fatal(err)
	}
	if after.Msg.GetDemands() != before.Msg.GetDemands() || after.Msg.GetDigest() != before.Msg.GetDigest() || after.Msg.GetRevision() != before.Msg.GetRevision() {
		t.Errorf("after the database came back: %d demands, revision %d, digest %.12s; stored: %d, %d, %.12s",
			after.Msg.GetDemands(), after.Msg.GetRevision(), after.Msg.GetDigest(),
			before.Msg.GetDemands(), before.Msg.GetRevision(), before.Msg.GetDigest())
	}
	st, err := mrp.OpenStore(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := st.Planner().Demand("LOST"); ok {
		t.Fatal("the failed write reached the store")
	}
	// and the demand written again is kept
	if _, err := c.UpsertDemands(ctx, connect.NewRequest(&mrpv1.UpsertDemandsRequest{Demands: []*mrpv1.Demand{lost}})); err != nil {
		t.Fatal(err)
	}
	again, err := c.GetPlanStats(ctx, connect.NewRequest(&mrpv1.GetPlanStatsRequest{}))
	if err != nil {
		t.Fatal(err)
	}
	if again.Msg.GetDemands() != before.Msg.GetDemands()+1 {
		t.Errorf("after writing the demand again: %d demands, want %d", again.Msg.GetDemands(), before.Msg.GetDemands()+1)
	}
}

// TestPlanStatsSkipDigest: skip_digest leaves the digest out and nothing
// else; without it the digest is the stored plan's.
func TestPlanStatsSkipDigest(t *testing.T) {
	e := start(t)
	p := protocols[1]
	importTinyPlant(t, e, p)
	c := e.mrp(p)
	ctx := context.Background()
	skip, err := c.GetPlanStats(ctx, connect.NewRequest(&mrpv1.GetPlanStatsRequest{SkipDigest: true}))
	if err != nil {
		t.Fatal(err)
	}
	full, err := c.GetPlanStats(ctx, connect.NewRequest(&mrpv1.GetPlanStatsRequest{}))
	if err != nil {
		t.Fatal(err)
	}
	st, err := mrp.OpenStore(ctx, e.db)
	if err != nil {
		t.Fatal(err)
	}
	if skip.Msg.GetDigest() != "" || full.Msg.GetDigest() != st.Planner().Digest() {
		t.Fatalf("digest with skip_digest %q, without %q, stored plan's %q", skip.Msg.GetDigest(), full.Msg.GetDigest(), st.Planner().Digest())
	}
	skip.Msg.Digest = full.Msg.GetDigest()
	if !proto.Equal(skip.Msg, full.Msg) {
		t.Fatalf("skip_digest changed more than the digest:\n%v\n%v", skip.Msg, full.Msg)
	}
}
