//go:build invariants || race

package invariants

// Enabled is true: built with -race or -tags invariants.
const Enabled = true
