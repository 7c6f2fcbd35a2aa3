//go:build !race

package web_test

import "time"

// browserTimeout bounds a browser test.
const browserTimeout = 60 * time.Second
