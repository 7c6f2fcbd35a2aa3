//go:build race

package ginicopy

// raceEnabled: the race detector is on; TestCopyProperty checks a quarter
// of its seeds under it (gini is about ten times slower there).
const raceEnabled = true
