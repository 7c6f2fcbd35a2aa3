//go:build race

package bom_test

// raceEnabled shrinks the slower property tests under the race detector.
const raceEnabled = true
