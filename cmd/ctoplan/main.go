// Command ctoplan is the command-line interface of ctoplan, the
// configure-to-order engine: product models, configured BOMs, MRP.
package main

import "os"

func main() {
	if err := newRootCmd().Execute(); err != nil {
		os.Exit(1)
	}
}
