package store

import (
	"context"
	"github.com/aws/aws-sdk-go-v2/aws"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

func idempotencyKey(community, key string) string {
	return "idem#" + community + "#" + hashSecret(key)
}

// ClaimIdempotency binds a client's Idempotency-Key to exportID, or returns
// the export a previous request with the same key already claimed.
func (s *Store) ClaimIdempotency(ctx context.Context, community, key, exportID string) (prior string, err error) {
	pk := idempotencyKey(community, key)
	_, err = s.db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: &s.table,
		Item: map[string]types.AttributeValue{
			"pk":        str(pk),
			"export_id": str(exportID),
			"ttl":       num(s.now().Add(48 * time.Hour).Unix()),
		},
		ConditionExpression: aws.String("attribute_not_exists(pk)"),
	})
	if !conditionFailed(err) {
		return "", err
	}
	item, err := s.get(ctx, pk)
	return attrs(item).str("export_id"), err
}

// ReleaseIdempotency forgets a key whose request failed, so a retry can succeed.
func (s *Store) ReleaseIdempotency(ctx context.Context, community, key, exportID string) error {
	_, err := s.db.DeleteItem(ctx, &dynamodb.DeleteItemInput{
		TableName:                 &s.table,
		Key:                       map[string]types.AttributeValue{"pk": str(idempotencyKey(community, key))},
		ConditionExpression:       aws.String("export_id = :id"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":id": str(exportID)},
	})
	if conditionFailed(err) {
		return nil
	}
	return err
}
