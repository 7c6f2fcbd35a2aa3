package configurator_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ctoplan/ctoplan/configurator"
)

func TestForkliftModelParses(t *testing.T) {
	path := filepath.Join("..", "testdata", "forklift", "forklift.ctm")
	if _, err := os.Stat(path); err != nil {
		t.Skip("no forklift model")
	}
	m, err := configurator.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d chars, %d rules, %d tables", len(m.Chars), len(m.Rules), len(m.Tables))
}
