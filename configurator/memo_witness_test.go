package configurator_test

import (
	"context"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/ctoplan/ctoplan/configurator"
)

// TestOraclePropagateFrom walks random models the way a user clicks (a
// random possible value, or now and then a random exclusion, until nothing
// is possible), propagating each step from the witnesses of the step
// before, of an unrelated pick set, and of another compilation: the
// domains must agree with enumeration and equal Propagate's.
func TestOraclePropagateFrom(t *testing.T) {
	ctx := context.Background()
	oracleModels(t, 150, func(t *testing.T, r *rand.Rand, m *configurator.Model, c *configurator.Compiled, sols []configurator.Configuration) {
		other, err := configurator.Compile(m)
		if err != nil {
			t.Fatal(err)
		}
		_, foreign, err := other.PropagateFrom(ctx, randomPicks(r, m, 1), nil)
		if err != nil {
			t.Fatal(err)
		}
		var unrelated *configurator.Witnesses
		for walk := 0; walk < 2; walk++ {
			var picks []configurator.Pick
			var w *configurator.Witnesses
			for step := 0; step < 30; step++ {
				from := w
				switch r.IntN(4) {
				case 0:
					from = unrelated
				case 1:
					from = foreign
				}
				d, next, err := c.PropagateFrom(ctx, picks, from)
				if err != nil {
					t.Fatal(err)
				}
				want, err := c.Propagate(ctx, picks)
				if err != nil {
					t.Fatal(err)
				}
				if d.Valid != want.Valid || !reflect.DeepEqual(d.Chars, want.Chars) {
					t.Fatalf("picks %v: PropagateFrom\n%v\nPropagate\n%v", picks, d.Chars, want.Chars)
				}
				if !d.Valid {
					if next != nil {
						t.Fatalf("picks %v: invalid, yet witnesses returned", picks)
					}
					break
				}
				checkDomains(t, m, sols, picks, d)
				if next.Len() > 256 {
					t.Fatalf("%d witnesses", next.Len())
				}
				w = next
				if r.IntN(3) == 0 {
					unrelated = next
				}
				var possible []configurator.Pick
				for _, cd := range d.Chars {
					for _, v := range cd.Values {
						if v.Status == configurator.Possible {
							possible = append(possible, configurator.Pick{Char: cd.Char, Value: v.Value})
						}
					}
				}
				if len(possible) == 0 {
					break
				}
				p := possible[r.IntN(len(possible))]
				p.Exclude = r.IntN(6) == 0
				picks = append(picks, p)
			}
		}
	})
}
