package delivery_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/klauspost/compress/gzip"

	"github.com/secops/eventexport/internal/client"
	"github.com/secops/eventexport/internal/delivery"
	"github.com/secops/eventexport/internal/export"
	"github.com/secops/eventexport/internal/keys"
	"github.com/secops/eventexport/internal/local"
)

var names atomic.Int64

func platform(t *testing.T, parts delivery.PartSizes) *delivery.Platform {
	t.Helper()
	c := s3Client(platformS3.S3, local.AccessKey, local.SecretKey)
	n := names.Add(1)
	return &delivery.Platform{
		S3: c, Presign: s3.NewPresignClient(c), Parts: parts,
		StagingBucket: bucket(t, c, fmt.Sprintf("staging-%d", n)),
		ExportBucket:  bucket(t, c, fmt.Sprintf("exports-%d", n)),
	}
}

// member returns a complete gzip member whose size is about size bytes.
func member(t *testing.T, size int) []byte {
	t.Helper()
	raw := make([]byte, size)
	_, _ = rand.Read(raw)
	var b bytes.Buffer
	w, _ := gzip.NewWriterLevel(&b, gzip.NoCompression)
	_, _ = w.Write(raw)
	_ = w.Close()
	return b.Bytes()
}

func stage(t *testing.T, p *delivery.Platform, exportID string, chunks [][]byte) []byte {
	t.Helper()
	var all []byte
	for seq, c := range chunks {
		n, err := p.Stage(context.Background(), exportID, seq, func(w io.Writer) error { _, err := w.Write(c); return err })
		if err != nil || n != int64(len(c)) {
			t.Fatalf("stage %d: %d bytes, %v", seq, n, err)
		}
		all = append(all, c...)
	}
	return all
}

func get(t *testing.T, p *delivery.Platform, key string, k *keys.SSECustomerKey) ([]byte, error) {
	t.Helper()
	in := &s3.GetObjectInput{Bucket: &p.ExportBucket, Key: &key}
	if k != nil {
		in.SSECustomerAlgorithm, in.SSECustomerKey, in.SSECustomerKeyMD5 = aws.String("AES256"), aws.String(k.Base64()), aws.String(k.MD5())
	}
	out, err := p.S3.(*s3.Client).GetObject(context.Background(), in)
	if err != nil {
		return nil, err
	}
	defer out.Body.Close()
	return io.ReadAll(out.Body)
}

func sum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func TestJoinIsTheExactConcatenation(t *testing.T) {
	const mib = 1 << 20
	cases := map[string][]int{
		"one empty member":             {0},
		"every chunk under 5 MiB":      {100_000, 2 * mib, 300, 4*mib + 1, 1},
		"large chunks copied in parts": {13 * mib, 2 * mib, 7 * mib, 1024},
		"small then large":             {1 * mib, 12 * mib},
		"exactly the minimum":          {5 * mib, 5 * mib},
	}
	for name, sizes := range cases {
		t.Run(name, func(t *testing.T) {
			// The maximum part is made small so that large chunks are split
			// into several ranged UploadPartCopy calls.
			p := platform(t, delivery.PartSizes{Min: 5 * mib, Max: 6 * mib})
			var chunks [][]byte
			for _, s := range sizes {
				chunks = append(chunks, member(t, s))
			}
			id := export.NewID("exp")
			want := stage(t, p, id, chunks)
			k, _ := keys.Generate()
			res, err := p.Join(context.Background(), "acme", id, &k)
			if err != nil {
				t.Fatal(err)
			}
			if res.Bytes != int64(len(want)) || res.SHA256 != sum(want) {
				t.Fatalf("reported %d bytes %s, want %d %s", res.Bytes, res.SHA256, len(want), sum(want))
			}
			got, err := get(t, p, res.Key, &k)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("joined object differs from the concatenation (%d vs %d bytes)", len(got), len(want))
			}
			// Members concatenate into one valid gzip stream.
			r, err := gzip.NewReader(bytes.NewReader(got))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := io.Copy(io.Discard, r); err != nil {
				t.Fatalf("the joined file is not valid gzip: %v", err)
			}
		})
	}
}

func TestExportObjectNeedsItsKey(t *testing.T) {
	p := platform(t, delivery.S3PartSizes)
	id := export.NewID("exp")
	stage(t, p, id, [][]byte{member(t, 1000)})
	k, _ := keys.Generate()
	res, err := p.Join(context.Background(), "acme", id, &k)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := get(t, p, res.Key, nil); err == nil {
		t.Fatal("read without the key")
	}
	wrong, _ := keys.Generate()
	if _, err := get(t, p, res.Key, &wrong); err == nil {
		t.Fatal("read with a wrong key")
	}
}

