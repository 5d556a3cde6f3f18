// Package app assembles the service from the environment: the same wiring
// serves every Lambda function, the local server and the tests.
package app

import (
	"log"

	"context"
	"github.com/aws/aws-lambda-go/lambda"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/secops/eventexport/internal/api"
	"github.com/secops/eventexport/internal/awsenv"
	"github.com/secops/eventexport/internal/delivery"
	"github.com/secops/eventexport/internal/export"
	"github.com/secops/eventexport/internal/fields"
	"github.com/secops/eventexport/internal/keys"
	"github.com/secops/eventexport/internal/lake"
	"github.com/secops/eventexport/internal/steps"
	"github.com/secops/eventexport/internal/store"
	"github.com/secops/eventexport/internal/workflow"
)

// App holds the assembled parts.
type App struct {
	Clients  *awsenv.Clients
	Store    *store.Store
	Lake     *lake.Lake
	Platform *delivery.Platform
	Keys     keys.Wrapper
	Workflow workflow.Runner
	Schema   *fields.Schema
	Log      *slog.Logger
	// Now is the clock of the store, the API and the steps; tests move it.
	Now    func() time.Time
	policy delivery.EndpointPolicy
}

func (a *App) now() time.Time {
	if a.Now == nil {
		return time.Now()
	}
	return a.Now()
}

// FromEnv reads TABLE_NAME, the bucket names, KMS_KEY_ID, STATE_MACHINE_ARN,
// EXPORT_CUSTOM_FIELDS and the EXPORT_* limits.
func FromEnv(ctx context.Context) (*App, error) {
	env, err := awsenv.Require("TABLE_NAME", "LAKE_BUCKET", "STAGING_BUCKET", "EXPORT_BUCKET", "KMS_KEY_ID")
	if err != nil {
		return nil, err
	}
	limits, err := export.LimitsFromEnv(nil)
	if err != nil {
		return nil, err
	}
	var custom []string
	if c := os.Getenv("EXPORT_CUSTOM_FIELDS"); c != "" {
		if custom, err = fields.ParseList(c); err != nil {
			return nil, err
		}
	}
	schema, err := fields.NewSchema(custom)
	if err != nil {
		return nil, err
	}
	c, err := awsenv.Load(ctx)
	if err != nil {
		return nil, err
	}
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	a := &App{
		Clients: c,
		Lake:    &lake.Lake{S3: c.S3, Bucket: env["LAKE_BUCKET"]},
		Platform: &delivery.Platform{
			S3: c.S3, Presign: c.Presign, Parts: delivery.S3PartSizes,
			StagingBucket: env["STAGING_BUCKET"], ExportBucket: env["EXPORT_BUCKET"],
		},
		Keys:     keys.Wrapper{KMS: c.KMS, KeyID: env["KMS_KEY_ID"]},
		Workflow: workflow.Runner{SFN: c.SFN, StateMachineARN: os.Getenv("STATE_MACHINE_ARN")},
		Schema:   schema,
		Log:      log,
		policy:   delivery.EndpointPolicy{Platform: platformHosts()},
	}
	a.Store = store.New(c.DynamoDB, env["TABLE_NAME"], limits, a.now)
	return a, nil
}

// platformHosts are the platform's own S3 endpoints, which customers may
// not name as theirs.
func platformHosts() []string {
	var hosts []string
	if u, err := url.Parse(os.Getenv("AWS_ENDPOINT_URL_S3")); err == nil && u.Host != "" {
		hosts = append(hosts, u.Host)
	}
	for _, h := range strings.Split(os.Getenv("PLATFORM_S3_HOSTS"), ",") {
		if h = strings.TrimSpace(h); h != "" {
			hosts = append(hosts, h)
		}
	}
	return hosts
}

// Steps are the workflow's tasks.
func (a *App) Steps() *steps.Steps {
	return &steps.Steps{Store: a.Store, Lake: a.Lake, Platform: a.Platform, Keys: a.Keys, Log: a.Log, Now: a.now}
}

// API is the HTTP API's service.
func (a *App) API() *api.Service {
	return &api.Service{
		Store: a.Store, Lake: a.Lake, Platform: a.Platform, Keys: a.Keys, Workflow: a.Workflow,
		Schema: a.Schema, Endpoints: a.policy, Log: a.Log, Now: a.now,
	}
}

// MustFromEnv is FromEnv for a function's main: without its configuration
// a function cannot serve, so it stops with the reason.
func MustFromEnv() *App {
	a, err := FromEnv(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	return a
}

// Handlers are the Lambda functions invoked with JSON events, by name: the
// workflow's tasks and the schedule function that EventBridge Scheduler calls.
func (a *App) Handlers() map[string]lambda.Handler {
	h := a.Steps().Handlers()
	h["schedule"] = lambda.NewHandler(steps.Lambda(a.API().RunSchedule))
	return h
}

// StartTask runs one of Handlers as this Lambda function.
func StartTask(name string) {
	h, ok := MustFromEnv().Handlers()[name]
	if !ok {
		log.Fatalf("no function %q", name)
	}
	lambda.Start(h)
}
