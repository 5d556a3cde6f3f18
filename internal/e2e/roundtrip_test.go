package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"

	"github.com/secops/eventexport/internal/api"
	"github.com/secops/eventexport/internal/client"
	"github.com/secops/eventexport/internal/export"
	"github.com/secops/eventexport/internal/keys"
	"github.com/secops/eventexport/internal/local"
	"github.com/secops/eventexport/internal/plan"
	"github.com/secops/eventexport/internal/steps"
	"github.com/secops/eventexport/internal/store"
)

// importLines loads a user's own JSON Lines into a community, as
// `exportctl lake import` does.
func importLines(t *testing.T, community string, lines []string) {
	t.Helper()
	res, err := srv.App.Lake.Import(context.Background(), community, strings.NewReader(strings.Join(lines, "\n")+"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Lines != int64(len(lines)) {
		t.Fatalf("import read %d lines of %d", res.Lines, len(lines))
	}
}

func TestRoundTripsOfZeroOneAndAThousandEvents(t *testing.T) {
	c, name := community(t, "roundtrip")
	base := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	var lines []string
	// One event in hour 0; a thousand in hour 2, nested and flat, with an
	// offset and an epoch-millisecond timestamp; junk that must be skipped.
	lines = append(lines, `{"@timestamp":"2026-10-01T00:30:00Z","message":"the only one","source":{"ip":"10.1.2.3"}}`)
	for i := 0; i < 1000; i++ {
		ts := base.Add(2*time.Hour + time.Duration(i)*time.Second)
		switch i % 3 {
		case 0:
			lines = append(lines, fmt.Sprintf(`{"@timestamp":%q,"message":"event %d \"quoted\" é","source":{"ip":"10.0.0.%d","port":%d}}`, ts.Format(time.RFC3339Nano), i, i%250, 1000+i))
		case 1:
			lines = append(lines, fmt.Sprintf(`{"@timestamp":%q,"message":"event %d","source.ip":"10.0.1.%d","source.port":%d}`, ts.In(time.FixedZone("", 2*3600)).Format(time.RFC3339), i, i%250, 1000+i))
		default:
			lines = append(lines, fmt.Sprintf(`{"@timestamp":%d,"message":"event %d","source.ip":null}`, ts.UnixMilli(), i))
		}
	}
	lines = append(lines, `{"message":"no timestamp"}`, `not json at all`, `{"@timestamp":"2026-10-01T02:00:00Z","message":"truncated`)
	importLines(t, name, lines)

	cases := []struct {
		name     string
		from, to time.Time
		want     int64
	}{
		{"zero events", base.Add(5 * time.Hour), base.Add(6 * time.Hour), 0},
		{"one event", base, base.Add(time.Hour), 1},
		{"a thousand events", base.Add(2 * time.Hour), base.Add(3 * time.Hour), 1000},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			j := newJob(t, c, "*", tc.from, tc.to)
			e, key := runExport(t, c, j.ID, api.ExportRequest{Fields: []string{"@timestamp", "source.ip", "source.port", "message"}})
			if e.Status != export.Finished || e.Counts.Exported != tc.want {
				t.Fatalf("%s %s: exported %d, want %d", e.Status, e.Error, e.Counts.Exported, tc.want)
			}
			gz := download(t, c, e, key)
			got := gunzipLines(t, gz)
			if int64(len(got)) != tc.want || int64(len(gz)) != e.Bytes {
				t.Fatalf("%d lines in %d bytes; status says %d in %d", len(got), len(gz), tc.want, e.Bytes)
			}
			for _, l := range got {
				var m map[string]json.RawMessage
				if err := json.Unmarshal(l, &m); err != nil {
					t.Fatalf("not JSON: %s", l)
				}
			}
			if tc.want == 1000 {
				// Values are the source's raw JSON: numbers stay numbers, null is kept.
				if !containsLine(got, `"source.ip":null`) || !containsLine(got, `"source.port":1000`) || !containsLine(got, `\"quoted\" é`) {
					t.Fatalf("raw values not kept: %s", got[0])
				}
			}
		})
	}
}

