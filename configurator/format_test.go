package configurator_test

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/ctoplan/ctoplan/configurator"
	"github.com/ctoplan/ctoplan/configurator/internal/modeltest"
)

// roundTrip checks Parse(Format(m)) == m and that formatting is idempotent.
func roundTrip(t *testing.T, what string, m *configurator.Model) {
	t.Helper()
	out := configurator.Format(m)
	m2, err := configurator.Parse("formatted.ctm", out)
	if err != nil {
		t.Fatalf("%s: formatted model does not parse: %v\n%s", what, err, out)
	}
	if d := modeltest.Diff(m, m2); d != "" {
		t.Fatalf("%s: round trip changed the model: %s\n%s", what, d, out)
	}
	if out2 := configurator.Format(m2); !bytes.Equal(out, out2) {
		t.Fatalf("%s: Format is not stable:\n%s\n----\n%s", what, out, out2)
	}
}

func TestFormatRoundTripRandom(t *testing.T) {
	n := 2000
	if testing.Short() {
		n = 300
	}
	for seed := range uint64(n) {
		m := modeltest.Random(rand.New(rand.NewPCG(seed, 2)), modeltest.Options{MaxChars: 12, MaxRules: 6, MaxDepth: 4})
		roundTrip(t, "seed "+string(rune('0'+seed%10)), m)
	}
}

func TestFormatRoundTripForklift(t *testing.T) {
	path := filepath.Join("..", "testdata", "forklift", "forklift.ctm")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Skip("no forklift model")
	}
	m, err := configurator.Parse(path, src)
	if err != nil {
		t.Fatal(err)
	}
	roundTrip(t, "forklift", m)
}
