package server

import (
	"context"
	"fmt"
	"testing"

	"connectrpc.com/connect"

	"github.com/ctoplan/ctoplan/kv"
	"github.com/ctoplan/ctoplan/mrp"
)

// TestStoreErrorCodes: each store failure reaches the caller with the code
// the error table in errors.go promises, also when wrapped.
func TestStoreErrorCodes(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want connect.Code
	}{
		{kv.ErrClosed, connect.CodeUnavailable},
		{fmt.Errorf("%w (%w): /srv/store was deleted", kv.ErrLost, kv.ErrClosed), connect.CodeUnavailable},
		{fmt.Errorf("import: %w", kv.ErrDiskFull), connect.CodeResourceExhausted},
		{fmt.Errorf("import: %w", kv.ErrTxnTooBig), connect.CodeResourceExhausted},
		{fmt.Errorf("backup: %w", kv.ErrCorrupt), connect.CodeDataLoss},
		{kv.ErrConflict, connect.CodeAborted},
		// kv/etcd without quorum, even when its request deadline is in the chain.
		{fmt.Errorf("%w: 10.0.0.1:2379: %w", kv.ErrUnavailable, context.DeadlineExceeded), connect.CodeUnavailable},
		{fmt.Errorf("%w (generation 2.7)", mrp.ErrStale), connect.CodeAborted},
	} {
		if got := classify(tc.err).code; got != tc.want {
			t.Errorf("%v: %v, want %v", tc.err, got, tc.want)
		}
	}
	// a supply tree too large to give whole: ResourceExhausted with its
	// own reason (not an explosion's, not invalid input)
	tree := fmt.Errorf("%w: supply tree larger than 1048576 nodes (demand SO-1): ask for fewer levels", mrp.ErrTooLarge)
	if pr := classify(tree); pr.code != connect.CodeResourceExhausted || pr.reason != "TREE_TOO_LARGE" {
		t.Errorf("%v: %v %s, want ResourceExhausted TREE_TOO_LARGE", tree, pr.code, pr.reason)
	}
}
