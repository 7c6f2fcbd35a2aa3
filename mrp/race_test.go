//go:build race

package mrp_test

// raceEnabled shrinks the property tests under the race detector (CI).
const raceEnabled = true
