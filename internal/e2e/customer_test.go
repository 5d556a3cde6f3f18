package e2e

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/secops/eventexport/internal/api"
	"github.com/secops/eventexport/internal/delivery"
	"github.com/secops/eventexport/internal/export"
	"github.com/secops/eventexport/internal/keys"
)

func customerBucket(t *testing.T) (*s3.Client, string) {
	t.Helper()
	// The client the service itself builds for a customer's bucket.
	c := delivery.NewCustomer(export.Destination{EndpointURL: customerS3.S3},
		keys.Credentials{AccessKeyID: customerAccess, SecretAccessKey: customerSecret}).S3.(*s3.Client)
	name := fmt.Sprintf("customer-%d", time.Now().UnixNano())
	if _, err := c.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: &name}); err != nil {
		t.Fatal(err)
	}
	return c, name
}

func TestExportIntoTheCustomersBucket(t *testing.T) {
	own, b := customerBucket(t)
	for _, sse := range []bool{true, false} {
		t.Run(fmt.Sprintf("sse-c=%v", sse), func(t *testing.T) {
			j := newJob(t, cli, "*", seedFrom, seedFrom.Add(6*time.Hour))
			req := &api.S3Request{Bucket: b, Prefix: "cases/42", EndpointURL: customerS3.S3, AccessKeyID: customerAccess, SecretAccessKey: customerSecret}
			key, _ := keys.Generate()
			if sse {
				req.SSECustomerKey, req.SSECustomerKeyMD5 = key.Base64(), key.MD5()
			}
			e, _ := runExport(t, cli, j.ID, api.ExportRequest{Presets: []string{"identity"}, S3: req})
			if e.Status != export.Finished {
				t.Fatalf("%s %s %s", e.Status, e.ErrorCode, e.Error)
			}
			in := &s3.GetObjectInput{Bucket: &b, Key: &e.ObjectKey}
			if sse {
				if _, err := own.GetObject(context.Background(), in); err == nil {
					t.Fatal("readable without the key")
				}
				in.SSECustomerAlgorithm, in.SSECustomerKey, in.SSECustomerKeyMD5 = aws.String("AES256"), aws.String(key.Base64()), aws.String(key.MD5())
			}
			out, err := own.GetObject(context.Background(), in)
			if err != nil {
				t.Fatal(err)
			}
			gz, _ := io.ReadAll(out.Body)
			out.Body.Close()
			if int64(len(gz)) != e.Bytes || e.ObjectKey != "cases/42/"+e.ID+".jsonl.gz" {
				t.Fatalf("object %s of %d bytes; status says %s, %d", e.ObjectKey, len(gz), e.ObjectKey, e.Bytes)
			}
			if n := len(gunzipLines(t, gz)); int64(n) != e.Counts.Exported {
				t.Fatalf("%d lines, status says %d", n, e.Counts.Exported)
			}
			if _, err := cli.DownloadURL(ctx(t), e.ID); err == nil {
				t.Fatal("a customer-bucket export has a platform download URL")
			}
		})
	}
}

func TestCustomerBucketRefusedBeforeAnyWork(t *testing.T) {
	_, b := customerBucket(t)
	j := newJob(t, cli, "*", seedFrom, seedFrom.Add(time.Hour))
	good := api.S3Request{Bucket: b, EndpointURL: customerS3.S3, AccessKeyID: customerAccess, SecretAccessKey: customerSecret}
	before := exportsOf(t, cli)
	cases := map[string]func(r *api.S3Request){
		"wrong secret":           func(r *api.S3Request) { r.SecretAccessKey = "wrong" },
		"missing bucket":         func(r *api.S3Request) { r.Bucket = "no-such-bucket" },
		"unreachable endpoint":   func(r *api.S3Request) { r.EndpointURL = "http://127.0.0.1:1" },
		"plain HTTP, not local":  func(r *api.S3Request) { r.EndpointURL = "http://s3.example.com" },
		"the platform's storage": func(r *api.S3Request) { r.EndpointURL = srv.Stack.S3 },
		"cloud metadata":         func(r *api.S3Request) { r.EndpointURL = "http://169.254.169.254" },
		"no credentials":         func(r *api.S3Request) { r.AccessKeyID, r.SecretAccessKey = "", "" },
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			r := good
			mutate(&r)
			_, _, err := cli.CreateExport(ctx(t), j.ID, api.ExportRequest{S3: &r}, "")
			p := refused(t, err, http.StatusBadRequest, codeFor(name))
			if r.SecretAccessKey != "" && strings.Contains(p.Detail, r.SecretAccessKey) {
				t.Fatal("the problem repeats the secret")
			}
		})
	}
	if after := exportsOf(t, cli); after != before {
		t.Fatalf("refused requests created %d exports", after-before)
	}
}

func codeFor(name string) export.Code {
	switch name {
	case "wrong secret", "missing bucket", "unreachable endpoint":
		return export.CodeDestination
	}
	return export.CodeInvalid
}
