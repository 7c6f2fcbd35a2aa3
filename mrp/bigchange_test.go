package mrp_test

import (
	"testing"

	"github.com/ctoplan/ctoplan/mrp"
)

// TestNetChangeBigChangesHand: requirement changes of 1e14, past 2^46 =
// 70,368,744,177,664 (what an 8-byte packed change, tried and dropped,
// had to split in two), are passed on exactly. A (lead time 1) takes 1,000,000 B per unit, B (lead time 1) one C; every
// day is a working day. A's demands: 100,000,000 on day 5, 3 on day 8, so
//
//	A: 100000000@5/4 3@8/7
//	B: 100000000000000@4/3 3000000@7/6 (1e14 needed on A's release day 4)
//	C: 100000000000000@3/2 3000000@6/5
//
// Raising the demand on day 5 to 200,000,000 changes A's order by 1e8 and
// passes B +1e14 on day 4 (> 2^46), which B, by delta, passes C on day 3;
// putting it back passes -1e14 down the same way. Each time the plan is
// the arithmetic's and a fresh plan's.
func TestNetChangeBigChangesHand(t *testing.T) {
	in := &mrp.Input{
		Items: []mrp.Item{
			{ID: "A", Kind: mrp.Make, LeadTime: 1, Components: []mrp.Component{{Item: "B", QtyPer: 1e6}}},
			{ID: "B", Kind: mrp.Make, LeadTime: 1, Components: []mrp.Component{{Item: "C", QtyPer: 1}}},
			{ID: "C", Kind: mrp.Buy, LeadTime: 1},
		},
		Demands:  []mrp.Demand{dem("d1", "A", 100_000_000, 5), dem("d2", "A", 3, 8)},
		Calendar: everyDay(20),
	}
	p := plan(t, in)
	check := func(a, b, c string) {
		t.Helper()
		want(t, p, "A", a)
		want(t, p, "B", b)
		want(t, p, "C", c)
		q, err := mrp.New(p.Input(), mrp.DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		if x, y := fingerprint(t, p), fingerprint(t, q); x != y {
			t.Fatalf("net change differs from regenerative\n%s", diff(x, y))
		}
	}
	check("100000000@5/4 3@8/7", "100000000000000@4/3 3000000@7/6", "100000000000000@3/2 3000000@6/5")
	for _, c := range []struct {
		qty     int64
		a, b, c string
	}{
		{200_000_000, "200000000@5/4 3@8/7", "200000000000000@4/3 3000000@7/6", "200000000000000@3/2 3000000@6/5"},
		{100_000_000, "100000000@5/4 3@8/7", "100000000000000@4/3 3000000@7/6", "100000000000000@3/2 3000000@6/5"},
	} {
		if _, err := p.Apply(mrp.SetDemand{Demand: dem("d1", "A", c.qty, 5)}); err != nil {
			t.Fatal(err)
		}
		check(c.a, c.b, c.c)
	}
	if d, _, _ := mrp.NetChangePaths(p); d < 6 {
		t.Errorf("%d items adjusted by delta, want 6 (A, B and C twice)", d)
	}
}
