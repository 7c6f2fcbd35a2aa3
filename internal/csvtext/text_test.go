package csvtext_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/ctoplan/ctoplan/internal/csvtext"
)

func TestNameProblem(t *testing.T) {
	cases := []struct{ in, want string }{
		{"SO-26-1187", ""},
		{strings.Repeat("x", 256), ""},
		{strings.Repeat("x", 70001), "70001 bytes is too long (at most 256)"},
		{"a\tb", "control character U+0009 at byte 1 (ids and names are one line of printable text)"},
		{"\xff", "not UTF-8"},
	}
	for _, tc := range cases {
		if got := csvtext.NameProblem(tc.in, csvtext.MaxNameBytes); got != tc.want {
			t.Errorf("NameProblem(%.20q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestQuote(t *testing.T) {
	cases := []struct{ in, want string }{
		{"x", `"x"`},
		{strings.Repeat("9", 64), `"` + strings.Repeat("9", 64) + `"`},
		{strings.Repeat("9", 104857600), `"` + strings.Repeat("9", 40) + `"… (104857600 bytes)`},
		// a rune is not cut: 13 three-byte runes are 39 bytes
		{strings.Repeat("吨", 30), `"` + strings.Repeat("吨", 13) + `"… (90 bytes)`},
		{"a\nb", `"a\nb"`},
	}
	for _, tc := range cases {
		if got := csvtext.Quote(tc.in); got != tc.want {
			t.Errorf("Quote(%.20q...) = %s, want %s", tc.in, got, tc.want)
		}
	}
	if got, want := csvtext.Short(strings.Repeat("a,", 50)), strings.Repeat("a,", 20)+"… (100 bytes)"; got != want {
		t.Errorf("Short = %s, want %s", got, want)
	}
	if got, want := csvtext.Short("a\tb"), `"a\tb"`; got != want {
		t.Errorf("Short = %s, want %s", got, want)
	}
}

func TestShortenQuoted(t *testing.T) {
	long := strings.Repeat("x", 1<<20)
	cases := []struct{ in, want string }{
		{`unknown characteristic "` + long + `"`, `unknown characteristic "` + strings.Repeat("x", 40) + `"… (1048576 bytes)`},
		{`unknown value "` + long + `" for mast (did you mean "triplex"?)`, `unknown value "` + strings.Repeat("x", 40) + `"… (1048576 bytes) for mast (did you mean "triplex"?)`},
		{`a "short" one and a stray " quote ` + long, `a "short" one and a stray " quote ` + long},
		{`"a\"b` + long + `"`, `"a\"b` + strings.Repeat("x", 37) + `"… (1048579 bytes)`},
		{`short "x"`, `short "x"`},
	}
	for _, tc := range cases {
		if got := csvtext.ShortenQuoted(tc.in); got != tc.want {
			t.Errorf("ShortenQuoted(%.60q...) = %.100s..., want %.100s...", tc.in, got, tc.want)
		}
	}
}

func TestNumber(t *testing.T) {
	cases := []struct {
		in   string
		want float64
		err  string
	}{
		{"12", 12, ""}, {"0.25", 0.25, ""}, {"-1.5", -1.5, ""}, {"+3", 3, ""}, {".5", 0.5, ""}, {"5.", 5, ""},
		{"1e3", 1000, ""}, {"1E-3", 0.001, ""}, {"1e+3", 1000, ""},
		{"", 0, `"" is not a number`},
		{"x", 0, `"x" is not a number`},
		{"1e", 0, `"1e" is not a number`},
		{".", 0, `"." is not a number`},
		{"1.5.2", 0, `"1.5.2" is not a number`},
		{"1,000", 0, `"1,000" is not a number (write it without thousands separators: 1000)`},
		{"2,5", 0, `"2,5" is not a number (write a decimal point: 2.5)`},
		{"1_000", 0, `"1_000" is not a decimal number (write it without separators: 1000)`},
		{"0x1p4", 0, `"0x1p4" is not a decimal number (hexadecimal is not read: write it in decimal digits)`},
		{"0x10", 0, `"0x10" is not a decimal number (hexadecimal is not read: write it in decimal digits)`},
		{"Inf", 0, `"Inf" is not a number`},
		{"-infinity", 0, `"-infinity" is not a number`},
		{"NaN", 0, `"NaN" is not a number`},
		{"1e400", 0, `"1e400" is out of range`},
		{"-1e400", 0, `"-1e400" is out of range`},
		{"1e-400", 0, ""},
		{strings.Repeat("9", 400), 0, `"` + strings.Repeat("9", 40) + `"… (400 bytes) is out of range`},
		{strings.Repeat(",", 1000), 0, `",,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,"… (1000 bytes) is not a number`},
	}
	for _, tc := range cases {
		got, err := csvtext.Number(tc.in)
		if tc.err == "" {
			if err != nil || got != tc.want {
				t.Errorf("Number(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
			}
			continue
		}
		if err == nil || err.Error() != tc.err {
			t.Errorf("Number(%q) = %v, %v; want error %s", tc.in, got, err, tc.err)
		}
		if strings.Contains(tc.err, "out of range") != errors.Is(err, csvtext.ErrRange) {
			t.Errorf("Number(%q): errors.Is(err, ErrRange) = %v", tc.in, errors.Is(err, csvtext.ErrRange))
		}
	}
}
