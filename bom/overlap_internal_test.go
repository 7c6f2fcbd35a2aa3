package bom

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestCheckOverlapsMatchesPairwise: on random groups of lines with the same
// parent, component, position and condition, checkOverlaps flags exactly
// the lines whose effectivity overlaps some line sorted before them (the
// obviously right pairwise check).
func TestCheckOverlapsMatchesPairwise(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	overlap := func(a, b *cline) bool { // a sorted before b
		return a.ValidTo == 0 || b.ValidFrom == 0 || b.ValidFrom <= a.ValidTo
	}
	for iter := 0; iter < 2000; iter++ {
		n := 1 + r.IntN(6)
		var ls []*cline
		for i := 0; i < n; i++ {
			l := &Line{Parent: "P", Component: "C", Qty: 1, Src: Pos{File: "bom.csv", Line: i + 2}}
			if r.IntN(4) > 0 {
				l.ValidFrom = Date(1 + r.IntN(40))
			}
			if r.IntN(4) > 0 {
				l.ValidTo = max(l.ValidFrom, Date(1+r.IntN(40)))
			}
			ls = append(ls, &cline{Line: l})
		}
		slices.SortStableFunc(ls, func(a, b *cline) int {
			return cmp.Or(cmp.Compare(a.ValidFrom, b.ValidFrom), cmp.Compare(a.Src.Line, b.Src.Line))
		})
		want := map[string]bool{}
		for i := 1; i < len(ls); i++ {
			for j := 0; j < i; j++ {
				if overlap(ls[j], ls[i]) {
					want[ls[i].where().String()] = true
				}
			}
		}
		var e errs
		checkOverlaps(ls, &e)
		got := map[string]bool{}
		for _, err := range e.list {
			fe := err.(*FieldError)
			got[fe.Pos.String()] = true
		}
		if len(got) != len(want) {
			t.Fatalf("lines %v: flagged %v, want %v", dumpEff(ls), got, want)
		}
		for w := range want {
			if !got[w] {
				t.Fatalf("lines %v: flagged %v, want %v", dumpEff(ls), got, want)
			}
		}
	}
}

func dumpEff(ls []*cline) []string {
	var out []string
	for _, l := range ls {
		out = append(out, l.where().String()+" "+l.ValidFrom.String()+".."+l.ValidTo.String())
	}
	return out
}

// BenchmarkCheckOverlapsLongHistory: one component with a long history of
// consecutive effectivity periods (an ERP export with years of weekly
// changes) must be checked in linear time.
func BenchmarkCheckOverlapsLongHistory(b *testing.B) {
	const n = 20000
	ls := make([]*cline, n)
	for i := range ls {
		ls[i] = &cline{Line: &Line{Parent: "P", Component: "C", Qty: 1, ValidFrom: Date(10*i + 1), ValidTo: Date(10*i + 9), Src: Pos{File: "bom.csv", Line: i + 2}}}
	}
	b.ReportAllocs()
	for b.Loop() {
		var e errs
		checkOverlaps(ls, &e)
		if len(e.list) != 0 {
			b.Fatal(e.list)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/line")
}
