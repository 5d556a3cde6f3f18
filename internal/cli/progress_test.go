package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/secops/eventexport/internal/export"
)

// TestProgressSwitchesBars: the export's bar, then the download's, each
// finished before the next is drawn.
func TestProgressSwitchesBars(t *testing.T) {
	var out bytes.Buffer
	p := &progress{w: &out, tty: true}
	p.export(&export.Export{Total: 100, Progress: 40, ChunksTotal: 2})
	first := p.bar
	p.export(&export.Export{Total: 100, Progress: 100, ChunksTotal: 2, ChunksDone: 2})
	if p.bar != first {
		t.Fatal("the same export drew a second bar")
	}
	p.bytes(10, 1000)
	p.bytes(1000, 1000)
	p.done()
	if s := out.String(); !strings.Contains(s, "exporting") || !strings.Contains(s, "downloading") {
		t.Fatalf("output %q", s)
	}
}
