package store

import (
	"context"
	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/secops/eventexport/internal/export"
)

func jobKey(id string) string { return "job#" + id }

// CreateJob stores a new search job.
func (s *Store) CreateJob(ctx context.Context, j *export.SearchJob) error {
	if j.CreatedAt.IsZero() {
		j.CreatedAt = s.now()
	}
	_, err := s.db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: &s.table,
		Item: map[string]types.AttributeValue{
			"pk":           str(jobKey(j.ID)),
			"kind":         str("job"),
			"community":    str(j.Community),
			"list_pk":      str(j.Community + "#job"),
			"created_at":   timeAttr(j.CreatedAt),
			"query":        str(j.Query),
			"earliest":     timeAttr(j.Earliest),
			"latest":       timeAttr(j.Latest),
			"export_count": num(0),
		},
		ConditionExpression: aws.String("attribute_not_exists(pk)"),
	})
	return err
}

// GetJob returns a community's search job; another community's job is not found.
func (s *Store) GetJob(ctx context.Context, community, id string) (*export.SearchJob, error) {
	item, err := s.get(ctx, jobKey(id))
	if err != nil {
		return nil, err
	}
	a := attrs(item)
	if item == nil || a.str("community") != community {
		return nil, export.Errorf(export.CodeNotFound, "search job %q does not exist in your community; create one with POST /v1/search/jobs", id)
	}
	return jobFrom(id, a), nil
}

func jobFrom(id string, a attrs) *export.SearchJob {
	return &export.SearchJob{
		ID:          id,
		Community:   a.str("community"),
		Query:       a.str("query"),
		Earliest:    a.time("earliest"),
		Latest:      a.time("latest"),
		CreatedAt:   a.time("created_at"),
		ExportCount: int(a.num("export_count")),
	}
}

// countJobExport charges one export to its search job; every export created
// counts, whatever its outcome.
func (s *Store) countJobExport(ctx context.Context, jobID string) error {
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 &s.table,
		Key:                       key(jobKey(jobID)),
		UpdateExpression:          aws.String("ADD export_count :one"),
		ConditionExpression:       aws.String("attribute_exists(pk) AND export_count < :max"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":one": num(1), ":max": num(int64(s.limits.ExportsPerJob))},
	})
	if conditionFailed(err) {
		e := export.Errorf(export.CodeJobLimit, "search job %q already has %d exports, the most one search job may have; create a new search job with the same query to export again", jobID, s.limits.ExportsPerJob)
		e.Extra = map[string]any{"limit": s.limits.ExportsPerJob}
		return e
	}
	return err
}
