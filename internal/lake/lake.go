// Package lake is the event lake: a community's events as gzip JSON Lines
// objects in S3, partitioned by the UTC hour of their @timestamp, each object
// carrying its event count and time span in its metadata so that plans are
// made without reading data.
package lake

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// S3 is the part of the S3 API the lake uses.
type S3 interface {
	ListObjectsV2(ctx context.Context, in *s3.ListObjectsV2Input, opts ...func(*s3.Options)) (*s3.ListObjectsV2Output, error)
	HeadObject(ctx context.Context, in *s3.HeadObjectInput, opts ...func(*s3.Options)) (*s3.HeadObjectOutput, error)
	GetObject(ctx context.Context, in *s3.GetObjectInput, opts ...func(*s3.Options)) (*s3.GetObjectOutput, error)
	PutObject(ctx context.Context, in *s3.PutObjectInput, opts ...func(*s3.Options)) (*s3.PutObjectOutput, error)
}

// Lake reads and writes one bucket.
type Lake struct {
	S3     S3
	Bucket string
}

// Object is one lake object and what its metadata says about it.
type Object struct {
	Key    string
	Hour   time.Time
	Events int64
	Size   int64
	MinTS  time.Time
	MaxTS  time.Time
}

// estimatedEventBytes is the compressed size of one typical event, for
// objects that do not say how many they hold.
const estimatedEventBytes = 100

const (
	metaEvents = "events"
	metaMinTS  = "min-ts"
	metaMaxTS  = "max-ts"
)

func communityPrefix(community string) string { return "events/community=" + community + "/" }

// HourPrefix is where the events of one UTC hour live.
func HourPrefix(community string, hour time.Time) string {
	h := hour.UTC()
	return communityPrefix(community) + h.Format("date=2006-01-02/hour=15") + "/"
}

func hourOf(community, key string) (time.Time, bool) {
	rest := strings.TrimPrefix(key, communityPrefix(community))
	if len(rest) < len("date=2006-01-02/hour=15") {
		return time.Time{}, false
	}
	t, err := time.Parse("date=2006-01-02/hour=15", rest[:len("date=2006-01-02/hour=15")])
	return t, err == nil
}

// Objects lists the objects of every hour that overlaps [from, to), sorted by key.
func (l *Lake) Objects(ctx context.Context, community string, from, to time.Time) ([]Object, error) {
	first := from.UTC().Truncate(time.Hour)
	end := HourPrefix(community, to.UTC().Add(-time.Nanosecond).Truncate(time.Hour).Add(time.Hour))
	in := &s3.ListObjectsV2Input{
		Bucket:     &l.Bucket,
		Prefix:     aws.String(communityPrefix(community)),
		StartAfter: aws.String(strings.TrimSuffix(HourPrefix(community, first), "/")),
	}
	var objs []Object
	for {
		out, err := l.S3.ListObjectsV2(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("list %s: %w", communityPrefix(community), err)
		}
		for _, o := range out.Contents {
			k := aws.ToString(o.Key)
			if k >= end {
				return l.describe(ctx, objs)
			}
			hour, ok := hourOf(community, k)
			if !ok || hour.Before(first) {
				continue
			}
			objs = append(objs, Object{Key: k, Hour: hour, Size: aws.ToInt64(o.Size)})
		}
		if !aws.ToBool(out.IsTruncated) {
			return l.describe(ctx, objs)
		}
		in.ContinuationToken = out.NextContinuationToken
	}
}

// describe reads each object's metadata, a few requests at a time.
func (l *Lake) describe(ctx context.Context, objs []Object) ([]Object, error) {
	sort.Slice(objs, func(i, j int) bool { return objs[i].Key < objs[j].Key })
	var wg sync.WaitGroup
	errs := make([]error, len(objs))
	sem := make(chan struct{}, 16)
	for i := range objs {
		wg.Add(1)
		sem <- struct{}{}
		go func(o *Object, errp *error) {
			defer func() { <-sem; wg.Done() }()
			head, err := l.S3.HeadObject(ctx, &s3.HeadObjectInput{Bucket: &l.Bucket, Key: &o.Key})
			if err != nil {
				*errp = fmt.Errorf("head %s: %w", o.Key, err)
				return
			}
			if n, err := strconv.ParseInt(head.Metadata[metaEvents], 10, 64); err == nil {
				o.Events = n
			} else {
				// Written without our metadata: estimate, so that planning
				// still spreads the work (a gzip event is ~100 bytes).
				o.Events = max(1, o.Size/estimatedEventBytes)
			}
			o.MinTS, _ = time.Parse(time.RFC3339Nano, head.Metadata[metaMinTS])
			o.MaxTS, _ = time.Parse(time.RFC3339Nano, head.Metadata[metaMaxTS])
		}(&objs[i], &errs[i])
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return objs, nil
}

// Open streams one object's gzip bytes.
func (l *Lake) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	out, err := l.S3.GetObject(ctx, &s3.GetObjectInput{Bucket: &l.Bucket, Key: &key})
	if err != nil {
		return nil, fmt.Errorf("get %s: %w", key, err)
	}
	return out.Body, nil
}
