// Package typo finds the name a misspelt name most plausibly meant: the
// "did you mean" of the configurator's errors and of the front ends'
// messages about characteristic and value names.
package typo

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Suggest returns the candidate closest to name by edit distance, or "" when
// none is close enough to be a plausible typo. Candidates whose length
// differs by more than the allowed distance are skipped without computing
// it, and the work buffers are shared by all candidates.
func Suggest(name string, candidates []string) string {
	best, bestD := "", -1
	limit := maxTypoDistance(name)
	var ed distancer
	ra := []rune(name)
	for _, c := range candidates {
		if c == name {
			continue
		}
		if n := utf8.RuneCountInString(c); n > len(ra)+limit || n < len(ra)-limit {
			continue
		}
		d := ed.distance(ra, c, limit)
		if d <= limit && (bestD < 0 || d < bestD) {
			best, bestD = c, d
		}
	}
	return best
}

// Column returns the known CSV column that header column h is a
// plausible misspelling of ("safty_stock" for "safety_stock"), or "": h
// is none of known nor a description in another language
// ("description_de"), and the column it resembles is not in the header
// (inHeader false). Readers refuse such a column, since ignoring it, as
// they ignore other unknown columns, would leave the one it meant empty.
func Column(h string, known []string, inHeader func(string) bool) string {
	if h == "" || strings.HasPrefix(h, "description_") || slices.Contains(known, h) {
		return ""
	}
	var absent []string
	for _, k := range known {
		if !inHeader(k) {
			absent = append(absent, k)
		}
	}
	return Suggest(h, absent)
}

// ColumnMessage is the message of a header column refused by [Column]
// for meaning col.
func ColumnMessage(col string) string {
	return "unknown column, did you mean " + strconv.Quote(col) + "? (columns not read are ignored: a misspelt one would leave " + col + " empty)"
}

// DidYouMean formats the suggestion for name as ` (did you mean "x"?)`,
// or "" when there is none.
func DidYouMean(name string, candidates []string) string {
	if s := Suggest(name, candidates); s != "" {
		return " (did you mean " + strconv.Quote(s) + "?)"
	}
	return ""
}

func maxTypoDistance(name string) int {
	switch n := utf8.RuneCountInString(name); {
	case n <= 2:
		return 1
	case n <= 7:
		return 2
	default:
		return 3
	}
}

// editDistance is the optimal-string-alignment distance between a and b
// (insertions, deletions, substitutions and transpositions of adjacent
// runes, each costing 1; a change of letter case alone costs 0.5, rounded
// up with the rest).
func editDistance(a, b string) int {
	var ed distancer
	return ed.distance([]rune(a), b, 1<<20)
}

// distancer computes edit distances reusing its buffers.
type distancer struct {
	rb               []rune
	prev2, prev, cur []int
}

// distance is editDistance(ra, b), or some value above limit as soon as the
// distance is known to exceed it.
func (ed *distancer) distance(ra []rune, b string, limit int) int {
	ed.rb = append(ed.rb[:0], []rune(b)...)
	rb := ed.rb
	if len(ra) > 64 || len(rb) > 64 {
		// Long names: only exact-but-for-case matches are suggested.
		if len(ra) == len(rb) {
			for i := range ra {
				if lower(ra[i]) != lower(rb[i]) {
					return 1 << 20
				}
			}
			return 1
		}
		return 1 << 20
	}
	// Costs are doubled so that a case change can cost 1 (half a unit).
	grow := func(s []int) []int {
		if cap(s) < len(rb)+1 {
			return make([]int, len(rb)+1)
		}
		return s[:len(rb)+1]
	}
	prev2, prev, cur := grow(ed.prev2), grow(ed.prev), grow(ed.cur)
	for j := range prev {
		prev[j] = 2 * j
	}
	// Every cell of a row is at least the minimum of the two rows above it
	// (all moves cost >= 0 and reach back at most two rows), so once two
	// consecutive rows exceed the limit the result does too.
	over := 2*limit + 1 // doubled distances >= over round to more than limit
	prevMin := 0
	for i := 1; i <= len(ra); i++ {
		cur[0] = 2 * i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			sub := 0
			if ra[i-1] != rb[j-1] {
				sub = 2
				if lower(ra[i-1]) == lower(rb[j-1]) {
					sub = 1
				}
			}
			v := min(prev[j]+2, cur[j-1]+2, prev[j-1]+sub)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				v = min(v, prev2[j-2]+2)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		prev2, prev, cur = prev, cur, prev2
		if rowMin >= over && prevMin >= over {
			ed.prev2, ed.prev, ed.cur = prev2, prev, cur
			return limit + 1
		}
		prevMin = rowMin
	}
	ed.prev2, ed.prev, ed.cur = prev2, prev, cur
	return (prev[len(rb)] + 1) / 2
}

func lower(r rune) rune {
	if 'A' <= r && r <= 'Z' {
		return r + 'a' - 'A'
	}
	return r
}

// ExtraCells says what is wrong with a CSV row of more cells than its
// header has columns, when one of the extra cells holds something ("" when
// none does: trailing empty cells, as some exports write, are fine). The
// usual cause is a decimal comma ("0,5" read as the cells 0 and 5), which
// would otherwise leave the column its first part, silently.
func ExtraCells(nCols int, rec []string) string {
	for _, x := range rec[min(nCols, len(rec)):] {
		if strings.TrimSpace(x) != "" {
			return fmt.Sprintf("%d cells for %d columns (%s beyond the last): a decimal comma? write 0.5, and quote a value that holds a comma", len(rec), nCols, Quote(x))
		}
	}
	return ""
}

// Lengths of a name a message repeats: up to MaxQuoted bytes whole, a
// longer one cut to its first QuotedPrefix bytes (whole characters).
const (
	MaxQuoted    = 64
	QuotedPrefix = 40
)

// Quote quotes a name a message repeats from its input, as strconv.Quote
// does, but shortens one longer than [MaxQuoted] bytes to its first
// characters, "…" and its length: `"aaaaaaaa"… (1000000 bytes)`. A message
// about an unknown or misspelt name then stays a line long, whatever the
// input held (a megabyte name is not printed whole).
func Quote(s string) string {
	if len(s) <= MaxQuoted {
		return strconv.Quote(s)
	}
	return strconv.Quote(prefix(s)) + "… (" + strconv.Itoa(len(s)) + " bytes)"
}

// Clip is [Quote] for a message that prints a name bare: s itself when it
// is at most [MaxQuoted] bytes long, else its first characters, "…" and
// its length (`aaaaaaaa… (1000000 bytes)`).
func Clip(s string) string {
	if len(s) <= MaxQuoted {
		return s
	}
	return prefix(s) + "… (" + strconv.Itoa(len(s)) + " bytes)"
}

// prefix is the first QuotedPrefix bytes of s, fewer so as not to cut a
// UTF-8 character.
func prefix(s string) string {
	n := QuotedPrefix
	for n > 0 && n < len(s) && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
