package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ctoplan/ctoplan/configurator"
)

func newModelCompleteCmd() *cobra.Command {
	var picks []string
	var format string
	cmd := &cobra.Command{
		Use:   "complete MODEL [--pick char=value ...]",
		Short: "Print a full valid configuration honouring the picks, preferring defaults",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format); err != nil {
				return err
			}
			c, err := loadModel(args[0])
			if err != nil {
				return err
			}
			ps, err := parseModelPicks(c, picks)
			if err != nil {
				return err
			}
			ctx, cancel := modelContext(cmd)
			defer cancel()
			cfg, err := c.Complete(ctx, ps)
			var ce *configurator.ConflictError
			if errors.As(err, &ce) {
				return fmt.Errorf("the picks cannot stand together: %s", ce.Conflict)
			}
			if err != nil {
				return err
			}
			key, err := c.Key(cfg)
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			if format == "json" {
				return writeJSON(w, struct {
					Configuration configurator.Configuration `json:"configuration"`
					Key           string                     `json:"key"`
				}{cfg, key})
			}
			for _, ch := range c.Model().Chars {
				vals := cfg[ch.Name]
				text := strings.Join(vals, ",")
				if len(vals) == 0 {
					text = "none"
					if ch.Kind == configurator.Multi {
						text = "{}"
					}
				}
				fmt.Fprintf(w, "%s=%s\n", ch.Name, text)
			}
			fmt.Fprintf(w, "key %s\n", key)
			return nil
		},
	}
	cmd.Flags().StringArrayVar(&picks, "pick", nil, "a pick char=value or char!=value (repeatable)")
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}
