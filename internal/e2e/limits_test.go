package e2e

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/secops/eventexport/internal/api"
	"github.com/secops/eventexport/internal/export"
	"github.com/secops/eventexport/internal/store"
	"github.com/secops/eventexport/internal/synth"
)

func seed(t *testing.T, community string, events int, from, to time.Time) {
	t.Helper()
	if _, err := srv.App.Lake.Seed(context.Background(), community, synth.Options{Seed: 3, From: from, To: to, Events: events}); err != nil {
		t.Fatal(err)
	}
}

func TestSecondActiveExportIsRefused(t *testing.T) {
	c, name := community(t, "active-limit")
	seed(t, name, 20_000, seedFrom, seedTo)
	j1 := newJob(t, c, "*", seedFrom, seedFrom.Add(30*time.Hour))
	j2 := newJob(t, c, "*", seedFrom, seedTo)
	first, _, err := c.CreateExport(ctx(t), j1.ID, api.ExportRequest{}, "")
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = c.CreateExport(ctx(t), j2.ID, api.ExportRequest{}, "")
	p := refused(t, err, http.StatusConflict, export.CodeConflict)
	if p.Extra["active_export"] != first.ID {
		t.Fatalf("the refusal names %v, want %s", p.Extra["active_export"], first.ID)
	}
	q, _ := c.Quota(ctx(t))
	if q.ActiveExport != first.ID {
		t.Fatalf("quota shows active export %q, want %s", q.ActiveExport, first.ID)
	}
	if e := waitFor(t, c, first.ID); e.Status != export.Finished {
		t.Fatalf("first export %s: %s", e.Status, e.Error)
	}
	// The lease is released at the end: the next export is admitted.
	second, _, err := c.CreateExport(ctx(t), j2.ID, api.ExportRequest{}, "")
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, c, second.ID)
}

func TestEleventhExportOfAJobIsRefused(t *testing.T) {
	c, name := community(t, "job-limit")
	seed(t, name, 200, seedFrom, seedFrom.Add(time.Hour))
	j := newJob(t, c, "*", seedFrom, seedFrom.Add(time.Hour))
	for i := 0; i < 10; i++ {
		e, _, err := c.CreateExport(ctx(t), j.ID, api.ExportRequest{}, "")
		if err != nil {
			t.Fatalf("export %d: %v", i+1, err)
		}
		waitFor(t, c, e.ID)
	}
	_, _, err := c.CreateExport(ctx(t), j.ID, api.ExportRequest{}, "")
	refused(t, err, http.StatusConflict, export.CodeJobLimit)
}

