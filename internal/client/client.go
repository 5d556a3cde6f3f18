// Package client talks to the export API over HTTP, for the CLI and the
// end-to-end tests: it creates search jobs and exports, follows them, and
// downloads files with their SSE-C key, verifying what it got.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/secops/eventexport/internal/api"
	"github.com/secops/eventexport/internal/delivery"
	"github.com/secops/eventexport/internal/export"
)

// Client calls one API with one key.
type Client struct {
	BaseURL string
	APIKey  string
	HTTP    *http.Client
}

// Problem is an API refusal, as an RFC 9457 document.
type Problem struct {
	Status int            `json:"status"`
	Title  string         `json:"title"`
	Detail string         `json:"detail"`
	Code   string         `json:"code"`
	Extra  map[string]any `json:"-"`
}

func (p *Problem) Error() string {
	return fmt.Sprintf("%s (HTTP %d, %s): %s", p.Title, p.Status, p.Code, p.Detail)
}

func (c *Client) http() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return &http.Client{Timeout: 2 * time.Minute}
}

// Do sends a JSON request and decodes a JSON answer into out.
func (c *Client) Do(ctx context.Context, method, path string, headers map[string]string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(c.BaseURL, "/")+path, body)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.APIKey)
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := c.http().Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode >= 400 {
		p := &Problem{Status: resp.StatusCode}
		if json.Unmarshal(raw, p) != nil || p.Detail == "" {
			p.Title, p.Detail = http.StatusText(resp.StatusCode), strings.TrimSpace(string(raw))
		}
		_ = json.Unmarshal(raw, &p.Extra)
		return p
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(raw, out)
}

// CreateJob creates a search job.
func (c *Client) CreateJob(ctx context.Context, req api.JobRequest) (*export.SearchJob, error) {
	var j export.SearchJob
	return &j, c.Do(ctx, http.MethodPost, "/v1/search/jobs", nil, req, &j)
}

// Created is the answer to an export create.
type Created = api.Created

// CreateExport creates (or, with dry_run, plans) an export. Exactly one of
// the results is set.
func (c *Client) CreateExport(ctx context.Context, jobID string, req api.ExportRequest, idempotencyKey string) (*Created, *api.DryRun, error) {
	var raw json.RawMessage
	headers := map[string]string{}
	if idempotencyKey != "" {
		headers["Idempotency-Key"] = idempotencyKey
	}
	if err := c.Do(ctx, http.MethodPost, "/v1/search/jobs/"+jobID+"/exports", headers, req, &raw); err != nil {
		return nil, nil, err
	}
	if req.DryRun {
		var d api.DryRun
		return nil, &d, json.Unmarshal(raw, &d)
	}
	var e Created
	e.Export = &export.Export{}
	return &e, nil, json.Unmarshal(raw, &e)
}

// Export reads an export.
func (c *Client) Export(ctx context.Context, id string) (*export.Export, error) {
	var e export.Export
	return &e, c.Do(ctx, http.MethodGet, "/v1/exports/"+id, nil, nil, &e)
}

// Cancel cancels an export.
func (c *Client) Cancel(ctx context.Context, id string) (*export.Export, error) {
	var e export.Export
	return &e, c.Do(ctx, http.MethodDelete, "/v1/exports/"+id, nil, nil, &e)
}

// DownloadURL asks for a fresh pre-signed URL.
func (c *Client) DownloadURL(ctx context.Context, id string) (delivery.URL, error) {
	var u delivery.URL
	return u, c.Do(ctx, http.MethodPost, "/v1/exports/"+id+"/download-url", nil, nil, &u)
}

// Quota reads the community's quota.
func (c *Client) Quota(ctx context.Context) (api.Quota, error) {
	var q api.Quota
	return q, c.Do(ctx, http.MethodGet, "/v1/quota", nil, nil, &q)
}

// Wait polls an export until it ends, calling progress on each change. On
// an error it returns the last state it read, nil if none.
func (c *Client) Wait(ctx context.Context, id string, every time.Duration, progress func(*export.Export)) (*export.Export, error) {
	var last *export.Export
	for {
		e, err := c.Export(ctx, id)
		if err != nil {
			return last, err
		}
		last = e
		if progress != nil {
			progress(e)
		}
		if e.Status.Terminal() {
			return e, nil
		}
		select {
		case <-ctx.Done():
			return e, ctx.Err()
		case <-time.After(every):
		}
	}
}
