//go:build race

package etcd_test

// The footprint test's sizes (docs/deploy.md quotes the full ones).
const footprintVariants, footprintItems = 3, 200

// bigCommitKeys is the size of TestBigCommit's commits (2 KiB each).
const bigCommitKeys = 1000
