package delivery

import (
	"context"
	"errors"

	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// RemoveStaging deletes an export's staged chunks.
func (p *Platform) RemoveStaging(ctx context.Context, exportID string) error {
	objs, err := p.listStaged(ctx, exportID)
	if err != nil {
		return err
	}
	var errs []error
	for _, o := range objs {
		if _, err := p.S3.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: &p.StagingBucket, Key: &o.key}); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// RemoveExport deletes an export's file from platform storage.
func (p *Platform) RemoveExport(ctx context.Context, community, exportID string) error {
	key := ExportKey(community, exportID)
	_, err := p.S3.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: &p.ExportBucket, Key: &key})
	return err
}
