package e2e

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/secops/eventexport/internal/keys"
)

// sekoiaClient makes exactly the calls of the official sekoia-event-exporter
// CLI: over HTTPS to API_HOST with a Bearer key, then a plain GET of
// download_url with the three SSE-C headers and no Authorization header.
type sekoiaClient struct {
	t    *testing.T
	host string
	key  string
	http *http.Client
}

func newSekoiaClient(t *testing.T) *sekoiaClient {
	pem, err := os.ReadFile(srv.State.CAFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	return &sekoiaClient{t: t, host: srv.State.HTTPSURL, key: srv.State.APIKey, http: &http.Client{
		Timeout:   time.Minute,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}},
	}}
}

func (c *sekoiaClient) call(method, path string, body any, out any) int {
	c.t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, c.host+path, r)
	req.Header.Set("Authorization", "Bearer "+c.key)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if out != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(raw, out); err != nil {
			c.t.Fatalf("%s %s: %v: %s", method, path, err, raw)
		}
	}
	return resp.StatusCode
}

type sekoiaTask struct {
	Status     string `json:"status"`
	Progress   int64  `json:"progress"`
	Total      int64  `json:"total"`
	Message    string `json:"message"`
	Attributes struct {
		DownloadURL string `json:"download_url"`
		ExpireAt    string `json:"expire_at"`
		Exported    int64  `json:"exported_events_count"`
		Size        int64  `json:"export_size_compressed"`
		Error       string `json:"error"`
	} `json:"attributes"`
}

func TestSekoiaExporterCLIWorksUnchanged(t *testing.T) {
	c := newSekoiaClient(t)
	j := newJob(t, cli, "event.category:network", seedFrom, seedFrom.Add(12*time.Hour))
	key, _ := keys.Generate()
	var created struct {
		TaskUUID string `json:"task_uuid"`
	}
	status := c.call("POST", "/v1/sic/conf/events/search/jobs/"+j.ID+"/export", map[string]any{
		"fields": []string{"@timestamp", "source.ip", "destination.ip", "event.action"},
		"s3": map[string]any{
			"sse_customer_key":       key.Base64(),
			"sse_customer_key_md5":   key.MD5(),
			"sse_customer_algorithm": "AES256",
		},
	}, &created)
	if status < 200 || status > 202 || created.TaskUUID == "" {
		t.Fatalf("create: HTTP %d, task %q", status, created.TaskUUID)
	}
	var task sekoiaTask
	sawProgress := false
	deadline := time.Now().Add(2 * time.Minute)
	for {
		if code := c.call("GET", "/v1/tasks/"+created.TaskUUID, nil, &task); code != 200 {
			t.Fatalf("task: HTTP %d", code)
		}
		sawProgress = sawProgress || task.Total > 0
		if task.Status == "FINISHED" || task.Status == "FAILED" || task.Status == "CANCELLED" || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if task.Status != "FINISHED" || task.Attributes.DownloadURL == "" {
		t.Fatalf("task %+v", task)
	}
	if !sawProgress || task.Progress != task.Total {
		t.Fatalf("progress %d of %d", task.Progress, task.Total)
	}
	req, _ := http.NewRequest("GET", task.Attributes.DownloadURL, nil)
	req.Header.Set("x-amz-server-side-encryption-customer-algorithm", "AES256")
	req.Header.Set("x-amz-server-side-encryption-customer-key", key.Base64())
	req.Header.Set("x-amz-server-side-encryption-customer-key-md5", key.MD5())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	gz, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || int64(len(gz)) != task.Attributes.Size {
		t.Fatalf("download: HTTP %d, %d bytes, task says %d", resp.StatusCode, len(gz), task.Attributes.Size)
	}
	if lines := gunzipLines(t, gz); int64(len(lines)) != task.Attributes.Exported || len(lines) == 0 {
		t.Fatalf("%d lines, task says %d", len(lines), task.Attributes.Exported)
	}
}
