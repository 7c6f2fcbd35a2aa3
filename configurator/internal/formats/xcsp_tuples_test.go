package formats

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/ctoplan/ctoplan/internal/typo"
)

// parseTuplesOracle is the obvious reading of a relation's tuples (what
// parseTuples did before its hand-written scanner).
func parseTuplesOracle(s string, arity int) ([][]int64, error) {
	var out [][]int64
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	for k, part := range strings.Split(s, "|") {
		f := strings.Fields(part)
		if len(f) == 0 && arity > 0 {
			continue
		}
		if len(f) != arity {
			return nil, fmt.Errorf("tuple %d has %d values, want %d", k+1, len(f), arity)
		}
		tup := make([]int64, arity)
		for i, x := range f {
			v, err := strconv.ParseInt(x, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("tuple %d: bad value %s", k+1, typo.Quote(x))
			}
			tup[i] = v
		}
		out = append(out, tup)
	}
	return out, nil
}

// TestParseTuplesOracle: the scanner agrees with the oracle, tuples and
// error texts, on hand-picked and random texts (unicode white space, signs,
// 18- and 19-digit values, overflow, empty groups, wrong arities).
func TestParseTuplesOracle(t *testing.T) {
	cases := []struct {
		s     string
		arity int
	}{
		{"", 2}, {"  ", 2}, {"1 2|3 4", 2}, {"1 2|3 4|", 2}, {"|1 2||3 4|", 2}, {"1 2 3", 2},
		{"-1 +2|0 -0", 2}, {"999999999999999999 -999999999999999999", 2},
		{"9223372036854775807 -9223372036854775808", 2}, {"9223372036854775808 1", 2},
		{"1\u00a02|3\u00854", 2}, {"1\n2\t|\r3\v4\f", 2}, {"1 x", 2}, {"- 1", 2}, {"1|", 0}, {"|", 0}, {"1 2", 0},
	}
	r := rand.New(rand.NewPCG(3, 14))
	atoms := []string{"0", "7", "-3", "+4", "12345678901234567", "123456789012345678", "1234567890123456789", "99999999999999999999", "x", "-", " ", "  ", "\t", "\n", "|", "\u00a0", "\u2003", "é"}
	for range 3000 {
		var b strings.Builder
		for range r.IntN(12) {
			b.WriteString(atoms[r.IntN(len(atoms))])
			if r.IntN(2) == 0 {
				b.WriteByte(' ')
			}
		}
		cases = append(cases, struct {
			s     string
			arity int
		}{b.String(), r.IntN(4)})
	}
	for _, c := range cases {
		got, err := parseTuples(c.s, c.arity)
		want, werr := parseTuplesOracle(c.s, c.arity)
		if fmt.Sprint(err) != fmt.Sprint(werr) {
			t.Fatalf("parseTuples(%q, %d): error %v, want %v", c.s, c.arity, err, werr)
		}
		if err == nil && !(len(got) == 0 && len(want) == 0) && !reflect.DeepEqual(got, want) {
			t.Fatalf("parseTuples(%q, %d) = %v, want %v", c.s, c.arity, got, want)
		}
	}
}
