package server_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"

	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
	"github.com/ctoplan/ctoplan/kv"
	"github.com/ctoplan/ctoplan/server"
)

// TestReplicasPolling: two servers on one in-memory store (no watch: the
// polling fallback and the catch-up a min-revision read does) agree after
// a write on either; a bad or unreachable Ctoplan-Min-Revision is refused
// clearly.
func TestReplicasPolling(t *testing.T) {
	ctx := context.Background()
	db := kv.NewMemory()
	a, b := startOn(t, db, false), startOn(t, db, false)
	importTinyPlant(t, a, protocols[1])
	rev, err := upsert(ctx, b, "B-1") // b learns of the plan a wrote
	if err != nil {
		t.Fatal(err)
	}
	if rev < 2 {
		t.Fatalf("write reported revision %d, want >= 2 (import, then the write)", rev)
	}
	pa, pb := statsAt(t, a, rev), statsAt(t, b, rev)
	if pa.GetDemands() != 3 || pa.GetDigest() != pb.GetDigest() || pa.GetRevision() != pb.GetRevision() {
		t.Fatalf("a: %d demands revision %d digest %s; b: revision %d digest %s",
			pa.GetDemands(), pa.GetRevision(), pa.GetDigest(), pb.GetRevision(), pb.GetDigest())
	}
	if len(pa.GetDigest()) != 64 {
		t.Fatalf("digest %q: want 64 hex digits", pa.GetDigest())
	}

	call := func(min string) error {
		cctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
		defer cancel()
		req := connect.NewRequest(&mrpv1.GetPlanStatsRequest{})
		req.Header().Set(server.HeaderMinRevision, min)
		_, err := a.mrp(protocols[1]).GetPlanStats(cctx, req)
		return err
	}
	if err := call("abc"); connect.CodeOf(err) != connect.CodeInvalidArgument || !strings.Contains(err.Error(), server.HeaderMinRevision) {
		t.Errorf("min revision abc: %v, want InvalidArgument naming the header", err)
	}
	err = call(strconv.FormatUint(rev+100, 10))
	// (the client's own deadline may end the call before the server's
	// answer saying which revision it holds arrives)
	if code := connect.CodeOf(err); code != connect.CodeDeadlineExceeded {
		t.Errorf("min revision never reached: %v, want DeadlineExceeded", err)
	}
}
