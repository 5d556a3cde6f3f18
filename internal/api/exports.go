package api

import (
	"context"
	"strings"
	"time"

	"github.com/secops/eventexport/internal/delivery"
	"github.com/secops/eventexport/internal/export"
	"github.com/secops/eventexport/internal/keys"
	"github.com/secops/eventexport/internal/plan"
	"github.com/secops/eventexport/internal/steps"
	"github.com/secops/eventexport/internal/store"
)

// S3Request is a customer's bucket, in the field names of the Sekoia.io API.
type S3Request struct {
	Bucket          string `json:"bucket_name"`
	Prefix          string `json:"prefix"`
	Region          string `json:"region_name"`
	EndpointURL     string `json:"endpoint_url"`
	PathStyle       bool   `json:"path_style"`
	AccessKeyID     string `json:"access_key_id"`
	SecretAccessKey string `json:"secret_access_key"`
	SessionToken    string `json:"session_token"`
	// The SSE-C key may come inside s3 (Sekoia.io) or at the top level.
	SSECustomerKey       string `json:"sse_customer_key"`
	SSECustomerKeyMD5    string `json:"sse_customer_key_md5"`
	SSECustomerAlgorithm string `json:"sse_customer_algorithm"`
}

// ExportRequest creates an export of a search job.
type ExportRequest struct {
	Fields            []string   `json:"fields"`
	Presets           []string   `json:"presets"`
	Preset            string     `json:"preset"`
	DryRun            bool       `json:"dry_run"`
	SSECustomerKey    string     `json:"sse_customer_key"`
	SSECustomerKeyMD5 string     `json:"sse_customer_key_md5"`
	S3                *S3Request `json:"s3"`
}

// Created is the answer to a create: the export and, when the service made
// the key, the key itself, shown this once and never stored in clear.
type Created struct {
	*export.Export
	SSECustomerKey string `json:"sse_customer_key,omitempty"`
	KeyNotice      string `json:"key_notice,omitempty"`
}

// DryRun is the plan an export would run, without starting it.
type DryRun struct {
	DryRun          bool         `json:"dry_run"`
	Fields          []string     `json:"fields"`
	Chunks          []plan.Chunk `json:"chunks"`
	EstimatedEvents int64        `json:"estimated_events"`
	EstimatedBytes  int64        `json:"estimated_bytes"`
	QuotaLeft       int64        `json:"quota_left_bytes"`
	Destination     string       `json:"destination"`
}

// estimatedBytesPerEvent is a measured compressed size of a projected event
// with the default fields, used only for the dry run's estimate.
const estimatedBytesPerEvent = 40

// resolveFields checks a request's field list; a single "preset" comes
// before the "presets" list.
func (s *Service) resolveFields(preset string, presets, fields []string) ([]string, error) {
	if preset != "" {
		presets = append([]string{preset}, presets...)
	}
	return s.Schema.Resolve(presets, fields)
}

// CreateExport validates everything first, so that bad input writes nothing,
// then reserves the export under the community's limits and starts its workflow.
func (s *Service) CreateExport(ctx context.Context, community, jobID string, req ExportRequest, idempotencyKey string) (any, error) {
	job, err := s.Store.GetJob(ctx, community, jobID)
	if err != nil {
		return nil, err
	}
	fieldList, err := s.resolveFields(req.Preset, req.Presets, req.Fields)
	if err != nil {
		return nil, err
	}
	e := &export.Export{
		ID: export.NewID("exp"), Community: community, JobID: job.ID,
		Fields: fieldList, Query: job.Query, From: job.Earliest, To: job.Latest,
	}
	sec, err := s.fileSecrets(ctx, req.SSECustomerKey, req.SSECustomerKeyMD5, req.S3, true)
	if err != nil {
		return nil, err
	}
	e.Destination, e.KeyMD5 = sec.dest, sec.keyMD5()

	if req.DryRun {
		return s.dryRun(ctx, e)
	}
	if idempotencyKey != "" {
		if prior, err := s.Store.ClaimIdempotency(ctx, community, idempotencyKey, e.ID); err != nil {
			return nil, err
		} else if prior != "" {
			return s.awaitExport(ctx, community, prior)
		}
	}
	created, err := s.start(ctx, e, sec.secrets)
	if err != nil {
		if idempotencyKey != "" {
			_ = s.Store.ReleaseIdempotency(context.WithoutCancel(ctx), community, idempotencyKey, e.ID)
		}
		return nil, err
	}
	if sec.generated {
		created.SSECustomerKey = sec.secrets.Key.Base64()
		created.KeyNotice = "This key is shown once and the service keeps no usable copy: save it now; the file cannot be downloaded without it."
	}
	return created, nil
}

