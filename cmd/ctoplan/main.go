// Command ctoplan is the command-line interface of ctoplan, the
// configure-to-order engine: product models, configured BOMs, MRP.
package main

import "os"

func main() {
	if err := newRootCmdFor(os.Args[1:]).Execute(); err != nil {
		os.Exit(1)
	}
}
