package csvtext

import (
	"fmt"
	"io"
	"unicode"
	"unicode/utf8"
)

// Bounds on the cells of a row, checked by [Reader] before encoding/csv
// makes a string of each: a line of commas would otherwise cost about 90
// bytes of memory per comma (gigabytes for a file of some megabytes).
const (
	// MaxHeaderCells is the most cells a header row may have.
	MaxHeaderCells = 10_000
	// MaxExtraCells is how many cells more than the header's a row may
	// have: the empty trailing cells some exports write.
	MaxExtraCells = 1_000
)

// Error is a CSV text refused by a [Reader], at Line (1-based: the line
// where the row starts).
type Error struct {
	Line int
	Msg  string
}

func (e *Error) Error() string { return e.Msg }

// UTF16Message is the problem of a file that starts with a UTF-16
// byte-order mark.
const UTF16Message = `the file is UTF-16 (Excel's "Unicode text"); save it as CSV UTF-8`

// Reader passes a CSV text through unchanged, refusing (with an [*Error]
// in place of the rest of the text) one that starts with a UTF-16
// byte-order mark, a header row of more than [MaxHeaderCells] cells, and
// a row of more than [MaxExtraCells] cells beyond its header's: it counts
// the cells of each row by RFC 4180 quoting as encoding/csv reads them and
// stops before the separator that passes the bound, so that encoding/csv
// never sees the row whole. The error tells the row's cells, counted to
// its end without keeping them.
type Reader struct {
	r     io.Reader
	comma byte
	trim  bool // encoding/csv's TrimLeadingSpace

	started bool
	pending []byte // bytes read to look for a byte-order mark
	head    [2]byte
	eof     bool // the source ended while pending was read
	err     error

	st     state
	carry  []byte // the start of a rune cut by a read, at a field's start (trim)
	line   int    // the current line
	start  int    // the line where the current row starts
	cells  int    // the cells of the current row so far
	bytes  int    // bytes of the current row, at most 2 counted, until the header
	first  byte   // the current row's first byte (an empty row is "" or "\r")
	header int    // the header's cells, 0 until it is read

	maxHeader, maxExtra int // MaxHeaderCells and MaxExtraCells, but in tests

	stops [stBad + 1][256]bool // the bytes that matter in a state, for scan's fast loops
}

type state uint8

const (
	stStart   state = iota // at the start of a field
	stPlain                // in a field without quotes
	stQuoted               // in a quoted field
	stQuote                // in a quoted field, after a quote: an escaped or the closing one
	stQuoteCR              // after a closing quote and a carriage return
	stBad                  // in a row encoding/csv refuses: it skips the rest of the line
)

// NewReader returns a Reader of r whose cells are separated by comma;
// trim is the TrimLeadingSpace of the csv.Reader reading from it.
func NewReader(r io.Reader, comma byte, trim bool) *Reader {
	x := &Reader{r: r, comma: comma, trim: trim, line: 1, start: 1, cells: 1, maxHeader: MaxHeaderCells, maxExtra: MaxExtraCells}
	for _, c := range []byte{comma, '"', '\n'} {
		x.stops[stPlain][c] = true
	}
	x.stops[stQuoted]['"'], x.stops[stQuoted]['\n'] = true, true
	x.stops[stBad]['\n'] = true
	// at a field's start also '\r', to tell the empty line "\r\n", and
	// what TrimLeadingSpace skips
	for _, c := range []byte{comma, '"', '\n', '\r'} {
		x.stops[stStart][c] = true
	}
	if trim {
		for c := range 256 {
			x.stops[stStart][c] = x.stops[stStart][c] || c >= utf8.RuneSelf || c == ' ' || c == '\t' || c == '\v' || c == '\f'
		}
	}
	return x
}

// Read reads from the text, stopping at a refused row as described above.
func (r *Reader) Read(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	if !r.started {
		r.started = true
		n, err := io.ReadFull(r.r, r.head[:])
		if n == 2 && (r.head == [2]byte{0xff, 0xfe} || r.head == [2]byte{0xfe, 0xff}) {
			r.err = &Error{Line: 1, Msg: UTF16Message}
			return 0, r.err
		}
		if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
			r.err = err
			return 0, err
		}
		r.pending, r.eof = r.head[:n], err != nil
	}
	n, err := r.more(p)
	if k := r.scan(p[:n], true); k >= 0 {
		r.refuse(p[k+1 : n])
		return k, r.err
	}
	return n, err
}

// more reads the bytes pending, then the source's.
func (r *Reader) more(p []byte) (int, error) {
	if len(r.pending) > 0 {
		n := copy(p, r.pending)
		r.pending = r.pending[n:]
		return n, nil
	}
	if r.eof {
		return 0, io.EOF
	}
	return r.r.Read(p)
}

