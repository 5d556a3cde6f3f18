package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"

	"github.com/secops/eventexport/internal/api"
	"github.com/secops/eventexport/internal/client"
	"github.com/secops/eventexport/internal/export"
	"github.com/secops/eventexport/internal/keys"
)

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	return c
}

func newJob(t *testing.T, c *client.Client, query string, from, to time.Time) *export.SearchJob {
	t.Helper()
	j, err := c.CreateJob(ctx(t), api.JobRequest{Query: query, Earliest: from.Format(time.RFC3339), Latest: to.Format(time.RFC3339)})
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// runExport creates an export, waits for it and returns it with its key.
func runExport(t *testing.T, c *client.Client, jobID string, req api.ExportRequest) (*export.Export, keys.SSECustomerKey) {
	t.Helper()
	created, _, err := c.CreateExport(ctx(t), jobID, req, "")
	if err != nil {
		t.Fatal(err)
	}
	var key keys.SSECustomerKey
	if created.SSECustomerKey != "" {
		if key, err = keys.Parse(created.SSECustomerKey, created.KeyMD5); err != nil {
			t.Fatal(err)
		}
	} else if req.SSECustomerKey != "" {
		key, _ = keys.Parse(req.SSECustomerKey, "")
	}
	return waitFor(t, c, created.ID), key
}

func download(t *testing.T, c *client.Client, e *export.Export, key keys.SSECustomerKey) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "out.jsonl.gz")
	if _, err := c.Download(ctx(t), e.ID, key, path, nil); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func gunzipLines(t *testing.T, gz []byte) [][]byte {
	t.Helper()
	r, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	var lines [][]byte
	sc := bufio.NewScanner(bytes.NewReader(plain))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		lines = append(lines, append([]byte(nil), sc.Bytes()...))
	}
	if len(plain) > 0 && plain[len(plain)-1] != '\n' {
		t.Fatal("the file does not end with a newline")
	}
	return lines
}

func TestExportEndToEnd(t *testing.T) {
	j := newJob(t, cli, "*", seedFrom, seedFrom.Add(24*time.Hour))
	e, key := runExport(t, cli, j.ID, api.ExportRequest{Fields: []string{"@timestamp", "source.ip", "event.action"}})
	if e.Status != export.Finished {
		t.Fatalf("export %s: %s %s", e.Status, e.ErrorCode, e.Error)
	}
	if e.ChunksTotal < 2 {
		t.Errorf("the export ran in %d chunk(s); want a fan-out", e.ChunksTotal)
	}
	if e.Counts.Exported != int64(seedEvents/2) {
		t.Errorf("exported %d events, seeded %d in the range", e.Counts.Exported, seedEvents/2)
	}
	gz := download(t, cli, e, key)
	if int64(len(gz)) != e.Bytes {
		t.Fatalf("file has %d bytes, status says %d", len(gz), e.Bytes)
	}
	lines := gunzipLines(t, gz)
	if int64(len(lines)) != e.Counts.Exported {
		t.Fatalf("file has %d lines, status says %d", len(lines), e.Counts.Exported)
	}
	allowed := map[string]bool{"@timestamp": true, "source.ip": true, "event.action": true}
	for i, l := range lines {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(l, &m); err != nil {
			t.Fatalf("line %d is not JSON: %s", i+1, l)
		}
		if _, ok := m["@timestamp"]; !ok {
			t.Fatalf("line %d has no @timestamp: %s", i+1, l)
		}
		for k := range m {
			if !allowed[k] {
				t.Fatalf("line %d has key %q that was not asked for", i+1, k)
			}
		}
	}
	q, err := cli.Quota(ctx(t))
	if err != nil || q.ActiveExport != "" {
		t.Fatalf("after the export: quota %+v, %v", q, err)
	}
}

func TestStoredFileNeedsItsKey(t *testing.T) {
	j := newJob(t, cli, "*", seedFrom, seedFrom.Add(3*time.Hour))
	e, key := runExport(t, cli, j.ID, api.ExportRequest{})
	if e.Status != export.Finished {
		t.Fatalf("export %s: %s", e.Status, e.Error)
	}
	u, err := cli.DownloadURL(ctx(t), e.ID)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(u.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		t.Fatal("GET without the SSE-C key returned the file")
	}
	wrong, _ := keys.Generate()
	if _, _, err := client.Fetch(ctx(t), nil, u.URL, wrong, io.Discard, nil); err == nil {
		t.Fatal("GET with a wrong key returned the file")
	}
	if _, _, err := client.Fetch(ctx(t), nil, u.URL, key, io.Discard, nil); err != nil {
		t.Fatalf("GET with the right key: %v", err)
	}
}
