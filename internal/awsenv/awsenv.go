// Package awsenv builds AWS clients from the environment, the same way in a
// Lambda function, the local server and the CLI: endpoints come from the
// SDK's own AWS_ENDPOINT_URL_<SERVICE> variables, so only the environment
// differs between AWS and the local stack.
package awsenv

import (
	"context"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
)

// Clients are the AWS clients the service uses.
type Clients struct {
	S3       *s3.Client
	Presign  *s3.PresignClient
	DynamoDB *dynamodb.Client
	SFN      *sfn.Client
	KMS      *kms.Client
}

// Load reads the shared configuration and builds every client.
func Load(ctx context.Context) (*Clients, error) {
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("load AWS configuration: %w", err)
	}
	s3c := s3.NewFromConfig(cfg, func(o *s3.Options) {
		// SeaweedFS (and many S3-compatible stores) need path-style addressing.
		o.UsePathStyle = os.Getenv("S3_FORCE_PATH_STYLE") == "true"
		o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
		o.ResponseChecksumValidation = aws.ResponseChecksumValidationWhenRequired
	})
	return &Clients{
		S3:       s3c,
		Presign:  s3.NewPresignClient(s3c),
		DynamoDB: dynamodb.NewFromConfig(cfg),
		SFN:      sfn.NewFromConfig(cfg),
		KMS:      kms.NewFromConfig(cfg),
	}, nil
}

// Require returns the named variables, or an error naming the missing ones.
func Require(names ...string) (map[string]string, error) {
	out := map[string]string{}
	var missing []string
	for _, n := range names {
		v := os.Getenv(n)
		if v == "" {
			missing = append(missing, n)
		}
		out[n] = v
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("missing environment variables: %v", missing)
	}
	return out, nil
}
