package e2e

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	exportctlcli "github.com/secops/eventexport/internal/cli"
	"github.com/secops/eventexport/internal/client"
	"github.com/secops/eventexport/internal/export"
)

// exportctl runs the CLI in-process against the test server.
func exportctl(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	all := append([]string{"--api-url", srv.State.APIURL, "--api-key", srv.State.APIKey}, args...)
	code := exportctlcli.Main(all, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestCLIExportWaitDownloadAndVerify(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := exportctl(t, "search", "create", "--query", "event.category:authentication", "--from", seedFrom.Format(time.RFC3339), "--to", seedFrom.Add(12*time.Hour).Format(time.RFC3339), "--json")
	if code != exportctlcli.ExitOK {
		t.Fatalf("search create: %d %s %s", code, out, errOut)
	}
	var job struct{ UUID string }
	_ = json.Unmarshal([]byte(out), &job)
	file := filepath.Join(dir, "logins.jsonl.gz")
	code, out, errOut = exportctl(t, "export", job.UUID, "--preset", "identity", "--fields", "host.name", "--wait", "-o", file)
	if code != exportctlcli.ExitOK {
		t.Fatalf("export: %d %s %s", code, out, errOut)
	}
	for _, want := range []string{"FINISHED", "events exported", "compressed size", "key file", "zcat " + file} {
		if !strings.Contains(out, want) {
			t.Fatalf("the summary lacks %q:\n%s", want, out)
		}
	}
	keyFile := file + ".key"
	info, err := os.Stat(keyFile)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file %v mode %v", err, info.Mode())
	}
	if !strings.Contains(errOut, keyFile) || !strings.Contains(errOut, "keeps no usable copy") {
		t.Fatalf("the key warning is missing: %s", errOut)
	}
	gz, _ := os.ReadFile(file)
	lines := gunzipLines(t, gz)
	if len(lines) == 0 || !bytes.Contains(lines[0], []byte(`"@timestamp"`)) {
		t.Fatalf("%d lines", len(lines))
	}
	for _, l := range lines {
		var m map[string]any
		_ = json.Unmarshal(l, &m)
		for k := range m {
			if !strings.Contains("@timestamp user.name user.domain source.ip event.action event.outcome message host.name", k) {
				t.Fatalf("unexpected key %q", k)
			}
		}
	}

	// status, list and a second download with --key-file
	id := exportIDFromSummary(t, out)
	code, out, _ = exportctl(t, "status", id, "--json")
	if code != exportctlcli.ExitOK || !strings.Contains(out, `"FINISHED"`) {
		t.Fatalf("status: %d %s", code, out)
	}
	code, out, _ = exportctl(t, "list", "--status", "finished")
	if code != exportctlcli.ExitOK || !strings.Contains(out, id) {
		t.Fatalf("list: %d %s", code, out)
	}
	again := filepath.Join(dir, "again.jsonl.gz")
	code, out, errOut = exportctl(t, "download", id, "--key-file", keyFile, "-o", again)
	if code != exportctlcli.ExitOK || !strings.Contains(out, "SHA-256 match") {
		t.Fatalf("download: %d %s %s", code, out, errOut)
	}
	b, _ := os.ReadFile(again)
	if !bytes.Equal(b, gz) {
		t.Fatal("the second download differs")
	}
	// A wrong key is refused by storage, not silently accepted.
	wrong := filepath.Join(dir, "wrong.key")
	_ = os.WriteFile(wrong, []byte("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"), 0o600)
	if code, _, _ := exportctl(t, "download", id, "--key-file", wrong, "-o", filepath.Join(dir, "x")); code == exportctlcli.ExitOK {
		t.Fatal("download with a wrong key succeeded")
	}
}

func exportIDFromSummary(t *testing.T, out string) string {
	t.Helper()
	for _, f := range strings.Fields(out) {
		if strings.HasPrefix(f, "exp_") {
			return f
		}
	}
	t.Fatalf("no export id in %s", out)
	return ""
}

func TestCLIExitCodes(t *testing.T) {
	cases := []struct {
		args []string
		code int
	}{
		{[]string{"status"}, exportctlcli.ExitUsage},
		{[]string{"export", "job_x", "--fields", "a,,b"}, exportctlcli.ExitUsage},
		{[]string{"export", "job_x", "--no-sse-c"}, exportctlcli.ExitUsage},
		{[]string{"download", "exp_x"}, exportctlcli.ExitUsage},
		{[]string{"--bogus-flag"}, exportctlcli.ExitUsage},
		{[]string{"status", "exp_does_not_exist"}, exportctlcli.ExitRefused},
		{[]string{"export", "job_does_not_exist"}, exportctlcli.ExitRefused},
		{[]string{"cancel", "exp_does_not_exist"}, exportctlcli.ExitRefused},
	}
	for _, c := range cases {
		if code, out, errOut := exportctl(t, c.args...); code != c.code {
			t.Errorf("exportctl %v: exit %d, want %d (%s%s)", c.args, code, c.code, out, errOut)
		}
	}
	// --json errors are JSON too, with the problem document.
	code, out, _ := exportctl(t, "status", "exp_does_not_exist", "--json")
	var body struct {
		ExitCode int             `json:"exit_code"`
		Problem  *client.Problem `json:"problem"`
	}
	if err := json.Unmarshal([]byte(out), &body); err != nil || code != exportctlcli.ExitRefused || body.Problem == nil || body.Problem.Status != 404 {
		t.Fatalf("json error output %q (%v)", out, err)
	}
}

func TestCLIExportFailedExitCode(t *testing.T) {
	j := newJob(t, cli, "*", seedFrom, seedTo) // over this server's event limit
	code, out, errOut := exportctl(t, "export", j.ID, "--wait", "-o", filepath.Join(t.TempDir(), "x.jsonl.gz"))
	if code != exportctlcli.ExitFailed || !strings.Contains(errOut, "EVENT_LIMIT_EXCEEDED") {
		t.Fatalf("exit %d, %s %s", code, out, errOut)
	}
}

func TestCLIDryRunAndQuota(t *testing.T) {
	j := newJob(t, cli, "*", seedFrom, seedFrom.Add(2*time.Hour))
	code, out, _ := exportctl(t, "export", j.ID, "--preset", "network", "--dry-run")
	if code != exportctlcli.ExitOK || !strings.Contains(out, "dry run: nothing started") {
		t.Fatalf("dry run: %d %s", code, out)
	}
	code, out, _ = exportctl(t, "quota")
	if code != exportctlcli.ExitOK || !strings.Contains(out, "resets") {
		t.Fatalf("quota: %d %s", code, out)
	}
}

func TestCLISchedules(t *testing.T) {
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "daily.key")
	code, out, errOut := exportctl(t, "schedule", "create", "--name", "daily logins", "--query", "event.category:authentication", "--window", "24h", "--preset", "identity", "--key-file", keyFile, "--json")
	if code != exportctlcli.ExitOK {
		t.Fatalf("schedule create: %d %s %s", code, out, errOut)
	}
	var created struct {
		Schedule struct{ UUID string } `json:"schedule"`
	}
	_ = json.Unmarshal([]byte(out), &created)
	if info, err := os.Stat(keyFile); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v", err)
	}
	code, out, _ = exportctl(t, "schedule", "list")
	if code != exportctlcli.ExitOK || !strings.Contains(out, created.Schedule.UUID) {
		t.Fatalf("schedule list: %d %s", code, out)
	}
	if code, out, _ = exportctl(t, "schedule", "delete", created.Schedule.UUID); code != exportctlcli.ExitOK {
		t.Fatalf("schedule delete: %d %s", code, out)
	}
	if code, _, _ = exportctl(t, "schedule", "create", "--name", "bad", "--window", "5m"); code != exportctlcli.ExitRefused {
		t.Fatalf("a 5-minute window: exit %d, want %d", code, exportctlcli.ExitRefused)
	}
}

