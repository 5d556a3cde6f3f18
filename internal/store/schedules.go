package store

import (
	"context"
	"encoding/json"
	"github.com/aws/aws-sdk-go-v2/aws"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/secops/eventexport/internal/export"
)

func scheduleKey(id string) string { return "schedule#" + id }

// PutSchedule stores a new schedule with its wrapped secrets.
func (s *Store) PutSchedule(ctx context.Context, sc *export.Schedule) error {
	if sc.CreatedAt.IsZero() {
		sc.CreatedAt = s.now()
	}
	dest, _ := json.Marshal(sc.Destination)
	item := map[string]types.AttributeValue{
		"pk":          str(scheduleKey(sc.ID)),
		"kind":        str("schedule"),
		"community":   str(sc.Community),
		"list_pk":     str(sc.Community + "#schedule"),
		"created_at":  timeAttr(sc.CreatedAt),
		"name":        str(sc.Name),
		"query":       str(sc.Query),
		"window":      str(sc.Window),
		"fields":      listAttr(sc.Fields),
		"destination": str(string(dest)),
		"key_md5":     str(sc.KeyMD5),
	}
	putSecrets(item, sc.WrappedKey, sc.WrappedCredentials)
	_, err := s.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: &s.table, Item: item, ConditionExpression: aws.String("attribute_not_exists(pk)")})
	return err
}

func scheduleFrom(id string, a attrs) *export.Schedule {
	sc := &export.Schedule{
		ID: id, Community: a.str("community"), Name: a.str("name"), Query: a.str("query"), Window: a.str("window"),
		Fields: a.list("fields"), KeyMD5: a.str("key_md5"), CreatedAt: a.time("created_at"),
		LastRunAt: a.time("last_run_at"), LastExport: a.str("last_export"),
		WrappedKey: a.bytes("wrapped_key"), WrappedCredentials: a.bytes("wrapped_credentials"),
	}
	_ = json.Unmarshal([]byte(a.str("destination")), &sc.Destination)
	return sc
}

// Schedule returns a schedule by id, for the schedule function.
func (s *Store) Schedule(ctx context.Context, id string) (*export.Schedule, error) {
	item, err := s.get(ctx, scheduleKey(id))
	if err != nil {
		return nil, err
	}
	if item == nil {
		return nil, export.Errorf(export.CodeNotFound, "schedule %q does not exist", id)
	}
	return scheduleFrom(id, attrs(item)), nil
}

// GetSchedule returns a community's schedule; another community's is not found.
func (s *Store) GetSchedule(ctx context.Context, community, id string) (*export.Schedule, error) {
	sc, err := s.Schedule(ctx, id)
	if err != nil {
		return nil, err
	}
	if sc.Community != community {
		return nil, export.Errorf(export.CodeNotFound, "schedule %q does not exist in your community", id)
	}
	return sc, nil
}

// ListSchedules lists a community's schedules, newest first.
func (s *Store) ListSchedules(ctx context.Context, community string, f ListFilter) (Page[*export.Schedule], error) {
	return listPage(ctx, s, community, "schedule", f, scheduleFrom)
}

// DeleteSchedule removes a schedule and, with it, its wrapped secrets.
func (s *Store) DeleteSchedule(ctx context.Context, community, id string) error {
	_, err := s.db.DeleteItem(ctx, &dynamodb.DeleteItemInput{
		TableName:                 &s.table,
		Key:                       key(scheduleKey(id)),
		ConditionExpression:       aws.String("community = :c"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":c": str(community)},
	})
	if conditionFailed(err) {
		return export.Errorf(export.CodeNotFound, "schedule %q does not exist in your community", id)
	}
	return err
}

// ScheduleRan records a schedule's latest export.
func (s *Store) ScheduleRan(ctx context.Context, id, exportID string, at time.Time) error {
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 &s.table,
		Key:                       key(scheduleKey(id)),
		UpdateExpression:          aws.String("SET last_export = :e, last_run_at = :t"),
		ConditionExpression:       aws.String("attribute_exists(pk)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":e": str(exportID), ":t": timeAttr(at)},
	})
	return err
}
