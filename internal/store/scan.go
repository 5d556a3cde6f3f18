package store

import (
	"context"
	"github.com/aws/aws-sdk-go-v2/aws"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/secops/eventexport/internal/export"
)

// ExpiredExports lists finished exports whose download window has passed.
func (s *Store) ExpiredExports(ctx context.Context, now time.Time) ([]string, error) {
	return s.scanExports(ctx, "#st = :finished AND expires_at <= :now", map[string]types.AttributeValue{
		":finished": str(string(export.Finished)), ":now": timeAttr(now),
	})
}

// ActiveExports lists exports that are PENDING or RUNNING in any community.
func (s *Store) ActiveExports(ctx context.Context) ([]string, error) {
	return s.scanExports(ctx, "#st IN (:pending, :running)", withActive(map[string]types.AttributeValue{}))
}

// scanExports reads the whole table: only housekeeping calls it.
func (s *Store) scanExports(ctx context.Context, filter string, values map[string]types.AttributeValue) ([]string, error) {
	values[":export"] = str("export")
	in := &dynamodb.ScanInput{
		TableName:                 &s.table,
		FilterExpression:          aws.String("kind = :export AND " + filter),
		ExpressionAttributeNames:  map[string]string{"#st": "status"},
		ExpressionAttributeValues: values,
	}
	var ids []string
	for {
		out, err := s.db.Scan(ctx, in)
		if err != nil {
			return nil, err
		}
		for _, it := range out.Items {
			ids = append(ids, attrs(it).str("pk")[len("export#"):])
		}
		if len(out.LastEvaluatedKey) == 0 {
			return ids, nil
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}
