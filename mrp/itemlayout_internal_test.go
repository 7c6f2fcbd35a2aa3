package mrp

import (
	"testing"
	"unsafe"
)

// TestItemSize: an item is a whole number of 64-byte cache lines, so that
// in p.items (a large allocation, which starts on a page) every item
// starts a line; what tryDelta reads of every touched item lies in its
// first line (the orders, lead time, change marks, flags) and second
// (components, slack, safety stock, receipts), which touch reads ahead.
func TestItemSize(t *testing.T) {
	var it item
	if n := unsafe.Sizeof(it); n%64 != 0 {
		t.Errorf("item is %d bytes, not a multiple of 64: pad it by %d bytes", n, 64-n%64)
	}
	line := func(off uintptr) uintptr { return off / 64 }
	for name, f := range map[string][2]uintptr{
		"due": {unsafe.Offsetof(it.due), unsafe.Sizeof(it.due)}, "qty": {unsafe.Offsetof(it.qty), unsafe.Sizeof(it.qty)},
		"lt": {unsafe.Offsetof(it.lt), 4}, "chgQ": {unsafe.Offsetof(it.chgQ), 4}, "lfl": {unsafe.Offsetof(it.lfl), 1},
		"firmd": {unsafe.Offsetof(it.firmd), 1}, "cached": {unsafe.Offsetof(it.cached), 1},
	} {
		if line(f[0]) != 0 || line(f[0]+f[1]-1) != 0 {
			t.Errorf("item.%s at bytes %d-%d: not in the first line", name, f[0], f[0]+f[1]-1)
		}
	}
	for name, f := range map[string][2]uintptr{
		"comps": {unsafe.Offsetof(it.comps), unsafe.Sizeof(it.comps)}, "slack": {unsafe.Offsetof(it.slack), 8},
		"ss": {unsafe.Offsetof(it.ss), 8}, "rec": {unsafe.Offsetof(it.rec), unsafe.Sizeof(it.rec)},
		"due0": {unsafe.Offsetof(it.due0), 4}, "dueN": {unsafe.Offsetof(it.dueN), 4},
	} {
		if line(f[0]) != 1 || line(f[0]+f[1]-1) != 1 {
			t.Errorf("item.%s at bytes %d-%d: not in the second line", name, f[0], f[0]+f[1]-1)
		}
	}
	p := &Planner{}
	p.items = make([]item, 1000)
	if a := uintptr(unsafe.Pointer(&p.items[0])); a%64 != 0 {
		t.Errorf("p.items of 1,000 items starts at %#x, not on a cache line", a)
	}
}

// TestPegStateSize: an item's pegging state (see pegState) is 32 bytes, so
// that two lie in a 64-byte line, none across two, in planPeg.st (a large
// allocation on the plants that matter, which starts on a page).
func TestPegStateSize(t *testing.T) {
	if n := unsafe.Sizeof(pegState{}); n != 32 {
		t.Errorf("pegState is %d bytes, want 32", n)
	}
	var g planPeg
	g.reset(50000)
	if a := uintptr(unsafe.Pointer(&g.st[0])); a%64 != 0 {
		t.Errorf("the state of 50,000 items starts at %#x, not on a cache line", a)
	}
}
