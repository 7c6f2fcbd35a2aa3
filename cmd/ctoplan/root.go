package main

import (
	"fmt"
	"os"
	"runtime/pprof"

	"github.com/spf13/cobra"
)

// newRootCmd builds the ctoplan command tree.
func newRootCmd() *cobra.Command {
	var cpuProfile string
	var profile *os.File
	root := &cobra.Command{
		Use:           "ctoplan",
		Short:         "Configure-to-order: product configurator, configured BOMs and MRP",
		SilenceUsage:  true,
		SilenceErrors: false,
		// --cpuprofile (hidden, for developers) profiles the whole command:
		// `ctoplan mrp run --data DIR --cpuprofile cpu.out`, then
		// `go tool pprof -top cpu.out`.
		PersistentPreRunE: func(*cobra.Command, []string) error {
			if cpuProfile == "" {
				return nil
			}
			f, err := os.Create(cpuProfile)
			if err != nil {
				return fmt.Errorf("--cpuprofile: %w", err)
			}
			if err := pprof.StartCPUProfile(f); err != nil {
				f.Close()
				return fmt.Errorf("--cpuprofile %s: %w", cpuProfile, err)
			}
			profile = f
			return nil
		},
		PersistentPostRunE: func(*cobra.Command, []string) error {
			if profile == nil {
				return nil
			}
			pprof.StopCPUProfile()
			err := profile.Close()
			profile = nil
			return err
		},
	}
	root.PersistentFlags().StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile of the command to this file (for developers)")
	_ = root.PersistentFlags().MarkHidden("cpuprofile")
	root.AddCommand(newModelCmd())
	root.AddCommand(newBOMCmd())
	root.AddCommand(newMRPCmd())
	root.AddCommand(newServeCmd())
	root.AddCommand(newStoreCmd())
	root.AddCommand(newDemoCmd())
	root.AddCommand(newBenchCmd())
	return root
}
