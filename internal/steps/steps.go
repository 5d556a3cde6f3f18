// Package steps holds the tasks of the export workflow: Plan, Encode (one per
// chunk), Finalize and Cleanup. Each reads the export from the store by id,
// does its one job, and records the outcome; payloads carry no secrets.
package steps

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambda/messages"

	"github.com/secops/eventexport/internal/delivery"
	"github.com/secops/eventexport/internal/export"
	"github.com/secops/eventexport/internal/keys"
	"github.com/secops/eventexport/internal/lake"
	"github.com/secops/eventexport/internal/store"
)

// Steps has what the tasks need.
type Steps struct {
	Store    *store.Store
	Lake     *lake.Lake
	Platform *delivery.Platform
	Keys     keys.Wrapper
	Log      *slog.Logger
	Now      func() time.Time
	// Workers bounds each encoder's parallelism; 0 means all cores.
	Workers int
}

func (s *Steps) now() time.Time {
	if s.Now == nil {
		return time.Now().UTC()
	}
	return s.Now().UTC()
}

func (s *Steps) log() *slog.Logger {
	if s.Log == nil {
		return slog.Default()
	}
	return s.Log
}

// errorTransient names failures worth retrying (storage or network blips);
// domain errors keep their code so the workflow and the cleanup see it.
const errorTransient = "Transient"

// ErrorType is the Lambda error type an error is reported under.
func ErrorType(err error) string {
	var e *export.Error
	if errors.As(err, &e) {
		return string(e.Code)
	}
	if errors.Is(err, context.Canceled) {
		return string(export.CodeCancelled)
	}
	return errorTransient
}

// Lambda adapts a task to the Lambda runtime: errors become Lambda errors
// whose type is ErrorType, as Retry and Catch rules match on it.
func Lambda[In, Out any](task func(context.Context, In) (Out, error)) func(context.Context, In) (Out, error) {
	return func(ctx context.Context, in In) (Out, error) {
		out, err := task(ctx, in)
		if err != nil {
			return out, &messages.InvokeResponse_Error{Type: ErrorType(err), Message: err.Error()}
		}
		return out, nil
	}
}

// Caught is what a Catch rule puts in the state: the error type and cause.
type Caught struct {
	Error string `json:"Error"`
	Cause string `json:"Cause"`
}

// reason turns a caught error into the code and message users see.
func (c Caught) reason() (export.Code, string) {
	msg := c.Cause
	var lambdaErr struct {
		Message string `json:"errorMessage"`
	}
	if json.Unmarshal([]byte(c.Cause), &lambdaErr) == nil && lambdaErr.Message != "" {
		msg = lambdaErr.Message
	}
	switch code := export.Code(c.Error); code {
	case export.CodeQuotaExceeded, export.CodeEventLimit, export.CodeCancelled, export.CodeInvalid, export.CodeDestination:
		detail, _ := strings.CutPrefix(msg, string(code)+": ")
		return code, detail
	}
	if msg == "" {
		msg = c.Error
	}
	return export.CodeInternal, "the export failed: " + msg
}

// Handlers are the workflow's tasks as Lambda handlers, by function name.
func (s *Steps) Handlers() map[string]lambda.Handler {
	return map[string]lambda.Handler{
		"plan":     lambda.NewHandler(Lambda(s.Plan)),
		"encode":   lambda.NewHandler(Lambda(s.Encode)),
		"finalize": lambda.NewHandler(Lambda(s.Finalize)),
		"cleanup":  lambda.NewHandler(Lambda(s.Cleanup)),
	}
}
