// Package store keeps search jobs, exports, API keys, leases and usage in one
// DynamoDB table. Every guarantee rests on single-item conditional writes
// (local DynamoDB stand-ins have no transactions), so each idempotent step
// touches exactly one item.
package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/secops/eventexport/internal/export"
)

// DB is the part of the DynamoDB API the store uses.
type DB interface {
	GetItem(ctx context.Context, in *dynamodb.GetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	PutItem(ctx context.Context, in *dynamodb.PutItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error)
	DeleteItem(ctx context.Context, in *dynamodb.DeleteItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error)
	Query(ctx context.Context, in *dynamodb.QueryInput, opts ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
	Scan(ctx context.Context, in *dynamodb.ScanInput, opts ...func(*dynamodb.Options)) (*dynamodb.ScanOutput, error)
}

// ListIndex is the global secondary index listing a community's items by creation time.
const ListIndex = "by-community"

// Store is safe for concurrent use.
type Store struct {
	db     DB
	table  string
	limits export.Limits
	now    func() time.Time
}

// New returns a store over table. now may be nil (time.Now).
func New(db DB, table string, limits export.Limits, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{db: db, table: table, limits: limits, now: func() time.Time { return now().UTC() }}
}

// Limits returns the limits the store enforces.
func (s *Store) Limits() export.Limits { return s.limits }

func key(pk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: pk}}
}

func str(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
func num(v int64) types.AttributeValue  { return &types.AttributeValueMemberN{Value: itoa(v)} }
func conditionFailed(err error) bool {
	var ccf *types.ConditionalCheckFailedException
	return errors.As(err, &ccf)
}

func hashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// apiKeyKey names a key's item by its hash, so the table never holds a usable key.
func apiKeyKey(apiKey string) string { return "apikey#" + hashSecret(apiKey) }

func (s *Store) get(ctx context.Context, pk string) (map[string]types.AttributeValue, error) {
	out, err := s.db.GetItem(ctx, &dynamodb.GetItemInput{TableName: &s.table, Key: key(pk), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return nil, err
	}
	return out.Item, nil
}

// PutAPIKey binds an API key to a community. Only the key's SHA-256 is stored.
func (s *Store) PutAPIKey(ctx context.Context, apiKey, community string) error {
	_, err := s.db.PutItem(ctx, &dynamodb.PutItemInput{TableName: &s.table, Item: map[string]types.AttributeValue{
		"pk":        str(apiKeyKey(apiKey)),
		"community": str(community),
	}})
	return err
}

// CommunityOf returns the community an API key is bound to.
func (s *Store) CommunityOf(ctx context.Context, apiKey string) (string, error) {
	item, err := s.get(ctx, apiKeyKey(apiKey))
	if err != nil {
		return "", err
	}
	c, ok := item["community"].(*types.AttributeValueMemberS)
	if !ok {
		return "", export.Errorf(export.CodeUnauthorized, "the API key is not valid; send 'Authorization: Bearer <key>' with a key issued for your community")
	}
	return c.Value, nil
}

// DeleteAPIKey revokes an API key.
func (s *Store) DeleteAPIKey(ctx context.Context, apiKey string) error {
	_, err := s.db.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: &s.table, Key: key(apiKeyKey(apiKey))})
	return err
}
