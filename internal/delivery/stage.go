package delivery

import (
	"context"
	"fmt"
	"io"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// stagingPartSize bounds a stager's memory: one buffer of this size.
const stagingPartSize = 8 << 20

// Stage streams what write produces into the chunk's staging object and
// returns the bytes stored. A retried chunk overwrites its own object, so
// staging is idempotent.
func (p *Platform) Stage(ctx context.Context, exportID string, seq int, write func(io.Writer) error) (int64, error) {
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(write(pw)) }()
	t := Target{S3: p.S3, Bucket: p.StagingBucket, Key: StagingKey(exportID, seq)}
	n, err := upload(ctx, t, pr, max(stagingPartSize, p.Parts.Min))
	pr.CloseWithError(err)
	return n, err
}

// staged is one staged chunk.
type staged struct {
	key  string
	size int64
}

func (p *Platform) listStaged(ctx context.Context, exportID string) ([]staged, error) {
	in := &s3.ListObjectsV2Input{Bucket: &p.StagingBucket, Prefix: aws.String(StagingPrefix(exportID))}
	var out []staged
	for {
		page, err := p.S3.ListObjectsV2(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("list staged chunks: %w", err)
		}
		for _, o := range page.Contents {
			out = append(out, staged{key: aws.ToString(o.Key), size: aws.ToInt64(o.Size)})
		}
		if !aws.ToBool(page.IsTruncated) {
			break
		}
		in.ContinuationToken = page.NextContinuationToken
	}
	sort.Slice(out, func(i, j int) bool { return out[i].key < out[j].key })
	return out, nil
}

// openRange reads [first, last] of a staged object; last < 0 means to the end.
func (p *Platform) openRange(ctx context.Context, key string, first, last int64) (io.ReadCloser, error) {
	in := &s3.GetObjectInput{Bucket: &p.StagingBucket, Key: &key}
	if last >= 0 {
		in.Range = aws.String(fmt.Sprintf("bytes=%d-%d", first, last))
	}
	out, err := p.S3.GetObject(ctx, in)
	if err != nil {
		return nil, fmt.Errorf("read staged %s: %w", key, err)
	}
	return out.Body, nil
}

// chain reads staged objects one after another, opening each only when the
// previous one is exhausted, so memory stays flat.
type chain struct {
	ctx  context.Context
	p    *Platform
	objs []staged
	cur  io.ReadCloser
}

func (c *chain) Read(b []byte) (int, error) {
	for {
		if c.cur == nil {
			if len(c.objs) == 0 {
				return 0, io.EOF
			}
			r, err := c.p.openRange(c.ctx, c.objs[0].key, 0, -1)
			if err != nil {
				return 0, err
			}
			c.cur, c.objs = r, c.objs[1:]
		}
		n, err := c.cur.Read(b)
		if err == io.EOF {
			c.cur.Close()
			c.cur = nil
			if n > 0 {
				return n, nil
			}
			continue
		}
		return n, err
	}
}

func (c *chain) Close() error {
	if c.cur != nil {
		return c.cur.Close()
	}
	return nil
}
