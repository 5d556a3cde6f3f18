package store

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/secops/eventexport/internal/export"
)

func exportKey(id string) string { return "export#" + id }

// Reserve admits a new export: the month's quota must not be used up, the
// community's lease must be free and the search job must have exports left.
// On success the export is stored PENDING and holds the lease.
func (s *Store) Reserve(ctx context.Context, e *export.Export) error {
	u, err := s.Usage(ctx, e.Community)
	if err != nil {
		return err
	}
	if u.Used >= u.Limit {
		return quotaError(u, "your community has used its monthly export quota")
	}
	previous, err := s.acquireLease(ctx, e.Community, e.ID)
	if err != nil {
		return err
	}
	if previous != "" && previous != e.ID {
		// The previous holder's workflow died without releasing its lease.
		_ = s.Fail(ctx, previous, export.CodeInternal, "the export stopped responding and its lease expired")
	}
	if err := s.countJobExport(ctx, e.JobID); err != nil {
		_ = s.releaseLease(ctx, e.Community, e.ID)
		return err
	}
	e.Status = export.Pending
	e.CreatedAt = s.now()
	if _, err := s.db.PutItem(ctx, &dynamodb.PutItemInput{
		TableName:           &s.table,
		Item:                exportItem(e),
		ConditionExpression: aws.String("attribute_not_exists(pk)"),
	}); err != nil {
		_ = s.releaseLease(ctx, e.Community, e.ID)
		return err
	}
	return nil
}

func exportItem(e *export.Export) map[string]types.AttributeValue {
	dest, _ := json.Marshal(e.Destination)
	item := map[string]types.AttributeValue{
		"pk":           str(exportKey(e.ID)),
		"kind":         str("export"),
		"community":    str(e.Community),
		"list_pk":      str(e.Community + "#export"),
		"created_at":   timeAttr(e.CreatedAt),
		"job_id":       str(e.JobID),
		"status":       str(string(e.Status)),
		"fields":       listAttr(e.Fields),
		"query":        str(e.Query),
		"from":         timeAttr(e.From),
		"to":           timeAttr(e.To),
		"destination":  str(string(dest)),
		"key_md5":      str(e.KeyMD5),
		"chunks":       &types.AttributeValueMemberM{Value: map[string]types.AttributeValue{}},
		"progress":     &types.AttributeValueMemberM{Value: map[string]types.AttributeValue{}},
		"exported":     num(0),
		"staged_bytes": num(0),
	}
	putSecrets(item, e.WrappedKey, e.WrappedCredentials)
	return item
}

// putSecrets adds the KMS-wrapped key and credentials an item carries, if any.
func putSecrets(item map[string]types.AttributeValue, wrappedKey, wrappedCredentials []byte) {
	if len(wrappedKey) > 0 {
		item["wrapped_key"] = &types.AttributeValueMemberB{Value: wrappedKey}
	}
	if len(wrappedCredentials) > 0 {
		item["wrapped_credentials"] = &types.AttributeValueMemberB{Value: wrappedCredentials}
	}
}

func exportFrom(id string, a attrs) *export.Export {
	e := &export.Export{
		ID:                 id,
		Community:          a.str("community"),
		JobID:              a.str("job_id"),
		Status:             export.Status(a.str("status")),
		Fields:             a.list("fields"),
		Query:              a.str("query"),
		From:               a.time("from"),
		To:                 a.time("to"),
		CreatedAt:          a.time("created_at"),
		StartedAt:          a.time("started_at"),
		EndedAt:            a.time("ended_at"),
		ExpiresAt:          a.time("expires_at"),
		Total:              a.num("total"),
		Progress:           a.num("read"),
		ChunksTotal:        int(a.num("chunks_total")),
		ChunksDone:         int(a.num("chunks_done")),
		Bytes:              a.num("bytes"),
		SHA256:             a.str("sha256"),
		ObjectKey:          a.str("object_key"),
		ErrorCode:          a.str("error_code"),
		Error:              a.str("error"),
		KeyMD5:             a.str("key_md5"),
		WrappedKey:         a.bytes("wrapped_key"),
		WrappedCredentials: a.bytes("wrapped_credentials"),
		ExecutionARN:       a.str("execution_arn"),
		Counts: export.Counts{
			Read:        a.num("read"),
			Exported:    a.num("exported"),
			Invalid:     a.num("invalid"),
			NoTimestamp: a.num("no_timestamp"),
			Filtered:    a.num("filtered"),
			OutOfRange:  a.num("out_of_range"),
		},
	}
	if e.Status != export.Finished && e.Status != export.Expired {
		e.Bytes = a.num("staged_bytes")
	}
	// Chunks still running add what they reported so far.
	done := a.mapKeys("chunks")
	for seq, n := range a.mapKeys("progress") {
		if _, finished := done[seq]; !finished {
			e.Progress += n
		}
	}
	_ = json.Unmarshal([]byte(a.str("destination")), &e.Destination)
	return e
}

// GetExport returns a community's export; another community's is not found.
func (s *Store) GetExport(ctx context.Context, community, id string) (*export.Export, error) {
	e, err := s.Export(ctx, id)
	if err != nil {
		return nil, err
	}
	if e.Community != community {
		return nil, export.Errorf(export.CodeNotFound, "export %q does not exist in your community", id)
	}
	return e, nil
}

