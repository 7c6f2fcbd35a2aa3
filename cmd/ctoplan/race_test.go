package main

import "github.com/ctoplan/ctoplan/internal/race"

// raceEnabled shrinks the slowest tests under the race detector.
const raceEnabled = race.Enabled