func TestPresignedURLWorksWithTheKeyAndExpires(t *testing.T) {
	p := platform(t, delivery.S3PartSizes)
	id := export.NewID("exp")
	want := stage(t, p, id, [][]byte{member(t, 5000)})
	k, _ := keys.Generate()
	res, err := p.Join(context.Background(), "acme", id, &k)
	if err != nil {
		t.Fatal(err)
	}
	u, err := p.SignDownload(context.Background(), res.Key, 2*time.Second, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	if _, _, err := client.Fetch(context.Background(), nil, u.URL, k, &got, nil); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		t.Fatal("downloaded bytes differ")
	}
	resp, err := http.Get(u.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		t.Fatal("the URL served the file without the SSE-C headers")
	}
	time.Sleep(3 * time.Second)
	if _, _, err := client.Fetch(context.Background(), nil, u.URL, k, io.Discard, nil); err == nil {
		t.Fatal("an expired URL still served the file")
	}
}

func TestStagingIsRemoved(t *testing.T) {
	p := platform(t, delivery.S3PartSizes)
	id := export.NewID("exp")
	stage(t, p, id, [][]byte{member(t, 10), member(t, 10)})
	if err := p.RemoveStaging(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	out, err := p.S3.ListObjectsV2(context.Background(), &s3.ListObjectsV2Input{Bucket: &p.StagingBucket, Prefix: aws.String(delivery.StagingPrefix(id))})
	if err != nil || len(out.Contents) != 0 {
		t.Fatalf("%d staged objects left (%v)", len(out.Contents), err)
	}
}

func TestCustomerBucketWithAndWithoutSSEC(t *testing.T) {
	p := platform(t, delivery.S3PartSizes)
	own := s3Client(customerS3.S3, customerAccess, customerSecret)
	b := bucket(t, own, fmt.Sprintf("forensics-%d", names.Add(1)))
	dest := export.Destination{Bucket: b, Prefix: "case-42/", EndpointURL: customerS3.S3, Region: "us-east-1"}
	creds := keys.Credentials{AccessKeyID: customerAccess, SecretAccessKey: customerSecret}
	cust := delivery.NewCustomer(dest, creds)
	if err := cust.Verify(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, withKey := range []bool{true, false} {
		t.Run(fmt.Sprintf("sse-c=%v", withKey), func(t *testing.T) {
			id := export.NewID("exp")
			// Over one customer part (16 MiB), so the upload is multipart.
			want := stage(t, p, id, [][]byte{member(t, 9<<20), member(t, 9<<20), member(t, 100)})
			var k *keys.SSECustomerKey
			if withKey {
				g, _ := keys.Generate()
				k = &g
			}
			res, err := p.Deliver(context.Background(), id, cust, k)
			if err != nil {
				t.Fatal(err)
			}
			if res.Key != "case-42/"+id+".jsonl.gz" || res.Bytes != int64(len(want)) || res.SHA256 != sum(want) {
				t.Fatalf("result %+v", res)
			}
			in := &s3.GetObjectInput{Bucket: &b, Key: &res.Key}
			if withKey {
				if _, err := own.GetObject(context.Background(), in); err == nil {
					t.Fatal("customer object readable without the key")
				}
				in.SSECustomerAlgorithm, in.SSECustomerKey, in.SSECustomerKeyMD5 = aws.String("AES256"), aws.String(k.Base64()), aws.String(k.MD5())
			}
			out, err := own.GetObject(context.Background(), in)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(out.Body)
			out.Body.Close()
			if !bytes.Equal(got, want) {
				t.Fatal("customer object differs from the concatenation")
			}
		})
	}
}

func TestCustomerVerifyRefusals(t *testing.T) {
	own := s3Client(customerS3.S3, customerAccess, customerSecret)
	b := bucket(t, own, fmt.Sprintf("verify-%d", names.Add(1)))
	good := keys.Credentials{AccessKeyID: customerAccess, SecretAccessKey: customerSecret}
	cases := map[string]struct {
		dest  export.Destination
		creds keys.Credentials
		want  string
	}{
		"wrong secret":         {export.Destination{Bucket: b, EndpointURL: customerS3.S3}, keys.Credentials{AccessKeyID: customerAccess, SecretAccessKey: "nope"}, "refused the credentials"},
		"missing bucket":       {export.Destination{Bucket: "no-such-bucket", EndpointURL: customerS3.S3}, good, "does not exist"},
		"unreachable endpoint": {export.Destination{Bucket: b, EndpointURL: "http://127.0.0.1:1"}, good, "could not reach"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			err := delivery.NewCustomer(c.dest, c.creds).Verify(context.Background())
			var e *export.Error
			if !errors.As(err, &e) || e.Code != export.CodeDestination || !strings.Contains(e.Detail, c.want) {
				t.Fatalf("got %v, want a %s saying %q", err, export.CodeDestination, c.want)
			}
			if strings.Contains(err.Error(), "nope") {
				t.Fatal("the error repeats the secret")
			}
		})
	}
}
