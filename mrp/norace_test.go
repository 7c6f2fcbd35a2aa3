//go:build !race

package mrp_test

const raceEnabled = false
