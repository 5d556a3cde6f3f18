package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/secops/eventexport/internal/client"
	"github.com/secops/eventexport/internal/local"
	"github.com/secops/eventexport/internal/localserver"
	"github.com/secops/eventexport/internal/synth"
)

var (
	srv   *localserver.Server
	stack local.Config // the stand-ins of srv
	cli   *client.Client
	// customerS3 stands in for a customer's own S3-compatible provider.
	customerS3 *local.Stack
	// serviceLog holds what the service logged, to check no secret is in it.
	serviceLog syncBuffer
	// clockOffset moves the service's clock, for the 24-hour window.
	clockOffset atomic.Int64
)

const (
	customerAccess = "customer-access"
	customerSecret = "customer-secret"
	// eventLimit is the per-export event limit of this test server, small
	// enough for the seeded data to exceed it.
	eventLimit = 25_000
)

// The seeded window: two days of synthetic events for community "acme".
var (
	seedFrom   = time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	seedTo     = time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	seedEvents = 30_000
)

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

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
	os.Setenv("EXPORT_EVENTS_PER_EXPORT", strconv.Itoa(eventLimit))
	ctx := context.Background()
	stack = local.Config{Root: root, DataDir: filepath.Join(dir, "data"), WeedBin: os.Getenv("WEED_BIN")}
	srv, err = localserver.Start(ctx, localserver.Config{
		Stack:     stack,
		APIAddr:   "127.0.0.1:0",
		HTTPSAddr: "127.0.0.1:0",
		Community: "acme",
		Now:       func() time.Time { return time.Now().Add(time.Duration(clockOffset.Load())) },
		LogOutput: &serviceLog,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "local stack:", err, "(make test installs and builds what it needs)")
		return 1
	}
	defer srv.Stop()
	cli = &client.Client{BaseURL: srv.State.APIURL, APIKey: srv.State.APIKey}
	if customerS3, err = local.StartS3(ctx, local.Config{Root: root, DataDir: dir, WeedBin: os.Getenv("WEED_BIN")}, customerAccess, customerSecret); err != nil {
		fmt.Fprintln(os.Stderr, "customer S3:", err)
		return 1
	}
	defer customerS3.Stop()
	if _, err := srv.App.Lake.Seed(ctx, "acme", synth.Options{Seed: 7, From: seedFrom, To: seedTo, Events: seedEvents}); err != nil {
		fmt.Fprintln(os.Stderr, "seed:", err)
		return 1
	}
	return m.Run()
}
