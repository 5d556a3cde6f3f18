// Package localserver runs the whole service on one machine: the local AWS
// stand-ins, the workflow's functions behind the local Lambda endpoint, and
// the API over HTTP and HTTPS. cmd/exportd and the end-to-end tests use it.
package localserver

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/secops/eventexport/internal/app"
	"github.com/secops/eventexport/internal/export"
	"github.com/secops/eventexport/internal/local"
)

// Config of a local server.
type Config struct {
	Stack     local.Config
	APIAddr   string // "127.0.0.1:0" picks a free port
	HTTPSAddr string // "" turns HTTPS off
	Community string // the demo community the API key is bound to
	APIKey    string // "" makes one
	// Now replaces the clock, for tests of time limits; nil is time.Now.
	Now func() time.Time
	// LogOutput receives the service's JSON logs; nil is standard error.
	LogOutput io.Writer
}

// Server is a running local service.
type Server struct {
	App     *app.App
	Stack   *local.Stack
	State   local.State
	servers []*http.Server
}

// Start brings everything up; Stop brings it down.
func Start(ctx context.Context, cfg Config) (*Server, error) {
	st, err := local.Start(ctx, cfg.Stack)
	if err != nil {
		return nil, err
	}
	s := &Server{Stack: st}
	if err := s.start(ctx, cfg); err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}

func (s *Server) start(ctx context.Context, cfg Config) error {
	s.Stack.Apply()
	a, err := app.FromEnv(ctx)
	if err != nil {
		return err
	}
	s.App = a
	a.Now = cfg.Now
	if cfg.LogOutput != nil {
		a.Log = slog.New(slog.NewJSONHandler(cfg.LogOutput, nil))
	}
	// The local Step Functions keeps executions in memory: whatever was
	// running when the server last stopped is gone, so end it cleanly.
	active, err := a.Store.ActiveExports(ctx)
	if err != nil {
		return err
	}
	for _, id := range active {
		if err := a.Store.Fail(ctx, id, export.CodeInternal, "the local server stopped while the export ran; run it again"); err != nil {
			return err
		}
	}
	s.serve(s.Stack.LambdaListener(), local.LambdaEndpoint(a.Handlers()), nil)

	if cfg.APIKey == "" {
		b := make([]byte, 24)
		_, _ = rand.Read(b)
		cfg.APIKey = "local_" + hex.EncodeToString(b)
	}
	if cfg.Community == "" {
		cfg.Community = "demo"
	}
	if err := a.Store.PutAPIKey(ctx, cfg.APIKey, cfg.Community); err != nil {
		return err
	}
	handler := a.API().Handler()
	l, err := net.Listen("tcp", orDefault(cfg.APIAddr, "127.0.0.1:0"))
	if err != nil {
		return err
	}
	s.serve(l, handler, nil)
	s.State = local.State{APIURL: "http://" + l.Addr().String(), APIKey: cfg.APIKey, Community: cfg.Community, Env: s.Stack.Env(), PID: os.Getpid()}
	if cfg.HTTPSAddr != "" {
		s.State.CAFile = filepath.Join(cfg.Stack.DataDir, "tls-cert.pem")
		cert, err := local.SelfSigned(s.State.CAFile)
		if err != nil {
			return err
		}
		tl, err := net.Listen("tcp", cfg.HTTPSAddr)
		if err != nil {
			return err
		}
		s.serve(tl, handler, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})
		s.State.HTTPSURL = "https://" + tl.Addr().String()
	}
	return nil
}

func orDefault(v, d string) string {
	if v == "" {
		return d
	}
	return v
}

func (s *Server) serve(l net.Listener, h http.Handler, tlsConfig *tls.Config) {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, TLSConfig: tlsConfig}
	s.servers = append(s.servers, srv)
	go func() {
		var err error
		if tlsConfig != nil {
			err = srv.ServeTLS(l, "", "")
		} else {
			err = srv.Serve(l)
		}
		if err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.App.Log.Error("server stopped", "error", err)
		}
	}()
}

// Stop shuts the servers down and stops the stand-ins.
func (s *Server) Stop() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, srv := range s.servers {
		_ = srv.Shutdown(ctx)
	}
	s.Stack.Stop()
}
