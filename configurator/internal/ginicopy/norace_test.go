//go:build !race

package ginicopy

const raceEnabled = false
