package store_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/secops/eventexport/internal/export"
	"github.com/secops/eventexport/internal/local"
	"github.com/secops/eventexport/internal/store"
)

// These tests run against dynalite over HTTP with the real SDK: the
// guarantees under test are DynamoDB's conditional writes, not a fake's.
var client *dynamodb.Client

func TestMain(m *testing.M) {
	root, err := local.RepoRoot()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	dir, _ := os.MkdirTemp("", "store-test-")
	st, err := local.StartDynamoDB(context.Background(), local.Config{Root: root, DataDir: dir})
	if err != nil {
		fmt.Fprintln(os.Stderr, "dynalite:", err, "(run make deps)")
		os.Exit(1)
	}
	client = dynamodb.New(dynamodb.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(st.DynamoDB),
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
	})
	code := m.Run()
	st.Stop()
	os.RemoveAll(dir)
	os.Exit(code)
}

var tables atomic.Int64

// clock is a settable time source shared by goroutines.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.now = t; c.mu.Unlock() }

func newStore(t *testing.T, limits export.Limits, c *clock) *store.Store {
	t.Helper()
	name := fmt.Sprintf("table-%d", tables.Add(1))
	if _, err := client.CreateTable(context.Background(), store.TableSchema(name)); err != nil {
		t.Fatal(err)
	}
	for i := 0; ; i++ {
		out, err := client.DescribeTable(context.Background(), &dynamodb.DescribeTableInput{TableName: &name})
		if err == nil && out.Table.TableStatus == "ACTIVE" {
			break
		}
		if i == 200 {
			t.Fatalf("table %s not active: %v", name, err)
		}
		time.Sleep(25 * time.Millisecond)
	}
	var now func() time.Time
	if c != nil {
		now = c.Now
	}
	return store.New(client, name, limits, now)
}

func newJob(t *testing.T, s *store.Store, community string) *export.SearchJob {
	t.Helper()
	j := &export.SearchJob{ID: export.NewID("job"), Community: community, Query: "*",
		Earliest: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), Latest: time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)}
	if err := s.CreateJob(context.Background(), j); err != nil {
		t.Fatal(err)
	}
	return j
}

func newExport(j *export.SearchJob) *export.Export {
	return &export.Export{ID: export.NewID("exp"), Community: j.Community, JobID: j.ID, Fields: []string{"@timestamp"}, Query: "*", From: j.Earliest, To: j.Latest}
}

func codeOf(err error) export.Code {
	var e *export.Error
	if errors.As(err, &e) {
		return e.Code
	}
	return "other"
}

