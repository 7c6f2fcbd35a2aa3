//go:build !race

package etcd_test

import "time"

// writeLoopAfterKill is how long writers run with one member killed.
const writeLoopAfterKill = 1500 * time.Millisecond

// The footprint test's sizes (-footprint.full: the ones docs/deploy.md quotes).
const footprintVariants, footprintItems = 100, 1000

// bigCommitKeys is the size of TestBigCommit's commits (2 KiB each).
const bigCommitKeys = 2000
