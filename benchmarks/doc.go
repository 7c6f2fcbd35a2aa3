// Package benchmarks holds ctoplan's headline benchmarks: the figures the
// project promises, each measured beside a baseline in the same process so
// that the ratio means something on a noisy machine.
//
// # Basics
//
// [Cases] lists the registry. Every [Case] names an operation, a size, the
// domain metric it reports (ms/propagate, variants/s, items/s,
// ms/netchange), the targets set in the configurator, BOM and MRP issues,
// and a Setup that loads its data and returns a [Fixture]: the function
// timing our implementation, the one timing the baseline (the naive
// one-solve-per-value propagation on the same encoding, a naive recursive
// explosion, a full regenerative run after every change, ...) and a
// correctness check.
//
// The same cases run two ways:
//   - go test ./benchmarks -bench . (one Benchmark function per group, a
//     sub-benchmark per size with ours and baseline beside each other), so
//     that runs of two commits compare with benchstat;
//   - [Run], used by `ctoplan bench`, which runs them with this package's
//     own timing harness (the [B] interface; `ctoplan` does not link the
//     testing package) and returns one [Result] per case, printed by
//     [WriteTable], [WriteMarkdown] or [WriteJSON].
//
// Speed never fails a run: a missed target is reported as such. A failed
// correctness check (ours and the baseline disagree, core/dead counts differ
// from the published reference, a net change differs from a regenerative
// run) is an error.
//
// Inputs come from the module root: testdata/forklift, and the public data
// sets in ../shared/data beside the module (see [FindEnv]). Outside a clone
// (an installed binary), [BuiltinEnv] uses the binary's embedded copy of the
// demo data and a data directory given by the caller. A case whose data is
// absent is skipped with a note.
//
// # Caveats
//
//   - Timings are medians of per-operation latencies measured inside the
//     benchmark loop (p99 beside them where a target asks for it);
//     throughput metrics (items/s, variants/s) are means over the loop.
//   - Wall times grow with the machine's load. The pick rows also give the
//     process's CPU time per call (cpu-ms/propagate, cpu-ms/pick, with
//     p99), which includes the engine's helper threads and the garbage
//     collector's work meanwhile but hardly grows with other processes'
//     load; getrusage counts it in microseconds.
//   - Propagation from empty is timed on a freshly compiled model every
//     iteration (the engine caches the empty-picks answer); the compile time
//     is reported separately as ms/compile and is excluded from ns/op.
//   - Quick mode (Options.Quick) runs fewer iterations and skips or runs
//     once the largest sizes: its p99 figures rest on few samples.
package benchmarks
