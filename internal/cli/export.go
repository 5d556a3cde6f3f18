package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/secops/eventexport/internal/api"
	"github.com/secops/eventexport/internal/client"
	"github.com/secops/eventexport/internal/export"
	"github.com/secops/eventexport/internal/fields"
	"github.com/secops/eventexport/internal/keys"
)

type exportFlags struct {
	fields     string
	presets    []string
	dryRun     bool
	wait       bool
	maxWait    time.Duration
	output     string
	keyFile    string
	keyB64     string
	noSSEC     bool
	idempotent string
	s3         api.S3Request
}

func (a *app) exportCmd() *cobra.Command {
	var f exportFlags
	cmd := &cobra.Command{
		Use:   "export JOB",
		Short: "Export what a search job matched, and optionally wait and download it",
		Long: `Creates an export of a search job. The file is encrypted with an SSE-C key made
on this machine (or given with --sse-c-key); the key is saved to a 0600 file and
never leaves your control: the service keeps no usable copy.

Fields: --fields takes a comma-separated list of exact ECS names (no wildcards);
--preset adds a preset (network, identity, endpoint); EXPORT_FIELDS is the
default for --fields. Without either: @timestamp,message.`,
		Example: `  # network investigation, downloaded when done
  exportctl export $JOB --preset network --wait -o conns.jsonl.gz
  # identity: the preset plus the user's email
  exportctl export $JOB --preset identity --fields user.email --wait -o logins.jsonl.gz
  # endpoint: straight into your own bucket (S3, MinIO, Wasabi...)
  exportctl export $JOB --preset endpoint --s3-bucket forensics --s3-prefix case-42 \
      --s3-endpoint https://s3.wasabisys.com --s3-access-key AKIA... --s3-secret-key ... --wait
  # see the plan first
  exportctl export $JOB --preset network --dry-run`,
		Args: exactArgs(1, "a search job id"),
		RunE: func(cmd *cobra.Command, args []string) error { return a.runExport(cmd, args[0], &f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.fields, "fields", "", "comma-separated fields, e.g. @timestamp,source.ip (env EXPORT_FIELDS)")
	fl.StringSliceVar(&f.presets, "preset", nil, "field preset: network, identity, endpoint (repeatable)")
	fl.BoolVar(&f.dryRun, "dry-run", false, "show the plan (chunks, estimated events and bytes, quota left) and start nothing")
	fl.BoolVar(&f.wait, "wait", false, "wait for the export to end, showing progress, then download it")
	fl.DurationVar(&f.maxWait, "max-wait", 2*time.Hour, "give up waiting after this long (exit code 6)")
	fl.StringVarP(&f.output, "output", "o", "", "where to save the file with --wait (default EXPORT_ID.jsonl.gz)")
	fl.StringVar(&f.keyFile, "key-file", "", "where to save the SSE-C key (default: beside the output, .key)")
	fl.StringVar(&f.keyB64, "sse-c-key", "", "your own base64 256-bit SSE-C key (alias --s3-sse-c-key)")
	fl.StringVar(&f.keyB64, "s3-sse-c-key", "", "your own base64 256-bit SSE-C key")
	fl.BoolVar(&f.noSSEC, "no-sse-c", false, "customer bucket only: write without SSE-C")
	fl.StringVar(&f.idempotent, "idempotency-key", "", "make retries of this command return the same export (default: random)")
	addS3Flags(fl, &f.s3)
	return cmd
}

// addS3Flags are the customer-bucket flags, named as the reference CLI names them.
func addS3Flags(fl *pflag.FlagSet, s3 *api.S3Request) {
	fl.StringVar(&s3.Bucket, "s3-bucket", "", "write into your own bucket (env S3_BUCKET)")
	fl.StringVar(&s3.Prefix, "s3-prefix", "", "object prefix in your bucket (env S3_PREFIX)")
	fl.StringVar(&s3.AccessKeyID, "s3-access-key", "", "access key id (env S3_ACCESS_KEY_ID)")
	fl.StringVar(&s3.SecretAccessKey, "s3-secret-key", "", "secret access key (env S3_SECRET_ACCESS_KEY)")
	fl.StringVar(&s3.SessionToken, "s3-session-token", "", "session token (env S3_SESSION_TOKEN)")
	fl.StringVar(&s3.EndpointURL, "s3-endpoint", "", "S3-compatible endpoint URL (env S3_ENDPOINT_URL)")
	fl.StringVar(&s3.Region, "s3-region", "", "region (env S3_REGION_NAME)")
	fl.BoolVar(&s3.PathStyle, "s3-path-style", false, "path-style addressing (on by default with --s3-endpoint)")
}

// s3FromEnv fills the customer-bucket settings not given as flags.
func s3FromEnv(s3 *api.S3Request) {
	for dst, name := range map[*string]string{
		&s3.Bucket: "S3_BUCKET", &s3.Prefix: "S3_PREFIX", &s3.AccessKeyID: "S3_ACCESS_KEY_ID",
		&s3.SecretAccessKey: "S3_SECRET_ACCESS_KEY", &s3.SessionToken: "S3_SESSION_TOKEN",
		&s3.EndpointURL: "S3_ENDPOINT_URL", &s3.Region: "S3_REGION_NAME",
	} {
		fill(dst, os.Getenv(name))
	}
}

// fieldList reads --fields, or EXPORT_FIELDS when the flag is not given;
// nil leaves the choice (presets or the default) to the API.
func fieldList(flag string) ([]string, error) {
	fill(&flag, os.Getenv("EXPORT_FIELDS"))
	if flag == "" {
		return nil, nil
	}
	list, err := fields.ParseList(flag)
	if err != nil {
		return nil, usageError{err}
	}
	return list, nil
}

func (a *app) runExport(cmd *cobra.Command, jobID string, f *exportFlags) error {
	s3FromEnv(&f.s3)
	list, err := fieldList(f.fields)
	if err != nil {
		return err
	}
	req := api.ExportRequest{Fields: list, Presets: f.presets, DryRun: f.dryRun}
	customer := f.s3.Bucket != ""
	if f.noSSEC && !customer {
		return usagef("--no-sse-c only applies with --s3-bucket: files on the platform are always encrypted")
	}
	var key keys.SSECustomerKey
	useKey := !f.noSSEC
	if useKey {
		if f.keyB64 != "" {
			key, err = keys.Parse(f.keyB64, "")
		} else {
			key, err = keys.Generate()
		}
		if err != nil {
			return usageError{err}
		}
		req.SSECustomerKey, req.SSECustomerKeyMD5 = key.Base64(), key.MD5()
	}
	if customer {
		s3 := f.s3
		req.S3 = &s3
	}
	if f.idempotent == "" {
		b := make([]byte, 16)
		_, _ = rand.Read(b)
		f.idempotent = hex.EncodeToString(b)
	}
	ctx := cmd.Context()
	c := a.client()
	created, dry, err := c.CreateExport(ctx, jobID, req, f.idempotent)
	if err != nil {
		return err
	}
	if dry != nil {
		a.print(dry, func(w io.Writer) {
			fmt.Fprintf(w, "dry run: nothing started\n  fields            %v\n  chunks            %d\n  estimated events  %d\n  estimated size    %s\n  quota left        %s\n  destination       %s\n",
				dry.Fields, len(dry.Chunks), dry.EstimatedEvents, humanBytes(dry.EstimatedBytes), humanBytes(dry.QuotaLeft), dry.Destination)
		})
		return nil
	}
	e := created.Export
	if f.output == "" {
		f.output = e.ID + ".jsonl.gz"
	}
	keyPath := ""
	if useKey {
		keyPath = f.keyFile
		if keyPath == "" {
			keyPath = f.output + ".key"
		}
		if err := os.WriteFile(keyPath, []byte(key.Base64()+"\n"), 0o600); err != nil {
			return fmt.Errorf("save the key (export %s runs; keep this key: %s): %w", e.ID, key.Base64(), err)
		}
		if !a.jsonOut {
			abs, _ := filepath.Abs(keyPath)
			fmt.Fprintf(a.stderr, "SSE-C key saved to %s (mode 0600).\n  The service keeps no usable copy: without this file the export cannot be read.\n", abs)
		}
	}
	if !f.wait {
		a.print(map[string]any{"export": e, "key_file": keyPath}, func(w io.Writer) {
			fmt.Fprintf(w, "export %s %s\nfollow it: exportctl status %s\n", e.ID, e.Status, e.ID)
		})
		return nil
	}
	return a.waitAndDownload(ctx, c, e.ID, f.maxWait, f.output, keyPath, key)
}

func (a *app) waitAndDownload(ctx context.Context, c *client.Client, id string, maxWait time.Duration, output, keyPath string, key keys.SSECustomerKey) error {
	started := time.Now()
	wctx, cancel := context.WithTimeout(ctx, maxWait)
	defer cancel()
	p := newProgress(a.stderr, a.jsonOut)
	e, err := c.Wait(wctx, id, time.Second, p.export)
	p.done()
	if err != nil {
		if wctx.Err() != nil {
			state := "not finished"
			if e != nil {
				state = "still " + string(e.Status)
			}
			return withCode(ExitTimeout, fmt.Errorf("export %s %s after %s; follow it with: exportctl status %s", id, state, maxWait, id))
		}
		return err
	}
	if e.Status != export.Finished {
		return withCode(ExitFailed, fmt.Errorf("export %s ended %s: %s %s", id, e.Status, e.ErrorCode, e.Error))
	}
	took := time.Since(started)
	if e.Destination.Customer() {
		a.print(e, func(w io.Writer) {
			fmt.Fprintf(w, "export %s FINISHED in %s: %d events, %s, written to s3://%s/%s\n  sha256 %s\n", e.ID, round(took), e.Counts.Exported, humanBytes(e.Bytes), e.Destination.Bucket, e.ObjectKey, e.SHA256)
		})
		return nil
	}
	n, err := c.DownloadExport(ctx, e, key, output, p.bytes)
	p.done()
	if err != nil {
		return err
	}
	a.print(map[string]any{"export": e, "file": output, "key_file": keyPath, "bytes": n, "seconds": took.Seconds(), "sha256_verified": true}, func(w io.Writer) {
		printSummary(w, e, output, keyPath, took)
	})
	return nil
}

func printSummary(w io.Writer, e *export.Export, output, keyPath string, took time.Duration) {
	fmt.Fprintf(w, "\nexport %s FINISHED\n", e.ID)
	fmt.Fprintf(w, "  events exported   %d (of %d read; %d invalid, %d without @timestamp skipped)\n", e.Counts.Exported, e.Counts.Read, e.Counts.Invalid, e.Counts.NoTimestamp)
	fmt.Fprintf(w, "  compressed size   %s (%d bytes)\n", humanBytes(e.Bytes), e.Bytes)
	fmt.Fprintf(w, "  time taken        %s (%d chunks)\n", round(took), e.ChunksTotal)
	fmt.Fprintf(w, "  file              %s (SHA-256 verified: %s)\n", output, e.SHA256)
	if keyPath != "" {
		fmt.Fprintf(w, "  key file          %s\n", keyPath)
	}
	fmt.Fprintf(w, "look inside:\n  zcat %s | head\n  zcat %s | wc -l\n  zcat %s | jq -c 'select(.\"source.ip\" != null)' | head\n", output, output, output)
}
