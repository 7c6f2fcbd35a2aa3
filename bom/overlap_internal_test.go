package bom

import (
	"cmp"
	"errors"
	"math/rand/v2"
	"slices"
	"strconv"
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

// TestCatalogLinesOfOneParent: parents with short and long (> 32 lines)
// super BOMs mixing components, positions ("10" and "010" differ) and
// effectivities: buildCatalog flags exactly the lines that overlap an
// earlier line of the same component, position and condition (pairwise,
// in the catalogue's line order), and lists each parent's components once,
// in line order, and each component's parents once.
func TestCatalogLinesOfOneParent(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 12))
	comps := []string{"A", "B", "C", "D"}
	positions := []string{"", "10", "010", "20", "x"}
	for iter := range 300 {
		d := &Data{}
		for _, id := range append([]string{"P", "Q"}, comps...) {
			kind := Buy
			if id == "P" || id == "Q" {
				kind = Make
			}
			d.Items = append(d.Items, &Item{ID: id, UOM: "pc", Kind: kind})
		}
		n := 1 + r.IntN(8)
		if iter%3 == 0 {
			n = 33 + r.IntN(20)
		}
		for i := range n {
			parent := "P"
			if r.IntN(5) == 0 {
				parent = "Q"
			}
			l := &Line{Parent: parent, Component: comps[r.IntN(len(comps))], Position: positions[r.IntN(len(positions))], Qty: 1,
				Src: Pos{File: "bom.csv", Line: i + 2}}
			if iter%6 == 0 {
				l.Position = strconv.Itoa(i) // a long BOM without overlaps
			}
			if r.IntN(3) > 0 {
				l.ValidFrom = Date(1 + r.IntN(400))
				l.ValidTo = l.ValidFrom + Date(r.IntN(60))
			}
			d.Lines = append(d.Lines, l)
		}
		c, err := buildCatalog(d, nil, nil)
		got := map[string]bool{}
		if err != nil {
			var el ErrorList
			if !errors.As(err, &el) {
				t.Fatalf("buildCatalog: %v", err)
			}
			for _, e := range el {
				got[e.(*FieldError).Pos.String()] = true
			}
		}
		// the lines of each parent in the catalogue's order
		byParent := map[string][]*Line{}
		for _, l := range d.Lines {
			byParent[l.Parent] = append(byParent[l.Parent], l)
		}
		want := map[string]bool{}
		kids, parents := map[string][]string{}, map[string][]string{}
		for _, p := range []string{"P", "Q"} {
			ls := byParent[p]
			slices.SortStableFunc(ls, func(a, b *Line) int {
				return cmp.Or(comparePositions(a.Position, b.Position), cmp.Compare(a.Component, b.Component),
					cmp.Compare(a.ValidFrom, b.ValidFrom), cmp.Compare(a.Src.Line, b.Src.Line))
			})
			for i, b := range ls {
				for _, a := range ls[:i] {
					if a.Component == b.Component && a.Position == b.Position &&
						(a.ValidTo == 0 || b.ValidFrom == 0 || b.ValidFrom <= a.ValidTo) {
						want[b.Src.String()] = true
					}
				}
				if !slices.Contains(kids[p], b.Component) {
					kids[p] = append(kids[p], b.Component)
					parents[b.Component] = append(parents[b.Component], p)
				}
			}
		}
		if len(got) != len(want) {
			t.Fatalf("case %d: flagged %v, want %v", iter, got, want)
		}
		for w := range want {
			if !got[w] {
				t.Fatalf("case %d: flagged %v, want %v", iter, got, want)
			}
		}
		if err != nil {
			continue
		}
		for _, p := range []string{"P", "Q"} {
			if !slices.Equal(c.kids[p], kids[p]) {
				t.Fatalf("case %d: kids of %s %v, want %v", iter, p, c.kids[p], kids[p])
			}
		}
		for _, k := range comps {
			if !slices.Equal(c.parents[k], parents[k]) {
				t.Fatalf("case %d: parents of %s %v, want %v", iter, k, c.parents[k], parents[k])
			}
		}
	}
}
