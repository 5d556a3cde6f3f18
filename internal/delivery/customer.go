package delivery

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/secops/eventexport/internal/export"
	"github.com/secops/eventexport/internal/keys"
)

// Customer is a customer's own S3-compatible bucket.
type Customer struct {
	S3 interface {
		S3
		HeadBucket(ctx context.Context, in *s3.HeadBucketInput, opts ...func(*s3.Options)) (*s3.HeadBucketOutput, error)
	}
	Bucket string
	Prefix string
}

// ObjectKey is the export's file name under the customer's prefix.
func (c Customer) ObjectKey(exportID string) string {
	if c.Prefix == "" {
		return FileName(exportID)
	}
	return path.Join(c.Prefix, FileName(exportID))
}

// EndpointPolicy decides which customer endpoints the service may call.
type EndpointPolicy struct {
	// Platform lists host:port of the platform's own storage, never a customer's.
	Platform []string
	// Resolve looks up host names; nil uses the system resolver.
	Resolve func(ctx context.Context, host string) ([]net.IPAddr, error)
}

// metadataAddrs are the cloud instance metadata services.
var metadataAddrs = []net.IP{net.ParseIP("169.254.169.254"), net.ParseIP("fd00:ec2::254")}

// Check refuses endpoints the service must never call for a customer: plain
// HTTP beyond loopback, the platform's own storage, link-local and metadata
// addresses. An empty endpoint means AWS S3.
func (p EndpointPolicy) Check(ctx context.Context, endpoint string) error {
	if endpoint == "" {
		return nil
	}
	u, err := url.Parse(endpoint)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return export.Errorf(export.CodeInvalid, "s3.endpoint_url %q is not a URL; give the provider's endpoint such as https://s3.eu-west-1.wasabisys.com", endpoint)
	}
	host := u.Hostname()
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	for _, own := range p.Platform {
		if strings.EqualFold(net.JoinHostPort(host, port), own) {
			return export.Errorf(export.CodeInvalid, "s3.endpoint_url points at this platform's own storage; give your own bucket's endpoint, or leave s3 out to download from the platform")
		}
	}
	resolve := p.Resolve
	if resolve == nil {
		resolve = net.DefaultResolver.LookupIPAddr
	}
	addrs := []net.IPAddr{}
	if ip := net.ParseIP(host); ip != nil {
		addrs = append(addrs, net.IPAddr{IP: ip})
	} else if addrs, err = resolve(ctx, host); err != nil {
		return export.Errorf(export.CodeInvalid, "s3.endpoint_url host %q does not resolve (%v); check the endpoint", host, err)
	}
	loopback := len(addrs) > 0
	for _, a := range addrs {
		for _, m := range metadataAddrs {
			if a.IP.Equal(m) {
				return export.Errorf(export.CodeInvalid, "s3.endpoint_url points at a cloud metadata address; give your bucket's endpoint")
			}
		}
		if a.IP.IsLinkLocalUnicast() || a.IP.IsUnspecified() {
			return export.Errorf(export.CodeInvalid, "s3.endpoint_url points at a link-local or unspecified address; give your bucket's endpoint")
		}
		loopback = loopback && a.IP.IsLoopback()
	}
	if u.Scheme == "http" && !loopback {
		return export.Errorf(export.CodeInvalid, "s3.endpoint_url uses plain HTTP; credentials and data must travel over HTTPS, so use an https:// endpoint")
	}
	return nil
}

// NewCustomer builds a client for a customer's bucket with their credentials.
func NewCustomer(d export.Destination, c keys.Credentials) Customer {
	region := d.Region
	if region == "" {
		region = "us-east-1"
	}
	client := s3.New(s3.Options{
		Region:       region,
		Credentials:  credentials.NewStaticCredentialsProvider(c.AccessKeyID, c.SecretAccessKey, c.SessionToken),
		UsePathStyle: d.PathStyle || d.EndpointURL != "",
		HTTPClient:   &http.Client{Timeout: 5 * time.Minute},
		// Providers other than AWS reject the newer default checksums.
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenRequired,
	}, func(o *s3.Options) {
		if d.EndpointURL != "" {
			o.BaseEndpoint = aws.String(d.EndpointURL)
		}
	})
	return Customer{S3: client, Bucket: d.Bucket, Prefix: d.Prefix}
}

// Verify makes one cheap authenticated call so that wrong credentials, a
// missing bucket or an unreachable endpoint are refused before any work.
func (c Customer) Verify(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	_, err := c.S3.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: &c.Bucket})
	if err == nil {
		return nil
	}
	var apiErr smithy.APIError
	var respErr interface{ HTTPStatusCode() int }
	switch {
	case errors.As(err, &respErr) && respErr.HTTPStatusCode() == http.StatusNotFound:
		return export.Errorf(export.CodeDestination, "bucket %q does not exist at that endpoint (the provider answered 404); check s3.bucket_name and s3.region_name", c.Bucket)
	case errors.As(err, &respErr) && (respErr.HTTPStatusCode() == http.StatusForbidden || respErr.HTTPStatusCode() == http.StatusUnauthorized):
		return export.Errorf(export.CodeDestination, "the provider refused the credentials for bucket %q (HTTP %d); check s3.access_key_id and s3.secret_access_key and that they may write to the bucket", c.Bucket, respErr.HTTPStatusCode())
	case errors.As(err, &apiErr):
		return export.Errorf(export.CodeDestination, "the provider refused access to bucket %q: %s: %s", c.Bucket, apiErr.ErrorCode(), apiErr.ErrorMessage())
	}
	return export.Errorf(export.CodeDestination, "could not reach the bucket's endpoint: %s; check s3.endpoint_url", redactURLError(err))
}

// redactURLError keeps the network error's reason (refused, timed out, no
// such host) and drops the request URL, which could carry a signature.
func redactURLError(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	msg := err.Error()
	if i := strings.Index(msg, "X-Amz"); i >= 0 {
		msg = msg[:i]
	}
	return msg
}
