//go:build race

package engine

// raceEnabled: the race detector slows gini down about tenfold, so the
// longer walks check a sample under -race.
const raceEnabled = true
