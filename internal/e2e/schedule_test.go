package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/secops/eventexport/internal/api"
	"github.com/secops/eventexport/internal/export"
	"github.com/secops/eventexport/internal/keys"
	"github.com/secops/eventexport/internal/local"
)

// invokeSchedule calls the schedule function the way EventBridge Scheduler
// does: a Lambda Invoke with {"schedule_id"}.
func invokeSchedule(t *testing.T, id string) *export.Export {
	t.Helper()
	body, _ := json.Marshal(api.ScheduleEvent{ScheduleID: id})
	url := "http://" + srv.Stack.LambdaListener().Addr().String() + "/2015-03-31/functions/" + local.FunctionARN("schedule") + "/invocations"
	resp, err := http.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.Header.Get("X-Amz-Function-Error") != "" {
		t.Fatalf("the schedule function failed: %s", raw)
	}
	var e export.Export
	if err := json.Unmarshal(raw, &e); err != nil {
		t.Fatal(err)
	}
	return &e
}

func TestScheduledExportIntoTheCustomersBucket(t *testing.T) {
	c, name := community(t, "scheduled")
	// A day of events ending at the last midnight: the window a daily run exports.
	to := time.Now().UTC().Truncate(24 * time.Hour)
	seed(t, name, 2_000, to.Add(-24*time.Hour), to)
	own, b := customerBucket(t)
	key, _ := keys.Generate()
	var sc export.Schedule
	err := c.Do(ctx(t), "POST", "/v1/schedules", nil, api.ScheduleRequest{
		Name: "daily network", Query: "*", Window: "24h", Preset: "network",
		S3: &api.S3Request{Bucket: b, Prefix: "daily", EndpointURL: customerS3.S3, AccessKeyID: customerAccess, SecretAccessKey: customerSecret,
			SSECustomerKey: key.Base64(), SSECustomerKeyMD5: key.MD5()},
	}, &sc)
	if err != nil {
		t.Fatal(err)
	}
	if sc.KeyMD5 != key.MD5() || len(sc.Fields) != 8 {
		t.Fatalf("schedule %+v", sc)
	}
	// Nothing secret comes back, and a bad request stores nothing.
	if raw, _ := json.Marshal(sc); bytes.Contains(raw, []byte(customerSecret)) || bytes.Contains(raw, []byte(key.Base64())) {
		t.Fatal("the schedule shows a secret")
	}
	err = c.Do(ctx(t), "POST", "/v1/schedules", nil, api.ScheduleRequest{Name: "x", Window: "24h"}, nil)
	refused(t, err, http.StatusBadRequest, export.CodeInvalid)

	started := invokeSchedule(t, sc.ID)
	if !started.From.Equal(to.Add(-24*time.Hour)) || !started.To.Equal(to) {
		t.Fatalf("the run exports [%s, %s), want the day that ended at %s", started.From, started.To, to)
	}
	e := waitFor(t, c, started.ID)
	if e.Status != export.Finished || e.Counts.Exported != 2_000 {
		t.Fatalf("%s %s: %d events", e.Status, e.Error, e.Counts.Exported)
	}
	out, err := own.GetObject(context.Background(), &s3.GetObjectInput{Bucket: &b, Key: &e.ObjectKey,
		SSECustomerAlgorithm: aws.String("AES256"), SSECustomerKey: aws.String(key.Base64()), SSECustomerKeyMD5: aws.String(key.MD5())})
	if err != nil {
		t.Fatal(err)
	}
	gz, _ := io.ReadAll(out.Body)
	out.Body.Close()
	if n := len(gunzipLines(t, gz)); n != 2_000 {
		t.Fatalf("%d lines", n)
	}
	var got export.Schedule
	if err := c.Do(ctx(t), "GET", "/v1/schedules/"+sc.ID, nil, nil, &got); err != nil || got.LastExport != e.ID {
		t.Fatalf("schedule after the run: %+v (%v)", got, err)
	}
	// Deleted: its secrets are gone, and later invocations fail.
	if err := c.Do(ctx(t), "DELETE", "/v1/schedules/"+sc.ID, nil, nil, nil); err != nil {
		t.Fatal(err)
	}
	if err := c.Do(ctx(t), "GET", "/v1/schedules/"+sc.ID, nil, nil, nil); err == nil {
		t.Fatal("the deleted schedule is still there")
	}
}
