package configurator_test

import (
	"errors"

	"github.com/ctoplan/ctoplan/configurator"
)

func asConflict(err error, ce **configurator.ConflictError) bool { return errors.As(err, ce) }