func TestCLILakeImport(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "mine.jsonl")
	lines := `{"@timestamp":"2026-08-01T10:00:00Z","message":"one"}
{"@timestamp":"2026-08-01T11:30:00+02:00","message":"two","source":{"ip":"10.0.0.1"}}
{"@timestamp":1785580200000,"message":"three"}
{"message":"no timestamp"}
not json
`
	if err := os.WriteFile(file, []byte(lines), 0o600); err != nil {
		t.Fatal(err)
	}
	imported := "imported-" + strings.ToLower(export.NewID("c"))[2:12]
	code, out, errOut := exportctl(t, "lake", "import", "--community", imported, file, "--json")
	if code != exportctlcli.ExitOK {
		t.Fatalf("lake import: %d %s %s", code, out, errOut)
	}
	var res struct {
		Lines       int64 `json:"lines"`
		Imported    int64 `json:"imported"`
		NoTimestamp int64 `json:"no_timestamp"`
		Invalid     int64 `json:"invalid"`
	}
	_ = json.Unmarshal([]byte(out), &res)
	if res.Lines != 5 || res.Imported != 3 || res.NoTimestamp != 1 || res.Invalid != 1 {
		t.Fatalf("import result %s", out)
	}
	code, out, _ = exportctl(t, "lake", "count", "--community", imported, "--from", "2026-08-01T00:00:00Z", "--to", "2026-08-02T00:00:00Z", "--json")
	if code != exportctlcli.ExitOK || !strings.Contains(out, `"events": 3`) {
		t.Fatalf("lake count: %d %s", code, out)
	}
}

func TestCLIIssuesAndRevokesAPIKeys(t *testing.T) {
	code, out, errOut := exportctl(t, "apikey", "create", "--community", "keyed", "--json")
	if code != exportctlcli.ExitOK {
		t.Fatalf("apikey create: %d %s %s", code, out, errOut)
	}
	var created struct {
		APIKey string `json:"api_key"`
	}
	_ = json.Unmarshal([]byte(out), &created)
	c := &client.Client{BaseURL: srv.State.APIURL, APIKey: created.APIKey}
	if q, err := c.Quota(ctx(t)); err != nil || q.Month == "" {
		t.Fatalf("the new key: %v", err)
	}
	if code, _, _ := exportctl(t, "apikey", "revoke", created.APIKey); code != exportctlcli.ExitOK {
		t.Fatalf("revoke: exit %d", code)
	}
	if _, err := c.Quota(ctx(t)); err == nil {
		t.Fatal("a revoked key still works")
	}
}
