// Command exportd runs the export service on this machine: the local AWS
// stand-ins on loopback, the workflow's functions and the API, until Ctrl-C.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"syscall"

	"github.com/secops/eventexport/internal/local"
	"github.com/secops/eventexport/internal/localserver"
)

func main() {
	cfg := localserver.Config{}
	flag.StringVar(&cfg.Stack.Root, "root", ".", "repository root (holds statemachine/ and internal/local/node/)")
	flag.StringVar(&cfg.Stack.DataDir, "data", ".local/data", "where the stand-ins keep their data between runs")
	flag.StringVar(&cfg.Stack.WeedBin, "weed", os.Getenv("WEED_BIN"), "SeaweedFS binary (scripts/install-weed.sh prints it)")
	flag.StringVar(&cfg.APIAddr, "addr", "127.0.0.1:8080", "HTTP API address (loopback)")
	flag.StringVar(&cfg.HTTPSAddr, "https-addr", "127.0.0.1:8443", "HTTPS API address (loopback), with a generated certificate")
	flag.StringVar(&cfg.Community, "community", "demo", "community the local API key is bound to")
	flag.StringVar(&cfg.APIKey, "api-key", os.Getenv("EXPORT_API_KEY"), "API key to accept (default: a new random one)")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	srv, err := localserver.Start(ctx, cfg)
	if err != nil {
		log.Fatalf("exportd: %v", err)
	}
	defer srv.Stop()
	if err := local.WriteState(srv.State); err != nil {
		log.Fatalf("exportd: %v", err)
	}
	defer local.RemoveState()
	fmt.Printf("exportd: API on %s and %s (community %q)\n", srv.State.APIURL, srv.State.HTTPSURL, srv.State.Community)
	fmt.Printf("exportd: exportctl finds it through %s; for other clients: REQUESTS_CA_BUNDLE=%s\n", local.StatePath(), srv.State.CAFile)
	fmt.Println("exportd: ready")
	<-ctx.Done()
	fmt.Println("exportd: stopping")
}
