//go:build !race

package mrp

const raceEnabled = false
