package mrp

import (
	"slices"
	"testing"
)

// TestPegStateChangeByHand: what a net change leaves of the touched items'
// pegging state (pegState), worked by hand. Three items, none with
// receipts (a view found before a change is cleared all the same):
//
//   - item 0 (touched): order totals summed to nQ = 4 in this version,
//     requirement totals none (nG = 0, an earlier version's keepG = 3),
//     supply sequence made (nS = 5), all three flags set; the change
//     altered order 2 and requirement 1. keepQ = min(4-1, 2) = 2, keepG =
//     min(3, 1) = 1 (none summed: the older keep, cut by the change),
//     keepS = {made 5, keepO 2}; nQ = nG = nS = 0, no flag;
//   - item 1 (touched): nothing summed in this version, keepQ = 1 and keepG
//     = 6 from an earlier one, keepS {made 3, keepO 4}; the change altered
//     order 5 and requirement 0: keepQ = min(1, 5) = 1, keepG = min(6, 0)
//     = 0, keepS.keepO = min(4, 5) = 4 (made 3 stays), the view's flag
//     cleared;
//   - item 2 (not touched): nQ = 7, keepQ = 2, okTotals and okView: all
//     left as they were.
func TestPegStateChangeByHand(t *testing.T) {
	p := &Planner{items: make([]item, 3)}
	g := &planPeg{}
	g.reset(3)
	p.peg = g
	s := g.st
	s[0].nQ.Store(4)
	s[0].keepG = 3
	s[0].nS.Store(5)
	s[0].ok.Store(okTotals | okSeq | okView)
	p.items[0].changedQ(2)
	p.items[0].changedG(1)
	s[1].keepQ, s[1].keepG, s[1].keepS = 1, 6, supKeep{made: 3, keepO: 4}
	s[1].ok.Store(okView)
	p.items[1].changedQ(5)
	p.items[1].changedG(0)
	s[2].nQ.Store(7)
	s[2].keepQ = 2
	s[2].ok.Store(okTotals | okView)
	p.pegChanged([]int32{0, 1}, nil, false)
	type st struct {
		nQ, nG, nS   int32
		ok           uint32
		keepQ, keepG int32
		keepS        supKeep
	}
	want := []st{
		{0, 0, 0, 0, 2, 1, supKeep{made: 5, keepO: 2}},
		{0, 0, 0, 0, 1, 0, supKeep{made: 3, keepO: 4}},
		{7, 0, 0, okTotals | okView, 2, 0, supKeep{}},
	}
	for i := range s {
		got := st{s[i].nQ.Load(), s[i].nG.Load(), s[i].nS.Load(), s[i].ok.Load(), s[i].keepQ, s[i].keepG, s[i].keepS}
		if got != want[i] {
			t.Errorf("item %d after the change: %+v, want %+v", i, got, want[i])
		}
	}
	if !s[2].has(okTotals) || s[2].has(okSeq) || !s[2].has(okView) {
		t.Errorf("item 2's flags read %v %v %v, want true false true", s[2].has(okTotals), s[2].has(okSeq), s[2].has(okView))
	}
}

// TestPegChangedMarksByHand: a net change marks the touched items and
// their components for the late-demand search only once a search ran,
// and drops their single-level pegging only when some is kept. Item 0
// has components 1 and 2, item 3 none; item 0 is touched:
//
//   - before any search (lateAll) and with no pegging kept: nothing
//     marked, nothing dropped;
//   - after a search (takeLate: lateAll false, the marks cleared) and
//     with the pegging of items 1 and 3 kept: items 0, 1, 2 marked, in
//     that order; item 1's pegging dropped (to spare), item 3's kept;
//   - after another search, with no pegging kept: items 0, 1, 2 marked
//     again.
func TestPegChangedMarksByHand(t *testing.T) {
	p := &Planner{items: make([]item, 4)}
	p.items[0].comps = []edge{{to: 1}, {to: 2}}
	g := &planPeg{}
	g.reset(4)
	p.peg = g
	p.pegChanged([]int32{0}, nil, false)
	if len(g.lateMarked) != 0 || len(g.allocs) != 0 || len(g.spare) != 0 {
		t.Fatalf("before any search, nothing kept: marked %v, kept %v, spare %v; want none", g.lateMarked, g.allocs, g.spare)
	}
	g.takeLate(p)
	if g.lateAll || len(g.lateMarked) != 0 {
		t.Fatalf("after a search: all %v, marked %v", g.lateAll, g.lateMarked)
	}
	a1, a3 := &alloc{}, &alloc{}
	g.allocs = map[int32]*alloc{1: a1, 3: a3}
	p.pegChanged([]int32{0}, nil, false)
	if want := []int32{0, 1, 2}; !slices.Equal(g.lateMarked, want) || !g.lateNote[0].marked || !g.lateNote[1].marked || !g.lateNote[2].marked || g.lateNote[3].marked {
		t.Errorf("marked %v (%v), want %v", g.lateMarked, g.lateNote, want)
	}
	if len(g.allocs) != 1 || g.allocs[3] != a3 || len(g.spare) != 1 || g.spare[1] != a1 {
		t.Errorf("kept %v, spare %v; want item 3's kept, item 1's spare", g.allocs, g.spare)
	}
	g.takeLate(p)
	g.allocs, g.spare = nil, nil
	p.pegChanged([]int32{0}, nil, false)
	if want := []int32{0, 1, 2}; !slices.Equal(g.lateMarked, want) {
		t.Errorf("nothing kept: marked %v, want %v", g.lateMarked, want)
	}
}
