package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ctoplan/ctoplan/configurator"
)

func newModelExplainCmd() *cobra.Command {
	var f modelPicks
	cmd := &cobra.Command{
		Use:   "explain MODEL CHAR=VALUE [--pick char=value ...]",
		Short: "Explain why a value is excluded or forced by the picks (a minimal reason)",
		Long: `Explain says why a value is excluded or forced by the picks, with a
minimal reason. MODEL is a model file, or with --server URL the name of a
model stored on that server (or give --model NAME and only CHAR=VALUE).`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return f.run(cmd, args, 1, func(ctx context.Context, b modelBackend, rest []string, ps []configurator.Pick) error {
				char, value, ok := strings.Cut(rest[0], "=")
				if !ok || char == "" {
					return fmt.Errorf("%q: want CHAR=VALUE", rest[0])
				}
				value, err := b.value(char, value)
				if err != nil {
					return err
				}
				e, err := b.explain(ctx, ps, char, value)
				if cerr := picksConflict(err); cerr != nil {
					return cerr
				}
				if err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), e)
				return nil
			})
		},
	}
	f.register(cmd)
	return cmd
}
