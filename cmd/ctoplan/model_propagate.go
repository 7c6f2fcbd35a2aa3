package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ctoplan/ctoplan/configurator"
)

func newModelPropagateCmd() *cobra.Command {
	var format string
	var f modelPicks
	cmd := &cobra.Command{
		Use:   "propagate MODEL [--pick char=value ...]",
		Short: "Show every value as selected, forced, possible or excluded after the picks",
		Long: `Propagate shows every value of every characteristic as selected, forced,
possible or excluded after the picks. MODEL is a model file, or with
--server URL the name of a model stored on that server (or give --model NAME).`,
		Args: cobra.RangeArgs(0, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return f.run(cmd, args, 0, func(ctx context.Context, b modelBackend, _ []string, ps []configurator.Pick) error {
				d, err := b.propagate(ctx, ps)
				if err != nil {
					return err
				}
				return writeDomains(cmd.OutOrStdout(), format, d)
			})
		},
	}
	addFormatFlag(cmd, &format)
	f.register(cmd)
	return cmd
}

// writeDomains prints the result of a propagation.
func writeDomains(w io.Writer, format string, d *configurator.Domains) error {
	if format == "json" {
		type jv struct {
			Value  string `json:"value"`
			Status string `json:"status"`
		}
		type jc struct {
			Char   string `json:"char"`
			Values []jv   `json:"values"`
		}
		out := struct {
			Valid    bool          `json:"valid"`
			Conflict *jsonConflict `json:"conflict,omitempty"`
			Chars    []jc          `json:"chars"`
		}{Valid: d.Valid, Conflict: toJSONConflict(d.Conflict), Chars: []jc{}}
		for _, cd := range d.Chars {
			j := jc{Char: cd.Char}
			for _, v := range cd.Values {
				j.Values = append(j.Values, jv{modelValueText(v.Value), v.Status.String()})
			}
			out.Chars = append(out.Chars, j)
		}
		return writeJSON(w, out)
	}
	if !d.Valid {
		fmt.Fprintf(w, "invalid: %s\n", d.Conflict)
		if d.Conflict != nil && len(d.Conflict.Picks) == 0 {
			return errors.New("the model has no valid configuration, whatever is picked")
		}
		return errors.New("the picks cannot stand together")
	}
	if format == "csv" {
		rows := [][]string{{"char", "value", "status"}}
		for _, cd := range d.Chars {
			for _, v := range cd.Values {
				rows = append(rows, []string{cd.Char, modelValueText(v.Value), v.Status.String()})
			}
		}
		return writeCSV(w, rows)
	}
	for _, cd := range d.Chars {
		var parts []string
		for _, v := range cd.Values {
			parts = append(parts, modelValueText(v.Value)+"("+v.Status.String()+")")
		}
		fmt.Fprintf(w, "%s: %s\n", cd.Char, strings.Join(parts, " "))
	}
	return nil
}
