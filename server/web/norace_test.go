//go:build !race

package web_test

import "time"

const (
	raceEnabled = false
	// browserTimeout bounds a browser test.
	browserTimeout = 60 * time.Second
)
