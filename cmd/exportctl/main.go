// Command exportctl is the export service's command-line client.
package main

import (
	"os"

	"github.com/secops/eventexport/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr))
}