// fileSecrets are the destination of a file and the secrets it needs.
type fileSecrets struct {
	dest      export.Destination
	secrets   keys.Secrets
	generated bool
}

func (f fileSecrets) keyMD5() string {
	if !f.dest.SSECustomer {
		return ""
	}
	return f.secrets.Key.MD5()
}

// fileSecrets checks a request's key and bucket. The key may come at the
// top level or inside s3 (Sekoia.io); platform storage always gets a key,
// made here when generate allows and none was given.
func (s *Service) fileSecrets(ctx context.Context, keyB64, keyMD5 string, r *S3Request, generate bool) (fileSecrets, error) {
	var f fileSecrets
	var err error
	if r != nil {
		if keyB64 == "" {
			keyB64, keyMD5 = r.SSECustomerKey, r.SSECustomerKeyMD5
		}
		if alg := r.SSECustomerAlgorithm; alg != "" && alg != "AES256" {
			return f, export.Errorf(export.CodeInvalid, "s3.sse_customer_algorithm %q is not supported; S3 SSE-C uses AES256", alg)
		}
		if r.Bucket != "" {
			if f.dest, f.secrets.Credentials, err = s.customerDestination(ctx, r); err != nil {
				return f, err
			}
		}
	}
	switch {
	case keyB64 != "":
		if f.secrets.Key, err = keys.Parse(keyB64, keyMD5); err != nil {
			return f, err
		}
		f.dest.SSECustomer = true
	case keyMD5 != "":
		return f, export.Errorf(export.CodeInvalid, "sse_customer_key_md5 was sent without sse_customer_key; send both, or neither to let the service make a key")
	case !f.dest.Customer() && generate:
		if f.secrets.Key, err = keys.Generate(); err != nil {
			return f, err
		}
		f.dest.SSECustomer, f.generated = true, true
	case !f.dest.Customer():
		return f, export.Errorf(export.CodeInvalid, "files on platform storage are encrypted with your key: send sse_customer_key, or s3 to write into your own bucket")
	}
	return f, nil
}

func (s *Service) start(ctx context.Context, e *export.Export, secrets keys.Secrets) (*Created, error) {
	var err error
	if e.WrappedKey, e.WrappedCredentials, err = s.Keys.Wrap(ctx, e.Destination, secrets, e.Community, e.ID); err != nil {
		return nil, err
	}
	if err := s.Store.Reserve(ctx, e); err != nil {
		return nil, err
	}
	arn, err := s.Workflow.Start(ctx, e.ID)
	if err != nil {
		_ = s.Store.Fail(context.WithoutCancel(ctx), e.ID, export.CodeInternal, "the workflow could not be started")
		return nil, err
	}
	if err := s.Store.SetExecution(ctx, e.ID, arn); err != nil {
		return nil, err
	}
	stored, err := s.Store.Export(ctx, e.ID)
	if err != nil {
		return nil, err
	}
	return &Created{Export: stored}, nil
}

