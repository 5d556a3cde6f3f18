package e2e

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/secops/eventexport/internal/client"
	"github.com/secops/eventexport/internal/export"
)

// community registers an API key for a fresh community, unique to this
// run of the test (so -count=N runs do not see each other's data), and
// returns a client for it with the community's name.
func community(t *testing.T, prefix string) (*client.Client, string) {
	t.Helper()
	name := prefix + "-" + strings.ToLower(export.NewID("c"))[2:12]
	key := "key-" + strings.ToLower(export.NewID("k"))
	if err := srv.App.Store.PutAPIKey(context.Background(), key, name); err != nil {
		t.Fatal(err)
	}
	return &client.Client{BaseURL: srv.State.APIURL, APIKey: key}, name
}

// refused asserts that err is an API problem with this status and code.
func refused(t *testing.T, err error, status int, code export.Code) *client.Problem {
	t.Helper()
	var p *client.Problem
	if !errors.As(err, &p) {
		t.Fatalf("got %v, want HTTP %d %s", err, status, code)
	}
	if p.Status != status || p.Code != string(code) {
		t.Fatalf("got HTTP %d %s (%s), want HTTP %d %s", p.Status, p.Code, p.Detail, status, code)
	}
	if p.Detail == "" || p.Title == "" {
		t.Fatalf("problem without title or detail: %+v", p)
	}
	return p
}

func waitFor(t *testing.T, c *client.Client, id string) *export.Export {
	t.Helper()
	e, err := c.Wait(ctx(t), id, 100*time.Millisecond, nil)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// exportsOf counts a community's exports.
func exportsOf(t *testing.T, c *client.Client) int {
	t.Helper()
	var page struct {
		Items []map[string]any `json:"items"`
	}
	if err := c.Do(ctx(t), "GET", "/v1/exports?limit=100", nil, nil, &page); err != nil {
		t.Fatal(err)
	}
	return len(page.Items)
}

func headInput(bucket, key string) *s3.HeadObjectInput {
	return &s3.HeadObjectInput{Bucket: &bucket, Key: &key}
}
