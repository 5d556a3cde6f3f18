// Package cli is exportctl: search jobs, exports, downloads, quota and the
// event lake from the command line, for people at a terminal and for
// scripts (--json, documented exit codes).
package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/secops/eventexport/internal/client"
)

// Exit codes, documented in the README.
const (
	ExitOK      = 0
	ExitError   = 1 // anything else: network, local files
	ExitUsage   = 2 // wrong flags or arguments
	ExitRefused = 3 // the API refused the request (4xx)
	ExitFailed  = 4 // the export ended FAILED, CANCELLED or EXPIRED
	ExitVerify  = 5 // the download's size or SHA-256 did not match
	ExitTimeout = 6 // --max-wait passed before the export ended
)

// exitError carries an exit code to main.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func withCode(code int, err error) error { return &exitError{code: code, err: err} }

// app is the state shared by the commands.
type app struct {
	stdout, stderr io.Writer
	cfg            config
	jsonOut        bool
}

const shortHelp = `exportctl: export SIEM events as one encrypted gzip JSON Lines file.

First export (after make run, no flags needed locally):
  JOB=$(exportctl search create --query '*' --from 2026-11-23T00:00:00Z --to 2026-11-24T00:00:00Z --json | jq -r .uuid)
  exportctl export $JOB --preset network --wait -o network.jsonl.gz

Commands: search, export, status, download, list, cancel, quota, schedule, lake, apikey, completion.
Run 'exportctl --help' or 'exportctl COMMAND --help' for more.
`

// Main runs exportctl and returns its exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	a := &app{stdout: stdout, stderr: stderr}
	root := a.root()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.Execute()
	if err == nil {
		return ExitOK
	}
	code := ExitError
	var ee *exitError
	var p *client.Problem
	var v *client.ErrVerification
	switch {
	case errors.As(err, &ee):
		code = ee.code
	case errors.As(err, &p):
		code = ExitRefused
	case errors.As(err, &v):
		code = ExitVerify
	case isUsage(err):
		code = ExitUsage
	}
	if a.jsonOut {
		body := map[string]any{"error": err.Error(), "exit_code": code}
		if p != nil {
			body["problem"] = p
		}
		_ = json.NewEncoder(stdout).Encode(body)
	} else {
		fmt.Fprintln(stderr, "exportctl:", err)
	}
	return code
}

func isUsage(err error) bool {
	var u usageError
	return errors.As(err, &u)
}

type usageError struct{ error }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

func (a *app) root() *cobra.Command {
	root := &cobra.Command{
		Use:   "exportctl",
		Short: "Export SIEM events as one gzip JSON Lines file",
		Long: `exportctl exports the events a search matched as ONE gzip-compressed JSON Lines
file with only the fields you choose, encrypted with a key only you hold.

First export (network investigation):
  JOB=$(exportctl search create --query 'event.action:connection-denied' --from now-24h --to now --json | jq -r .uuid)
  exportctl export $JOB --preset network --wait -o denied.jsonl.gz
  zcat denied.jsonl.gz | head`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			if err := a.cfg.resolve(); err != nil {
				return err
			}
			if callsAPI(cmd) {
				return a.cfg.require()
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			fmt.Fprint(cmd.OutOrStdout(), shortHelp)
			return nil
		},
	}
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error { return usageError{err} })
	pf := root.PersistentFlags()
	pf.StringVar(&a.cfg.APIURL, "api-url", "", "API base URL (env EXPORT_API_URL; default: the local server started by make run)")
	pf.StringVar(&a.cfg.APIKey, "api-key", "", "API key (env EXPORT_API_KEY)")
	pf.StringVar(&a.cfg.File, "config", "", "config file (default ~/.config/exportctl/config.json)")
	pf.StringVar(&a.cfg.CAFile, "ca-file", "", "PEM file of an extra CA to trust (env EXPORT_CA_FILE)")
	pf.BoolVar(&a.jsonOut, "json", false, "print machine-readable JSON on stdout")
	root.AddCommand(a.searchCmd(), a.exportCmd(), a.statusCmd(), a.downloadCmd(), a.listCmd(), a.cancelCmd(), a.quotaCmd(), a.scheduleCmd(), a.lakeCmd(), a.apikeyCmd())
	return root
}

// withoutAPI marks a command tree that works without the API: the
// operators' tools that use AWS directly.
var withoutAPI = map[string]string{"api": "none"}

// callsAPI tells whether cmd needs the API's URL and key: every command but
// the bare root, help, shell completion and the trees marked withoutAPI.
func callsAPI(cmd *cobra.Command) bool {
	if !cmd.HasParent() {
		return false
	}
	for c := cmd; c.HasParent(); c = c.Parent() {
		if c.Annotations["api"] == "none" || c.Name() == "help" || c.Name() == "completion" {
			return false
		}
	}
	return true
}

func exactArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return usagef("%s needs %s; see %s --help", cmd.CommandPath(), what, cmd.CommandPath())
		}
		return nil
	}
}

// print writes v as JSON with --json, or the human text otherwise.
func (a *app) print(v any, human func(w io.Writer)) {
	if a.jsonOut {
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(v)
		return
	}
	human(a.stdout)
}

func (a *app) client() *client.Client {
	return &client.Client{BaseURL: a.cfg.APIURL, APIKey: a.cfg.APIKey, HTTP: a.cfg.httpClient()}
}

func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

func round(d time.Duration) time.Duration { return d.Round(10 * time.Millisecond) }
