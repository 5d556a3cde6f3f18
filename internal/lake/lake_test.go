package lake

import (
	"bytes"
	"context"
	"io"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/klauspost/compress/gzip"
)

// memS3 is an in-memory bucket for unit tests; the end-to-end tests run the
// lake on SeaweedFS.
type memS3 struct {
	mu      sync.Mutex
	objects map[string][]byte
	meta    map[string]map[string]string
}

func newMemS3() *memS3 {
	return &memS3{objects: map[string][]byte{}, meta: map[string]map[string]string{}}
}

func (m *memS3) PutObject(_ context.Context, in *s3.PutObjectInput, _ ...func(*s3.Options)) (*s3.PutObjectOutput, error) {
	b, _ := io.ReadAll(in.Body)
	m.mu.Lock()
	defer m.mu.Unlock()
	m.objects[*in.Key], m.meta[*in.Key] = b, in.Metadata
	return &s3.PutObjectOutput{}, nil
}

func (m *memS3) ListObjectsV2(_ context.Context, in *s3.ListObjectsV2Input, _ ...func(*s3.Options)) (*s3.ListObjectsV2Output, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var keys []string
	for k := range m.objects {
		if strings.HasPrefix(k, aws.ToString(in.Prefix)) && k > aws.ToString(in.StartAfter) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	out := &s3.ListObjectsV2Output{IsTruncated: aws.Bool(false)}
	for _, k := range keys {
		out.Contents = append(out.Contents, types.Object{Key: aws.String(k), Size: aws.Int64(int64(len(m.objects[k])))})
	}
	return out, nil
}

func (m *memS3) HeadObject(_ context.Context, in *s3.HeadObjectInput, _ ...func(*s3.Options)) (*s3.HeadObjectOutput, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return &s3.HeadObjectOutput{Metadata: m.meta[*in.Key]}, nil
}

func (m *memS3) GetObject(_ context.Context, in *s3.GetObjectInput, _ ...func(*s3.Options)) (*s3.GetObjectOutput, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return &s3.GetObjectOutput{Body: io.NopCloser(bytes.NewReader(m.objects[*in.Key]))}, nil
}

func TestImportPartitionsByHourAndListsByRange(t *testing.T) {
	l := &Lake{S3: newMemS3(), Bucket: "lake"}
	input := strings.Join([]string{
		`{"@timestamp":"2026-11-30T23:59:59.999Z","message":"last of November"}`,
		`{"@timestamp":"2026-12-01T01:00:00+01:00","message":"midnight UTC, written in +01:00"}`,
		`{"@timestamp":1796090400000,"message":"epoch ms, 2026-12-01T02:00Z"}`,
		`{"message":"no timestamp"}`,
		`[1,2,3]`,
		``,
	}, "\n")
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	w.Write([]byte(input))
	w.Close()
	res, err := l.Import(context.Background(), "acme", &gz)
	if err != nil {
		t.Fatal(err)
	}
	if res.Lines != 5 || res.Imported != 3 || res.NoTimestamp != 1 || res.Invalid != 1 || res.Objects != 3 {
		t.Fatalf("%+v", res)
	}
	midnight := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	objs, err := l.Objects(context.Background(), "acme", midnight, midnight.Add(2*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) != 1 || !objs[0].Hour.Equal(midnight) || objs[0].Events != 1 || !strings.Contains(objs[0].Key, "date=2026-12-01/hour=00/") {
		t.Fatalf("objects of [00:00, 02:00): %+v", objs)
	}
	all, _ := l.Objects(context.Background(), "acme", midnight.Add(-time.Hour), midnight.Add(3*time.Hour))
	if len(all) != 3 || !all[0].MinTS.Equal(time.Date(2026, 11, 30, 23, 59, 59, 999e6, time.UTC)) {
		t.Fatalf("all objects: %+v", all)
	}
	if other, _ := l.Objects(context.Background(), "other", midnight.Add(-time.Hour), midnight.Add(3*time.Hour)); len(other) != 0 {
		t.Fatal("another community's listing sees acme's objects")
	}
}

func TestObjectsWithoutMetadataAreEstimated(t *testing.T) {
	m := newMemS3()
	l := &Lake{S3: m, Bucket: "lake"}
	hour := time.Date(2026, 12, 1, 5, 0, 0, 0, time.UTC)
	key := HourPrefix("acme", hour) + "from-a-shipper.jsonl.gz"
	m.objects[key] = make([]byte, 50_000)
	objs, err := l.Objects(context.Background(), "acme", hour, hour.Add(time.Hour))
	if err != nil || len(objs) != 1 || objs[0].Events != 500 || !objs[0].MinTS.IsZero() {
		t.Fatalf("%+v %v", objs, err)
	}
}
