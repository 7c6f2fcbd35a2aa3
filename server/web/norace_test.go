//go:build !race

package web_test

import "time"

const (
	// browserTimeout bounds a browser test.
	browserTimeout = 60 * time.Second
	// measuredPicks is how many clicks TestQuotingPageForklift times.
	measuredPicks = 50
	raceNote      = ""
)
