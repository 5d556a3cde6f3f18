package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/secops/eventexport/internal/client"
	"github.com/secops/eventexport/internal/local"
	"github.com/secops/eventexport/internal/localserver"
	"github.com/secops/eventexport/internal/synth"
)

var (
	srv *localserver.Server
	cli *client.Client
)

// The seeded window: two days of synthetic events for community "acme".
var (
	seedFrom   = time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	seedTo     = time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	seedEvents = 30_000
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	root, err := local.RepoRoot()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	dir, err := os.MkdirTemp("", "e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if os.Getenv("E2E_KEEP") == "" {
		defer os.RemoveAll(dir)
	} else {
		fmt.Fprintln(os.Stderr, "e2e: keeping", dir)
	}
	// Small chunks, so that even a small export fans out over several encoders.
	os.Setenv("EXPORT_CHUNK_EVENTS", "4000")
	ctx := context.Background()
	srv, err = localserver.Start(ctx, localserver.Config{
		Stack:     local.Config{Root: root, DataDir: filepath.Join(dir, "data"), WeedBin: os.Getenv("WEED_BIN")},
		APIAddr:   "127.0.0.1:0",
		HTTPSAddr: "127.0.0.1:0",
		Community: "acme",
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "local stack:", err, "(make test installs and builds what it needs)")
		return 1
	}
	defer srv.Stop()
	cli = &client.Client{BaseURL: srv.State.APIURL, APIKey: srv.State.APIKey}
	if _, err := srv.App.Lake.Seed(ctx, "acme", synth.Options{Seed: 7, From: seedFrom, To: seedTo, Events: seedEvents}); err != nil {
		fmt.Fprintln(os.Stderr, "seed:", err)
		return 1
	}
	return m.Run()
}
