//go:build race

package configurator_test

// raceEnabled: the race detector slows gini down about tenfold, so the
// biggest property and reference tests check a sample under -race.
const raceEnabled = true
