package mrp

import "github.com/ctoplan/ctoplan/internal/race"

// raceEnabled: the race detector is on; the internal property tests check
// a sample under it (the plain run checks them all).
const raceEnabled = race.Enabled
