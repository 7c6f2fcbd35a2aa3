package main

import (
	"fmt"
	"os"
	"regexp"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ctoplan/ctoplan/benchmarks"
)

func newBenchCmd() *cobra.Command {
	var (
		quick     bool
		list      bool
		format    string
		filter    string
		benchtime string
		root      string
		data      string
		models    []string
		baseline  string
		maxRegr   string
	)
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Run the headline benchmarks beside their baselines and print the table",
		Long: `Run ctoplan's headline benchmarks (package benchmarks): configurator
propagation against the naive one-solve-per-value method, the Willems chain 38
roll-up against a naive recursion, MRP regenerative runs and net change against
a regenerative run. It prints one row per case: operation, size, ours,
baseline, ratio, target, met?, and the allocations per operation (ours /
baseline).

Inside a clone of the repository (the module root is found from the working
directory or --root) it reads testdata/forklift and the public data sets in
../shared/data beside the root. Outside a clone (an installed binary) it
uses the binary's embedded copy of the demo data and the public data sets
in --data DIR. Cases whose data is absent are skipped with a note.

With --model FILE... it measures your own model files instead (.ctm,
.dimacs/.cnf, .uvl, XCSP or FeatureIDE .xml; no clone or data needed): load, compile,
propagation with nothing picked, and Session.Pick p50/p99 over seeded
random salesperson walks, one row per file.

Speed never fails the command, unless --baseline names the JSON output of
an earlier run: then every time that got worse by more than
--max-regression (and by at least 0.5 ms), and every rate that fell by
more, is listed and the command exits non-zero, so that a rule change that
makes picking slow fails the CI that runs it. A failed correctness check
(ours and the baseline disagree, counts differ from the published
reference) prints the table and exits non-zero. See docs/benchmarks.md.`,
		Example: `  ctoplan bench --quick
  ctoplan bench --filter '^propagate/' --format markdown
  ctoplan bench --quick --data ~/shared/data      # installed binary, no clone
  ctoplan bench --filter 'mrp-netchange/items=50000' --benchtime 3s --format json
  ctoplan bench --model truck.ctm --format json > bench.json
  ctoplan bench --model truck.ctm trailer.dimacs --baseline bench.json --max-regression 20%`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 && len(models) == 0 {
				return fmt.Errorf("bench: unexpected arguments %q (model files go after --model)", args)
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			models = append(models, args...)
			write := map[string]func(*cobra.Command, []benchmarks.Result) error{
				"table": func(c *cobra.Command, rs []benchmarks.Result) error {
					return benchmarks.WriteTable(c.OutOrStdout(), rs)
				},
				"markdown": func(c *cobra.Command, rs []benchmarks.Result) error {
					return benchmarks.WriteMarkdown(c.OutOrStdout(), rs)
				},
				"json": func(c *cobra.Command, rs []benchmarks.Result) error { return benchmarks.WriteJSON(c.OutOrStdout(), rs) },
				"csv":  writeBenchCSV,
			}[format] // the flag accepts only these
			maxRegression, err := benchmarks.ParseRegression(maxRegr)
			if err != nil {
				return fmt.Errorf("bench: --max-regression %w", err)
			}
			var old map[string]map[string]float64
			if baseline != "" {
				f, err := os.Open(baseline)
				if err != nil {
					return fmt.Errorf("bench: --baseline: %w", err)
				}
				old, err = benchmarks.ReadResults(f)
				f.Close()
				if err != nil {
					return fmt.Errorf("bench: --baseline %s: %w", baseline, err)
				}
			}
			for _, m := range models {
				if _, err := os.Stat(m); err != nil {
					return fmt.Errorf("bench: --model: %w", err)
				}
			}
			opts := benchmarks.Options{Quick: quick, BenchTime: benchtime, Progress: cmd.ErrOrStderr(), Models: models}
			if filter != "" {
				re, err := regexp.Compile(filter)
				if err != nil {
					return fmt.Errorf("bench: --filter: %w", err)
				}
				opts.Filter = re
			}
			if list {
				for _, c := range benchmarks.Select(opts) {
					fmt.Fprintf(cmd.OutOrStdout(), "%s\t%s\t%s\n", c.Name(), c.Metric, c.Op)
				}
				return nil
			}
			if len(models) == 0 {
				env, err := benchmarks.FindEnv(root)
				switch {
				case err == nil:
				case root != "":
					return err
				default: // no clone: the installed binary's built-in cases
					env, err = benchmarks.BuiltinEnv("", "")
					if err != nil {
						return err
					}
					defer os.RemoveAll(env.Forklift)
					fmt.Fprintf(cmd.ErrOrStderr(), "bench: not inside a clone: the demo data is the binary's embedded copy\n")
				}
				if data != "" {
					if st, err := os.Stat(data); err != nil || !st.IsDir() {
						return fmt.Errorf("bench: --data %s: not a directory", data)
					}
					env.Data = data
				}
				// whole commands run as children of this binary (not of a
				// test binary, which has no such commands)
				if exe, err := os.Executable(); err == nil && !strings.HasSuffix(exe, ".test") {
					env.Command = exe
				}
				opts.Env = env
			}
			if len(benchmarks.Select(opts)) == 0 {
				return fmt.Errorf("bench: no case matches --filter %q (see --list)", filter)
			}
			rs, runErr := benchmarks.Run(opts)
			if rs == nil && runErr != nil {
				return runErr
			}
			if err := write(cmd, rs); err != nil {
				return err
			}
			if runErr != nil {
				return fmt.Errorf("bench: failed (a correctness check or a run):\n%s", indent(runErr))
			}
			if old != nil {
				if regs := benchmarks.Compare(old, rs, maxRegression); len(regs) > 0 {
					var b strings.Builder
					for _, r := range regs {
						b.WriteString("  " + r.String() + "\n")
					}
					return fmt.Errorf("bench: %d figure(s) worse than in %s by more than %s:\n%s", len(regs), baseline, maxRegr, strings.TrimRight(b.String(), "\n"))
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "bench: no figure worse than in %s by more than %s\n", baseline, maxRegr)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.BoolVar(&quick, "quick", false, "run the quick set (about 1-2 minutes on 2 cores): fewer iterations, the largest sizes once")
	f.BoolVar(&list, "list", false, "list the cases that would run, without running them")
	addFormatFlag(cmd, &format, "markdown")
	f.StringVar(&filter, "filter", "", "run only the cases whose group/size matches this regular expression")
	f.StringVar(&benchtime, "benchtime", "", "time or iterations per benchmark (e.g. 2s, 10x); default 1s, or the quick set's")
	f.StringVar(&root, "root", "", "module root of the ctoplan clone (default: found from the working directory)")
	f.StringVar(&data, "data", "", "the public benchmark data directory (default: ../shared/data beside the clone's root)")
	f.StringArrayVar(&models, "model", nil, "measure this model file instead of the registry (repeatable; more files may follow as arguments)")
	f.StringVar(&baseline, "baseline", "", "JSON output of an earlier run: exit non-zero when a figure got worse than there")
	f.StringVar(&maxRegr, "max-regression", "20%", "with --baseline: how much worse a figure may get (20% or 0.2)")
	return cmd
}

// indent prints each line of err's message indented.
func indent(err error) string {
	var b strings.Builder
	for _, l := range strings.Split(err.Error(), "\n") {
		b.WriteString("  " + l + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}
