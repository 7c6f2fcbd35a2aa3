package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

func newModelExplainCmd() *cobra.Command {
	var picks []string
	var sf modelServerFlags
	cmd := &cobra.Command{
		Use:   "explain MODEL CHAR=VALUE [--pick char=value ...]",
		Short: "Explain why a value is excluded or forced by the picks (a minimal reason)",
		Long: `Explain says why a value is excluded or forced by the picks, with a
minimal reason. MODEL is a model file, or with --server URL the name of a
model stored on that server (or give --model NAME and only CHAR=VALUE).`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			name, rest, err := sf.split(args, 1)
			if err != nil {
				return err
			}
			i := strings.Index(rest[0], "=")
			if i <= 0 {
				return fmt.Errorf("%q: want CHAR=VALUE", rest[0])
			}
			char, value := rest[0][:i], rest[0][i+1:]
			return sf.with(cmd, name, func(ctx context.Context, b modelBackend) error {
				ps, err := b.picks(picks)
				if err != nil {
					return err
				}
				if value, err = b.value(char, value); err != nil {
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
	cmd.Flags().StringArrayVar(&picks, "pick", nil, "a pick char=value or char!=value (repeatable)")
	sf.register(cmd)
	return cmd
}
