package typo

import (
	"strings"
	"testing"
)

func TestEditDistance(t *testing.T) {
	cases := []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"a", "", 1}, {"triplx", "triplex", 1}, {"tirplex", "triplex", 1},
		{"Mast", "mast", 1}, {"MAST", "mast", 2}, {"kitten", "sitting", 3}, {"吨", "顿", 1},
		{"abc", "abc", 0},
	}
	for _, tc := range cases {
		if got := editDistance(tc.a, tc.b); got != tc.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
		if got := editDistance(tc.b, tc.a); got != tc.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d (not symmetric)", tc.b, tc.a, got, tc.want)
		}
	}
}

func TestSuggest(t *testing.T) {
	cands := []string{"duplex", "triplex", "quad", "capacity", "cap"}
	cases := map[string]string{
		"triplx": "triplex", "Triplex": "triplex", "qad": "quad", "capacty": "capacity",
		"cpa": "cap", "xyz": "", "lift_height": "", "duplex": "",
	}
	for name, want := range cases {
		if got := Suggest(name, cands); got != want {
			t.Errorf("Suggest(%q) = %q, want %q", name, got, want)
		}
	}
	if got := DidYouMean("triplx", cands); got != ` (did you mean "triplex"?)` {
		t.Errorf("DidYouMean = %q", got)
	}
}

// BenchmarkSuggestManyNames: a did-you-mean over 2,000 characteristic names,
// as for every unknown name in a big model with a systematic typo.
func BenchmarkSuggestManyNames(b *testing.B) {
	names := make([]string, 2000)
	for i := range names {
		names[i] = "option_" + string(rune('a'+i%26)) + string(rune('a'+i/26%26)) + "_flag"
	}
	b.ReportAllocs()
	for b.Loop() {
		if s := Suggest("option_zz_flga", names); s == "" {
			b.Fatal("no suggestion")
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(names)), "ns/candidate")
}

// TestDistanceLimitAgreesWithFull: the early exit never changes whether a
// distance is within the limit, nor the distance when it is.
func TestDistanceLimitAgreesWithFull(t *testing.T) {
	alpha := []rune("abAB_c吨")
	r := uint64(1)
	next := func(n int) int { r = r*6364136223846793005 + 1442695040888963407; return int(r>>33) % n }
	word := func() string {
		w := make([]rune, next(9))
		for i := range w {
			w[i] = alpha[next(len(alpha))]
		}
		return string(w)
	}
	var ed distancer
	for i := 0; i < 20000; i++ {
		a, b := word(), word()
		full := editDistance(a, b)
		for limit := 0; limit <= 4; limit++ {
			got := ed.distance([]rune(a), b, limit)
			if (full <= limit) != (got <= limit) || (full <= limit && got != full) {
				t.Fatalf("distance(%q, %q, limit %d) = %d, full distance %d", a, b, limit, got, full)
			}
		}
	}
}

// TestColumn: a header column is taken for a misspelling only of a known
// column the header lacks, and never when it is known or a description in
// another language.
func TestColumn(t *testing.T) {
	known := []string{"item", "qty", "safety_stock", "unit_cost", "description", "description_zh"}
	header := map[string]bool{"item": true, "unit_cost": true}
	in := func(k string) bool { return header[k] }
	for h, want := range map[string]string{
		"safty_stock":    "safety_stock", // absent: refused
		"qyt":            "qty",
		"unit_costs":     "", // unit_cost is there: an extra column
		"items":          "",
		"supplier":       "",
		"description_de": "", // another language
		"safety_stock":   "",
		"":               "",
	} {
		if got := Column(h, known, in); got != want {
			t.Errorf("Column(%q) = %q, want %q", h, got, want)
		}
	}
}

func TestQuote(t *testing.T) {
	long := strings.Repeat("a", 1_000_000)
	// 39 bytes of "a", then "é" (2 bytes) across the 40-byte cut: the cut
	// keeps whole characters.
	accented := strings.Repeat("a", 39) + strings.Repeat("é", 40)
	for _, tc := range []struct{ in, quote, clip string }{
		{"mast", `"mast"`, "mast"},
		{"", `""`, ""},
		{strings.Repeat("b", MaxQuoted), `"` + strings.Repeat("b", MaxQuoted) + `"`, strings.Repeat("b", MaxQuoted)},
		{long, `"` + long[:40] + `"… (1000000 bytes)`, long[:40] + "… (1000000 bytes)"},
		{accented, `"` + accented[:39] + `"… (119 bytes)`, accented[:39] + "… (119 bytes)"},
		{"a\x00" + long, `"a\x00` + long[:38] + `"… (1000002 bytes)`, "a\x00" + long[:38] + "… (1000002 bytes)"},
	} {
		if got := Quote(tc.in); got != tc.quote {
			t.Errorf("Quote(%.50q) = %.80s, want %.80s", tc.in, got, tc.quote)
		}
		if got := Clip(tc.in); got != tc.clip {
			t.Errorf("Clip(%.50q) = %.80s, want %.80s", tc.in, got, tc.clip)
		}
	}
}
