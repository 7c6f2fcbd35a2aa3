package main

import (
	"errors"
	"fmt"
	"strings"

	"connectrpc.com/connect"
	"github.com/spf13/cobra"

	"github.com/ctoplan/ctoplan/configurator"
	configuratorv1 "github.com/ctoplan/ctoplan/gen/ctoplan/configurator/v1"
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
			if sf.server != "" {
				return sf.run(cmd, name, func(cl *clients, m *serverModel) error {
					ps, err := m.picks(picks)
					if err != nil {
						return err
					}
					value = m.noneValue(char, value)
					ctx, cancel := modelContext(cmd)
					defer cancel()
					res, err := cl.conf.Explain(ctx, connect.NewRequest(&configuratorv1.ExplainRequest{Model: name, Picks: ps, Char: char, Value: value}))
					if c := rpcConflict(err); c != nil {
						return fmt.Errorf("the picks cannot stand together: %s", c)
					}
					if err != nil {
						return err
					}
					text := res.Msg.GetReason().GetMessage()
					if text == "" {
						e := &configurator.Explanation{Char: char, Value: value, Status: stateToStatus[res.Msg.GetState()]}
						text = e.String()
					}
					fmt.Fprintln(cmd.OutOrStdout(), text)
					return nil
				})
			}
			c, err := loadModel(name)
			if err != nil {
				return err
			}
			ps, err := parseModelPicks(c, picks)
			if err != nil {
				return err
			}
			if err := modelCheckPick(c, char, &value); err != nil {
				return err
			}
			ctx, cancel := modelContext(cmd)
			defer cancel()
			e, err := c.Explain(ctx, ps, char, value)
			var ce *configurator.ConflictError
			if errors.As(err, &ce) {
				return fmt.Errorf("the picks cannot stand together: %s", ce.Conflict)
			}
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), e)
			return nil
		},
	}
	cmd.Flags().StringArrayVar(&picks, "pick", nil, "a pick char=value or char!=value (repeatable)")
	sf.register(cmd)
	return cmd
}
