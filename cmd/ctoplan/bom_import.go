package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/ctoplan/ctoplan/configurator"
	bomv1 "github.com/ctoplan/ctoplan/gen/ctoplan/bom/v1"
)

func newBOMImportCmd() *cobra.Command {
	var c common
	cmd := &cobra.Command{
		Use:   "import DIR | FILE...",
		Short: "Import models and master-data CSV files (one transaction: all or nothing)",
		Long: `Import product models (*.ctm, or feature models: *.uvl, *.dimacs, *.cnf,
*.xml for FeatureIDE or XCSP, stored as the .ctm model they read as) and
master data (items.csv, bom.csv, routings.csv, workcenters.csv) from a
directory or named files. The whole set
is validated first; a bad row is reported as file:row: column: problem and
nothing is imported. Use --store DIR to keep the result.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.runBOM(cmd, func(ctx context.Context, b bomBackend) error {
				if len(args) == 1 {
					if fi, err := os.Stat(args[0]); err == nil && fi.IsDir() {
						return loadBOMData(cmd, b, args[0])
					}
				}
				req := &bomv1.ImportRequest{}
				for _, f := range args {
					if filepath.Ext(f) == ".ctm" || configurator.IsForeign(f) {
						src, err := os.ReadFile(f)
						if err != nil {
							return err
						}
						req.Models = append(req.Models, &bomv1.ModelSource{Filename: f, Source: string(src)})
						continue
					}
					cf, err := csvFile(f)
					if err != nil {
						return err
					}
					req.Csv = append(req.Csv, cf)
				}
				m, err := b.importData(ctx, req)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "imported %d items, %d BOM lines, %d operations, %d work centers, %d models (revision %d)\n",
					m.GetItems(), m.GetLines(), m.GetOperations(), m.GetWorkCenters(), m.GetModels(), m.GetRevision())
				return nil
			})
		},
	}
	c.register(cmd, false)
	return cmd
}
