package etcd

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestMergeSpans: the merged guards must cover every key any input span
// covers (checked key by key over a small alphabet: a guard that misses a
// key read would miss a conflict), be at most n, and be disjoint.
func TestMergeSpans(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	key := func() string { return fmt.Sprintf("%02d", r.IntN(40)) }
	in := func(s span, k string) bool { return k >= s.start && (s.end == "" || k < s.end) }
	for round := range 500 {
		var spans []span
		for range r.IntN(30) + 1 {
			a := key()
			switch r.IntN(4) {
			case 0:
				spans = append(spans, span{a, a + "\x00"}) // a point read
			case 1:
				spans = append(spans, span{a, ""}) // to the end
			default:
				b := key()
				if b <= a {
					a, b = b, a+"\x00"
				}
				spans = append(spans, span{a, b})
			}
		}
		n := r.IntN(5) + 1
		got := mergeSpans(spans, n)
		if len(got) > n {
			t.Fatalf("round %d: %d guards, want at most %d", round, len(got), n)
		}
		for i := 1; i < len(got); i++ {
			if got[i-1].end == "" || got[i-1].end > got[i].start {
				t.Fatalf("round %d: guards %v overlap or are unsorted", round, got)
			}
		}
		for k := range 40 {
			for _, suffix := range []string{"", "\x00", "5"} {
				key := fmt.Sprintf("%02d", k) + suffix
				read, guarded := false, false
				for _, s := range spans {
					read = read || in(s, key)
				}
				for _, s := range got {
					guarded = guarded || in(s, key)
				}
				if read && !guarded {
					t.Fatalf("round %d: key %q read by %v but not guarded by %v", round, key, spans, got)
				}
			}
		}
	}
}
