package server_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"connectrpc.com/connect"

	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
	"github.com/ctoplan/ctoplan/mrp"
	"github.com/ctoplan/ctoplan/server"
)

// TestAutoCheckpoint: with CheckpointEntries 5, a server that takes 40
// writes checkpoints its plan on its own in the background: the stored
// journal ends shorter than 40 entries (a restart replays at most a few),
// every write succeeded meanwhile, and the stored plan (reopened from the
// database) is the one the server serves.
func TestAutoCheckpoint(t *testing.T) {
	e := start(t, func(o *server.Options) { o.CheckpointEntries = 5 })
	importTinyPlant(t, e, protocols[1])
	c := e.mrp(protocols[1])
	ctx := context.Background()
	for i := range 40 {
		d := &mrpv1.Demand{Id: fmt.Sprintf("AC-%02d", i), Item: "CHAIN", Qty: float64(1 + i%5), DueDate: fmt.Sprintf("2027-02-%02d", 1+i%27)}
		if _, err := c.UpsertDemands(ctx, connect.NewRequest(&mrpv1.UpsertDemandsRequest{Demands: []*mrpv1.Demand{d}})); err != nil {
			t.Fatalf("write %d: %v", i, err)
		}
	}
	// the last poke may still be running: wait for the journal to be short
	var journal uint64
	for deadline := time.Now().Add(20 * time.Second); ; {
		st, err := mrp.OpenStore(ctx, e.db)
		if err != nil {
			t.Fatal(err)
		}
		journal = st.JournalLen()
		if journal < 5 || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if journal >= 5 {
		t.Fatalf("the stored journal still has %d entries after 40 writes", journal)
	}
	// one more write after the switch: the server takes the new snapshot
	if _, err := c.UpsertDemands(ctx, connect.NewRequest(&mrpv1.UpsertDemandsRequest{Demands: []*mrpv1.Demand{
		{Id: "AC-LAST", Item: "CHAIN", Qty: 1, DueDate: "2027-03-01"}}})); err != nil {
		t.Fatal(err)
	}
	stats, err := c.GetPlanStats(ctx, connect.NewRequest(&mrpv1.GetPlanStatsRequest{}))
	if err != nil {
		t.Fatal(err)
	}
	st, err := mrp.OpenStore(ctx, e.db)
	if err != nil {
		t.Fatal(err)
	}
	if got := st.Planner().Digest(); got != stats.Msg.GetDigest() || st.Revision() != stats.Msg.GetRevision() {
		t.Errorf("stored plan %s at revision %d, served %s at %d", got, st.Revision(), stats.Msg.GetDigest(), stats.Msg.GetRevision())
	}
}
