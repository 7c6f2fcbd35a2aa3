package benchmarks

import "testing"

// Each Benchmark runs one group of the registry: a sub-benchmark per size,
// with ours and the baseline beside each other (see Cases). TestGroupsHaveBenchmarks
// checks that every group has one.

func BenchmarkPropagate(b *testing.B)        { runGroup(b, "propagate") }
func BenchmarkPropagateSession(b *testing.B) { runGroup(b, "propagate-session") }
func BenchmarkPropagatePick(b *testing.B)    { runGroup(b, "propagate-pick") }
func BenchmarkAnalyzeVsClasp(b *testing.B)   { runGroup(b, "analyze-vs-clasp") }
func BenchmarkBOMWillems(b *testing.B)       { runGroup(b, "bom-willems") }
func BenchmarkBOMResolve(b *testing.B)       { runGroup(b, "bom-resolve") }
func BenchmarkBOMVariants(b *testing.B)      { runGroup(b, "bom-variants") }
func BenchmarkStory(b *testing.B)            { runGroup(b, "story") }
func BenchmarkATP(b *testing.B)              { runGroup(b, "atp") }
func BenchmarkMRPRegenerative(b *testing.B)  { runGroup(b, "mrp-regenerative") }
func BenchmarkMRPNetChange(b *testing.B)     { runGroup(b, "mrp-netchange") }
func BenchmarkMRPRun(b *testing.B)           { runGroup(b, "mrp-run") }
