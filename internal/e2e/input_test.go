package e2e

import (
	"bytes"
	"encoding/base64"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/secops/eventexport/internal/api"
	"github.com/secops/eventexport/internal/export"
)

func rawPost(t *testing.T, path, key, body string) (int, string, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", srv.State.APIURL+path, bytes.NewBufferString(body))
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), string(b)
}

func TestBadInputIsRefusedAndWritesNothing(t *testing.T) {
	j := newJob(t, cli, "*", seedFrom, seedFrom.Add(time.Hour))
	before := exportsOf(t, cli)
	exportPath := "/v1/search/jobs/" + j.ID + "/exports"
	short := base64.StdEncoding.EncodeToString(make([]byte, 16))
	long := base64.StdEncoding.EncodeToString(make([]byte, 32))
	cases := []struct {
		name, path, key, body string
		status                int
		mention               string
	}{
		{"unknown job", "/v1/search/jobs/job_nope/exports", srv.State.APIKey, `{}`, 404, "job_nope"},
		{"wildcard field", exportPath, srv.State.APIKey, `{"fields":["source.*"]}`, 400, "source.*"},
		{"unknown field", exportPath, srv.State.APIKey, `{"fields":["sorce.ip"]}`, 400, "source.ip"},
		{"unknown preset", exportPath, srv.State.APIKey, `{"preset":"netwrk"}`, 400, "network"},
		{"malformed JSON", exportPath, srv.State.APIKey, `{"fields":`, 400, "JSON"},
		{"unknown member", exportPath, srv.State.APIKey, `{"feilds":["message"]}`, 400, "feilds"},
		{"key not 32 bytes", exportPath, srv.State.APIKey, `{"sse_customer_key":"` + short + `"}`, 400, "32 bytes"},
		{"key MD5 mismatch", exportPath, srv.State.APIKey, `{"sse_customer_key":"` + long + `","sse_customer_key_md5":"AAAAAAAAAAAAAAAAAAAAAA=="}`, 400, "MD5"},
		{"key not base64", exportPath, srv.State.APIKey, `{"sse_customer_key":"%%%"}`, 400, "base64"},
		{"no API key", exportPath, "", `{}`, 401, "Bearer"},
		{"wrong API key", exportPath, "nope", `{}`, 401, "not valid"},
		{"query syntax", "/v1/search/jobs", srv.State.APIKey, `{"term":"source.ip:(10.0.0.1","earliest_time":"now-1h","latest_time":"now"}`, 400, "1:"},
		{"range reversed", "/v1/search/jobs", srv.State.APIKey, `{"term":"*","earliest_time":"now","latest_time":"now-1h"}`, 400, "before"},
		{"not a time", "/v1/search/jobs", srv.State.APIKey, `{"term":"*","earliest_time":"yesterday","latest_time":"now"}`, 400, "RFC 3339"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, ctype, body := rawPost(t, c.path, c.key, c.body)
			if status != c.status || ctype != "application/problem+json" || !strings.Contains(body, c.mention) {
				t.Fatalf("HTTP %d %s %s; want %d problem mentioning %q", status, ctype, body, c.status, c.mention)
			}
		})
	}
	if after := exportsOf(t, cli); after != before {
		t.Fatalf("bad requests created %d exports", after-before)
	}
	if job, err := getJob(t, j.ID); err != nil || job.ExportCount != 0 {
		t.Fatalf("the job's export count moved to %d (%v)", job.ExportCount, err)
	}
}

func getJob(t *testing.T, id string) (*export.SearchJob, error) {
	var j export.SearchJob
	return &j, cli.Do(ctx(t), "GET", "/v1/search/jobs/"+id, nil, nil, &j)
}

func TestNoFieldsMeansTimestampAndMessage(t *testing.T) {
	j := newJob(t, cli, "*", seedFrom, seedFrom.Add(time.Hour))
	e, key := runExport(t, cli, j.ID, api.ExportRequest{})
	if strings.Join(e.Fields, ",") != "@timestamp,message" {
		t.Fatalf("fields %v", e.Fields)
	}
	for _, l := range gunzipLines(t, download(t, cli, e, key)) {
		if !bytes.HasPrefix(l, []byte(`{"@timestamp":`)) {
			t.Fatalf("line %s", l)
		}
	}
}

func TestIdempotencyKeyReturnsTheSameExport(t *testing.T) {
	c, name := community(t, "idempotent")
	seed(t, name, 100, seedFrom, seedFrom.Add(time.Hour))
	j := newJob(t, c, "*", seedFrom, seedFrom.Add(time.Hour))
	first, _, err := c.CreateExport(ctx(t), j.ID, api.ExportRequest{}, "retry-me")
	if err != nil {
		t.Fatal(err)
	}
	again, _, err := c.CreateExport(ctx(t), j.ID, api.ExportRequest{}, "retry-me")
	if err != nil {
		t.Fatal(err)
	}
	if again.ID != first.ID {
		t.Fatalf("a retried create made %s, first was %s", again.ID, first.ID)
	}
	waitFor(t, c, first.ID)
	if n := exportsOf(t, c); n != 1 {
		t.Fatalf("%d exports", n)
	}
}

func TestDryRunStartsNothing(t *testing.T) {
	c, name := community(t, "dry-run")
	seed(t, name, 9_000, seedFrom, seedTo)
	j := newJob(t, c, "*", seedFrom, seedTo)
	_, dry, err := c.CreateExport(ctx(t), j.ID, api.ExportRequest{Presets: []string{"network"}, DryRun: true}, "")
	if err != nil {
		t.Fatal(err)
	}
	if dry.EstimatedEvents != 9_000 || len(dry.Chunks) < 2 || dry.QuotaLeft <= 0 || len(dry.Fields) != 8 {
		t.Fatalf("dry run %+v", dry)
	}
	if n := exportsOf(t, c); n != 0 {
		t.Fatalf("a dry run created %d exports", n)
	}
	q, _ := c.Quota(ctx(t))
	if q.ActiveExport != "" {
		t.Fatal("a dry run took the lease")
	}
}

func TestUnknownQueryFieldIsAWarning(t *testing.T) {
	j, err := cli.CreateJob(ctx(t), api.JobRequest{Query: "sorce.ip:10.0.0.1 AND event.action:*", Earliest: "now-1h", Latest: "now"})
	if err != nil {
		t.Fatal(err)
	}
	if len(j.Warnings) != 1 || !strings.Contains(j.Warnings[0], "source.ip") {
		t.Fatalf("warnings %q, want one suggesting source.ip", j.Warnings)
	}
}
