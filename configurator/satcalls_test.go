package configurator_test

import (
	"context"
	"testing"

	"github.com/ctoplan/ctoplan/configurator"
)

// TestSATCallsCounted: Domains.SATCalls counts the calls the query made.
// The first propagation with nothing picked computes the answer (at least
// the one solve that proves the model valid); asking again reads the
// stored answer and makes none. A first query with picks on a fresh model
// counts the calls of the answer with nothing picked it starts from.
func TestSATCallsCounted(t *testing.T) {
	ctx := context.Background()
	path := "testdata/engine/small.dimacs"
	c := loadCompiled(t, path)
	d, err := c.Propagate(ctx, nil)
	if err != nil || !d.Valid {
		t.Fatalf("propagate: %v %+v", err, d)
	}
	if d.SATCalls < 1 {
		t.Errorf("first propagation with nothing picked: SATCalls = %d, want >= 1", d.SATCalls)
	}
	d, err = c.Propagate(ctx, nil)
	if err != nil || !d.Valid {
		t.Fatalf("propagate again: %v %+v", err, d)
	}
	if d.SATCalls != 0 {
		t.Errorf("second propagation with nothing picked: SATCalls = %d, want 0 (stored answer)", d.SATCalls)
	}

	c = loadCompiled(t, path)
	var pick configurator.Pick
	for _, cd := range d.Chars {
		for _, v := range cd.Values {
			if v.Status == configurator.Possible {
				pick = configurator.Pick{Char: cd.Char, Value: v.Value}
			}
		}
	}
	if pick.Char == "" {
		t.Fatal("small.dimacs has no possible value to pick")
	}
	d, err = c.Propagate(ctx, []configurator.Pick{pick})
	if err != nil || !d.Valid {
		t.Fatalf("propagate %v: %v %+v", pick, err, d)
	}
	if d.SATCalls < 1 {
		t.Errorf("first query with a pick on a fresh model: SATCalls = %d, want >= 1", d.SATCalls)
	}
}
