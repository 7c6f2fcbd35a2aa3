package main

import (
	"github.com/spf13/cobra"

	"github.com/ctoplan/ctoplan/configurator"
)

func newModelFmtCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "fmt FILE.ctm",
		Short: "Print a .ctm model in canonical form",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			m, err := configurator.ParseFile(args[0])
			if err != nil {
				return err
			}
			_, err = cmd.OutOrStdout().Write(configurator.Format(m))
			return err
		},
	}
}
