package bom_test

import "github.com/ctoplan/ctoplan/internal/race"

// raceEnabled shrinks the slower property tests under the race detector.
const raceEnabled = race.Enabled
