package csvtext

import (
	"errors"
	"fmt"
	"github.com/ctoplan/ctoplan/internal/typo"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxNameBytes bounds an id or name: item, demand, receipt, order,
// variant, model and work-center ids, characteristic names and values
// (a store key holds one; Badger's keys are at most 65,000 bytes).
const MaxNameBytes = 256

// NameProblem says what is wrong with an id or name of at most max bytes
// ("" when nothing is): too long, not UTF-8, or holding a control
// character (newline, tab, NUL, DEL, ...).
func NameProblem(s string, max int) string {
	if len(s) > max {
		return fmt.Sprintf("%d bytes is too long (at most %d)", len(s), max)
	}
	if !utf8.ValidString(s) {
		return "not UTF-8"
	}
	for i, r := range s {
		if unicode.IsControl(r) {
			return fmt.Sprintf("control character %U at byte %d (ids and names are one line of printable text)", r, i)
		}
	}
	return ""
}

// quoteMax is the longest value a message shows whole ([typo.MaxQuoted]).
const quoteMax = typo.MaxQuoted

// Quote is s quoted for a message ([typo.Quote]: [strconv.Quote], a long
// one shortened to its first 40 bytes and its length: "9999…"… (104857600
// bytes)). A message stays one short line whatever a file holds.
func Quote(s string) string { return typo.Quote(s) }

// Short is s for a message without quotes (a header, a name), shortened as
// [Quote] does ([typo.Clip]); quoted when it holds a control character,
// which would break the message's line.
func Short(s string) string {
	s = typo.Clip(s)
	if strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return strconv.Quote(s)
	}
	return s
}

// ShortenQuoted is msg with each Go-quoted string in it (as %q writes
// them) that holds more than 64 bytes shortened as [Quote] does: for a
// message made elsewhere (the model language's, about a condition or a
// quantity formula of a CSV file) that quotes what it read whole.
func ShortenQuoted(msg string) string {
	if len(msg) <= quoteMax {
		return msg
	}
	var b strings.Builder
	rest := msg
	for {
		j := strings.IndexByte(rest, '"')
		if j < 0 {
			break
		}
		b.WriteString(rest[:j])
		rest = rest[j:]
		q, err := strconv.QuotedPrefix(rest)
		if err != nil { // a quote of no quoted string
			b.WriteByte('"')
			rest = rest[1:]
			continue
		}
		if s, err := strconv.Unquote(q); err == nil && len(s) > quoteMax {
			b.WriteString(Quote(s))
		} else {
			b.WriteString(q)
		}
		rest = rest[len(q):]
	}
	b.WriteString(rest)
	return b.String()
}

// ErrRange is wrapped by the error of [Number] for a number too large
// (or too small) for a float64.
var ErrRange = errors.New("out of range")

// Number reads s, a number as docs/csv-format.md writes one: decimal
// digits with an optional sign, '.' and exponent (12, 0.25, -1.5, 1e3).
// Go's other forms, which strconv.ParseFloat takes, are refused:
// digits separated by '_' (1_000), hexadecimal (0x1p4), Inf and NaN. A
// number too small for a float64 is 0. The error says what is wrong, s
// shown by [Quote]:
//
//	"x" is not a number
//	"1,000" is not a number (write it without thousands separators: 1000)
//	"1_000" is not a decimal number (write it without separators: 1000)
//	"1e400" is out of range
func Number(s string) (float64, error) {
	if !decimal(s) {
		return 0, fmt.Errorf("%s is not %s", Quote(s), notNumber(s))
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("%s is %w", Quote(s), ErrRange)
	}
	return f, nil
}

// notNumber says what s, which is not a decimal number, is not, with how
// to write it when that is plain.
func notNumber(s string) string {
	t := strings.ToLower(strings.TrimLeft(s, "+-"))
	if strings.HasPrefix(t, "0x") {
		return "a decimal number (hexadecimal is not read: write it in decimal digits)"
	}
	if strings.Contains(s, "_") && decimal(strings.ReplaceAll(s, "_", "")) {
		return "a decimal number (write it without separators: " + Short(strings.ReplaceAll(s, "_", "")) + ")"
	}
	return "a number" + numberHint(s)
}

// decimal reports whether s is [+-]digits[.digits][(e|E)[+-]digits], with
// digits on one side of the point at least.
func decimal(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for ; i < len(s) && '0' <= s[i] && s[i] <= '9'; i++ {
		digits++
	}
	if i < len(s) && s[i] == '.' {
		for i++; i < len(s) && '0' <= s[i] && s[i] <= '9'; i++ {
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		j := i
		for ; i < len(s) && '0' <= s[i] && s[i] <= '9'; i++ {
		}
		if i == j {
			return false
		}
	}
	return i == len(s)
}

// numberHint says how to write v, a number that is not one, when it
// looks like one written with thousands separators ("1,000") or a decimal
// comma ("2,5"); otherwise "".
func numberHint(v string) string {
	if len(v) > quoteMax {
		return "" // no number: and a long text of commas would be split in as many strings
	}
	groups := strings.Split(v, ",")
	if len(groups) < 2 {
		return ""
	}
	digits := func(s string) bool { return s != "" && strings.Trim(s, "0123456789") == "" }
	thousands := digits(groups[0]) && len(groups[0]) <= 3
	for _, g := range groups[1:] {
		thousands = thousands && len(g) == 3 && digits(g)
	}
	switch {
	case thousands:
		return " (write it without thousands separators: " + Short(strings.Join(groups, "")) + ")"
	case len(groups) == 2 && digits(strings.TrimPrefix(groups[0], "-")) && digits(groups[1]):
		return " (write a decimal point: " + Short(groups[0]+"."+groups[1]) + ")"
	}
	return ""
}
