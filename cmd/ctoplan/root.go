package main

import (
	"fmt"
	"os"
	"runtime/pprof"

	"github.com/spf13/cobra"
)

// topLevel are the top-level commands: the name each one's Use starts
// with, and its constructor.
// TestTopLevelNames checks the names against the constructors.
var topLevel = []struct {
	name  string
	build func() *cobra.Command
}{
	{"model", newModelCmd},
	{"bom", newBOMCmd},
	{"mrp", newMRPCmd},
	{"serve", newServeCmd},
	{"store", newStoreCmd},
	{"demo", newDemoCmd},
	{"bench", newBenchCmd},
}

// newRootCmd builds the ctoplan command tree.
func newRootCmd() *cobra.Command { return newRootCmdFor(nil) }

// newRootCmdFor builds the command tree that runs args (the command line
// without the program name). When args starts with the name of a
// top-level command, only that command's subtree is built: the others
// cannot run, and building all of them (some 60 commands and their
// flags, 1,000 allocations) cost a fresh process about half a
// millisecond of CPU before a one-shot command such as `model analyze`
// began. Any other command line (help, completion, a flag first, a
// misspelt command) gets the whole tree, so what it prints is unchanged.
func newRootCmdFor(args []string) *cobra.Command {
	var cpuProfile, memProfile string
	var profile *os.File
	root := &cobra.Command{
		Use:           "ctoplan",
		Short:         "Configure-to-order: product configurator, configured BOMs and MRP",
		SilenceUsage:  true,
		SilenceErrors: false,
		// --cpuprofile (hidden, for developers) profiles the whole command:
		// `ctoplan mrp run --data DIR --cpuprofile cpu.out`, then
		// `go tool pprof -top cpu.out`; --memprofile (hidden) writes the
		// allocations' profile when the command ends: `go tool pprof
		// -sample_index=alloc_space -top mem.out`.
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
			if memProfile != "" {
				if err := writeMemProfile(memProfile); err != nil {
					return err
				}
			}
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
	root.PersistentFlags().StringVar(&memProfile, "memprofile", "", "write an allocation profile of the command to this file when it ends (for developers)")
	_ = root.PersistentFlags().MarkHidden("memprofile")
	if len(args) > 0 {
		for _, t := range topLevel {
			if t.name == args[0] {
				root.AddCommand(t.build())
				return root
			}
		}
	}
	for _, t := range topLevel {
		root.AddCommand(t.build())
	}
	return root
}

// writeMemProfile writes the allocations' profile (sampled as the runtime
// does by default; in use as of the last collection) to path.
func writeMemProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("--memprofile: %w", err)
	}
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		f.Close()
		return fmt.Errorf("--memprofile %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("--memprofile %s: %w", path, err)
	}
	return nil
}
