package delivery

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// URL is a pre-signed download URL and when it stops working.
type URL struct {
	URL       string    `json:"url"`
	ExpiresAt time.Time `json:"expires_at"`
	// Headers must accompany the GET; the key itself is the client's to add.
	Headers map[string]string `json:"headers"`
}

// SignDownload signs a short-lived GET for an SSE-C export object. Only the
// algorithm header is signed: the client adds the key and its MD5.
func (p *Platform) SignDownload(ctx context.Context, objectKey string, ttl time.Duration, now time.Time) (URL, error) {
	req, err := p.Presign.PresignGetObject(ctx, &s3.GetObjectInput{
		Bucket:               &p.ExportBucket,
		Key:                  &objectKey,
		SSECustomerAlgorithm: aws.String("AES256"),
	}, s3.WithPresignExpires(ttl))
	if err != nil {
		return URL{}, err
	}
	return URL{
		URL:       req.URL,
		ExpiresAt: now.Add(ttl).UTC(),
		Headers: map[string]string{
			"x-amz-server-side-encryption-customer-algorithm": "AES256",
			"x-amz-server-side-encryption-customer-key":       "<base64 key>",
			"x-amz-server-side-encryption-customer-key-md5":   "<base64 MD5 of the key>",
		},
	}, nil
}
