//go:build !race

package bom_test

const raceEnabled = false
