// Package api is the service's front door: the operations on search jobs and
// exports (Service), their HTTP routes under /v1, the routes that make the
// official Sekoia.io export CLI work unchanged, and RFC 9457 problem
// documents for every error. The same handler runs locally and on Lambda.
package api

import (
	"context"
	"log/slog"
	"time"

	"github.com/secops/eventexport/internal/delivery"
	"github.com/secops/eventexport/internal/export"
	"github.com/secops/eventexport/internal/fields"
	"github.com/secops/eventexport/internal/keys"
	"github.com/secops/eventexport/internal/lake"
	"github.com/secops/eventexport/internal/query"
	"github.com/secops/eventexport/internal/store"
	"github.com/secops/eventexport/internal/workflow"
)

// Service carries out the API's operations for one authenticated community.
type Service struct {
	Store     *store.Store
	Lake      *lake.Lake
	Platform  *delivery.Platform
	Keys      keys.Wrapper
	Workflow  workflow.Runner
	Schema    *fields.Schema
	Endpoints delivery.EndpointPolicy
	Log       *slog.Logger
	Now       func() time.Time
}

func (s *Service) now() time.Time {
	if s.Now == nil {
		return time.Now().UTC()
	}
	return s.Now().UTC()
}

func (s *Service) log() *slog.Logger {
	if s.Log == nil {
		return slog.Default()
	}
	return s.Log
}

// JobRequest creates a search job.
type JobRequest struct {
	Query    string `json:"term"`
	Earliest string `json:"earliest_time"`
	Latest   string `json:"latest_time"`
}

// CreateJob validates and stores a search job.
func (s *Service) CreateJob(ctx context.Context, community string, req JobRequest) (*export.SearchJob, error) {
	q, err := query.Parse(req.Query)
	if err != nil {
		return nil, err
	}
	r, err := parseRange("earliest_time", req.Earliest, "latest_time", req.Latest, s.now())
	if err != nil {
		return nil, err
	}
	from, to := r[0], r[1]
	j := &export.SearchJob{ID: export.NewID("job"), Community: community, Query: q.String(), Earliest: from, Latest: to}
	if err := s.Store.CreateJob(ctx, j); err != nil {
		return nil, err
	}
	// Events may carry fields outside the schema, so an unknown field is
	// not an error, but it is most often a typo that would match nothing.
	for _, f := range q.Fields() {
		if err := s.Schema.Check(f); err != nil {
			j.Warnings = append(j.Warnings, err.Error())
		}
	}
	return j, nil
}

// Quota is what GET /v1/quota shows.
type Quota struct {
	store.Usage
	ExportsPerJob   int    `json:"exports_per_job"`
	EventsPerExport int64  `json:"events_per_export"`
	ActiveExport    string `json:"active_export,omitempty"`
}

// Quota reports the community's usage and limits.
func (s *Service) Quota(ctx context.Context, community string) (Quota, error) {
	u, err := s.Store.Usage(ctx, community)
	if err != nil {
		return Quota{}, err
	}
	l := s.Store.Limits()
	q := Quota{Usage: u, ExportsPerJob: l.ExportsPerJob, EventsPerExport: l.EventsPerExport}
	if lease, err := s.Store.ActiveLease(ctx, community); err != nil {
		return Quota{}, err
	} else if lease != nil {
		q.ActiveExport = lease.ExportID
	}
	return q, nil
}