// awaitExport returns the export a retried create already made; its creator
// may still be storing it.
func (s *Service) awaitExport(ctx context.Context, community, id string) (*Created, error) {
	for i := 0; ; i++ {
		e, err := s.Store.GetExport(ctx, community, id)
		if err == nil {
			return &Created{Export: e}, nil
		}
		if export.CodeOf(err) != export.CodeNotFound || i == 50 {
			return nil, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func (s *Service) customerDestination(ctx context.Context, r *S3Request) (export.Destination, keys.Credentials, error) {
	d := export.Destination{Bucket: r.Bucket, Prefix: strings.Trim(r.Prefix, "/"), Region: r.Region, EndpointURL: r.EndpointURL, PathStyle: r.PathStyle, AccessKeyID: r.AccessKeyID}
	creds := keys.Credentials{AccessKeyID: r.AccessKeyID, SecretAccessKey: r.SecretAccessKey, SessionToken: r.SessionToken}
	if creds.AccessKeyID == "" || creds.SecretAccessKey == "" {
		return d, creds, export.Errorf(export.CodeInvalid, "s3.access_key_id and s3.secret_access_key are required to write into bucket %q", r.Bucket)
	}
	if err := s.Endpoints.Check(ctx, r.EndpointURL); err != nil {
		return d, creds, err
	}
	if err := delivery.NewCustomer(d, creds).Verify(ctx); err != nil {
		return d, creds, err
	}
	return d, creds, nil
}

func (s *Service) dryRun(ctx context.Context, e *export.Export) (*DryRun, error) {
	p, err := steps.Preview(ctx, s.Lake, s.Store.Limits(), e)
	if err != nil {
		return nil, err
	}
	u, err := s.Store.Usage(ctx, e.Community)
	if err != nil {
		return nil, err
	}
	return &DryRun{
		DryRun: true, Fields: e.Fields, Chunks: p.Chunks, EstimatedEvents: p.Events,
		EstimatedBytes: p.Events * estimatedBytesPerEvent, QuotaLeft: max(0, u.Limit-u.Used), Destination: e.Destination.String(),
	}, nil
}

// GetExport returns an export, expiring it first if its window has passed.
func (s *Service) GetExport(ctx context.Context, community, id string) (*export.Export, error) {
	e, err := s.Store.GetExport(ctx, community, id)
	if err != nil {
		return nil, err
	}
	if e.Status == export.Finished && !e.ExpiresAt.IsZero() && !s.now().Before(e.ExpiresAt) {
		if err := s.expire(ctx, e); err != nil {
			return nil, err
		}
		e.Status = export.Expired
	}
	return e, nil
}

func (s *Service) expire(ctx context.Context, e *export.Export) error {
	if !e.Destination.Customer() {
		if err := s.Platform.RemoveExport(ctx, e.Community, e.ID); err != nil {
			return err
		}
	}
	return s.Store.Expire(ctx, e.ID)
}

// SweepExpired expires every finished export past its window; a schedule
// runs it so deletion does not wait for a bucket lifecycle rule.
func (s *Service) SweepExpired(ctx context.Context) (int, error) {
	ids, err := s.Store.ExpiredExports(ctx, s.now())
	if err != nil {
		return 0, err
	}
	for _, id := range ids {
		e, err := s.Store.Export(ctx, id)
		if err != nil {
			return 0, err
		}
		if err := s.expire(ctx, e); err != nil {
			return 0, err
		}
	}
	return len(ids), nil
}

// Cancel stops an active export, releases the lease, gives back its bytes
// and removes what it wrote.
func (s *Service) Cancel(ctx context.Context, community, id string) (*export.Export, error) {
	e, err := s.Store.Cancel(ctx, community, id)
	if err != nil {
		return nil, err
	}
	if err := s.Workflow.Stop(ctx, e.ExecutionARN, "cancelled at the user's request"); err != nil {
		s.log().Warn("stop workflow", "export", id, "error", err)
	}
	if err := s.Platform.Discard(ctx, e); err != nil {
		return nil, err
	}
	return e, nil
}

// DownloadURL signs a short-lived URL for a finished export on platform storage.
func (s *Service) DownloadURL(ctx context.Context, community, id string) (delivery.URL, error) {
	e, err := s.GetExport(ctx, community, id)
	if err != nil {
		return delivery.URL{}, err
	}
	return s.signDownload(ctx, e)
}

// signDownload signs a URL for an export already read, valid at most until
// its window closes.
func (s *Service) signDownload(ctx context.Context, e *export.Export) (delivery.URL, error) {
	switch {
	case e.Status == export.Expired:
		return delivery.URL{}, export.Errorf(export.CodeGone, "export %s expired at %s; the file has been deleted, run the export again", e.ID, e.ExpiresAt.Format(time.RFC3339))
	case e.Status != export.Finished:
		return delivery.URL{}, export.Errorf(export.CodeNotReady, "export %s is %s; a download URL exists once it is FINISHED", e.ID, e.Status)
	case e.Destination.Customer():
		return delivery.URL{}, export.Errorf(export.CodeInvalid, "export %s was written to your bucket s3://%s/%s; read it there", e.ID, e.Destination.Bucket, e.ObjectKey)
	}
	ttl := min(s.Store.Limits().URLTTL, e.ExpiresAt.Sub(s.now()))
	return s.Platform.SignDownload(ctx, e.ObjectKey, ttl, s.now())
}

// ListExports lists the community's exports.
func (s *Service) ListExports(ctx context.Context, community string, f store.ListFilter) (store.Page[*export.Export], error) {
	if f.Status != "" {
		f.Status = strings.ToUpper(f.Status)
		switch export.Status(f.Status) {
		case export.Pending, export.Running, export.Finished, export.Failed, export.Cancelled, export.Expired:
		default:
			return store.Page[*export.Export]{}, export.Errorf(export.CodeInvalid, "status %q is not one of PENDING, RUNNING, FINISHED, FAILED, CANCELLED, EXPIRED", f.Status)
		}
	}
	return s.Store.ListExports(ctx, community, f)
}