func TestOneActiveExportPerCommunityUnderRace(t *testing.T) {
	s := newStore(t, export.Defaults, nil)
	var wg sync.WaitGroup
	var accepted, conflicts atomic.Int64
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			j := newJob(t, s, "acme")
			err := s.Reserve(context.Background(), newExport(j))
			switch codeOf(err) {
			case "other":
				if err == nil {
					accepted.Add(1)
					return
				}
				t.Error(err)
			case export.CodeConflict:
				conflicts.Add(1)
			default:
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if accepted.Load() != 1 || conflicts.Load() != 49 {
		t.Fatalf("accepted %d, conflicts %d; want 1 and 49", accepted.Load(), conflicts.Load())
	}
}

func TestTenExportsPerSearchJob(t *testing.T) {
	s := newStore(t, export.Defaults, nil)
	j := newJob(t, s, "acme")
	var accepted atomic.Int64
	for round := 0; round < 15 && accepted.Load() <= 10; round++ {
		var wg sync.WaitGroup
		var winners sync.Map
		for i := 0; i < 30; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				e := newExport(j)
				err := s.Reserve(context.Background(), e)
				if err == nil {
					accepted.Add(1)
					winners.Store(e.ID, true)
					return
				}
				if c := codeOf(err); c != export.CodeConflict && c != export.CodeJobLimit {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		// Release the lease between rounds, as a finished export does.
		winners.Range(func(id, _ any) bool {
			if err := s.Fail(context.Background(), id.(string), export.CodeInternal, "test"); err != nil {
				t.Error(err)
			}
			return true
		})
	}
	if accepted.Load() != 10 {
		t.Fatalf("accepted %d exports of one search job, want exactly 10", accepted.Load())
	}
	got, err := s.GetJob(context.Background(), "acme", j.ID)
	if err != nil || got.ExportCount != 10 {
		t.Fatalf("job export_count = %v (%v), want 10", got.ExportCount, err)
	}
	err = s.Reserve(context.Background(), newExport(j))
	if codeOf(err) != export.CodeJobLimit {
		t.Fatalf("11th export: %v, want %s", err, export.CodeJobLimit)
	}
}

func running(t *testing.T, s *store.Store, community string) *export.Export {
	t.Helper()
	e := newExport(newJob(t, s, community))
	if err := s.Reserve(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	if err := s.Start(context.Background(), e.ID, 1000, 100); err != nil {
		t.Fatal(err)
	}
	got, err := s.Export(context.Background(), e.ID)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestQuotaHoldsUnderRacingChunkCharges(t *testing.T) {
	limits := export.Defaults
	limits.MonthlyBytes = 10_000
	s := newStore(t, limits, nil)
	e := running(t, s, "acme")
	var wg sync.WaitGroup
	var acceptedBytes, accepted atomic.Int64
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func(seq int) {
			defer wg.Done()
			n := int64(150 + seq%7*10)
			err := s.ChargeChunk(context.Background(), e, store.ChunkResult{Seq: seq, Bytes: n, Counts: export.Counts{Exported: 1, Read: 1}})
			switch {
			case err == nil:
				acceptedBytes.Add(n)
				accepted.Add(1)
			case codeOf(err) != export.CodeQuotaExceeded:
				t.Error(err)
			}
		}(i)
	}
	wg.Wait()
	u, err := s.Usage(context.Background(), "acme")
	if err != nil {
		t.Fatal(err)
	}
	if u.Used > limits.MonthlyBytes {
		t.Fatalf("usage %d went past the limit %d", u.Used, limits.MonthlyBytes)
	}
	if u.Used != acceptedBytes.Load() {
		t.Fatalf("usage %d != sum of accepted charges %d", u.Used, acceptedBytes.Load())
	}
	if accepted.Load() == 100 || accepted.Load() == 0 {
		t.Fatalf("accepted %d charges: the race did not reach the quota", accepted.Load())
	}
	got, _ := s.Export(context.Background(), e.ID)
	if got.Counts.Exported != accepted.Load() || got.ChunksDone != int(accepted.Load()) {
		t.Fatalf("export counted %d events in %d chunks, want %d", got.Counts.Exported, got.ChunksDone, accepted.Load())
	}
}

func TestRetriedChunkChargesOnce(t *testing.T) {
	s := newStore(t, export.Defaults, nil)
	e := running(t, s, "acme")
	r := store.ChunkResult{Seq: 3, Bytes: 500, Counts: export.Counts{Exported: 40, Read: 50, Invalid: 2}}
	for i := 0; i < 3; i++ {
		if err := s.ChargeChunk(context.Background(), e, r); err != nil {
			t.Fatal(err)
		}
	}
	u, _ := s.Usage(context.Background(), "acme")
	got, _ := s.Export(context.Background(), e.ID)
	if u.Used != 500 || got.Counts.Exported != 40 || got.Counts.Read != 50 || got.Counts.Invalid != 2 || got.ChunksDone != 1 || got.Bytes != 500 {
		t.Fatalf("after 3 tries: usage %d, export %+v bytes %d chunks %d", u.Used, got.Counts, got.Bytes, got.ChunksDone)
	}
}

func TestEventLimitIsExact(t *testing.T) {
	limits := export.Defaults
	limits.EventsPerExport = 100
	s := newStore(t, limits, nil)
	e := running(t, s, "acme")
	if err := s.ChargeChunk(context.Background(), e, store.ChunkResult{Seq: 0, Bytes: 10, Counts: export.Counts{Exported: 60}}); err != nil {
		t.Fatal(err)
	}
	if err := s.ChargeChunk(context.Background(), e, store.ChunkResult{Seq: 1, Bytes: 10, Counts: export.Counts{Exported: 40}}); err != nil {
		t.Fatal(err)
	}
	err := s.ChargeChunk(context.Background(), e, store.ChunkResult{Seq: 2, Bytes: 10, Counts: export.Counts{Exported: 1}})
	if codeOf(err) != export.CodeEventLimit {
		t.Fatalf("101st event: %v, want %s", err, export.CodeEventLimit)
	}
}

func TestFailGivesBackBytesAndReleasesLease(t *testing.T) {
	s := newStore(t, export.Defaults, nil)
	e := running(t, s, "acme")
	for seq := 0; seq < 120; seq++ {
		if err := s.ChargeChunk(context.Background(), e, store.ChunkResult{Seq: seq, Bytes: 1000}); err != nil {
			t.Fatal(err)
		}
	}
	other := running(t, s, "other")
	if err := s.ChargeChunk(context.Background(), other, store.ChunkResult{Seq: 0, Bytes: 7}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ { // failing twice refunds once
		if err := s.Fail(context.Background(), e.ID, export.CodeQuotaExceeded, "test"); err != nil {
			t.Fatal(err)
		}
	}
	u, _ := s.Usage(context.Background(), "acme")
	if u.Used != 0 {
		t.Fatalf("usage after refund = %d, want 0", u.Used)
	}
	if u, _ := s.Usage(context.Background(), "other"); u.Used != 7 {
		t.Fatalf("another community's usage changed to %d", u.Used)
	}
	got, _ := s.Export(context.Background(), e.ID)
	if got.Status != export.Failed || len(got.WrappedKey) != 0 {
		t.Fatalf("status %s, wrapped key kept: %v", got.Status, len(got.WrappedKey) > 0)
	}
	if lease, _ := s.ActiveLease(context.Background(), "acme"); lease != nil {
		t.Fatalf("lease still held by %s", lease.ExportID)
	}
}

func TestExpiredLeaseIsTakenOverLiveOneIsNot(t *testing.T) {
	c := &clock{now: time.Date(2026, 11, 10, 12, 0, 0, 0, time.UTC)}
	limits := export.Defaults
	limits.LeaseTTL = time.Hour
	s := newStore(t, limits, c)
	first := newExport(newJob(t, s, "acme"))
	if err := s.Reserve(context.Background(), first); err != nil {
		t.Fatal(err)
	}
	c.Set(c.Now().Add(59 * time.Minute))
	if err := s.Reserve(context.Background(), newExport(newJob(t, s, "acme"))); codeOf(err) != export.CodeConflict {
		t.Fatalf("live lease: %v, want %s", err, export.CodeConflict)
	}
	c.Set(c.Now().Add(2 * time.Minute))
	second := newExport(newJob(t, s, "acme"))
	if err := s.Reserve(context.Background(), second); err != nil {
		t.Fatalf("expired lease not taken over: %v", err)
	}
	got, _ := s.Export(context.Background(), first.ID)
	if got.Status != export.Failed {
		t.Fatalf("the dead export is %s, want FAILED", got.Status)
	}
}

func TestMonthRollsOverAtMidnightUTCOnTheFirst(t *testing.T) {
	c := &clock{now: time.Date(2026, 11, 30, 23, 59, 59, 0, time.UTC)}
	limits := export.Defaults
	limits.MonthlyBytes = 1000
	s := newStore(t, limits, c)
	e := running(t, s, "acme")
	if err := s.ChargeChunk(context.Background(), e, store.ChunkResult{Seq: 0, Bytes: 1000}); err != nil {
		t.Fatal(err)
	}
	if err := s.Reserve(context.Background(), newExport(newJob(t, s, "acme"))); codeOf(err) != export.CodeQuotaExceeded {
		t.Fatalf("create with the quota used: %v, want %s", err, export.CodeQuotaExceeded)
	}
	u, _ := s.Usage(context.Background(), "acme")
	if want := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC); !u.ResetAt.Equal(want) {
		t.Fatalf("reset at %s, want %s", u.ResetAt, want)
	}
	c.Set(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	u, _ = s.Usage(context.Background(), "acme")
	if u.Used != 0 || u.Month != "2026-12" {
		t.Fatalf("new month usage = %+v", u)
	}
	if err := s.ChargeChunk(context.Background(), e, store.ChunkResult{Seq: 1, Bytes: 1000}); err != nil {
		t.Fatalf("charge in the new month: %v", err)
	}
	// A failure refunds both months.
	if err := s.Fail(context.Background(), e.ID, export.CodeInternal, "test"); err != nil {
		t.Fatal(err)
	}
	c.Set(time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC))
	if u, _ := s.Usage(context.Background(), "acme"); u.Used != 0 {
		t.Fatalf("November usage after refund = %d", u.Used)
	}
}

func TestOtherCommunitiesSeeNothing(t *testing.T) {
	s := newStore(t, export.Defaults, nil)
	e := running(t, s, "acme")
	if _, err := s.GetExport(context.Background(), "intruder", e.ID); codeOf(err) != export.CodeNotFound {
		t.Fatalf("another community read the export: %v", err)
	}
	if _, err := s.GetJob(context.Background(), "intruder", e.JobID); codeOf(err) != export.CodeNotFound {
		t.Fatalf("another community read the job: %v", err)
	}
	page, err := s.ListExports(context.Background(), "intruder", store.ListFilter{})
	if err != nil || len(page.Items) != 0 {
		t.Fatalf("another community listed %d exports (%v)", len(page.Items), err)
	}
}

func TestListPaginates(t *testing.T) {
	s := newStore(t, export.Defaults, nil)
	for i := 0; i < 5; i++ {
		e := running(t, s, "acme")
		if err := s.Fail(context.Background(), e.ID, export.CodeInternal, "test"); err != nil {
			t.Fatal(err)
		}
	}
	seen := map[string]bool{}
	cursor := ""
	for pages := 0; ; pages++ {
		page, err := s.ListExports(context.Background(), "acme", store.ListFilter{Limit: 2, Cursor: cursor, Status: "FAILED"})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range page.Items {
			if seen[e.ID] {
				t.Fatalf("%s listed twice", e.ID)
			}
			seen[e.ID] = true
		}
		if page.Next == "" {
			break
		}
		cursor = page.Next
	}
	if len(seen) != 5 {
		t.Fatalf("listed %d exports, want 5", len(seen))
	}
}

func TestAPIKeysAreStoredHashed(t *testing.T) {
	s := newStore(t, export.Defaults, nil)
	if err := s.PutAPIKey(context.Background(), "secret-key", "acme"); err != nil {
		t.Fatal(err)
	}
	if c, err := s.CommunityOf(context.Background(), "secret-key"); err != nil || c != "acme" {
		t.Fatalf("CommunityOf = %q, %v", c, err)
	}
	if _, err := s.CommunityOf(context.Background(), "wrong"); codeOf(err) != export.CodeUnauthorized {
		t.Fatalf("wrong key: %v", err)
	}
}

func TestListByCreationTime(t *testing.T) {
	c := &clock{now: time.Date(2026, 11, 10, 12, 0, 0, 0, time.UTC)}
	s := newStore(t, export.Defaults, c)
	var ids []string
	for i := 0; i < 4; i++ {
		c.Set(time.Date(2026, 11, 10, 12, 0, i, 0, time.UTC)) // whole seconds: the format must still sort
		e := running(t, s, "acme")
		ids = append(ids, e.ID)
		if err := s.Fail(context.Background(), e.ID, export.CodeInternal, "test"); err != nil {
			t.Fatal(err)
		}
	}
	page, err := s.ListExports(context.Background(), "acme", store.ListFilter{
		Since: time.Date(2026, 11, 10, 12, 0, 1, 0, time.UTC),
		Until: time.Date(2026, 11, 10, 12, 0, 3, 0, time.UTC),
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 2 || page.Items[0].ID != ids[2] || page.Items[1].ID != ids[1] {
		t.Fatalf("got %d items; want exports 2 then 1 (newest first)", len(page.Items))
	}
}

func TestPartialProgressIsNotCountedTwice(t *testing.T) {
	s := newStore(t, export.Defaults, nil)
	e := running(t, s, "acme")
	ctx := context.Background()
	if err := s.ReportProgress(ctx, e.ID, 0, 300); err != nil {
		t.Fatal(err)
	}
	_ = s.ReportProgress(ctx, e.ID, 1, 200)
	if got, _ := s.Export(ctx, e.ID); got.Progress != 500 {
		t.Fatalf("progress %d while running, want 500", got.Progress)
	}
	if err := s.ChargeChunk(ctx, e, store.ChunkResult{Seq: 0, Counts: export.Counts{Read: 400, Exported: 400}}); err != nil {
		t.Fatal(err)
	}
	_ = s.ReportProgress(ctx, e.ID, 0, 999) // late report of a finished chunk: ignored
	if got, _ := s.Export(ctx, e.ID); got.Progress != 600 {
		t.Fatalf("progress %d after chunk 0 finished, want 400 + 200", got.Progress)
	}
}

func TestScheduleListByCreationTime(t *testing.T) {
	s := newStore(t, export.Defaults, nil)
	var ids []string
	for i := 0; i < 4; i++ {
		sc := &export.Schedule{ID: export.NewID("sch"), Community: "acme", Name: "daily", Query: "*", Window: "24h",
			CreatedAt: time.Date(2026, 11, 10, 12, 0, i, 0, time.UTC)}
		if err := s.PutSchedule(context.Background(), sc); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, sc.ID)
	}
	page, err := s.ListSchedules(context.Background(), "acme", store.ListFilter{
		Since: time.Date(2026, 11, 10, 12, 0, 1, 0, time.UTC),
		Until: time.Date(2026, 11, 10, 12, 0, 3, 0, time.UTC),
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 2 || page.Items[0].ID != ids[2] || page.Items[1].ID != ids[1] {
		t.Fatalf("got %d items; want schedules 2 then 1 (newest first)", len(page.Items))
	}
}

func TestGetScheduleHidesOnlyOtherCommunities(t *testing.T) {
	s := newStore(t, export.Defaults, nil)
	sc := &export.Schedule{ID: export.NewID("sch"), Community: "acme", Name: "daily", Query: "*", Window: "24h"}
	if err := s.PutSchedule(context.Background(), sc); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetSchedule(context.Background(), "intruder", sc.ID); codeOf(err) != export.CodeNotFound {
		t.Fatalf("another community read the schedule: %v", err)
	}
	// A failing store is not a missing schedule: the client should retry, not give up.
	broken := store.New(client, "no-such-table", export.Defaults, nil)
	if _, err := broken.GetSchedule(context.Background(), "acme", sc.ID); err == nil || codeOf(err) == export.CodeNotFound {
		t.Fatalf("store error reported as %v, want it passed on", err)
	}
}
