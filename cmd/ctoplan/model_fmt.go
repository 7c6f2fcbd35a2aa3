package main

import (
	"github.com/spf13/cobra"

	"github.com/ctoplan/ctoplan/configurator"
)

func newModelFmtCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "fmt FILE",
		Short: "Print a model in canonical .ctm form (from .ctm, .dimacs/.cnf, .uvl or .xml)",
		Long: `Fmt prints a model in the canonical form of the .ctm language. A model in
another format (DIMACS, UVL, XCSP or FeatureIDE) comes out as the .ctm model it
reads as, ready to store on a server (bom import, PutModel):

  ctoplan model fmt car.xml > car.ctm`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			m, err := configurator.LoadFile(args[0])
			if err != nil {
				return err
			}
			_, err = cmd.OutOrStdout().Write(configurator.Format(m))
			return err
		},
	}
}
