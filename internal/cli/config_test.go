package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/secops/eventexport/internal/local"
)

// Flags win over the environment, which wins over the config file, which
// wins over a local server's state file.
func TestConfigPrecedence(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "state.json")
	t.Setenv("EXPORT_LOCAL_STATE", state)
	if err := local.WriteState(local.State{APIURL: "http://state", APIKey: "state-key", CAFile: "state.pem"}); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "config.json")
	if err := os.WriteFile(file, []byte(`{"api_url":"http://file","api_key":"file-key"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	resolve := func(c config) config {
		t.Helper()
		c.File = file
		if err := c.resolve(); err != nil {
			t.Fatal(err)
		}
		return c
	}
	t.Setenv("EXPORT_API_URL", "")
	t.Setenv("EXPORT_API_KEY", "")
	t.Setenv("EXPORT_CA_FILE", "")
	if c := resolve(config{}); c.APIURL != "http://file" || c.APIKey != "file-key" || c.CAFile != "state.pem" {
		t.Fatalf("file over state: %+v", c)
	}
	t.Setenv("EXPORT_API_URL", "http://env")
	if c := resolve(config{}); c.APIURL != "http://env" || c.APIKey != "file-key" {
		t.Fatalf("env over file: %+v", c)
	}
	if c := resolve(config{APIURL: "http://flag"}); c.APIURL != "http://flag" {
		t.Fatalf("flag over env: %+v", c)
	}
	if err := os.WriteFile(file, []byte(`{not json`), 0o600); err != nil {
		t.Fatal(err)
	}
	c := config{File: file}
	if err := c.resolve(); !isUsage(err) {
		t.Fatalf("a broken config file: %v, want a usage error", err)
	}
}

func TestBareCommandPrintsAShortHelp(t *testing.T) {
	t.Setenv("EXPORT_LOCAL_STATE", filepath.Join(t.TempDir(), "none.json"))
	var out, errOut bytes.Buffer
	if code := Main(nil, &out, &errOut); code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), "exportctl export $JOB") || strings.Count(out.String(), "\n") > 12 {
		t.Fatalf("not a short help with a first example:\n%s", out.String())
	}
}

func TestMissingAPIIsAUsageError(t *testing.T) {
	t.Setenv("EXPORT_LOCAL_STATE", filepath.Join(t.TempDir(), "none.json"))
	t.Setenv("EXPORT_API_URL", "")
	t.Setenv("EXPORT_API_KEY", "")
	t.Setenv("HOME", t.TempDir())
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	var out, errOut bytes.Buffer
	if code := Main([]string{"quota"}, &out, &errOut); code != ExitUsage || !strings.Contains(errOut.String(), "make run") {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
}

func TestCompletionScripts(t *testing.T) {
	for _, shell := range []string{"bash", "zsh"} {
		var out, errOut bytes.Buffer
		if code := Main([]string{"completion", shell}, &out, &errOut); code != ExitOK || !strings.Contains(out.String(), "exportctl") {
			t.Fatalf("%s completion: exit %d %s", shell, code, errOut.String())
		}
	}
}