// refuse counts the cells of the row past its bound to its end, from rest
// (the bytes read after its separator) and then the source, and sets
// r.err.
func (r *Reader) refuse(rest []byte) {
	header, start := r.header, r.start
	ended := r.scan(rest, false) >= 0
	var buf []byte
	for !ended {
		if buf == nil {
			buf = make([]byte, 32<<10)
		}
		n, err := r.more(buf)
		ended = r.scan(buf[:n], false) >= 0
		if err != nil {
			break
		}
	}
	msg := fmt.Sprintf("%d cells, the header has %d: a row may have at most %d cells more than its header (empty ones, as some exports write)", r.cells, header, r.maxExtra)
	if header == 0 {
		msg = fmt.Sprintf("a header of %d cells: at most %d are read", r.cells, r.maxHeader)
	}
	r.err = &Error{Line: start, Msg: msg}
}

// scan runs the rows of b through the cell count. With check set it
// returns the index of the separator that takes a row past its bound;
// without, the index after the newline ending the current row, its cells
// left in r.cells. It returns -1 when b ends first.
func (r *Reader) scan(b []byte, check bool) int {
	i := 0
	if len(r.carry) > 0 {
		i = r.runeAtStart(b, 0)
		if i < 0 {
			return -1
		}
	}
	for ; i < len(b); i++ {
		if r.st == stStart && !r.stops[stStart][b[i]] {
			r.st = stPlain // a field without quotes: its first byte is read below
		}
		if r.st == stPlain || r.st == stQuoted || r.st == stBad {
			// the bytes that change nothing, at one test each
			stop := &r.stops[r.st]
			j := i
			for j < len(b) && !stop[b[j]] {
				j++
			}
			if j > i && r.header == 0 {
				r.bytes = 2 // a field's text: the row is not empty
			}
			if i = j; i == len(b) {
				break
			}
		}
		c := b[i]
		if r.header == 0 && r.bytes < 2 { // to tell an empty row, until the header
			if r.bytes == 0 {
				r.first = c
			}
			if c != '\n' {
				r.bytes++
			}
		}
		switch {
		case c == '\n':
			r.line++
			if r.st == stQuoted {
				continue
			}
			if !check {
				return i + 1
			}
			r.endRow()
			continue
		case c == r.comma && (r.st == stStart || r.st == stPlain || r.st == stQuote):
			r.st = stStart
			r.cells++
			if check && r.cells > r.bound() {
				return i
			}
			continue
		}
		switch r.st {
		case stStart:
			switch {
			case c == '"':
				r.st = stQuoted
			case r.trim && (c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r'):
			case r.trim && c >= utf8.RuneSelf:
				if k := r.runeAtStart(b, i); k < 0 {
					return -1
				} else {
					i = k - 1
				}
			default:
				r.st = stPlain
			}
		case stPlain:
			if c == '"' {
				r.st = stBad // a bare quote
			}
		case stQuoted:
			if c == '"' {
				r.st = stQuote
			}
		case stQuote:
			switch c {
			case '"':
				r.st = stQuoted
			case '\r':
				r.st = stQuoteCR
			default:
				r.st = stBad // text after a closing quote
			}
		case stQuoteCR:
			r.st = stBad // "\r" not before "\n"
		}
	}
	return -1
}

// runeAtStart reads the rune starting at b[i] (after r.carry, the start
// of one cut by the previous read) at a field's start, where
// encoding/csv's TrimLeadingSpace skips a Unicode space; it returns the
// index after it, or -1 when b ends within it (kept in r.carry).
func (r *Reader) runeAtStart(b []byte, i int) int {
	tail := b[i:min(len(b), i+utf8.UTFMax)]
	if len(r.carry) > 0 {
		tail = append(r.carry, b[:min(len(b), utf8.UTFMax)]...)
	}
	if !utf8.FullRune(tail) {
		r.carry = append(r.carry, b[i:]...)
		return -1
	}
	rn, size := utf8.DecodeRune(tail)
	next := i + max(0, size-len(r.carry))
	r.carry = r.carry[:0]
	if !unicode.IsSpace(rn) {
		r.st = stPlain
	}
	return next
}

// bound is the most cells the current row may have.
func (r *Reader) bound() int {
	if r.header == 0 {
		return r.maxHeader
	}
	return r.header + r.maxExtra
}

// endRow ends the current row, at a newline; the first row that is not
// empty (a line of "\n" or "\r\n", which encoding/csv skips) is the
// header.
func (r *Reader) endRow() {
	empty := r.bytes == 0 || r.bytes == 1 && r.first == '\r'
	if r.header == 0 && !empty && r.st != stBad {
		r.header = r.cells
	}
	r.st, r.cells, r.bytes, r.start = stStart, 1, 0, r.line
}
