package ginicopy

import "github.com/ctoplan/ctoplan/internal/race"

// raceEnabled: the race detector is on; TestCopyProperty checks a quarter
// of its seeds under it (gini is about ten times slower there).
const raceEnabled = race.Enabled
