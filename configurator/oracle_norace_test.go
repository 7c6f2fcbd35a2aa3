//go:build !race

package configurator_test

const raceEnabled = false
