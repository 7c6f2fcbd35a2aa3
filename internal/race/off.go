//go:build !race

package race

// Enabled is false: built without the race detector.
const Enabled = false
