package mrp_test

import (
	"context"
	"errors"
	"testing"

	"github.com/ctoplan/ctoplan/mrp"
)

// TestNewContextCancelled: a regenerative run with an ended context gives
// up with the context's error and no planner; the same input plans with a
// live one.
func TestNewContextCancelled(t *testing.T) {
	in := smallPlant(t, 5, 40)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if p, err := mrp.NewContext(ctx, in, mrp.Options{}); !errors.Is(err, context.Canceled) || p != nil {
		t.Fatalf("NewContext with a cancelled context: %v, %v", p, err)
	}
	p, err := mrp.NewContext(context.Background(), in, mrp.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Stats().Orders == 0 {
		t.Fatal("no planned orders on the small plant")
	}
}
