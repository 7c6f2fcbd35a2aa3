package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

func newModelPropagateCmd() *cobra.Command {
	var picks []string
	var format string
	cmd := &cobra.Command{
		Use:   "propagate MODEL [--pick char=value ...]",
		Short: "Show every value as selected, forced, possible or excluded after the picks",
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
			d, err := c.Propagate(ctx, ps)
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
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
				return fmt.Errorf("the picks cannot stand together")
			}
			for _, cd := range d.Chars {
				var parts []string
				for _, v := range cd.Values {
					parts = append(parts, modelValueText(v.Value)+"("+v.Status.String()+")")
				}
				fmt.Fprintf(w, "%s: %s\n", cd.Char, strings.Join(parts, " "))
			}
			return nil
		},
	}
	cmd.Flags().StringArrayVar(&picks, "pick", nil, "a pick char=value or char!=value (repeatable); none = no value of an optional characteristic")
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}
