package wire

import (
	"strings"
	"testing"

	mrpv1 "github.com/ctoplan/ctoplan/gen/ctoplan/mrp/v1"
)

// OrderKind's table of words says what the enum's names say, for every
// kind the proto has and for a number it does not.
func TestOrderKind(t *testing.T) {
	vs := mrpv1.OrderKind(0).Descriptor().Values()
	if vs.Len() < 4 {
		t.Fatalf("%d order kinds in the proto", vs.Len())
	}
	for i := range vs.Len() {
		v := vs.Get(i)
		want := strings.ToLower(strings.TrimPrefix(string(v.Name()), "ORDER_KIND_"))
		if got := OrderKind(mrpv1.OrderKind(v.Number())); got != want {
			t.Errorf("OrderKind(%s) = %q, want %q", v.Name(), got, want)
		}
	}
	if got := OrderKind(99); got != "99" {
		t.Errorf("OrderKind(99) = %q, want the number", got)
	}
	if got := OrderKind(mrpv1.OrderKind_ORDER_KIND_PURCHASE); got != "purchase" {
		t.Errorf("OrderKind(PURCHASE) = %q", got)
	}
}
