package delivery

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// Target is one object to write.
type Target struct {
	S3     S3
	Bucket string
	Key    string
	sse    sse
}

// upload streams r into the target with bounded memory: one part buffer.
// A body smaller than one part is a single PutObject.
func upload(ctx context.Context, t Target, r io.Reader, partSize int64) (int64, error) {
	buf := make([]byte, partSize)
	n, err := io.ReadFull(r, buf)
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		_, perr := t.S3.PutObject(ctx, &s3.PutObjectInput{
			Bucket: &t.Bucket, Key: &t.Key, Body: bytes.NewReader(buf[:n]), ContentLength: aws.Int64(int64(n)),
			SSECustomerAlgorithm: t.sse.alg, SSECustomerKey: t.sse.key, SSECustomerKeyMD5: t.sse.md5,
		})
		if perr != nil {
			return 0, fmt.Errorf("put %s/%s: %w", t.Bucket, t.Key, perr)
		}
		return int64(n), nil
	}
	if err != nil {
		return 0, err
	}
	m, err := startMultipart(ctx, t)
	if err != nil {
		return 0, err
	}
	var total int64
	for {
		if err := m.part(ctx, buf[:n]); err != nil {
			return 0, m.abort(ctx, err)
		}
		total += int64(n)
		n, err = io.ReadFull(r, buf)
		if err == io.EOF {
			break
		}
		if err != nil && err != io.ErrUnexpectedEOF {
			return 0, m.abort(ctx, err)
		}
	}
	return total, m.complete(ctx)
}

// multipart is one multipart upload in progress.
type multipart struct {
	t     Target
	id    *string
	parts []types.CompletedPart
}

func startMultipart(ctx context.Context, t Target) (*multipart, error) {
	out, err := t.S3.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{
		Bucket: &t.Bucket, Key: &t.Key, ContentType: aws.String("application/gzip"),
		SSECustomerAlgorithm: t.sse.alg, SSECustomerKey: t.sse.key, SSECustomerKeyMD5: t.sse.md5,
	})
	if err != nil {
		return nil, fmt.Errorf("start upload of %s/%s: %w", t.Bucket, t.Key, err)
	}
	return &multipart{t: t, id: out.UploadId}, nil
}

func (m *multipart) next() (*int32, error) {
	if len(m.parts) >= maxParts {
		return nil, fmt.Errorf("upload of %s needs more than %d parts", m.t.Key, maxParts)
	}
	return aws.Int32(int32(len(m.parts) + 1)), nil
}

func (m *multipart) part(ctx context.Context, data []byte) error {
	num, err := m.next()
	if err != nil {
		return err
	}
	out, err := m.t.S3.UploadPart(ctx, &s3.UploadPartInput{
		Bucket: &m.t.Bucket, Key: &m.t.Key, UploadId: m.id, PartNumber: num,
		Body: bytes.NewReader(data), ContentLength: aws.Int64(int64(len(data))),
		SSECustomerAlgorithm: m.t.sse.alg, SSECustomerKey: m.t.sse.key, SSECustomerKeyMD5: m.t.sse.md5,
	})
	if err != nil {
		return fmt.Errorf("upload part %d of %s: %w", *num, m.t.Key, err)
	}
	m.parts = append(m.parts, types.CompletedPart{ETag: out.ETag, PartNumber: num})
	return nil
}

// copyPart copies [first, last] of a plain source object as the next part.
func (m *multipart) copyPart(ctx context.Context, srcBucket, srcKey string, first, last int64) error {
	num, err := m.next()
	if err != nil {
		return err
	}
	out, err := m.t.S3.UploadPartCopy(ctx, &s3.UploadPartCopyInput{
		Bucket: &m.t.Bucket, Key: &m.t.Key, UploadId: m.id, PartNumber: num,
		CopySource:           aws.String(srcBucket + "/" + srcKey),
		CopySourceRange:      aws.String(fmt.Sprintf("bytes=%d-%d", first, last)),
		SSECustomerAlgorithm: m.t.sse.alg, SSECustomerKey: m.t.sse.key, SSECustomerKeyMD5: m.t.sse.md5,
	})
	if err != nil {
		return fmt.Errorf("copy %s bytes %d-%d as part %d: %w", srcKey, first, last, *num, err)
	}
	m.parts = append(m.parts, types.CompletedPart{ETag: out.CopyPartResult.ETag, PartNumber: num})
	return nil
}

func (m *multipart) complete(ctx context.Context) error {
	_, err := m.t.S3.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{
		Bucket: &m.t.Bucket, Key: &m.t.Key, UploadId: m.id,
		MultipartUpload:      &types.CompletedMultipartUpload{Parts: m.parts},
		SSECustomerAlgorithm: m.t.sse.alg, SSECustomerKey: m.t.sse.key, SSECustomerKeyMD5: m.t.sse.md5,
	})
	if err != nil {
		return m.abort(ctx, fmt.Errorf("complete upload of %s: %w", m.t.Key, err))
	}
	return nil
}

// abort gives up the upload so no orphaned parts are billed, keeping err.
func (m *multipart) abort(ctx context.Context, err error) error {
	_, aerr := m.t.S3.AbortMultipartUpload(context.WithoutCancel(ctx), &s3.AbortMultipartUploadInput{Bucket: &m.t.Bucket, Key: &m.t.Key, UploadId: m.id})
	return errors.Join(err, aerr)
}
