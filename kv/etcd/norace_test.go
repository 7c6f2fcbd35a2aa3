//go:build !race

package etcd_test

import "time"

// writeLoopAfterKill is how long writers run with one member killed.
const writeLoopAfterKill = 1500 * time.Millisecond
