package local

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"
)

// A stand-in that dies while starting is reported at once, not after the
// readiness deadline, and the start is tried again.
func TestAChildThatExitsWhileStartingIsRetried(t *testing.T) {
	attempts := 0
	_, err := retryStart(func() (*Stack, error) {
		attempts++
		s := &Stack{}
		s.logFile, _ = os.CreateTemp(t.TempDir(), "log")
		if err := s.spawn("sh", []string{"-c", "exit 3"}, nil); err != nil {
			t.Fatal(err)
		}
		began := time.Now()
		err := s.waitReady(context.Background(), "http://127.0.0.1:1/", time.Now().Add(time.Minute))
		s.Stop()
		if time.Since(began) > 10*time.Second {
			t.Fatalf("the exit was noticed after %s", time.Since(began))
		}
		return nil, err
	})
	var exited errExited
	if !errors.As(err, &exited) || attempts != 3 {
		t.Fatalf("after %d attempts: %v", attempts, err)
	}
}
