//go:build race

package web_test

import "time"

// The browser tests run under the race detector too (the server under test
// is Go), with a shorter click loop: they test the page's JavaScript, not
// Go's races, and the timings mean nothing there.
const (
	browserTimeout = 120 * time.Second
	measuredPicks  = 10
	raceNote       = " [race detector: not a measurement]"
)
