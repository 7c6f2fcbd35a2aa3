package configurator

import (
	"strconv"
	"unicode/utf8"
)

// suggest returns the candidate closest to name by edit distance, or "" when
// none is close enough to be a plausible typo.
func suggest(name string, candidates []string) string {
	best, bestD := "", -1
	limit := maxTypoDistance(name)
	for _, c := range candidates {
		if c == name {
			continue
		}
		d := editDistance(name, c)
		if d <= limit && (bestD < 0 || d < bestD) {
			best, bestD = c, d
		}
	}
	return best
}

// didYouMean formats a suggestion as " (did you mean "x"?)", or "".
func didYouMean(name string, candidates []string) string {
	if s := suggest(name, candidates); s != "" {
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
	ra, rb := []rune(a), []rune(b)
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
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = 2 * j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = 2 * i
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
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return (prev[len(rb)] + 1) / 2
}

func lower(r rune) rune {
	if 'A' <= r && r <= 'Z' {
		return r + 'a' - 'A'
	}
	return r
}
