package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ctoplan/ctoplan/configurator"
)

func newModelCompleteCmd() *cobra.Command {
	var format string
	var f modelPicks
	cmd := &cobra.Command{
		Use:   "complete MODEL [--pick char=value ...]",
		Short: "Print a full valid configuration honouring the picks, preferring defaults",
		Long: `Complete prints a full valid configuration honouring the picks, preferring
defaults, and its key. MODEL is a model file, or with --server URL the name
of a model stored on that server (or give --model NAME).`,
		Args: cobra.RangeArgs(0, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return f.run(cmd, args, 0, func(ctx context.Context, b modelBackend, _ []string, ps []configurator.Pick) error {
				cfg, key, err := b.complete(ctx, ps)
				if cerr := picksConflict(err); cerr != nil {
					return cerr
				}
				if err != nil {
					return err
				}
				return writeCompletion(cmd.OutOrStdout(), format, completionChars(b.model()), cfg, key)
			})
		},
	}
	addFormatFlag(cmd, &format)
	f.register(cmd)
	return cmd
}

// completionChar is what writeCompletion needs of a characteristic.
type completionChar struct {
	name  string
	multi bool
}

// writeCompletion prints a completed configuration in model order and its
// key.
func writeCompletion(w io.Writer, format string, chars []completionChar, cfg configurator.Configuration, key string) error {
	if format == "json" {
		return writeJSON(w, struct {
			Configuration configurator.Configuration `json:"configuration"`
			Key           string                     `json:"key"`
		}{cfg, key})
	}
	rows := [][]string{{"char", "value", "key"}}
	for _, ch := range chars {
		vals := cfg[ch.name]
		text := strings.Join(vals, ",")
		if len(vals) == 0 {
			text = "none"
			if ch.multi {
				text = "{}"
			}
		}
		if format == "csv" {
			rows = append(rows, []string{ch.name, text, key})
			continue
		}
		fmt.Fprintf(w, "%s=%s\n", ch.name, text)
	}
	if format == "csv" {
		return writeCSV(w, rows)
	}
	fmt.Fprintf(w, "key %s\n", key)
	return nil
}
