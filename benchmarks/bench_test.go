package benchmarks

import (
	"errors"
	"testing"
)

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
func BenchmarkMRPFinite(b *testing.B)        { runGroup(b, "mrp-finite") }

// runGroup runs every registered case of group as sub-benchmarks of b:
// size/ours and size/<baseline>, then the case's check.
func runGroup(b *testing.B, group string) {
	env, err := FindEnv("")
	if err != nil {
		b.Fatal(err)
	}
	ran := false
	for _, c := range Cases() {
		if c.Group != group {
			continue
		}
		ran = true
		b.Run(c.Size, func(b *testing.B) {
			f, err := c.Setup(env)
			if err != nil {
				var skip *SkipError
				if errors.As(err, &skip) {
					b.Skip(skip.Reason)
				}
				b.Fatal(err)
			}
			if f.Close != nil {
				defer f.Close()
			}
			b.Run("ours", func(b *testing.B) { f.Ours(b) })
			if f.Baseline != nil {
				b.Run(c.BaselineName, func(b *testing.B) { f.Baseline(b) })
			}
			if err := f.err(); err != nil {
				b.Fatal(err)
			}
			if f.Check != nil {
				if err := f.Check(); err != nil {
					b.Fatalf("check: %v", err)
				}
			}
		})
	}
	if !ran {
		b.Fatalf("no benchmark case in group %q", group)
	}
}
