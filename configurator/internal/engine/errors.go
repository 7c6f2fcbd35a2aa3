package engine

import (
	"errors"

	"github.com/ctoplan/ctoplan/internal/cfgtune"
)

// Sentinel errors of the engine; the root package re-exports them.
var (
	// ErrInvalidConfiguration: a configuration or a set of picks has no
	// valid completion; a [*ConflictError] carries the minimal conflict.
	ErrInvalidConfiguration = errors.New("configurator: invalid configuration")
	// ErrBadPick: a pick or configuration names an unknown characteristic
	// or value, or has the wrong shape.
	ErrBadPick = errors.New("configurator: bad pick")
	// ErrTooLarge: the model cannot be compiled within the size limits.
	ErrTooLarge = errors.New("configurator: model too large to compile")
	// ErrInvalidOptions: [Options.Validate] refused the options of
	// [Compile].
	ErrInvalidOptions = cfgtune.ErrInvalid
)