func containsLine(lines [][]byte, sub string) bool {
	for _, l := range lines {
		if bytes.Contains(l, []byte(sub)) {
			return true
		}
	}
	return false
}

// TestRoundTripOfThreeMillionEvents drives the workflow's steps directly
// (the test server's event limit is small on purpose), with the same
// stores, lake and S3, and checks the joined file byte for byte against
// the events it must hold.
func TestRoundTripOfThreeMillionEvents(t *testing.T) {
	if testing.Short() {
		t.Skip("3,000,000 events: skipped with -short")
	}
	const events = 3_000_000
	from := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	to := from.Add(5 * 24 * time.Hour)
	big := "big-" + strings.ToLower(export.NewID("c"))[2:12]
	seed(t, big, events, from, to)

	limits := srv.App.Store.Limits()
	limits.EventsPerExport = export.Defaults.EventsPerExport
	limits.ChunkEvents = 500_000
	st := *srv.App.Steps()
	st.Store = store.New(srv.App.Clients.DynamoDB, local.Table, limits, nil)
	ctx := context.Background()

	job := &export.SearchJob{ID: export.NewID("job"), Community: big, Query: "*", Earliest: from, Latest: to}
	if err := st.Store.CreateJob(ctx, job); err != nil {
		t.Fatal(err)
	}
	key, _ := keys.Generate()
	e := &export.Export{ID: export.NewID("exp"), Community: big, JobID: job.ID, Query: "*", From: from, To: to, Fields: []string{"@timestamp", "event.action"}, KeyMD5: key.MD5()}
	var err error
	if e.WrappedKey, err = srv.App.Keys.WrapKey(ctx, key, e.Community, e.ID); err != nil {
		t.Fatal(err)
	}
	if err := st.Store.Reserve(ctx, e); err != nil {
		t.Fatal(err)
	}
	planned, err := st.Plan(ctx, steps.ExportRef{ExportID: e.ID})
	if err != nil {
		t.Fatal(err)
	}
	// Two encoders at a time, as a Map with MaxConcurrency 2 would run them.
	sem := make(chan struct{}, 2)
	errs := make(chan error, len(planned.Chunks))
	for _, c := range planned.Chunks {
		sem <- struct{}{}
		go func(c plan.Chunk) {
			defer func() { <-sem }()
			_, err := st.Encode(ctx, steps.EncodeInput{ExportID: e.ID, Chunk: c})
			errs <- err
		}(c)
	}
	for range planned.Chunks {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.Finalize(ctx, steps.ExportRef{ExportID: e.ID}); err != nil {
		t.Fatal(err)
	}
	done, err := st.Store.Export(ctx, e.ID)
	if err != nil || done.Status != export.Finished || done.Counts.Exported != events {
		t.Fatalf("export %+v (%v)", done, err)
	}
	u, err := srv.App.Platform.SignDownload(ctx, done.ObjectKey, time.Minute, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	var lines lineCounter
	zr, zw := io.Pipe()
	gunzipped := make(chan error, 1)
	go func() {
		r, err := gzip.NewReader(zr)
		if err == nil {
			_, err = io.Copy(&lines, r)
		}
		zr.CloseWithError(err)
		gunzipped <- err
	}()
	n, sum, err := client.Fetch(ctx, nil, u.URL, key, zw, nil)
	zw.CloseWithError(err)
	if err != nil {
		t.Fatal(err)
	}
	if err := <-gunzipped; err != nil {
		t.Fatalf("the file is not valid gzip: %v", err)
	}
	if n != done.Bytes || sum != done.SHA256 {
		t.Fatalf("downloaded %d bytes, status says %d; sha256 mismatch: %v", n, done.Bytes, sum != done.SHA256)
	}
	if lines.n != events {
		t.Fatalf("%d lines, want %d", lines.n, events)
	}
	t.Logf("3,000,000 events: %d chunks, %d bytes", len(planned.Chunks), n)
}

type lineCounter struct{ n int64 }

func (c *lineCounter) Write(b []byte) (int, error) {
	c.n += int64(bytes.Count(b, []byte{'\n'}))
	return len(b), nil
}
