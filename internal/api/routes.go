package api

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/secops/eventexport/internal/export"
	"github.com/secops/eventexport/internal/store"
)

//go:embed openapi.json
var openAPI []byte

// maxBody bounds request bodies; an export request is a few KiB.
const maxBody = 1 << 20

type route struct {
	pattern string
	handle  func(w http.ResponseWriter, r *http.Request, community string) error
}

// routes are the authenticated routes, as "METHOD /path/{param}" patterns.
func (s *Service) routes() []route {
	return []route{
		{"POST /v1/search/jobs", s.postJob},
		{"GET /v1/search/jobs", s.listJobs},
		{"GET /v1/search/jobs/{id}", s.getJob},
		{"POST /v1/search/jobs/{id}/exports", s.postExport},
		{"GET /v1/exports", s.listExports},
		{"GET /v1/exports/{id}", s.getExport},
		{"DELETE /v1/exports/{id}", s.deleteExport},
		{"POST /v1/exports/{id}/download-url", s.postDownloadURL},
		{"GET /v1/quota", s.getQuota},
		{"POST /v1/schedules", s.postSchedule},
		{"GET /v1/schedules", s.listSchedules},
		{"GET /v1/schedules/{id}", s.getSchedule},
		{"DELETE /v1/schedules/{id}", s.deleteSchedule},
		// The Sekoia.io export API, for its official CLI.
		{"POST /v1/sic/conf/events/search/jobs", s.postSekoiaJob},
		{"POST /v1/sic/conf/events/search/jobs/{id}/export", s.postSekoiaExport},
		{"GET /v1/tasks/{id}", s.getTask},
	}
}

// publicRoutes are served without an API key.
var publicRoutes = map[string]http.HandlerFunc{
	"GET /v1/openapi.json": func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(openAPI)
	},
	"GET /healthz": func(w http.ResponseWriter, r *http.Request) { writeJSON(w, http.StatusOK, map[string]bool{"ok": true}) },
}

// Routes lists every route the API serves, authenticated or not.
func Routes() []string {
	out := PublicRoutes()
	for _, r := range (&Service{}).routes() {
		out = append(out, r.pattern)
	}
	return out
}

// PublicRoutes lists the routes served without an API key.
func PublicRoutes() []string { return slices.Sorted(maps.Keys(publicRoutes)) }

// Handler returns the HTTP API.
func (s *Service) Handler() http.Handler {
	mux := http.NewServeMux()
	for pattern, h := range publicRoutes {
		mux.HandleFunc(pattern, h)
	}
	for _, rt := range s.routes() {
		h := rt.handle
		mux.HandleFunc(rt.pattern, func(w http.ResponseWriter, r *http.Request) {
			community, err := s.authenticate(r)
			if err == nil {
				err = h(w, r, community)
			}
			if err != nil {
				s.writeProblem(w, r, err)
			}
		})
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.writeProblem(w, r, export.Errorf(export.CodeNotFound, "no route %s %s; see /v1/openapi.json for the routes", r.Method, r.URL.Path))
	})
	return mux
}

func (s *Service) authenticate(r *http.Request) (string, error) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		return "", export.Errorf(export.CodeUnauthorized, "send your API key as 'Authorization: Bearer <key>'")
	}
	return s.Store.CommunityOf(r.Context(), strings.TrimSpace(token))
}

// decode reads a JSON body strictly enough to catch typos in member names.
func decode(r *http.Request, v any) error {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return export.Errorf(export.CodeInvalid, "could not read the request body: %v", err)
	}
	if len(body) > maxBody {
		return export.Errorf(export.CodeInvalid, "the request body is larger than %d bytes", maxBody)
	}
	if len(strings.TrimSpace(string(body))) == 0 {
		return nil
	}
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &syn):
			return export.Errorf(export.CodeInvalid, "the body is not valid JSON (at byte %d: %v); send a JSON object", syn.Offset, err)
		case errors.Is(err, io.ErrUnexpectedEOF):
			return export.Errorf(export.CodeInvalid, "the body is not valid JSON: it ends before the object is complete")
		case errors.As(err, &typ) && typ.Field == "":
			return export.Errorf(export.CodeInvalid, "the body must be a JSON object, not %s", typ.Value)
		case errors.As(err, &typ):
			return export.Errorf(export.CodeInvalid, "member %q must be %s, not %s", typ.Field, typ.Type, typ.Value)
		}
		return export.Errorf(export.CodeInvalid, "the body was not understood: %v", err)
	}
	if dec.More() {
		return export.Errorf(export.CodeInvalid, "the body holds more than one JSON value; send a single JSON object")
	}
	return nil
}

