package api

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/secops/eventexport/internal/export"
	"github.com/secops/eventexport/internal/query"
)

// ScheduleRequest creates a schedule: the query, the rolling window each run
// exports, the fields, and where the file goes.
type ScheduleRequest struct {
	Name              string     `json:"name"`
	Query             string     `json:"term"`
	Window            string     `json:"window"`
	Fields            []string   `json:"fields"`
	Presets           []string   `json:"presets"`
	Preset            string     `json:"preset"`
	SSECustomerKey    string     `json:"sse_customer_key"`
	SSECustomerKeyMD5 string     `json:"sse_customer_key_md5"`
	S3                *S3Request `json:"s3"`
}

// ScheduleEvent is what EventBridge Scheduler sends the schedule function:
// an id, never a secret.
type ScheduleEvent struct {
	ScheduleID string `json:"schedule_id"`
}

// maxWindow bounds a schedule's window: a month of events in one export.
const maxWindow = 31 * 24 * time.Hour

// CreateSchedule validates a schedule like an export, then keeps its key and
// credentials wrapped by KMS for the unattended runs.
func (s *Service) CreateSchedule(ctx context.Context, community string, req ScheduleRequest) (*export.Schedule, error) {
	if strings.TrimSpace(req.Name) == "" {
		return nil, export.Errorf(export.CodeInvalid, "name is required: say what the schedule exports, for example \"daily denied connections\"")
	}
	q, err := query.Parse(req.Query)
	if err != nil {
		return nil, err
	}
	window, ok := parseDuration(req.Window)
	if !ok || window < time.Hour || window > maxWindow {
		return nil, export.Errorf(export.CodeInvalid, "window %q must be a duration from 1h to 31d, such as 24h or 7d: each run exports the window that just ended", req.Window)
	}
	fieldList, err := s.resolveFields(req.Preset, req.Presets, req.Fields)
	if err != nil {
		return nil, err
	}
	sec, err := s.fileSecrets(ctx, req.SSECustomerKey, req.SSECustomerKeyMD5, req.S3, false)
	if err != nil {
		return nil, err
	}
	sc := &export.Schedule{
		ID: export.NewID("sch"), Community: community, Name: req.Name, Query: q.String(), Window: req.Window,
		Fields: fieldList, Destination: sec.dest, KeyMD5: sec.keyMD5(),
	}
	if sc.WrappedKey, sc.WrappedCredentials, err = s.Keys.Wrap(ctx, sc.Destination, sec.secrets, community, sc.ID); err != nil {
		return nil, err
	}
	if err := s.Store.PutSchedule(ctx, sc); err != nil {
		return nil, err
	}
	return sc, nil
}

// scheduledRange is the window that ended last: runs aligned on UTC
// boundaries tile time without gaps or overlaps when the schedule fires
// once per window.
func scheduledRange(now time.Time, window time.Duration) (time.Time, time.Time) {
	to := now.UTC().Truncate(min(window, 24*time.Hour))
	return to.Add(-window), to
}

// RunSchedule is one run: a search job over the window that just ended and
// an export of it, under the same limits as any export.
func (s *Service) RunSchedule(ctx context.Context, ev ScheduleEvent) (*export.Export, error) {
	sc, err := s.Store.Schedule(ctx, ev.ScheduleID)
	if err != nil {
		return nil, err
	}
	window, _ := parseDuration(sc.Window)
	from, to := scheduledRange(s.now(), window)
	job := &export.SearchJob{ID: export.NewID("job"), Community: sc.Community, Query: sc.Query, Earliest: from, Latest: to}
	if err := s.Store.CreateJob(ctx, job); err != nil {
		return nil, err
	}
	e := &export.Export{
		ID: export.NewID("exp"), Community: sc.Community, JobID: job.ID, Fields: sc.Fields,
		Query: sc.Query, From: from, To: to, Destination: sc.Destination, KeyMD5: sc.KeyMD5,
	}
	secrets, err := s.Keys.Unwrap(ctx, sc.Destination, sc.WrappedKey, sc.WrappedCredentials, sc.Community, sc.ID)
	if err != nil {
		return nil, err
	}
	created, err := s.start(ctx, e, secrets)
	if err != nil {
		return nil, err
	}
	return created.Export, s.Store.ScheduleRan(ctx, sc.ID, e.ID, s.now())
}

func (s *Service) postSchedule(w http.ResponseWriter, r *http.Request, community string) error {
	var req ScheduleRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	return reply(w, http.StatusCreated)(s.CreateSchedule(r.Context(), community, req))
}

func (s *Service) listSchedules(w http.ResponseWriter, r *http.Request, community string) error {
	f, err := s.listFilter(r)
	if err != nil {
		return err
	}
	return reply(w, http.StatusOK)(s.Store.ListSchedules(r.Context(), community, f))
}

func (s *Service) getSchedule(w http.ResponseWriter, r *http.Request, community string) error {
	return reply(w, http.StatusOK)(s.Store.GetSchedule(r.Context(), community, r.PathValue("id")))
}

func (s *Service) deleteSchedule(w http.ResponseWriter, r *http.Request, community string) error {
	sc, err := s.Store.GetSchedule(r.Context(), community, r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := s.Store.DeleteSchedule(r.Context(), community, sc.ID); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, sc)
	return nil
}
