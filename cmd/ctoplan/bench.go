package main

import (
	"fmt"
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

It runs inside a clone of the repository (the module root is found from the
working directory or --root); the public data sets are read from
../shared/data beside the root, and cases whose data is absent are skipped.

Speed never fails the command. A failed correctness check (ours and the
baseline disagree, counts differ from the published reference) prints the
table and exits non-zero. See docs/benchmarks.md.`,
		Example: `  ctoplan bench --quick
  ctoplan bench --filter '^propagate/' --format markdown
  ctoplan bench --filter 'mrp-netchange/items=50000' --benchtime 3s --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			write, ok := map[string]func(*cobra.Command, []benchmarks.Result) error{
				"table": func(c *cobra.Command, rs []benchmarks.Result) error {
					return benchmarks.WriteTable(c.OutOrStdout(), rs)
				},
				"markdown": func(c *cobra.Command, rs []benchmarks.Result) error {
					return benchmarks.WriteMarkdown(c.OutOrStdout(), rs)
				},
				"json": func(c *cobra.Command, rs []benchmarks.Result) error { return benchmarks.WriteJSON(c.OutOrStdout(), rs) },
			}[format]
			if !ok {
				return fmt.Errorf("bench: --format %q: want table, json or markdown", format)
			}
			opts := benchmarks.Options{Quick: quick, BenchTime: benchtime, Progress: cmd.ErrOrStderr()}
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
			env, err := benchmarks.FindEnv(root)
			if err != nil {
				return err
			}
			opts.Env = env
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
			return nil
		},
	}
	f := cmd.Flags()
	f.BoolVar(&quick, "quick", false, "run the quick set (about 1-2 minutes on 2 cores): fewer iterations, the largest sizes once")
	f.BoolVar(&list, "list", false, "list the cases that would run, without running them")
	f.StringVar(&format, "format", "table", "output format: table, json or markdown")
	f.StringVar(&filter, "filter", "", "run only the cases whose group/size matches this regular expression")
	f.StringVar(&benchtime, "benchtime", "", "time or iterations per benchmark (e.g. 2s, 10x); default 1s, or the quick set's")
	f.StringVar(&root, "root", "", "module root of the ctoplan clone (default: found from the working directory)")
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
