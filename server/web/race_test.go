//go:build race

package web_test

import "time"

// browserTimeout bounds a browser test; the server under the race detector
// answers slower.
const browserTimeout = 120 * time.Second
