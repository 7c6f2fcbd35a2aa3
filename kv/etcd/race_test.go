//go:build race

package etcd_test

import "time"

// writeLoopAfterKill is how long writers run with one member killed.
const writeLoopAfterKill = 700 * time.Millisecond

// The footprint test's sizes (docs/deploy.md quotes the full ones).
const footprintVariants, footprintItems = 50, 500

// bigCommitKeys is the size of TestBigCommit's commits (2 KiB each).
const bigCommitKeys = 1000