// Export returns an export by id, for the workflow steps that act on it.
func (s *Store) Export(ctx context.Context, id string) (*export.Export, error) {
	item, err := s.get(ctx, exportKey(id))
	if err != nil {
		return nil, err
	}
	if item == nil {
		return nil, export.Errorf(export.CodeNotFound, "export %q does not exist", id)
	}
	return exportFrom(id, attrs(item)), nil
}

// Page is one page of a list and the cursor of the next ("" at the end).
type Page[T any] struct {
	Items []T    `json:"items"`
	Next  string `json:"next_cursor,omitempty"`
}

// ListFilter narrows a list of exports.
type ListFilter struct {
	Status string
	// Since and Until bound the creation time, [Since, Until); zero is open.
	Since, Until time.Time
	Cursor       string
	Limit        int
}

// ListExports lists a community's exports, newest first.
func (s *Store) ListExports(ctx context.Context, community string, f ListFilter) (Page[*export.Export], error) {
	return listPage(ctx, s, community, "export", f, exportFrom)
}

// ListJobs lists a community's search jobs, newest first.
func (s *Store) ListJobs(ctx context.Context, community string, f ListFilter) (Page[*export.SearchJob], error) {
	f.Status = "" // jobs have no status: filtering on one would match none
	return listPage(ctx, s, community, "job", f, jobFrom)
}

// listPage lists a community's items of one kind; their list key is
// "<community>#<kind>" and their key "<kind>#<id>".
func listPage[T any](ctx context.Context, s *Store, community, kind string, f ListFilter, from func(id string, a attrs) T) (Page[T], error) {
	items, next, err := s.list(ctx, community+"#"+kind, f)
	// Items is never nil: an empty list is [] in JSON, not null.
	page := Page[T]{Items: []T{}, Next: next}
	for _, it := range items {
		a := attrs(it)
		page.Items = append(page.Items, from(strings.TrimPrefix(a.str("pk"), kind+"#"), a))
	}
	return page, err
}

func (s *Store) list(ctx context.Context, listPK string, f ListFilter) ([]map[string]types.AttributeValue, string, error) {
	limit := f.Limit
	if limit <= 0 || limit > 100 {
		limit = 20
	}
	in := &dynamodb.QueryInput{
		TableName:                 &s.table,
		IndexName:                 aws.String(ListIndex),
		KeyConditionExpression:    aws.String("list_pk = :lp"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":lp": str(listPK)},
		ScanIndexForward:          aws.Bool(false),
	}
	switch {
	case !f.Since.IsZero() && !f.Until.IsZero():
		in.KeyConditionExpression = aws.String("list_pk = :lp AND created_at BETWEEN :since AND :until")
	case !f.Since.IsZero():
		in.KeyConditionExpression = aws.String("list_pk = :lp AND created_at >= :since")
	case !f.Until.IsZero():
		in.KeyConditionExpression = aws.String("list_pk = :lp AND created_at <= :until")
	}
	if !f.Since.IsZero() {
		in.ExpressionAttributeValues[":since"] = timeAttr(f.Since)
	}
	if !f.Until.IsZero() {
		// BETWEEN and <= include the bound; one nanosecond less makes it exclusive.
		in.ExpressionAttributeValues[":until"] = timeAttr(f.Until.Add(-time.Nanosecond))
	}
	if f.Status != "" {
		in.FilterExpression = aws.String("#st = :st")
		in.ExpressionAttributeNames = map[string]string{"#st": "status"}
		in.ExpressionAttributeValues[":st"] = str(f.Status)
	}
	if f.Cursor != "" {
		start, err := decodeCursor(f.Cursor)
		if err != nil {
			return nil, "", export.Errorf(export.CodeInvalid, "the cursor is not one this API returned; pass next_cursor from the previous page unchanged")
		}
		in.ExclusiveStartKey = start
	}
	var out []map[string]types.AttributeValue
	for {
		in.Limit = aws.Int32(int32(limit - len(out)))
		res, err := s.db.Query(ctx, in)
		if err != nil {
			return nil, "", err
		}
		out = append(out, res.Items...)
		if len(res.LastEvaluatedKey) == 0 {
			return out, "", nil
		}
		if len(out) >= limit {
			return out, encodeCursor(res.LastEvaluatedKey), nil
		}
		in.ExclusiveStartKey = res.LastEvaluatedKey
	}
}

func encodeCursor(k map[string]types.AttributeValue) string {
	plain := map[string]string{}
	for name, v := range k {
		if s, ok := v.(*types.AttributeValueMemberS); ok {
			plain[name] = s.Value
		}
	}
	b, _ := json.Marshal(plain)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(c string) (map[string]types.AttributeValue, error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return nil, err
	}
	plain := map[string]string{}
	if err := json.Unmarshal(b, &plain); err != nil {
		return nil, err
	}
	out := map[string]types.AttributeValue{}
	for name, v := range plain {
		out[name] = str(v)
	}
	return out, nil
}
