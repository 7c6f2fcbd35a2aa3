package csvtext_test

import (
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
		{strings.Repeat("9", 104857600), `"` + strings.Repeat("9", 40) + `"…(104857600 bytes)`},
		// a rune is not cut: 13 three-byte runes are 39 bytes
		{strings.Repeat("吨", 30), `"` + strings.Repeat("吨", 13) + `"…(90 bytes)`},
		{"a\nb", `"a\nb"`},
	}
	for _, tc := range cases {
		if got := csvtext.Quote(tc.in); got != tc.want {
			t.Errorf("Quote(%.20q...) = %s, want %s", tc.in, got, tc.want)
		}
	}
	if got, want := csvtext.Short(strings.Repeat("a,", 50)), strings.Repeat("a,", 20)+"…(100 bytes)"; got != want {
		t.Errorf("Short = %s, want %s", got, want)
	}
	if got, want := csvtext.Short("a\tb"), `"a\tb"`; got != want {
		t.Errorf("Short = %s, want %s", got, want)
	}
}

func TestShortenQuoted(t *testing.T) {
	long := strings.Repeat("x", 1<<20)
	cases := []struct{ in, want string }{
		{`unknown characteristic "` + long + `"`, `unknown characteristic "` + strings.Repeat("x", 40) + `"…(1048576 bytes)`},
		{`unknown value "` + long + `" for mast (did you mean "triplex"?)`, `unknown value "` + strings.Repeat("x", 40) + `"…(1048576 bytes) for mast (did you mean "triplex"?)`},
		{`a "short" one and a stray " quote ` + long, `a "short" one and a stray " quote ` + long},
		{`"a\"b` + long + `"`, `"a\"b` + strings.Repeat("x", 37) + `"…(1048579 bytes)`},
		{`short "x"`, `short "x"`},
	}
	for _, tc := range cases {
		if got := csvtext.ShortenQuoted(tc.in); got != tc.want {
			t.Errorf("ShortenQuoted(%.60q...) = %.100s..., want %.100s...", tc.in, got, tc.want)
		}
	}
}
