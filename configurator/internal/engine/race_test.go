package engine

import "github.com/ctoplan/ctoplan/internal/race"

// raceEnabled: the race detector slows gini down about tenfold, so the
// longer walks check a sample under -race.
const raceEnabled = race.Enabled
