package server

import "github.com/ctoplan/ctoplan/internal/race"

// raceEnabled: the race detector is on (CI's second run). The paging
// tests check one smaller plant under it; the plain run checks three.
const raceEnabled = race.Enabled
