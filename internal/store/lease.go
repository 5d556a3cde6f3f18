package store

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"time"

	"context"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/secops/eventexport/internal/export"
)

func leaseKey(community string) string { return "lease#" + community }

// Lease is a community's right to run one export; it expires so that a
// workflow that died cannot block the community for longer than the TTL.
type Lease struct {
	ExportID  string
	ExpiresAt int64 // unix seconds
}

// acquireLease takes the community's lease for exportID, or returns
// CodeConflict naming the export that holds a live one.
func (s *Store) acquireLease(ctx context.Context, community, exportID string) (previous string, err error) {
	now := s.now()
	old, err := s.get(ctx, leaseKey(community))
	if err != nil {
		return "", err
	}
	_, err = s.db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: &s.table,
		Item: map[string]types.AttributeValue{
			"pk":         str(leaseKey(community)),
			"export_id":  str(exportID),
			"expires_at": num(now.Add(s.limits.LeaseTTL).Unix()),
			// ttl lets DynamoDB on AWS tidy up; correctness never relies on it.
			"ttl": num(now.Add(s.limits.LeaseTTL + 24*time.Hour).Unix()),
		},
		ConditionExpression:       aws.String("attribute_not_exists(pk) OR expires_at < :now"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":now": num(now.Unix())},
	})
	if conditionFailed(err) {
		holder, _ := s.get(ctx, leaseKey(community))
		id := attrs(holder).str("export_id")
		e := export.Errorf(export.CodeConflict, "export %s of your community is still active; wait for it to end or cancel it (DELETE /v1/exports/%s) before starting another", id, id)
		e.Extra = map[string]any{"active_export": id}
		if ex, gerr := s.GetExport(ctx, community, id); gerr == nil {
			e.Extra["active_export_status"] = ex.Status
		}
		return "", e
	}
	if err != nil {
		return "", err
	}
	return attrs(old).str("export_id"), nil
}

// releaseLease frees the community's lease if exportID still holds it.
func (s *Store) releaseLease(ctx context.Context, community, exportID string) error {
	_, err := s.db.DeleteItem(ctx, &dynamodb.DeleteItemInput{
		TableName:                 &s.table,
		Key:                       key(leaseKey(community)),
		ConditionExpression:       aws.String("export_id = :id"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":id": str(exportID)},
	})
	if conditionFailed(err) {
		return nil
	}
	return err
}

// ActiveLease returns the community's live lease, if any.
func (s *Store) ActiveLease(ctx context.Context, community string) (*Lease, error) {
	item, err := s.get(ctx, leaseKey(community))
	if err != nil || item == nil {
		return nil, err
	}
	a := attrs(item)
	if a.num("expires_at") < s.now().Unix() {
		return nil, nil
	}
	return &Lease{ExportID: a.str("export_id"), ExpiresAt: a.num("expires_at")}, nil
}
