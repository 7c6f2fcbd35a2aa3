package lex_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ctoplan/ctoplan/configurator/internal/lex"
)

// tokens lexes src from (line, col) and prints each token as
// "line:col kind text", and each error as "line:col error: message".
func tokens(src string, line, col int) string {
	var b strings.Builder
	l := lex.New(src, line, col, func(line, col int, format string, args ...any) {
		fmt.Fprintf(&b, "%d:%d error: %s\n", line, col, fmt.Sprintf(format, args...))
	})
	l.SkipBOM()
	for {
		t := l.Next()
		fmt.Fprintf(&b, "%d:%d %s %q\n", t.Line, t.Col, t.Kind, t.Text)
		if t.Kind == lex.EOF {
			return b.String()
		}
	}
}

// TestPositions: columns count bytes from 1 on each line; a source that
// starts at line 7, column 10 (an expression taken from the middle of a
// line) shifts columns on its first line only; a byte order mark does not
// count.
func TestPositions(t *testing.T) {
	for _, tc := range []struct {
		src       string
		line, col int
		want      string
	}{
		// "a <= 12" : a at col 1, <= at col 3, 12 at col 6, EOF at col 8.
		{"a <= 12", 0, 0, "1:1 name \"a\"\n1:3 \"<=\" \"<=\"\n1:6 integer \"12\"\n1:8 end of file \"\"\n"},
		// Starting at 7:10, col = byte offset + 10 on the first line; the
		// second line counts from 1 again.
		{"x\n  y", 7, 10, "7:10 name \"x\"\n8:3 name \"y\"\n8:4 end of file \"\"\n"},
		{"\xef\xbb\xbfm", 0, 0, "1:1 name \"m\"\n1:2 end of file \"\"\n"},
		// A line ends at "\n", "\r\n" (one line end, not two) or a lone
		// "\r" (old Mac OS files, which counted as one line); a comment
		// ends with its line.
		{"x\r\n  y\r\nz", 0, 0, "1:1 name \"x\"\n2:3 name \"y\"\n3:1 name \"z\"\n3:2 end of file \"\"\n"},
		{"x\r  y # c\rz\r\r", 0, 0, "1:1 name \"x\"\n2:3 name \"y\"\n3:1 name \"z\"\n5:1 end of file \"\"\n"},
		{"x\n\r\ny\r\n\rz", 0, 0, "1:1 name \"x\"\n3:1 name \"y\"\n5:1 name \"z\"\n5:2 end of file \"\"\n"},
		{"\"s\r\"", 0, 0, "1:1 error: string not terminated\n1:1 invalid Token \"\"\n2:1 error: string not terminated\n2:1 invalid Token \"\"\n2:2 end of file \"\"\n"},
	} {
		if got := tokens(tc.src, tc.line, tc.col); got != tc.want {
			t.Errorf("%q at %d:%d:\ngot\n%swant\n%s", tc.src, tc.line, tc.col, got, tc.want)
		}
	}
}

// TestErrorsReported: an unterminated string goes to the callback with
// its position.
func TestErrorsReported(t *testing.T) {
	got := tokens("a \"open", 3, 0)
	if !strings.Contains(got, "3:3 error: ") {
		t.Errorf("no error at 3:3 for an unterminated string:\n%s", got)
	}
}
