package csvtext

import (
	"fmt"
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

// How much of a value a message shows: all of one of at most quoteMax
// bytes, else its first quoteKeep bytes and its length.
const (
	quoteMax  = 64
	quoteKeep = 40
)

// Quote is s quoted for a message ([strconv.Quote]), a long one shortened
// to its first 40 bytes and its length: "9999…"…(104857600 bytes). A
// message stays one short line whatever a file holds.
func Quote(s string) string {
	if len(s) <= quoteMax {
		return strconv.Quote(s)
	}
	return strconv.Quote(s[:keep(s)]) + fmt.Sprintf("…(%d bytes)", len(s))
}

// Short is s for a message without quotes (a header, a name), shortened as
// [Quote] does; quoted when it holds a control character, which would
// break the message's line.
func Short(s string) string {
	if len(s) > quoteMax {
		s = s[:keep(s)] + fmt.Sprintf("…(%d bytes)", len(s))
	}
	if strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return strconv.Quote(s)
	}
	return s
}

// keep is how many bytes of s a shortened message shows: quoteKeep, less
// the start of a rune it would cut.
func keep(s string) int {
	k := quoteKeep
	for k > 0 && !utf8.RuneStart(s[k]) {
		k--
	}
	return k
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
