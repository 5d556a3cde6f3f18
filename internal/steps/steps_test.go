package steps

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-lambda-go/lambda/messages"

	"github.com/secops/eventexport/internal/export"
)

func TestCaughtErrorsBecomeTheExportsReason(t *testing.T) {
	cases := []struct {
		caught Caught
		code   export.Code
		reason string
	}{
		{Caught{"QUOTA_EXCEEDED", `{"errorType":"QUOTA_EXCEEDED","errorMessage":"QUOTA_EXCEEDED: over the quota"}`}, export.CodeQuotaExceeded, "over the quota"},
		{Caught{"EVENT_LIMIT_EXCEEDED", `{"errorMessage":"EVENT_LIMIT_EXCEEDED: too many"}`}, export.CodeEventLimit, "too many"},
		{Caught{"Transient", `{"errorMessage":"S3 said no"}`}, export.CodeInternal, "the export failed: S3 said no"},
		{Caught{"States.Timeout", ""}, export.CodeInternal, "the export failed: States.Timeout"},
		{Caught{"States.TaskFailed", "not json"}, export.CodeInternal, "the export failed: not json"},
	}
	for _, c := range cases {
		code, reason := c.caught.reason()
		if code != c.code || reason != c.reason {
			t.Errorf("%+v -> %s %q, want %s %q", c.caught, code, reason, c.code, c.reason)
		}
	}
}

func TestLambdaErrorsCarryTheirCode(t *testing.T) {
	task := Lambda(func(_ context.Context, fail error) (struct{}, error) { return struct{}{}, fail })
	for err, want := range map[error]string{
		export.Errorf(export.CodeQuotaExceeded, "x"): "QUOTA_EXCEEDED",
		errors.New("network blip"):                   "Transient",
		context.Canceled:                             "EXPORT_CANCELLED",
	} {
		_, got := task(context.Background(), err)
		var le *messages.InvokeResponse_Error
		if !errors.As(got, &le) || le.Type != want {
			t.Errorf("%v -> %v, want type %s", err, got, want)
		}
	}
}
