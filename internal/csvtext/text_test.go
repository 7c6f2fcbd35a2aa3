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
