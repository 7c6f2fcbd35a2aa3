package server

import (
	"fmt"
	"testing"

	"github.com/ctoplan/ctoplan/configurator"
	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
)

func TestMemoKeyCanonical(t *testing.T) {
	a := []configurator.Pick{{Char: "mast", Value: "triplex"}, {Char: "capacity", Value: "t25"}}
	b := []configurator.Pick{{Char: "capacity", Value: "t25"}, {Char: "mast", Value: "triplex"}, {Char: "capacity", Value: "t25"}}
	if memoKey(a) != memoKey(b) {
		t.Errorf("same pick set, different keys: %q %q", memoKey(a), memoKey(b))
	}
	for _, c := range [][]configurator.Pick{
		{{Char: "mast", Value: "triplex", Exclude: true}, {Char: "capacity", Value: "t25"}},
		{{Char: "mast", Value: "triplex"}},
		{{Char: "mas", Value: "ttriplex"}, {Char: "capacity", Value: "t25"}},
		nil,
	} {
		if memoKey(c) == memoKey(a) {
			t.Errorf("%v and %v share the key %q", c, a, memoKey(a))
		}
	}
}

func TestPropMemoBoundedClock(t *testing.T) {
	if m := newPropMemo(0); m != nil || m.len() != 0 {
		t.Fatal("a disabled memo remembers")
	}
	if _, ok := newPropMemo(0).get("x"); ok {
		t.Fatal("a disabled memo remembers")
	}
	newPropMemo(0).put("x", memoAnswer{}) // must not panic
	m := newPropMemo(4)
	res := func(i int) memoAnswer {
		return memoAnswer{res: &configuratorv1.PropagateResponse{Chars: []*configuratorv1.CharDomain{{Char: fmt.Sprint(i)}}}}
	}
	has := func(k string) bool { _, ok := m.get(k); return ok }
	for i := range 4 {
		m.put(fmt.Sprint(i), res(i))
	}
	m.get("0") // used: survives the next eviction
	m.put("4", res(4))
	if m.len() != 4 {
		t.Fatalf("len %d, want 4", m.len())
	}
	if !has("0") {
		t.Error("the used answer 0 was evicted")
	}
	if has("1") {
		t.Error("the unused answer 1 survived")
	}
	for i := 5; i < 100; i++ {
		m.put(fmt.Sprint(i), res(i))
		if m.len() > 4 {
			t.Fatalf("len %d > 4", m.len())
		}
		if got, ok := m.get(fmt.Sprint(i)); !ok || got.res.Chars[0].Char != fmt.Sprint(i) {
			t.Fatalf("answer %d: %v", i, got)
		}
	}
}
