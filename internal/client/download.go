package client

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"

	"github.com/secops/eventexport/internal/export"
	"github.com/secops/eventexport/internal/keys"
)

// ErrVerification means the downloaded file is not what the service reported.
type ErrVerification struct{ Detail string }

func (e *ErrVerification) Error() string { return "verification failed: " + e.Detail }

// Fetch GETs a pre-signed URL with the SSE-C headers, as any S3 client
// would, and writes the body to w through progress (may be nil). It returns
// the bytes written and their SHA-256.
func Fetch(ctx context.Context, hc *http.Client, url string, key keys.SSECustomerKey, w io.Writer, progress func(n int64, total int64)) (int64, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("x-amz-server-side-encryption-customer-algorithm", "AES256")
	req.Header.Set("x-amz-server-side-encryption-customer-key", key.Base64())
	req.Header.Set("x-amz-server-side-encryption-customer-key-md5", key.MD5())
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 2048))
		return 0, "", fmt.Errorf("download refused: HTTP %d: %s", resp.StatusCode, body)
	}
	h := sha256.New()
	var src io.Reader = resp.Body
	if progress != nil {
		src = &counting{r: resp.Body, total: resp.ContentLength, progress: progress}
	}
	n, err := io.Copy(io.MultiWriter(w, h), src)
	return n, hex.EncodeToString(h.Sum(nil)), err
}

type counting struct {
	r        io.Reader
	n, total int64
	progress func(n, total int64)
}

func (c *counting) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n += int64(n)
	c.progress(c.n, c.total)
	return n, err
}

// Download fetches a finished export into path (atomically, via a temporary
// file beside it) and checks its size and SHA-256 against the export's status.
func (c *Client) Download(ctx context.Context, id string, key keys.SSECustomerKey, path string, progress func(n, total int64)) (int64, error) {
	e, err := c.Export(ctx, id)
	if err != nil {
		return 0, err
	}
	return c.DownloadExport(ctx, e, key, path, progress)
}

// DownloadExport is Download for a caller that has just read the finished
// export (as Wait returns it), sparing a second read of its status.
func (c *Client) DownloadExport(ctx context.Context, e *export.Export, key keys.SSECustomerKey, path string, progress func(n, total int64)) (int64, error) {
	u, err := c.DownloadURL(ctx, e.ID)
	if err != nil {
		return 0, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".download-*")
	if err != nil {
		return 0, err
	}
	defer os.Remove(tmp.Name())
	n, sum, err := Fetch(ctx, c.http(), u.URL, key, tmp, progress)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return n, err
	}
	if n != e.Bytes {
		return n, &ErrVerification{Detail: fmt.Sprintf("got %d bytes, the service reported %d", n, e.Bytes)}
	}
	if e.SHA256 != "" && sum != e.SHA256 {
		return n, &ErrVerification{Detail: fmt.Sprintf("SHA-256 %s, the service reported %s", sum, e.SHA256)}
	}
	return n, os.Rename(tmp.Name(), path)
}
