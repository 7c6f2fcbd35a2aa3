//go:build !race

package etcd_test

// The footprint test's sizes (-footprint.full: the ones docs/deploy.md quotes).
const footprintVariants, footprintItems = 100, 1000

// bigCommitKeys is the size of TestBigCommit's commits (2 KiB each).
const bigCommitKeys = 2000
