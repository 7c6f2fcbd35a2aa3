package configurator_test

import (
	"testing"

	"github.com/ctoplan/ctoplan/configurator"
	"github.com/ctoplan/ctoplan/internal/cfgtune"
)

// BenchmarkPropagateEmptyChunkedCPU is BenchmarkPropagateEmptyCPU on the
// large DIMACS models with the propagation with nothing picked decided by
// chunked backbone testing (cfgtune.Chunked), to set beside the default
// search. Its sat-calls are solver calls (one per chunk, plus the first
// model); the default's also count the targets tested under unit
// propagation.
func BenchmarkPropagateEmptyChunkedCPU(b *testing.B) {
	chunked := cfgtune.Option[configurator.Option](cfgtune.Knobs{Method: cfgtune.Chunked})
	benchPropagateEmpty(b, append(append([]struct{ name, path string }(nil), benchModels[3:]...), kconfigModels...), chunked)
}
