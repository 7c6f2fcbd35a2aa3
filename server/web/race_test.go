//go:build race

package web_test

import "time"

const (
	// raceEnabled: the race detector is on (TestQuotingPageForklift is
	// skipped; the other browser test runs).
	raceEnabled = true
	// browserTimeout bounds a browser test; the server under the race
	// detector answers slower.
	browserTimeout = 120 * time.Second
)
