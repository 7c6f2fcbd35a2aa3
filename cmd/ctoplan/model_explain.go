package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ctoplan/ctoplan/configurator"
)

func newModelExplainCmd() *cobra.Command {
	var picks []string
	cmd := &cobra.Command{
		Use:   "explain MODEL CHAR=VALUE [--pick char=value ...]",
		Short: "Explain why a value is excluded or forced by the picks (a minimal reason)",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := loadModel(args[0])
			if err != nil {
				return err
			}
			ps, err := parseModelPicks(c, picks)
			if err != nil {
				return err
			}
			i := strings.Index(args[1], "=")
			if i <= 0 {
				return fmt.Errorf("%q: want CHAR=VALUE", args[1])
			}
			char, value := args[1][:i], args[1][i+1:]
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
	return cmd
}
