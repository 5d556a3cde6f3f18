package local

import (
	"encoding/json"
	"os"
	"path/filepath"
)

// State is what a running local server tells the CLI: where the API is and
// the demo community's API key. It lives in a 0600 file in the user's state
// directory, so exportctl finds it without flags.
type State struct {
	APIURL    string            `json:"api_url"`
	HTTPSURL  string            `json:"https_url"`
	CAFile    string            `json:"ca_file"`
	APIKey    string            `json:"api_key"`
	Community string            `json:"community"`
	Env       map[string]string `json:"env"`
	PID       int               `json:"pid"`
}

// StatePath is where the state file lives.
func StatePath() string {
	if p := os.Getenv("EXPORT_LOCAL_STATE"); p != "" {
		return p
	}
	dir := os.Getenv("XDG_STATE_HOME")
	if dir == "" {
		home, _ := os.UserHomeDir()
		dir = filepath.Join(home, ".local", "state")
	}
	return filepath.Join(dir, "eventexport", "local.json")
}

// WriteState saves st for the CLI.
func WriteState(st State) error {
	p := StatePath()
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return err
	}
	b, _ := json.MarshalIndent(st, "", "  ")
	return os.WriteFile(p, b, 0o600)
}

// ReadState loads the running local server's state, if any.
func ReadState() (State, error) {
	var st State
	b, err := os.ReadFile(StatePath())
	if err != nil {
		return st, err
	}
	return st, json.Unmarshal(b, &st)
}

// RemoveState forgets the state when the server stops.
func RemoveState() { _ = os.Remove(StatePath()) }

// RepoRoot finds the repository root from the working directory, for tests
// and tools started anywhere inside it.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", os.ErrNotExist
		}
		dir = parent
	}
}
