// Package delivery moves encoded chunks to where the user reads them: it
// stages each chunk, joins the chunks of an export into ONE SSE-C object
// inside S3 (UploadPartCopy, so the data does not flow back through a
// function), streams them into a customer's own bucket, signs download URLs
// and removes what an export leaves behind.
package delivery

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/secops/eventexport/internal/keys"
)

// S3 is the part of the S3 API delivery uses.
type S3 interface {
	PutObject(ctx context.Context, in *s3.PutObjectInput, opts ...func(*s3.Options)) (*s3.PutObjectOutput, error)
	GetObject(ctx context.Context, in *s3.GetObjectInput, opts ...func(*s3.Options)) (*s3.GetObjectOutput, error)
	HeadObject(ctx context.Context, in *s3.HeadObjectInput, opts ...func(*s3.Options)) (*s3.HeadObjectOutput, error)
	DeleteObject(ctx context.Context, in *s3.DeleteObjectInput, opts ...func(*s3.Options)) (*s3.DeleteObjectOutput, error)
	ListObjectsV2(ctx context.Context, in *s3.ListObjectsV2Input, opts ...func(*s3.Options)) (*s3.ListObjectsV2Output, error)
	CreateMultipartUpload(ctx context.Context, in *s3.CreateMultipartUploadInput, opts ...func(*s3.Options)) (*s3.CreateMultipartUploadOutput, error)
	UploadPart(ctx context.Context, in *s3.UploadPartInput, opts ...func(*s3.Options)) (*s3.UploadPartOutput, error)
	UploadPartCopy(ctx context.Context, in *s3.UploadPartCopyInput, opts ...func(*s3.Options)) (*s3.UploadPartCopyOutput, error)
	CompleteMultipartUpload(ctx context.Context, in *s3.CompleteMultipartUploadInput, opts ...func(*s3.Options)) (*s3.CompleteMultipartUploadOutput, error)
	AbortMultipartUpload(ctx context.Context, in *s3.AbortMultipartUploadInput, opts ...func(*s3.Options)) (*s3.AbortMultipartUploadOutput, error)
}

// Presigner signs GET URLs.
type Presigner interface {
	PresignGetObject(ctx context.Context, in *s3.GetObjectInput, opts ...func(*s3.PresignOptions)) (*v4.PresignedHTTPRequest, error)
}

// PartSizes are S3's multipart rules; tests shrink them.
type PartSizes struct {
	Min int64 // every part but the last is at least this big
	Max int64 // no part is bigger
}

// S3PartSizes are the limits of AWS S3.
var S3PartSizes = PartSizes{Min: 5 << 20, Max: 5 << 30}

// maxParts is S3's limit on the parts of one upload.
const maxParts = 10_000

// Platform is the platform's own storage: staging and export buckets.
type Platform struct {
	S3            S3
	Presign       Presigner
	StagingBucket string
	ExportBucket  string
	Parts         PartSizes
}

// sse is the SSE-C header triple for a key, or nils for none.
type sse struct{ alg, key, md5 *string }

func sseOf(k *keys.SSECustomerKey) sse {
	if k == nil {
		return sse{}
	}
	return sse{alg: aws.String("AES256"), key: aws.String(k.Base64()), md5: aws.String(k.MD5())}
}

// StagingPrefix holds an export's chunks until they are joined.
func StagingPrefix(exportID string) string { return "staging/" + exportID + "/" }

// StagingKey is where one chunk is staged; the zero padding keeps keys in chunk order.
func StagingKey(exportID string, seq int) string {
	return fmt.Sprintf("%s%06d.gz", StagingPrefix(exportID), seq)
}

// ExportKey is the object name of an export's file, the same on platform
// storage and in a customer's bucket (under their prefix).
func ExportKey(community, exportID string) string {
	return "exports/" + community + "/" + exportID + ".jsonl.gz"
}

// FileName is the base name users see.
func FileName(exportID string) string { return exportID + ".jsonl.gz" }
