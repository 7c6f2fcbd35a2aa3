package mrp

import (
	"cmp"
	"strings"

	"github.com/google/btree"
)

// timeline is one item's demands or scheduled receipts in time order: a
// B-tree of indexes into Planner.demands or Planner.recs. A net change
// inserts or removes one record in O(log n) instead of re-sorting the
// item's list; planning reads them in order with ascend. The tree is nil
// exactly when there are no records, so that [timeline.some] reads no
// more than the item (a supply tree asks it of every component: the
// B-tree's header is elsewhere in memory).
type timeline struct {
	t *btree.BTreeG[int32]
}

// some reports whether there is a record (len() > 0, without reading the
// tree).
func (tl *timeline) some() bool { return tl.t != nil }

// timelineDegree keeps nodes small: most items have a few records, end
// items a few thousand.
const timelineDegree = 16

func (tl *timeline) len() int {
	if tl.t == nil {
		return 0
	}
	return tl.t.Len()
}

// insert adds record k, creating the tree on first use with less as its
// order.
func (tl *timeline) insert(k int32, less btree.LessFunc[int32]) {
	if tl.t == nil {
		tl.t = btree.NewG(timelineDegree, less)
	}
	tl.t.ReplaceOrInsert(k)
}

// remove deletes record k and reports whether it was there. The record's
// ordering fields must still be those it was inserted with. The tree is
// dropped with its last record.
func (tl *timeline) remove(k int32) bool {
	if tl.t == nil {
		return false
	}
	_, ok := tl.t.Delete(k)
	if tl.t.Len() == 0 {
		tl.t = nil
	}
	return ok
}

// ascend calls fn for each record in time order.
func (tl *timeline) ascend(fn func(k int32) bool) {
	if tl.t != nil {
		tl.t.Ascend(fn)
	}
}

// appendTo appends the records in time order to buf.
func (tl *timeline) appendTo(buf []int32) []int32 {
	tl.ascend(func(k int32) bool {
		buf = append(buf, k)
		return true
	})
	return buf
}

// last returns the latest record, or -1 if there is none.
func (tl *timeline) last() int32 {
	if tl.t == nil {
		return -1
	}
	k, ok := tl.t.Max()
	if !ok {
		return -1
	}
	return k
}

// demandLess orders an item's demands by netting day, then higher
// priority first, then id.
func (p *Planner) demandLess(a, b int32) bool {
	x, y := &p.demands[a], &p.demands[b]
	if x.day != y.day {
		return x.day < y.day
	}
	if x.in.Priority != y.in.Priority {
		return x.in.Priority > y.in.Priority
	}
	return strings.Compare(x.in.ID, y.in.ID) < 0
}

// receiptLess orders an item's receipts by due day, then id.
func (p *Planner) receiptLess(a, b int32) bool {
	x, y := &p.recs[a], &p.recs[b]
	if c := cmp.Compare(x.day, y.day); c != 0 {
		return c < 0
	}
	return strings.Compare(x.in.ID, y.in.ID) < 0
}
