package mrp_test

import "github.com/ctoplan/ctoplan/internal/race"

// raceEnabled shrinks the property tests under the race detector (CI).
const raceEnabled = race.Enabled
