package csvtext

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
)

// readAll reads text as the CSV readers do, through a Reader with bounds
// of header and extra cells (when header > 0) or straight: every record
// and error, on to the end (as a reader that goes on after a bad row).
func readAll(text string, trim bool, header, extra int, wrap func(io.Reader) io.Reader) []string {
	var src io.Reader = strings.NewReader(text)
	if wrap != nil {
		src = wrap(src)
	}
	if header > 0 {
		r := NewReader(src, ',', trim)
		r.maxHeader, r.maxExtra = header, extra
		src = r
	}
	cr := csv.NewReader(src)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = trim
	var out []string
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return out
		}
		var e *Error
		if errors.As(err, &e) {
			return append(out, fmt.Sprintf("refused at %d: %s", e.Line, e.Msg))
		}
		out = append(out, fmt.Sprintf("%d: %q %v", startLine(cr, err), rec, err))
	}
}

// startLine is the line where the record cr read last starts.
func startLine(cr *csv.Reader, err error) int {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.StartLine
	}
	line, _ := cr.FieldPos(0)
	return line
}

// want is what readAll with bounds gives, figured from the records read
// straight: the same up to the first of more cells than the bounds allow,
// refused at its line (the header is the first record without a quote
// error). bad[k] is set for a record out[k] of a quote error: one the
// Reader may refuse in its place, at its line, having counted cells past
// the error.
func want(text string, trim bool, header, extra int) (out []string, bad []bool) {
	if strings.HasPrefix(text, "\xff\xfe") || strings.HasPrefix(text, "\xfe\xff") {
		return []string{"refused at 1: " + UTF16Message}, []bool{false}
	}
	cr := csv.NewReader(strings.NewReader(text))
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = trim
	head := 0
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, bad
		}
		line := startLine(cr, err)
		bound := header
		if head > 0 {
			bound = head + extra
		}
		if len(rec) > bound && err == nil {
			msg := fmt.Sprintf("%d cells, the header has %d: a row may have at most %d cells more than its header (empty ones, as some exports write)", len(rec), head, extra)
			if head == 0 {
				msg = fmt.Sprintf("a header of %d cells: at most %d are read", len(rec), header)
			}
			return append(out, fmt.Sprintf("refused at %d: %s", line, msg)), append(bad, false)
		}
		if head == 0 && err == nil {
			head = len(rec)
		}
		out = append(out, fmt.Sprintf("%d: %q %v", line, rec, err))
		bad = append(bad, err != nil)
	}
}

// agree reports whether got (readAll through a Reader) is what want
// says.
func agree(got, want []string, bad []bool) bool {
	for k, w := range want {
		switch {
		case k == len(got):
			return false
		case got[k] == w:
			continue
		case bad[k] && k == len(got)-1:
			line, _, _ := strings.Cut(w, ":")
			return strings.HasPrefix(got[k], "refused at "+line+": ")
		}
		return false
	}
	return len(got) == len(want)
}

func TestReaderCells(t *testing.T) {
	cases := []struct {
		name, text string
		trim       bool
		want       []string
	}{
		{"fits", "a,b\n1,2,,,\n", false, []string{`1: ["a" "b"] <nil>`, `2: ["1" "2" "" "" ""] <nil>`}},
		{"row", "a,b\n1,2\n1,2,,,,\n3,4\n", false, []string{`1: ["a" "b"] <nil>`, `2: ["1" "2"] <nil>`,
			"refused at 3: 6 cells, the header has 2: a row may have at most 3 cells more than its header (empty ones, as some exports write)"}},
		{"header", "a,b,c,d,e,f\n1\n", false, []string{"refused at 1: a header of 6 cells: at most 4 are read"}},
		{"blank lines first", "\n\r\na,b\n,,,,,,\n", false, []string{`3: ["a" "b"] <nil>`,
			"refused at 4: 7 cells, the header has 2: a row may have at most 3 cells more than its header (empty ones, as some exports write)"}},
		{"quoted commas", "a,b\n\"1,,,,,,,\",2\n", false, []string{`1: ["a" "b"] <nil>`, `2: ["1,,,,,,," "2"] <nil>`}},
		{"quoted lines", "a,b\n\"x\n,,,,,,\n\",,,,,,\n", false, []string{`1: ["a" "b"] <nil>`,
			"refused at 2: 7 cells, the header has 2: a row may have at most 3 cells more than its header (empty ones, as some exports write)"}},
		{"escaped quote", "a,b\n\"x\"\",,,,,\",1\n", false, []string{`1: ["a" "b"] <nil>`, `2: ["x\",,,,," "1"] <nil>`}},
		{"trimmed quote", "a,b\n1, \"2,,,,,,\"\n", true, []string{`1: ["a" "b"] <nil>`, `2: ["1" "2,,,,,,"] <nil>`}},
		{"trimmed no-break space", "a,b\n1,\u00a0\"2,,,,,,\"\n", true, []string{`1: ["a" "b"] <nil>`, `2: ["1" "2,,,,,,"] <nil>`}},
		{"utf-16", "\xff\xfea\x00,\x00b\x00\n\x00", false, []string{"refused at 1: " + UTF16Message}},
		{"utf-16 big-endian", "\xfe\xff\x00a", false, []string{"refused at 1: " + UTF16Message}},
		{"one byte", "a", false, []string{`1: ["a"] <nil>`}},
		{"empty", "", false, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, wrap := range []func(io.Reader) io.Reader{nil, iotest.OneByteReader, iotest.HalfReader} {
				got := readAll(tc.text, tc.trim, 4, 3, wrap)
				if !slices.Equal(got, tc.want) {
					t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
				}
			}
		})
	}
}

