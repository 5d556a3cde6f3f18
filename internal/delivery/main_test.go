package delivery_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/secops/eventexport/internal/delivery"
	"github.com/secops/eventexport/internal/export"
	"github.com/secops/eventexport/internal/keys"
	"github.com/secops/eventexport/internal/local"
)

// Two SeaweedFS servers: the platform's storage and a customer's provider,
// each with its own credentials. SeaweedFS enforces SSE-C, so these tests
// see what S3 would refuse.
var platformS3, customerS3 *local.Stack

const (
	customerAccess = "customer-access"
	customerSecret = "customer-secret"
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	root, err := local.RepoRoot()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	dir, _ := os.MkdirTemp("", "delivery-test-")
	defer os.RemoveAll(dir)
	cfg := local.Config{Root: root, DataDir: dir, WeedBin: os.Getenv("WEED_BIN")}
	ctx := context.Background()
	if platformS3, err = local.StartS3(ctx, cfg, local.AccessKey, local.SecretKey); err != nil {
		fmt.Fprintln(os.Stderr, "platform S3:", err, "(make test builds SeaweedFS and sets WEED_BIN)")
		return 1
	}
	defer platformS3.Stop()
	if customerS3, err = local.StartS3(ctx, cfg, customerAccess, customerSecret); err != nil {
		fmt.Fprintln(os.Stderr, "customer S3:", err)
		return 1
	}
	defer customerS3.Stop()
	return m.Run()
}

// s3Client is the client the service builds for a customer's bucket.
func s3Client(endpoint, access, secret string) *s3.Client {
	c := delivery.NewCustomer(export.Destination{EndpointURL: endpoint}, keys.Credentials{AccessKeyID: access, SecretAccessKey: secret})
	return c.S3.(*s3.Client)
}

func bucket(t *testing.T, c *s3.Client, name string) string {
	t.Helper()
	if _, err := c.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: &name}); err != nil {
		t.Fatal(err)
	}
	return name
}
