package convert

import (
	"errors"
	"math"
	"strconv"
	"testing"
)

func TestMoney(t *testing.T) {
	for _, c := range []struct {
		in   float64
		want string
	}{
		{23256.318856399997, "23256.318856"}, // the float noise issue 15 showed, cut at 6 digits
		{1800, "1800"},
		{1800.5, "1800.5"},
		{0.0000004, "0"},  // rounds to 0, not "4e-07"
		{-0.0000004, "0"}, // and not "-0"
		{-12.3456789, "-12.345679"},
		{1e15 + 0.25, "1000000000000000.25"}, // no exponent
	} {
		m := Money("EUR", c.in)
		if m.GetAmount() != c.want || m.GetCurrencyCode() != "EUR" {
			t.Errorf("Money(%v) = %v %q, want EUR %q", c.in, m.GetCurrencyCode(), m.GetAmount(), c.want)
		}
	}
}

func TestMoneyCents(t *testing.T) {
	for _, c := range []struct {
		cents int64
		want  string
	}{
		{0, "0"}, {5, "0.05"}, {50, "0.5"}, {180050, "1800.5"}, {180000, "1800"}, {180001, "1800.01"},
		{-5, "-0.05"}, {-180050, "-1800.5"},
		{math.MinInt64, "-92233720368547758.08"}, // no overflow in the negation
	} {
		if got := MoneyCents("USD", c.cents).GetAmount(); got != c.want {
			t.Errorf("MoneyCents(%d) = %q, want %q", c.cents, got, c.want)
		}
		if c.cents == math.MinInt64 {
			continue // beyond 2^53: not read back exactly
		}
		if back, err := AmountCents(c.want); err != nil || back != c.cents {
			t.Errorf("AmountCents(%q) = %d, %v; want %d", c.want, back, err, c.cents)
		}
	}
}

func TestParseAmount(t *testing.T) {
	good := map[string]float64{"": 0, "0": 0, "1800": 1800, "1800.5": 1800.5, "-0.0125": -0.0125, "007": 7, "1.123456789": 1.123456789}
	for in, want := range good {
		if got, err := ParseAmount(in); err != nil || got != want {
			t.Errorf("ParseAmount(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"-", ".5", "5.", "1e3", "+1", "1,5", " 1", "NaN", "Inf", "0x10", "1.1234567891", "9007199254740992", "--1", "1-"} {
		if _, err := ParseAmount(in); !errors.Is(err, ErrAmount) {
			t.Errorf("ParseAmount(%q): %v, want ErrAmount", in, err)
		}
	}
}

// FuzzParseAmount: no panic, and an accepted amount is finite, below 2^53
// and equal to what strconv reads from the same text.
func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"", "0", "1800.5", "-0.0125", "1e3", "9007199254740991", "1.123456789"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseAmount(s)
		if err != nil {
			return
		}
		if s == "" {
			return
		}
		want, perr := strconv.ParseFloat(s, 64)
		if perr != nil || want != v || math.IsInf(v, 0) || math.Abs(v) >= maxAmount {
			t.Fatalf("ParseAmount(%q) = %v, strconv says %v, %v", s, v, want, perr)
		}
	})
}
