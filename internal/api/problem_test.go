package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/secops/eventexport/internal/export"
	"github.com/secops/eventexport/internal/fields"
	"github.com/secops/eventexport/internal/query"
)

func withExtra(code export.Code, detail string, extra map[string]any) *export.Error {
	e := export.Errorf(code, "%s", detail)
	e.Extra = extra
	return e
}

// serveProblem writes err as a problem for a request to path and decodes it.
func serveProblem(t *testing.T, err error, path string, log *slog.Logger) (*httptest.ResponseRecorder, map[string]any) {
	t.Helper()
	rec := httptest.NewRecorder()
	(&Service{Log: log}).writeProblem(rec, httptest.NewRequest(http.MethodPost, path, nil), err)
	var body map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("problem is not JSON: %v: %s", err, rec.Body)
	}
	return rec, body
}

func fieldsError(t *testing.T) error {
	t.Helper()
	_, err := fields.ECS().Resolve(nil, []string{"source.*"})
	var fe *fields.Error
	if !errors.As(err, &fe) {
		t.Fatalf("Resolve(source.*) = %v, want a *fields.Error", err)
	}
	return err
}

func syntaxError(t *testing.T) error {
	t.Helper()
	_, err := query.Parse("a AND")
	var se *query.SyntaxError
	if !errors.As(err, &se) {
		t.Fatalf("Parse(a AND) = %v, want a *query.SyntaxError", err)
	}
	return err
}

