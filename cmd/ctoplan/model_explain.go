package main

import (
	"context"
	"fmt"
	"strings"

	"connectrpc.com/connect"
	"github.com/spf13/cobra"

	"github.com/ctoplan/ctoplan/configurator"
	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
	"github.com/ctoplan/ctoplan/internal/convert"
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
			return sf.withPicks(cmd, name, picks,
				func(ctx context.Context, cl *clients, m *serverModel, ps []*configuratorv1.Pick) error {
					value = m.noneValue(char, value)
					res, err := cl.conf.Explain(ctx, connect.NewRequest(&configuratorv1.ExplainRequest{Model: name, Picks: ps, Char: char, Value: value}))
					if cerr := picksConflict(err); cerr != nil {
						return cerr
					}
					if err != nil {
						return err
					}
					text := res.Msg.GetReason().GetMessage()
					if text == "" {
						e := &configurator.Explanation{Char: char, Value: value, Status: convert.StatusFromProto[res.Msg.GetState()]}
						text = e.String()
					}
					fmt.Fprintln(cmd.OutOrStdout(), text)
					return nil
				},
				func(ctx context.Context, c *configurator.Compiled, ps []configurator.Pick) error {
					if err := modelCheckPick(c, char, &value); err != nil {
						return err
					}
					e, err := c.Explain(ctx, ps, char, value)
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
