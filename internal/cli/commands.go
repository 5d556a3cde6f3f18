package cli

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/secops/eventexport/internal/export"
	"github.com/secops/eventexport/internal/keys"
	"github.com/secops/eventexport/internal/store"
)

func (a *app) statusCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "status EXPORT",
		Short:   "Show an export's status, progress, counts, size and SHA-256",
		Example: "  exportctl status exp_01jd8...\n  exportctl status exp_01jd8... --json | jq .counts",
		Args:    exactArgs(1, "an export id"),
		RunE: func(cmd *cobra.Command, args []string) error {
			e, err := a.client().Export(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			a.print(e, func(w io.Writer) { printStatus(w, e) })
			return nil
		},
	}
}

func printStatus(w io.Writer, e *export.Export) {
	pct := 0.0
	if e.Total > 0 {
		pct = 100 * float64(e.Progress) / float64(e.Total)
	}
	fmt.Fprintf(w, "export %s: %s\n", e.ID, e.Status)
	fmt.Fprintf(w, "  progress   %d/%d events (%.0f%%), %d/%d chunks\n", e.Progress, e.Total, pct, e.ChunksDone, e.ChunksTotal)
	fmt.Fprintf(w, "  exported   %d events, %s\n", e.Counts.Exported, humanBytes(e.Bytes))
	fmt.Fprintf(w, "  fields     %s\n", strings.Join(e.Fields, ","))
	if e.SHA256 != "" {
		fmt.Fprintf(w, "  sha256     %s\n", e.SHA256)
	}
	if !e.ExpiresAt.IsZero() {
		fmt.Fprintf(w, "  expires    %s\n", e.ExpiresAt.Format(time.RFC3339))
	}
	if e.Error != "" {
		fmt.Fprintf(w, "  error      %s: %s\n", e.ErrorCode, e.Error)
	}
}

func (a *app) downloadCmd() *cobra.Command {
	var keyFile, keyB64, output string
	cmd := &cobra.Command{
		Use:     "download EXPORT",
		Short:   "Download a finished export with its key and verify its SHA-256",
		Example: "  exportctl download exp_01jd8... --key-file conns.jsonl.gz.key -o conns.jsonl.gz",
		Args:    exactArgs(1, "an export id"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if (keyFile == "") == (keyB64 == "") {
				return usagef("give the export's key with exactly one of --key-file or --key")
			}
			if keyFile != "" {
				b, err := os.ReadFile(keyFile)
				if err != nil {
					return usagef("read the key: %v", err)
				}
				keyB64 = strings.TrimSpace(string(b))
			}
			key, err := keys.Parse(keyB64, "")
			if err != nil {
				return usageError{err}
			}
			if output == "" {
				output = args[0] + ".jsonl.gz"
			}
			started := time.Now()
			p := newProgress(a.stderr, a.jsonOut)
			n, err := a.client().Download(cmd.Context(), args[0], key, output, p.bytes)
			p.done()
			if err != nil {
				return err
			}
			abs, _ := filepath.Abs(output)
			a.print(map[string]any{"file": abs, "bytes": n, "sha256_verified": true}, func(w io.Writer) {
				fmt.Fprintf(w, "saved %s (%s in %s); size and SHA-256 match the service's\n", abs, humanBytes(n), round(time.Since(started)))
			})
			return nil
		},
	}
	cmd.Flags().StringVar(&keyFile, "key-file", "", "file holding the base64 SSE-C key")
	cmd.Flags().StringVar(&keyB64, "key", "", "the base64 SSE-C key")
	cmd.Flags().StringVarP(&output, "output", "o", "", "where to save (default EXPORT.jsonl.gz)")
	return cmd
}

func (a *app) listCmd() *cobra.Command {
	var status, cursor, since, until string
	var limit int
	cmd := &cobra.Command{
		Use:     "list",
		Short:   "List the community's exports, newest first",
		Example: "  exportctl list --status RUNNING\n  exportctl list --since -7d --status FINISHED\n  exportctl list --json | jq -r '.items[].uuid'",
		Args:    exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			q := url.Values{}
			if status != "" {
				q.Set("status", status)
			}
			if cursor != "" {
				q.Set("cursor", cursor)
			}
			if limit > 0 {
				q.Set("limit", fmt.Sprint(limit))
			}
			if since != "" {
				q.Set("created_after", since)
			}
			if until != "" {
				q.Set("created_before", until)
			}
			var page store.Page[*export.Export]
			if err := a.client().Do(cmd.Context(), http.MethodGet, "/v1/exports?"+q.Encode(), nil, nil, &page); err != nil {
				return err
			}
			a.print(page, func(w io.Writer) {
				for _, e := range page.Items {
					fmt.Fprintf(w, "%s  %-9s  %s  %10d events  %10s  job %s\n", e.ID, e.Status, e.CreatedAt.Format(time.RFC3339), e.Counts.Exported, humanBytes(e.Bytes), e.JobID)
				}
				if page.Next != "" {
					fmt.Fprintf(w, "more: exportctl list --cursor %s\n", page.Next)
				}
			})
			return nil
		},
	}
	cmd.Flags().StringVar(&status, "status", "", "only exports with this status")
	cmd.Flags().StringVar(&cursor, "cursor", "", "next_cursor of the previous page")
	cmd.Flags().IntVar(&limit, "limit", 20, "exports per page (1-100)")
	cmd.Flags().StringVar(&since, "since", "", "only exports created at or after (RFC 3339, now-24h, -7d)")
	cmd.Flags().StringVar(&until, "until", "", "only exports created before")
	return cmd
}

func (a *app) cancelCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "cancel EXPORT",
		Short: "Cancel an active export: stops it, gives back its bytes, removes partial files",
		Args:  exactArgs(1, "an export id"),
		RunE: func(cmd *cobra.Command, args []string) error {
			e, err := a.client().Cancel(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			a.print(e, func(w io.Writer) { fmt.Fprintf(w, "export %s %s\n", e.ID, e.Status) })
			return nil
		},
	}
}

func (a *app) quotaCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "quota",
		Short: "Show this month's usage, the limits, the reset time and the active export",
		Args:  exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, args []string) error {
			q, err := a.client().Quota(cmd.Context())
			if err != nil {
				return err
			}
			a.print(q, func(w io.Writer) {
				fmt.Fprintf(w, "month %s: %s of %s used (%.1f%%), resets %s\n", q.Month, humanBytes(q.Used), humanBytes(q.Limit), 100*float64(q.Used)/float64(max(q.Limit, 1)), q.ResetAt.Format(time.RFC3339))
				fmt.Fprintf(w, "limits: %d exports per search job, %d events per export, 1 active export\n", q.ExportsPerJob, q.EventsPerExport)
				if q.ActiveExport != "" {
					fmt.Fprintf(w, "active export: %s\n", q.ActiveExport)
				}
			})
			return nil
		},
	}
}