// TestReaderAgreesWithCSV: on random texts of separators, quotes, line
// ends, blanks and multi-byte spaces, what encoding/csv reads through a
// Reader is what it reads straight, up to the first row beyond the
// bounds, refused at its line with its cells; read whole, one byte at a
// time or in halves (runes and rows cut by reads).
func TestReaderAgreesWithCSV(t *testing.T) {
	atoms := []string{",", ",", ",", "\"", "\n", "\r\n", "\r", " ", "a", "b", "\u00a0", "\u3000", "\xe3", "\"\""}
	rng := rand.New(rand.NewPCG(1, 2))
	n := 20000
	if testing.Short() {
		n = 2000
	}
	for k := range n {
		var b strings.Builder
		for range rng.IntN(40) {
			b.WriteString(atoms[rng.IntN(len(atoms))])
		}
		text := b.String()
		trim := k%2 == 0
		header, extra := 1+rng.IntN(6), rng.IntN(4)
		w, bad := want(text, trim, header, extra)
		for _, wrap := range []func(io.Reader) io.Reader{nil, iotest.OneByteReader, iotest.HalfReader} {
			if got := readAll(text, trim, header, extra, wrap); !agree(got, w, bad) {
				t.Fatalf("%q (trim %v, bounds %d+%d):\ngot\n%s\nwant\n%s", text, trim, header, extra, strings.Join(got, "\n"), strings.Join(w, "\n"))
			}
		}
	}
}

func FuzzReader(f *testing.F) {
	for _, s := range []string{"a,b\n1,2,,,,,\n", "a,b\n\"1,,,\n,,,\",2\n", "a,b\n1, \"2,,,,,\"\n", "\xff\xfea\x00", "a,b\r\n\"x\"\r,,,,\n"} {
		f.Add(s, false, uint8(3), uint8(2))
		f.Add(s, true, uint8(3), uint8(2))
	}
	f.Fuzz(func(t *testing.T, text string, trim bool, header, extra uint8) {
		h, x := 1+int(header%16), int(extra%16)
		w, bad := want(text, trim, h, x)
		if got := readAll(text, trim, h, x, iotest.HalfReader); !agree(got, w, bad) {
			t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(w, "\n"))
		}
	})
}

// TestReaderMemory: a line of 32 MB of commas is refused with a few
// kilobytes in use, where encoding/csv alone would take gigabytes.
func TestReaderMemory(t *testing.T) {
	text := make([]byte, 0, 32<<20+16)
	text = append(text, "a,b\n1,"...)
	text = append(text, bytes.Repeat([]byte{','}, 32<<20)...)
	text = append(text, "\n"...)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	cr := csv.NewReader(NewReader(bytes.NewReader(text), ',', true))
	cr.FieldsPerRecord, cr.ReuseRecord = -1, true
	var err error
	for err == nil {
		_, err = cr.Read()
	}
	runtime.ReadMemStats(&after)
	var e *Error
	if !errors.As(err, &e) || e.Line != 2 || !strings.HasPrefix(e.Msg, fmt.Sprintf("%d cells, the header has 2:", 32<<20+2)) {
		t.Fatalf("err = %v, want at line 2: %d cells, the header has 2", err, 32<<20+2)
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > 1<<20 {
		t.Errorf("allocated %d bytes to refuse the line, want well below 1 MB", got)
	}
}

// BenchmarkReader: the cost of counting cells, on demand rows as exports
// write them (compare with encoding/csv's reading of the same, some
// 100 MB/s).
func BenchmarkReader(b *testing.B) {
	var text bytes.Buffer
	text.WriteString("id,item,qty,due_date,priority,config\n")
	for k := range 100_000 {
		fmt.Fprintf(&text, "SO-26-%06d,FL-TRUCK-%d,%d,2027-01-%02d,,\"capacity=t15;mast=triplex\"\n", k, k%100, 1+k%7, 1+k%28)
	}
	b.SetBytes(int64(text.Len()))
	b.ReportAllocs()
	buf := make([]byte, 4096)
	for b.Loop() {
		r := NewReader(bytes.NewReader(text.Bytes()), ',', true)
		for {
			if _, err := r.Read(buf); err != nil {
				break
			}
		}
	}
}
