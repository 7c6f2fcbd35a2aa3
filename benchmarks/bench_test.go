package benchmarks

import "testing"

// Each Benchmark runs one group of the registry: a sub-benchmark per size,
// with ours and the baseline beside each other (see Cases).

func BenchmarkPropagate(b *testing.B)       { runGroup(b, "propagate") }
func BenchmarkPropagatePick(b *testing.B)   { runGroup(b, "propagate-pick") }
func BenchmarkBOMWillems(b *testing.B)      { runGroup(b, "bom-willems") }
func BenchmarkMRPRegenerative(b *testing.B) { runGroup(b, "mrp-regenerative") }
func BenchmarkMRPNetChange(b *testing.B)    { runGroup(b, "mrp-netchange") }
