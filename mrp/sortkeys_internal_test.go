package mrp

import (
	"cmp"
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSortJobKeys: sortJobKeys orders keys as the comparison by
// priority (higher first), due day, then index does, by counting (days
// and priorities in a narrow range, negative ones too) and by comparison
// (a range too wide to count); an ended context ends it.
func TestSortJobKeys(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	byCompare := func(ks []jobKey) {
		slices.SortFunc(ks, func(x, y jobKey) int {
			if x.prio != y.prio {
				return cmp.Compare(y.prio, x.prio)
			}
			if x.due != y.due {
				return cmp.Compare(x.due, y.due)
			}
			return cmp.Compare(x.j, y.j)
		})
	}
	for _, c := range []struct {
		n          int
		days, prio int
	}{{0, 1, 1}, {1, 5, 5}, {2, 1, 1}, {500, 30, 3}, {5000, 400, 10}, {3000, countSortMax * 4, 3}, {3000, 20, countSortMax * 2}} {
		ks := make([]jobKey, c.n)
		for j := range ks {
			ks[j] = jobKey{prio: r.IntN(c.prio) - c.prio/2, due: r.IntN(c.days) - 7, j: int32(j)}
		}
		want := slices.Clone(ks)
		byCompare(want)
		if err := sortJobKeys(context.Background(), ks); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(ks, want) {
			t.Fatalf("%d keys, %d days, %d priorities: another order", c.n, c.days, c.prio)
		}
	}
	done, cancel := context.WithCancel(context.Background())
	cancel()
	ks := []jobKey{{1, 2, 0}, {3, 1, 1}, {1, 0, 2}}
	if err := sortJobKeys(done, ks); !errors.Is(err, context.Canceled) {
		t.Fatalf("an ended context: %v", err)
	}
}
