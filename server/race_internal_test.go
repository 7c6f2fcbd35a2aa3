//go:build race

package server

// raceEnabled: the race detector is on (CI's second run). The property
// tests of paging check one plant under it; the plain run checks three.
const raceEnabled = true
