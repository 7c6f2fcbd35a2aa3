//go:build !(invariants || race)

package invariants

// Enabled is false: a normal build.
const Enabled = false
