//go:build race

package mrp

// raceEnabled: the race detector is on; the internal property tests check
// a sample under it (the plain run checks them all).
const raceEnabled = true
