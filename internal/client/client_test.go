package client

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/secops/eventexport/internal/export"
)

// TestWaitReturnsTheLastStateItRead: when the deadline ends during a status
// request, the caller still learns how far the export got.
func TestWaitReturnsTheLastStateItRead(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) > 1 {
			<-r.Context().Done() // the second status request outlives the deadline
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"uuid":"exp_1","status":"RUNNING"}`))
	}))
	defer srv.Close()
	c := &Client{BaseURL: srv.URL, APIKey: "k", HTTP: srv.Client()}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	e, err := c.Wait(ctx, "exp_1", 10*time.Millisecond, nil)
	if err == nil {
		t.Fatal("no error past the deadline")
	}
	if e == nil || e.Status != export.Running {
		t.Fatalf("last state %+v, want the RUNNING one read before the deadline", e)
	}
}