// useQuota charges n bytes to a community's month as a finished export would.
func useQuota(t *testing.T, community string, n int64) {
	t.Helper()
	s := srv.App.Store
	j := &export.SearchJob{ID: export.NewID("job"), Community: community, Query: "*", Earliest: seedFrom, Latest: seedTo}
	if err := s.CreateJob(context.Background(), j); err != nil {
		t.Fatal(err)
	}
	e := &export.Export{ID: export.NewID("exp"), Community: community, JobID: j.ID, Query: "*", From: seedFrom, To: seedTo}
	if err := s.Reserve(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	if err := s.Start(context.Background(), e.ID, 1, 1); err != nil {
		t.Fatal(err)
	}
	if err := s.ChargeChunk(context.Background(), e, store.ChunkResult{Seq: 0, Bytes: n}); err != nil {
		t.Fatal(err)
	}
	if err := s.Finish(context.Background(), e, store.Finished{Bytes: n, ExpiresAt: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
}

func TestQuotaExceededDeliversNothingAndGivesBytesBack(t *testing.T) {
	c, name := community(t, "quota-limit")
	seed(t, name, 3_000, seedFrom, seedFrom.Add(6*time.Hour))
	limit := srv.App.Store.Limits().MonthlyBytes
	useQuota(t, name, limit-1000)
	j := newJob(t, c, "*", seedFrom, seedFrom.Add(6*time.Hour))
	created, _, err := c.CreateExport(ctx(t), j.ID, api.ExportRequest{Presets: []string{"network"}}, "")
	if err != nil {
		t.Fatal(err)
	}
	e := waitFor(t, c, created.ID)
	if e.Status != export.Failed || e.ErrorCode != string(export.CodeQuotaExceeded) {
		t.Fatalf("export %s %s (%s), want FAILED %s", e.Status, e.ErrorCode, e.Error, export.CodeQuotaExceeded)
	}
	q, _ := c.Quota(ctx(t))
	if q.Used != limit-1000 || q.ActiveExport != "" {
		t.Fatalf("after the failed export: used %d (want %d), active %q", q.Used, limit-1000, q.ActiveExport)
	}
	if _, err := c.DownloadURL(ctx(t), e.ID); err == nil {
		t.Fatal("a failed export has a download URL")
	}
	// Used up entirely: refused at creation, with the numbers and the reset.
	useQuota(t, name, 1000)
	_, _, err = c.CreateExport(ctx(t), j.ID, api.ExportRequest{}, "")
	p := refused(t, err, http.StatusTooManyRequests, export.CodeQuotaExceeded)
	if p.Extra["used_bytes"] == nil || p.Extra["limit_bytes"] == nil || p.Extra["reset_at"] == nil {
		t.Fatalf("the refusal lacks used/limit/reset: %+v", p.Extra)
	}
}

func TestEventLimit(t *testing.T) {
	// Obviously too many: refused by the plan, visible in a dry run.
	j := newJob(t, cli, "*", seedFrom, seedTo)
	_, _, err := cli.CreateExport(ctx(t), j.ID, api.ExportRequest{DryRun: true}, "")
	refused(t, err, http.StatusUnprocessableEntity, export.CodeEventLimit)
	e, _ := runExport(t, cli, j.ID, api.ExportRequest{})
	if e.Status != export.Failed || e.ErrorCode != string(export.CodeEventLimit) {
		t.Fatalf("export %s %s, want FAILED %s", e.Status, e.ErrorCode, export.CodeEventLimit)
	}
	// Not obvious from metadata (a query), caught by the exact counter while encoding.
	j = newJob(t, cli, "NOT event.action:zzz-no-such-action", seedFrom, seedTo)
	e, _ = runExport(t, cli, j.ID, api.ExportRequest{})
	if e.Status != export.Failed || e.ErrorCode != string(export.CodeEventLimit) {
		t.Fatalf("export %s %s (%s), want FAILED %s", e.Status, e.ErrorCode, e.Error, export.CodeEventLimit)
	}
	if e.Counts.Exported > eventLimit {
		t.Fatalf("counted %d events, over the limit %d", e.Counts.Exported, eventLimit)
	}
}

func TestCancel(t *testing.T) {
	c, name := community(t, "cancel")
	seed(t, name, 20_000, seedFrom, seedTo)
	j := newJob(t, c, "*", seedFrom, seedTo)
	created, _, err := c.CreateExport(ctx(t), j.ID, api.ExportRequest{}, "")
	if err != nil {
		t.Fatal(err)
	}
	e, err := c.Cancel(ctx(t), created.ID)
	if err != nil {
		t.Fatal(err)
	}
	if e.Status != export.Cancelled {
		t.Fatalf("status after cancel %s", e.Status)
	}
	time.Sleep(2 * time.Second) // let any chunk that was running finish
	q, _ := c.Quota(ctx(t))
	if q.ActiveExport != "" || q.Used != 0 {
		t.Fatalf("after cancel: active %q, used %d bytes", q.ActiveExport, q.Used)
	}
	if e := waitFor(t, c, created.ID); e.Status != export.Cancelled {
		t.Fatalf("status %s later", e.Status)
	}
	_, err = c.Cancel(ctx(t), created.ID)
	refused(t, err, http.StatusBadRequest, export.CodeInvalid)
}

func TestDownloadWindowIsTwentyFourHours(t *testing.T) {
	j := newJob(t, cli, "*", seedFrom, seedFrom.Add(time.Hour))
	e, key := runExport(t, cli, j.ID, api.ExportRequest{})
	swept, _ := runExport(t, cli, j.ID, api.ExportRequest{})
	if e.Status != export.Finished {
		t.Fatalf("%s %s", e.Status, e.Error)
	}
	clockOffset.Store(int64(23 * time.Hour))
	t.Cleanup(func() { clockOffset.Store(0) })
	download(t, cli, e, key) // still inside the window
	clockOffset.Store(int64(24*time.Hour + time.Minute))
	_, err := cli.DownloadURL(ctx(t), e.ID)
	refused(t, err, http.StatusGone, export.CodeGone)
	got, err := cli.Export(ctx(t), e.ID)
	if err != nil || got.Status != export.Expired {
		t.Fatalf("status %v (%v), want EXPIRED", got.Status, err)
	}
	if _, err := srv.App.Platform.S3.HeadObject(ctx(t), headInput(srv.App.Platform.ExportBucket, got.ObjectKey)); err == nil {
		t.Fatal("the expired object still exists")
	}
	// The hourly sweep expires the others without anyone asking.
	n, err := srv.App.API().SweepExpired(ctx(t))
	if err != nil || n < 1 {
		t.Fatalf("sweep expired %d (%v)", n, err)
	}
	if _, err := srv.App.Platform.S3.HeadObject(ctx(t), headInput(srv.App.Platform.ExportBucket, swept.ObjectKey)); err == nil {
		t.Fatal("the sweep left the expired object")
	}
	if got, _ := srv.App.Store.Export(ctx(t), swept.ID); got.Status != export.Expired {
		t.Fatalf("swept export is %s", got.Status)
	}
}
