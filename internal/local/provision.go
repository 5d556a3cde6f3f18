package local

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	dtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	ktypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	stypes "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/secops/eventexport/internal/awsenv"
	"github.com/secops/eventexport/internal/store"
)

// Apply sets the stack's environment in this process, so that clients built
// by awsenv reach it.
func (s *Stack) Apply() {
	for k, v := range s.Env() {
		os.Setenv(k, v)
	}
}

// provision creates what template.yaml declares on AWS: the buckets with
// their lifecycle rules, the table and the KMS key. It is idempotent.
func (s *Stack) provision(ctx context.Context) error {
	s.Apply()
	c, err := awsenv.Load(ctx)
	if err != nil {
		return err
	}
	for _, b := range []string{LakeBucket, StagingBucket, ExportBucket} {
		_, err := c.S3.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(b)})
		var owned *stypes.BucketAlreadyOwnedByYou
		var exists *stypes.BucketAlreadyExists
		if err != nil && !errors.As(err, &owned) && !errors.As(err, &exists) {
			return fmt.Errorf("create bucket %s: %w", b, err)
		}
	}
	for b, prefix := range map[string]string{StagingBucket: "staging/", ExportBucket: "exports/"} {
		if _, err := c.S3.PutBucketLifecycleConfiguration(ctx, &s3.PutBucketLifecycleConfigurationInput{
			Bucket: aws.String(b),
			LifecycleConfiguration: &stypes.BucketLifecycleConfiguration{Rules: []stypes.LifecycleRule{{
				ID: aws.String("expire-after-a-day"), Status: stypes.ExpirationStatusEnabled,
				Filter:                         &stypes.LifecycleRuleFilter{Prefix: aws.String(prefix)},
				Expiration:                     &stypes.LifecycleExpiration{Days: aws.Int32(1)},
				AbortIncompleteMultipartUpload: &stypes.AbortIncompleteMultipartUpload{DaysAfterInitiation: aws.Int32(1)},
			}}},
		}); err != nil {
			return fmt.Errorf("lifecycle of %s: %w", b, err)
		}
	}
	if _, err := c.DynamoDB.CreateTable(ctx, store.TableSchema(Table)); err != nil {
		var inUse *dtypes.ResourceInUseException
		if !errors.As(err, &inUse) {
			return fmt.Errorf("create table: %w", err)
		}
	}
	if err := dynamodb.NewTableExistsWaiter(c.DynamoDB).Wait(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(Table)}, 30e9); err != nil {
		return err
	}
	key, err := c.KMS.CreateKey(ctx, &kms.CreateKeyInput{Description: aws.String("wraps SSE-C keys and customer credentials of running exports"), KeyUsage: ktypes.KeyUsageTypeEncryptDecrypt})
	if err != nil {
		return fmt.Errorf("create KMS key: %w", err)
	}
	if _, err := c.KMS.CreateAlias(ctx, &kms.CreateAliasInput{AliasName: aws.String("alias/eventexport"), TargetKeyId: key.KeyMetadata.KeyId}); err != nil {
		return fmt.Errorf("create KMS alias: %w", err)
	}
	return nil
}
