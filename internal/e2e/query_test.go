package e2e

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/secops/eventexport/internal/api"
	"github.com/secops/eventexport/internal/encode"
	"github.com/secops/eventexport/internal/event"
	"github.com/secops/eventexport/internal/export"
	"github.com/secops/eventexport/internal/query"
)

// TestFilteredExportEqualsTheQueryLineByLine exports with a query across
// several chunks and compares the file with the imported lines kept by the
// query's own Match: the encoder resolves the query's fields in its pass
// over each line, and this holds that path to the query, end to end.
func TestFilteredExportEqualsTheQueryLineByLine(t *testing.T) {
	c, name := community(t, "query")
	from := time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC)
	to := from.Add(4 * time.Hour)
	users := []string{"alice", "bob", "svc-backup", "Zoë"}
	outcomes := []string{"success", "failure"}
	var lines []string
	for i := range 12000 {
		ts := from.Add(time.Duration(i) * 1200 * time.Millisecond).Format(time.RFC3339Nano)
		u, o := users[i%len(users)], outcomes[i/4%len(outcomes)]
		switch i % 3 {
		case 0: // nested
			lines = append(lines, fmt.Sprintf(`{"@timestamp":%q,"event":{"category":["authentication"],"outcome":%q},"user":{"name":%q},"source":{"ip":"10.0.%d.%d","port":%d}}`, ts, o, u, i%7, i%250, 1024+i%60000))
		case 1: // flat
			lines = append(lines, fmt.Sprintf(`{"@timestamp":%q,"event.category":"authentication","event.outcome":%q,"user.name":%q,"source.ip":"192.168.%d.%d"}`, ts, o, u, i%7, i%250))
		default: // mixed, another category
			lines = append(lines, fmt.Sprintf(`{"@timestamp":%q,"event":{"category":"network"},"event.outcome":%q,"user":{"name":%q},"message":"failed %d"}`, ts, o, u, i))
		}
	}
	importLines(t, name, lines)

	const q = `event.category:authentication AND event.outcome:failure AND NOT user.name:svc* AND (source.ip:10.0.0.0/8 OR user.name:"Zoë")`
	fields := []string{"@timestamp", "user.name", "source.ip", "event.outcome"}
	parsed, err := query.Parse(q)
	if err != nil {
		t.Fatal(err)
	}
	var want []byte
	var kept int64
	for _, l := range lines {
		if ts, _ := event.Timestamp([]byte(l)); ts.Before(to) && parsed.Match([]byte(l)) {
			proj, _ := encode.Line(nil, []byte(l), fields)
			want = append(append(want, proj...), '\n')
			kept++
		}
	}
	if kept == 0 || kept == int64(len(lines)) {
		t.Fatalf("the query keeps %d of %d lines: it tells nothing", kept, len(lines))
	}

	e, key := runExport(t, c, newJob(t, c, q, from, to).ID, api.ExportRequest{Fields: fields})
	if e.Status != export.Finished || e.ChunksTotal < 2 {
		t.Fatalf("%s %s in %d chunks", e.Status, e.Error, e.ChunksTotal)
	}
	got := bytes.Join(gunzipLines(t, download(t, c, e, key)), []byte("\n"))
	if len(got) > 0 {
		got = append(got, '\n')
	}
	if !bytes.Equal(got, want) || e.Counts.Exported != kept {
		t.Fatalf("exported %d events (%d bytes); the query keeps %d (%d bytes)", e.Counts.Exported, len(got), kept, len(want))
	}
	if e.Counts.Filtered != int64(len(lines))-kept {
		t.Fatalf("filtered %d, want %d", e.Counts.Filtered, int64(len(lines))-kept)
	}
}