func TestProblemDocuments(t *testing.T) {
	reset := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
	tests := []struct {
		name       string
		err        error
		wantStatus int
		wantCode   export.Code
		wantDetail string         // substring
		wantExtra  map[string]any // members beside the standard ones, as JSON decodes them
	}{
		{"invalid", export.Errorf(export.CodeInvalid, "limit %q must be a whole number", "x"), 400, export.CodeInvalid, `limit "x" must be`, nil},
		{"destination", export.Errorf(export.CodeDestination, "bucket refused"), 400, export.CodeDestination, "bucket refused", nil},
		{"unauthorized", export.Errorf(export.CodeUnauthorized, "no key"), 401, export.CodeUnauthorized, "no key", nil},
		{"not found", export.Errorf(export.CodeNotFound, "export %q does not exist", "exp_1"), 404, export.CodeNotFound, `"exp_1"`, nil},
		{"already active", withExtra(export.CodeConflict, "exp_1 is active", map[string]any{"active_export": "exp_1", "active_export_status": export.Running}),
			409, export.CodeConflict, "exp_1 is active", map[string]any{"active_export": "exp_1", "active_export_status": "RUNNING"}},
		{"per job", withExtra(export.CodeJobLimit, "10 exports", map[string]any{"limit": 10}), 409, export.CodeJobLimit, "10 exports", map[string]any{"limit": 10.0}},
		{"not ready", export.Errorf(export.CodeNotReady, "RUNNING"), 409, export.CodeNotReady, "RUNNING", nil},
		{"cancelled", export.Errorf(export.CodeCancelled, "no longer active"), 409, export.CodeCancelled, "no longer active", nil},
		{"gone", export.Errorf(export.CodeGone, "expired"), 410, export.CodeGone, "expired", nil},
		{"event limit", export.Errorf(export.CodeEventLimit, "over 100000000"), 422, export.CodeEventLimit, "over 100000000", nil},
		{"quota", withExtra(export.CodeQuotaExceeded, "quota used", map[string]any{"used_bytes": int64(10), "limit_bytes": int64(10), "reset_at": reset}),
			429, export.CodeQuotaExceeded, "quota used", map[string]any{"used_bytes": 10.0, "limit_bytes": 10.0, "reset_at": reset.Format(time.RFC3339)}},
		{"internal code", export.Errorf(export.CodeInternal, "workflow not started"), 500, export.CodeInternal, "workflow not started", nil},
		{"wrapped", fmt.Errorf("store: %w", export.Errorf(export.CodeNotFound, "job gone")), 404, export.CodeNotFound, "job gone", nil},
		{"fields", fieldsError(t), 400, export.CodeInvalid, `"source.*" is a wildcard`,
			map[string]any{"field": "source.*", "suggestions": []any{"source.ip", "source.port"}}},
		{"query syntax", syntaxError(t), 400, export.CodeInvalid, "unexpected end of query",
			map[string]any{"position": 5.0, "line": 1.0, "column": 6.0, "expected": `a term, field:value or "(" after "AND"`}},
		{"extras cannot replace standard members", withExtra(export.CodeGone, "expired", map[string]any{"status": 200, "code": "OK", "type": "x", "title": "x", "detail": "x", "n": 1}),
			410, export.CodeGone, "expired", map[string]any{"n": 1.0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			const path = "/v1/exports/exp_1/download-url"
			rec, body := serveProblem(t, tt.err, path, slog.New(slog.DiscardHandler))
			if rec.Code != tt.wantStatus {
				t.Errorf("status %d, want %d", rec.Code, tt.wantStatus)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("Content-Type %q, want application/problem+json", ct)
			}
			want := map[string]any{
				"type":     "https://docs.eventexport.dev/problems/" + string(tt.wantCode),
				"title":    titleOf[tt.wantCode],
				"status":   float64(tt.wantStatus),
				"code":     string(tt.wantCode),
				"instance": path,
			}
			for k, v := range tt.wantExtra {
				want[k] = v
			}
			detail, _ := body["detail"].(string)
			if !strings.Contains(detail, tt.wantDetail) {
				t.Errorf("detail %q does not contain %q", detail, tt.wantDetail)
			}
			delete(body, "detail")
			if got, _ := json.Marshal(body); string(got) != string(must(json.Marshal(want))) {
				t.Errorf("problem\n got %s\nwant %s", got, must(json.Marshal(want)))
			}

			retry := rec.Header().Get("Retry-After")
			if tt.wantCode != export.CodeQuotaExceeded {
				if retry != "" {
					t.Errorf("Retry-After %q on a %s", retry, tt.wantCode)
				}
				return
			}
			secs, err := strconv.Atoi(retry)
			if err != nil || secs < 3500 || secs > 3601 {
				t.Errorf("Retry-After %q, want the seconds until reset_at (about 3600)", retry)
			}
		})
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

func TestEveryCodeHasStatusAndTitle(t *testing.T) {
	codes := []export.Code{
		export.CodeInvalid, export.CodeNotFound, export.CodeUnauthorized, export.CodeConflict, export.CodeJobLimit,
		export.CodeQuotaExceeded, export.CodeEventLimit, export.CodeGone, export.CodeNotReady, export.CodeCancelled,
		export.CodeDestination, export.CodeInternal,
	}
	for _, c := range codes {
		if statusOf[c] < 400 || titleOf[c] == "" {
			t.Errorf("%s: status %d, title %q", c, statusOf[c], titleOf[c])
		}
	}
	if len(statusOf) != len(codes) || len(titleOf) != len(codes) {
		t.Errorf("statusOf has %d codes, titleOf %d, want %d", len(statusOf), len(titleOf), len(codes))
	}
}

func TestUnknownErrorIsGeneric(t *testing.T) {
	const secret = "dial tcp 10.1.2.3:8000: table eventexport-prod: AccessDenied for arn:aws:iam::123456789012:role/x"
	tests := []struct {
		name string
		err  error
	}{
		{"plain", errors.New(secret)},
		{"wrapped", fmt.Errorf("get job: %w", errors.New(secret))},
		{"unknown code", &export.Error{Code: "SOMETHING_NEW", Detail: "new code"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logged bytes.Buffer
			rec, body := serveProblem(t, tt.err, "/v1/quota", slog.New(slog.NewTextHandler(&logged, nil)))
			if rec.Code != http.StatusInternalServerError || body["status"] != 500.0 {
				t.Errorf("status %d / %v, want 500", rec.Code, body["status"])
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("Content-Type %q", ct)
			}
			if strings.Contains(rec.Body.String(), "10.1.2.3") || strings.Contains(rec.Body.String(), "arn:aws") {
				t.Errorf("the problem leaks the error: %s", rec.Body)
			}
			if tt.name == "unknown code" {
				return // an *export.Error is the user's to read; only its status falls back
			}
			if body["code"] != string(export.CodeInternal) || body["detail"] == "" || body["title"] != titleOf[export.CodeInternal] {
				t.Errorf("problem %v, want an INTERNAL problem with a generic detail", body)
			}
			if !strings.Contains(logged.String(), "10.1.2.3") || !strings.Contains(logged.String(), "/v1/quota") {
				t.Errorf("the cause is not logged with the instance: %q", logged.String())
			}
		})
	}
}

// authenticate answers before it touches the store when the header is
// missing or not "Bearer <key>", so a Service without a store serves these.
func TestUnauthenticatedRequests(t *testing.T) {
	h := (&Service{}).Handler()
	headers := []struct {
		name, value string
	}{
		{"missing", ""},
		{"basic", "Basic dXNlcjpwYXNz"},
		{"token scheme", "Token abc"},
		{"no space", "Bearerabc"},
		{"empty key", "Bearer "},
		{"blank key", "Bearer    "},
		{"scheme only", "Bearer"},
	}
	for _, rt := range (&Service{}).routes() {
		method, path, _ := strings.Cut(rt.pattern, " ")
		path = strings.ReplaceAll(path, "{id}", "exp_01")
		for _, hd := range headers {
			t.Run(rt.pattern+"/"+hd.name, func(t *testing.T) {
				req := httptest.NewRequest(method, path, strings.NewReader(`{"term":"*"}`))
				if hd.value != "" {
					req.Header.Set("Authorization", hd.value)
				}
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusUnauthorized {
					t.Fatalf("status %d, want 401: %s", rec.Code, rec.Body)
				}
				if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
					t.Errorf("Content-Type %q", ct)
				}
				var p map[string]any
				if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
					t.Fatal(err)
				}
				if p["code"] != string(export.CodeUnauthorized) || p["status"] != 401.0 || !strings.Contains(p["detail"].(string), "Authorization: Bearer") || p["instance"] != path {
					t.Errorf("problem %v", p)
				}
			})
		}
	}
}

func TestUnknownRouteIsProblem(t *testing.T) {
	h := (&Service{}).Handler()
	for _, tt := range []struct{ method, path string }{
		{http.MethodGet, "/v1/nope"},
		{http.MethodPut, "/v1/exports/exp_1"},
		{http.MethodGet, "/"},
	} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.path, nil))
		if rec.Code != http.StatusNotFound || rec.Header().Get("Content-Type") != "application/problem+json" ||
			!strings.Contains(rec.Body.String(), "/v1/openapi.json") {
			t.Errorf("%s %s: %d %q %s", tt.method, tt.path, rec.Code, rec.Header().Get("Content-Type"), rec.Body)
		}
	}
}