func (s *Service) postJob(w http.ResponseWriter, r *http.Request, community string) error {
	var req JobRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	return reply(w, http.StatusCreated)(s.CreateJob(r.Context(), community, req))
}

func (s *Service) getJob(w http.ResponseWriter, r *http.Request, community string) error {
	return reply(w, http.StatusOK)(s.Store.GetJob(r.Context(), community, r.PathValue("id")))
}

func (s *Service) listFilter(r *http.Request) (store.ListFilter, error) {
	f := store.ListFilter{Status: r.URL.Query().Get("status"), Cursor: r.URL.Query().Get("cursor")}
	if l := r.URL.Query().Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 100 {
			return f, export.Errorf(export.CodeInvalid, "limit %q must be a whole number from 1 to 100", l)
		}
		f.Limit = n
	}
	for name, dst := range map[string]*time.Time{"created_after": &f.Since, "created_before": &f.Until} {
		if v := r.URL.Query().Get(name); v != "" {
			t, err := parseInstant(name, v, s.now())
			if err != nil {
				return f, err
			}
			*dst = t
		}
	}
	return f, nil
}

func (s *Service) listJobs(w http.ResponseWriter, r *http.Request, community string) error {
	f, err := s.listFilter(r)
	if err != nil {
		return err
	}
	return reply(w, http.StatusOK)(s.Store.ListJobs(r.Context(), community, f))
}

func (s *Service) createExport(r *http.Request, community string) (any, error) {
	var req ExportRequest
	if err := decode(r, &req); err != nil {
		return nil, err
	}
	if r.URL.Query().Get("dry_run") == "true" {
		req.DryRun = true
	}
	return s.CreateExport(r.Context(), community, r.PathValue("id"), req, r.Header.Get("Idempotency-Key"))
}

func (s *Service) postExport(w http.ResponseWriter, r *http.Request, community string) error {
	out, err := s.createExport(withoutCancel(r), community)
	if err != nil {
		return err
	}
	status := http.StatusAccepted
	if _, dry := out.(*DryRun); dry {
		status = http.StatusOK
	}
	writeJSON(w, status, out)
	return nil
}

func (s *Service) listExports(w http.ResponseWriter, r *http.Request, community string) error {
	f, err := s.listFilter(r)
	if err != nil {
		return err
	}
	return reply(w, http.StatusOK)(s.ListExports(r.Context(), community, f))
}

func (s *Service) getExport(w http.ResponseWriter, r *http.Request, community string) error {
	return reply(w, http.StatusOK)(s.GetExport(r.Context(), community, r.PathValue("id")))
}

func (s *Service) deleteExport(w http.ResponseWriter, r *http.Request, community string) error {
	return reply(w, http.StatusOK)(s.Cancel(r.Context(), community, r.PathValue("id")))
}

func (s *Service) postDownloadURL(w http.ResponseWriter, r *http.Request, community string) error {
	return reply(w, http.StatusOK)(s.DownloadURL(r.Context(), community, r.PathValue("id")))
}

func (s *Service) getQuota(w http.ResponseWriter, r *http.Request, community string) error {
	return reply(w, http.StatusOK)(s.Quota(r.Context(), community))
}

// withoutCancel keeps a create going when the client hangs up mid-request,
// so that it never leaves a half-made export behind.
func withoutCancel(r *http.Request) *http.Request {
	return r.WithContext(context.WithoutCancel(r.Context()))
}
