package api

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/secops/eventexport/internal/export"
	"github.com/secops/eventexport/internal/fields"
	"github.com/secops/eventexport/internal/query"
)

// Problem is an RFC 9457 problem document.
type Problem struct {
	Type     string         `json:"type"`
	Title    string         `json:"title"`
	Status   int            `json:"status"`
	Detail   string         `json:"detail"`
	Instance string         `json:"instance,omitempty"`
	Code     export.Code    `json:"code"`
	Extra    map[string]any `json:"-"`
}

// MarshalJSON flattens Extra beside the standard members, as RFC 9457 allows.
func (p Problem) MarshalJSON() ([]byte, error) {
	m := map[string]any{}
	for k, v := range p.Extra {
		m[k] = v
	}
	m["type"], m["title"], m["status"], m["detail"], m["code"] = p.Type, p.Title, p.Status, p.Detail, p.Code
	if p.Instance != "" {
		m["instance"] = p.Instance
	}
	return json.Marshal(m)
}

var statusOf = map[export.Code]int{
	export.CodeInvalid:       http.StatusBadRequest,
	export.CodeDestination:   http.StatusBadRequest,
	export.CodeUnauthorized:  http.StatusUnauthorized,
	export.CodeNotFound:      http.StatusNotFound,
	export.CodeConflict:      http.StatusConflict,
	export.CodeJobLimit:      http.StatusConflict,
	export.CodeNotReady:      http.StatusConflict,
	export.CodeQuotaExceeded: http.StatusTooManyRequests,
	export.CodeEventLimit:    http.StatusUnprocessableEntity,
	export.CodeGone:          http.StatusGone,
	export.CodeCancelled:     http.StatusConflict,
	export.CodeInternal:      http.StatusInternalServerError,
}

var titleOf = map[export.Code]string{
	export.CodeInvalid:       "The request is not valid",
	export.CodeDestination:   "The destination bucket refused the export",
	export.CodeUnauthorized:  "Missing or wrong API key",
	export.CodeNotFound:      "Not found",
	export.CodeConflict:      "Another export of the community is active",
	export.CodeJobLimit:      "The search job has no exports left",
	export.CodeNotReady:      "The export is not finished",
	export.CodeQuotaExceeded: "Monthly export quota exceeded",
	export.CodeEventLimit:    "Too many events for one export",
	export.CodeGone:          "The export has expired",
	export.CodeCancelled:     "The export is no longer active",
	export.CodeInternal:      "Internal error",
}

// problemOf turns any error into the problem a client should see. Errors
// that are not the user's to fix are logged and described generically.
func problemOf(err error, instance string, log *slog.Logger) Problem {
	var (
		e  *export.Error
		fe *fields.Error
		se *query.SyntaxError
	)
	switch {
	case errors.As(err, &fe):
		// Detail is the whole error: Resolve may report several fields at once.
		e = &export.Error{Code: export.CodeInvalid, Detail: err.Error(), Extra: map[string]any{"field": fe.Field}}
		if len(fe.Suggestions) > 0 {
			e.Extra["suggestions"] = fe.Suggestions
		}
	case errors.As(err, &se):
		e = &export.Error{Code: export.CodeInvalid, Detail: se.Error(), Extra: map[string]any{"position": se.Pos, "line": se.Line, "column": se.Column, "expected": se.Expected}}
	case errors.As(err, &e):
	default:
		log.Error("request failed", "instance", instance, "error", err)
		e = &export.Error{Code: export.CodeInternal, Detail: "something went wrong on our side; retry later, and report the instance if it persists"}
	}
	status := statusOf[e.Code]
	if status == 0 {
		status = http.StatusInternalServerError
	}
	return Problem{
		Type:     "https://docs.eventexport.dev/problems/" + string(e.Code),
		Title:    titleOf[e.Code],
		Status:   status,
		Detail:   e.Detail,
		Instance: instance,
		Code:     e.Code,
		Extra:    e.Extra,
	}
}

func (s *Service) writeProblem(w http.ResponseWriter, r *http.Request, err error) {
	p := problemOf(err, r.URL.Path, s.log())
	if p.Code == export.CodeQuotaExceeded {
		if reset, ok := p.Extra["reset_at"].(time.Time); ok {
			w.Header().Set("Retry-After", strconv.Itoa(max(1, int(reset.Sub(s.now()).Seconds())+1)))
		}
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}

// reply writes a handler's result with status, or hands its error on:
// return reply(w, http.StatusOK)(s.Store.GetJob(...)).
func reply(w http.ResponseWriter, status int) func(any, error) error {
	return func(v any, err error) error {
		if err != nil {
			return err
		}
		writeJSON(w, status, v)
		return nil
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}
