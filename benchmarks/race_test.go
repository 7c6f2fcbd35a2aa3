package benchmarks

import "github.com/ctoplan/ctoplan/internal/race"

// raceEnabled: the race detector is on. TestSmallCases leaves the slowest
// small cases under it (10-20 s each: the whole finite-schedule commands,
// drawing 100 new forklift configurations) to the plain run; cmd/ctoplan's
// and bom's tests run those paths under -race.
const raceEnabled = race.Enabled
