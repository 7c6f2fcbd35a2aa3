package formats

import (
	"bufio"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
)

// TestScanLines: "\n", "\r\n" and a lone "\r" each end a line, also when
// the input comes a byte at a time (a "\r" at the end of what was read
// waits for the next byte).
func TestScanLines(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"a", []string{"a"}},
		{"a\nb\n", []string{"a", "b"}},
		{"a\r\nb\r\n", []string{"a", "b"}},
		{"a\rb\r", []string{"a", "b"}},
		{"a\r\rb", []string{"a", "", "b"}},
		{"a\n\r\nb\r\n\rc", []string{"a", "", "b", "", "c"}},
		{"a\r", []string{"a"}},
		{"\r\n", []string{""}},
		{"a b\tc\r", []string{"a b\tc"}},
	} {
		for _, oneByte := range []bool{false, true} {
			r := strings.NewReader(tc.in)
			sc := bufio.NewScanner(r)
			if oneByte {
				sc = bufio.NewScanner(iotest.OneByteReader(r))
			}
			sc.Split(scanLines)
			var got []string
			for sc.Scan() {
				got = append(got, sc.Text())
			}
			if sc.Err() != nil || !slices.Equal(got, tc.want) {
				t.Errorf("%q (one byte at a time: %v): lines %q, %v; want %q", tc.in, oneByte, got, sc.Err(), tc.want)
			}
		}
	}
}
