package race_test

import (
	"runtime/debug"
	"testing"

	"github.com/ctoplan/ctoplan/internal/race"
)

// TestEnabled: Enabled says what the binary's build settings say of -race
// (a test binary records them too).
func TestEnabled(t *testing.T) {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		t.Fatal("no build information in the test binary")
	}
	built := false
	for _, s := range bi.Settings {
		if s.Key == "-race" && s.Value == "true" {
			built = true
		}
	}
	if race.Enabled != built {
		t.Errorf("Enabled = %v, built with -race: %v", race.Enabled, built)
	}
}
