package mrp_test

import (
	"testing"

	"github.com/ctoplan/ctoplan/mrp"
)

// TestZeroOptions: the zero Options are valid (HoursPerDay 0 means the
// default 8 hours), bad values are still refused.
func TestZeroOptions(t *testing.T) {
	if err := (mrp.Options{}).Validate(); err != nil {
		t.Fatalf("zero Options: %v", err)
	}
	for name, o := range map[string]mrp.Options{
		"hours":  {HoursPerDay: 25},
		"neg":    {HoursPerDay: -1},
		"window": {RescheduleWindow: -1},
	} {
		if err := o.Validate(); err == nil {
			t.Errorf("%s: Validate accepted %+v", name, o)
		}
	}
}
