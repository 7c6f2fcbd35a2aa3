package configurator_test

import (
	"context"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/ctoplan/ctoplan/configurator"
)

// A session's domains equal a one-shot Propagate of the same picks (which
// the oracle tests check against brute force), along random pick sequences
// that also remove picks and try invalid ones.
func TestSessionMatchesPropagate(t *testing.T) {
	ctx := context.Background()
	oracleModels(t, 200, func(t *testing.T, r *rand.Rand, m *configurator.Model, c *configurator.Compiled, sols []configurator.Configuration) {
		s := c.NewSession()
		for step := 0; step < 8; step++ {
			before := s.Picks()
			var d *configurator.Domains
			var err error
			if len(before) > 0 && r.IntN(4) == 0 {
				p := before[r.IntN(len(before))]
				d, err = s.Unpick(ctx, p.Char, "")
			} else {
				p := randomPicks(r, m, 1)
				if len(p) == 0 {
					continue
				}
				d, err = s.Pick(ctx, p[0])
			}
			if err != nil {
				t.Fatal(err)
			}
			if !d.Valid {
				if !reflect.DeepEqual(s.Picks(), before) {
					t.Fatalf("invalid pick changed the session's picks: %v -> %v", before, s.Picks())
				}
				continue
			}
			want, err := c.Propagate(ctx, s.Picks())
			if err != nil {
				t.Fatal(err)
			}
			d.SATCalls, want.SATCalls = 0, 0
			if !reflect.DeepEqual(d, want) {
				t.Fatalf("picks %v: session %+v, propagate %+v", s.Picks(), d, want)
			}
		}
	})
}
