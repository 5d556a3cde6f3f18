package store

import (
	"context"
	"github.com/aws/aws-sdk-go-v2/aws"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/secops/eventexport/internal/export"
)

// The usage of a community in a month is one item: the total compressed
// bytes and, per charged chunk, what it charged. Charging a chunk and
// recording that it was charged happen in the same conditional write, so a
// retried chunk is charged once and a crash cannot half-charge.
func usageKey(community, month string) string { return "usage#" + community + "#" + month }

func chargeID(exportID string, seq int) string { return exportID + "#" + itoa(int64(seq)) }

// Usage is a community's consumption of its monthly quota.
type Usage struct {
	Month   string    `json:"month"`
	Used    int64     `json:"used_bytes"`
	Limit   int64     `json:"limit_bytes"`
	ResetAt time.Time `json:"reset_at"`
}

// Usage returns the community's usage for the current month.
func (s *Store) Usage(ctx context.Context, community string) (Usage, error) {
	now := s.now()
	item, err := s.get(ctx, usageKey(community, export.Month(now)))
	if err != nil {
		return Usage{}, err
	}
	return Usage{Month: export.Month(now), Used: attrs(item).num("bytes"), Limit: s.limits.MonthlyBytes, ResetAt: export.MonthReset(now)}, nil
}

func quotaError(u Usage, detail string) *export.Error {
	e := export.Errorf(export.CodeQuotaExceeded, "%s: %d of %d compressed bytes used this month; the quota resets at %s", detail, u.Used, u.Limit, u.ResetAt.Format(time.RFC3339))
	e.Extra = map[string]any{"used_bytes": u.Used, "limit_bytes": u.Limit, "reset_at": u.ResetAt}
	return e
}

func (s *Store) ensureUsageItem(ctx context.Context, pk string) error {
	_, err := s.db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: &s.table,
		Item: map[string]types.AttributeValue{
			"pk":      str(pk),
			"bytes":   num(0),
			"charges": &types.AttributeValueMemberM{Value: map[string]types.AttributeValue{}},
		},
		ConditionExpression: aws.String("attribute_not_exists(pk)"),
	})
	if conditionFailed(err) {
		return nil
	}
	return err
}

// chargeBytes charges a chunk's compressed bytes to the current month,
// refusing any charge that would take usage past the quota.
func (s *Store) chargeBytes(ctx context.Context, community, exportID string, seq int, n int64) error {
	month := export.Month(s.now())
	pk := usageKey(community, month)
	if err := s.ensureUsageItem(ctx, pk); err != nil {
		return err
	}
	id := chargeID(exportID, seq)
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 &s.table,
		Key:                       key(pk),
		UpdateExpression:          aws.String("SET charges.#c = :n ADD #b :n"),
		ConditionExpression:       aws.String("attribute_not_exists(charges.#c) AND #b <= :room"),
		ExpressionAttributeNames:  map[string]string{"#c": id, "#b": "bytes"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":n": num(n), ":room": num(s.limits.MonthlyBytes - n)},
	})
	if !conditionFailed(err) {
		return err
	}
	item, gerr := s.get(ctx, pk)
	if gerr != nil {
		return gerr
	}
	if _, charged := attrs(item).mapKeys("charges")[id]; charged {
		return nil
	}
	u := Usage{Month: month, Used: attrs(item).num("bytes"), Limit: s.limits.MonthlyBytes, ResetAt: export.MonthReset(s.now())}
	return quotaError(u, "this export would take your community past its monthly export quota, so it delivers nothing")
}

// refundBytes gives back every charge of an export, in whichever months it
// was made. Each batch removes its charge markers and subtracts their sum
// in one conditional write, so refunds are idempotent too.
func (s *Store) refundBytes(ctx context.Context, community, exportID string, since time.Time) error {
	for m := since.UTC(); !m.After(s.now()); m = export.MonthReset(m) {
		pk := usageKey(community, export.Month(m))
		for attempt := 0; attempt < 5; attempt++ {
			done, err := s.refundMonth(ctx, pk, exportID)
			if err != nil {
				return err
			}
			if done {
				break
			}
		}
	}
	return nil
}

// refundMonth gives back an export's charges in one month's usage item, in
// batches of 50; done is false when a concurrent refund removed some first,
// and the item must be read again.
func (s *Store) refundMonth(ctx context.Context, pk, exportID string) (done bool, err error) {
	item, err := s.get(ctx, pk)
	if err != nil {
		return false, err
	}
	charges := attrs(item).mapKeys("charges")
	var ids []string
	for id := range charges {
		if strings.HasPrefix(id, exportID+"#") {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	done = true
	for start := 0; start < len(ids); start += 50 {
		err := s.refundBatch(ctx, pk, ids[start:min(start+50, len(ids))], charges)
		switch {
		case conditionFailed(err):
			done = false
		case err != nil:
			return false, err
		}
	}
	return done, nil
}

func (s *Store) refundBatch(ctx context.Context, pk string, ids []string, charges map[string]int64) error {
	names := map[string]string{"#b": "bytes"}
	var removes, conds []string
	var sum int64
	for i, id := range ids {
		n := "#c" + itoa(int64(i))
		names[n] = id
		removes = append(removes, "charges."+n)
		conds = append(conds, "attribute_exists(charges."+n+")")
		sum += charges[id]
	}
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 &s.table,
		Key:                       key(pk),
		UpdateExpression:          aws.String("REMOVE " + strings.Join(removes, ", ") + " ADD #b :neg"),
		ConditionExpression:       aws.String(strings.Join(conds, " AND ")),
		ExpressionAttributeNames:  names,
		ExpressionAttributeValues: map[string]types.AttributeValue{":neg": num(-sum)},
	})
	return err
}
