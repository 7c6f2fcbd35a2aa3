package configurator_test

import (
	"bytes"
	"errors"
	"flag"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
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
		t.Fatal("no forklift model (testdata/forklift is part of the repository)")
	}
	m, err := configurator.Parse(path, src)
	if err != nil {
		t.Fatal(err)
	}
	roundTrip(t, "forklift", m)
}

func init() {
	// The engine's golden tests may define -update too: register it once.
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files in testdata")
	}
}

func updateGolden() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// TestGolden parses every testdata/lang/*.ctm and compares the canonical
// form (or the errors) with the .golden file beside it; go test -update
// rewrites them.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "lang", "*.ctm"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden inputs: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var got []byte
			m, err := configurator.Parse(filepath.Base(file), src)
			if err != nil {
				var list configurator.ErrorList
				if !errors.As(err, &list) {
					t.Fatalf("error is not an ErrorList: %v", err)
				}
				for _, e := range list { // all of them, not the first MaxPrintedErrors
					got = append(got, e.Error()+"\n"...)
				}
			} else {
				got = configurator.Format(m)
				roundTrip(t, file, m)
			}
			golden := strings.TrimSuffix(file, ".ctm") + ".golden"
			if updateGolden() {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from %s (go test -update rewrites it):\n%s", file, golden, got)
			}
		})
	}
}
