package convert

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	rpcv1 "github.com/ctoplan/ctoplan/gen/ctoplan/rpc/v1"
)

// MoneyDigits is the number of fraction digits a computed amount is
// rounded to on the wire (micro-units: far below a cent, far above float64
// noise for any plausible cost).
const MoneyDigits = 6

// maxAmount bounds amounts read from the wire: beyond 2^53 a float64 no
// longer holds every whole unit.
const maxAmount = 1 << 53

// ErrAmount is returned for an amount that is not a decimal number.
var ErrAmount = errors.New(`want a decimal number such as "1800" or "-0.0125" (at most 9 fraction digits)`)

// Money is the wire form of an amount computed in float64 (standard costs),
// rounded to [MoneyDigits] fraction digits with trailing zeros dropped:
// 23256.318856399997 EUR is {EUR, "23256.318856"}.
func Money(currency string, amount float64) *rpcv1.Money {
	if math.IsNaN(amount) || math.IsInf(amount, 0) {
		amount = 0 // not an amount; the domain never gives one
	}
	s := strconv.FormatFloat(amount, 'f', MoneyDigits, 64) // rounds the exact binary value
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		s = "0"
	}
	return &rpcv1.Money{CurrencyCode: currency, Amount: s}
}

// MoneyCents is the wire form of an exact amount in cents (the
// configurator's prices): 180050 is "1800.5", -5 is "-0.05".
func MoneyCents(currency string, cents int64) *rpcv1.Money {
	neg := cents < 0
	u := uint64(cents)
	if neg {
		u = -u
	}
	s := strconv.FormatUint(u/100, 10)
	if f := u % 100; f != 0 {
		s += strings.TrimRight(fmt.Sprintf(".%02d", f), "0")
	}
	if neg {
		s = "-" + s
	}
	return &rpcv1.Money{CurrencyCode: currency, Amount: s}
}

// ParseAmount reads a wire amount: an optional "-", digits, and optionally
// "." and 1 to 9 fraction digits; "" is 0. Anything else (exponents,
// "NaN", "+1", "1,5", magnitudes of 2^53 or more) is [ErrAmount].
func ParseAmount(s string) (float64, error) {
	if s == "" {
		return 0, nil
	}
	t := strings.TrimPrefix(s, "-")
	whole, frac, dot := strings.Cut(t, ".")
	if whole == "" || !digits(whole) || (dot && (frac == "" || len(frac) > 9 || !digits(frac))) {
		return 0, ErrAmount
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.Abs(f) >= maxAmount {
		return 0, ErrAmount
	}
	return f, nil
}

// AmountCents is a wire amount in cents, rounded half away from zero
// ("1800.505" is 180051): the inverse of [MoneyCents] on its answers.
func AmountCents(s string) (int64, error) {
	f, err := ParseAmount(s)
	if err != nil {
		return 0, err
	}
	return int64(math.Round(f * 100)), nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
