package main

import "github.com/spf13/cobra"

// newRootCmd builds the ctoplan command tree.
func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "ctoplan",
		Short:         "Configure-to-order: product configurator, configured BOMs and MRP",
		SilenceUsage:  true,
		SilenceErrors: false,
	}
	root.AddCommand(newModelCmd())
	root.AddCommand(newBOMCmd())
	root.AddCommand(newMRPCmd())
	root.AddCommand(newServeCmd())
	root.AddCommand(newStoreCmd())
	root.AddCommand(newDemoCmd())
	root.AddCommand(newBenchCmd())
	return root
}
