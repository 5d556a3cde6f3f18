package delivery

import (
	"context"
	"errors"

	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/secops/eventexport/internal/export"
)

// Discard removes everything an export that did not finish wrote: its
// staged chunks and, on platform storage, any partial file.
func (p *Platform) Discard(ctx context.Context, e *export.Export) error {
	if err := p.RemoveStaging(ctx, e.ID); err != nil {
		return err
	}
	if e.Destination.Customer() {
		return nil
	}
	return p.RemoveExport(ctx, e.Community, e.ID)
}

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
