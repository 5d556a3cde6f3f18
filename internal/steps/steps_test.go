package steps

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambda/messages"

	"github.com/secops/eventexport/internal/export"
	"github.com/secops/eventexport/internal/plan"
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

// The plan is the Map's items, inside a Step Functions state of at most
// 256 KiB: the most chunks an export may have must fit, with room to spare.
func TestTheLargestPlanFitsInAState(t *testing.T) {
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	out := PlanOutput{Events: 100_000_000}
	for i := 0; i < export.Defaults.MaxChunks; i++ {
		out.Chunks = append(out.Chunks, plan.Chunk{Seq: i, From: from.Add(time.Duration(i) * time.Hour), To: from.Add(time.Duration(i+1) * time.Hour), Part: 12, Parts: 13, Events: 2_000_000})
	}
	state, _ := json.Marshal(map[string]any{"export_id": export.NewID("exp"), "plan": out})
	if len(state) > 200<<10 {
		t.Fatalf("a plan of %d chunks is %d bytes; the state limit is 256 KiB", export.Defaults.MaxChunks, len(state))
	}
}
