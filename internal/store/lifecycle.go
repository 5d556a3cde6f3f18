package store

import (
	"context"
	"github.com/aws/aws-sdk-go-v2/aws"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/secops/eventexport/internal/export"
)

var activeValues = map[string]types.AttributeValue{
	":pending": str(string(export.Pending)),
	":running": str(string(export.Running)),
}

func withActive(values map[string]types.AttributeValue) map[string]types.AttributeValue {
	for k, v := range activeValues {
		values[k] = v
	}
	return values
}

// SetExecution records the workflow execution that runs the export.
func (s *Store) SetExecution(ctx context.Context, id, arn string) error {
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 &s.table,
		Key:                       key(exportKey(id)),
		UpdateExpression:          aws.String("SET execution_arn = :arn"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":arn": str(arn)},
	})
	return err
}

// Start moves a PENDING export to RUNNING with its plan's size.
func (s *Store) Start(ctx context.Context, id string, total int64, chunks int) error {
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 &s.table,
		Key:                       key(exportKey(id)),
		UpdateExpression:          aws.String("SET #st = :running, #total = :total, chunks_total = :chunks, started_at = :now"),
		ConditionExpression:       aws.String("#st IN (:pending, :running)"),
		ExpressionAttributeNames:  map[string]string{"#st": "status", "#total": "total"},
		ExpressionAttributeValues: withActive(map[string]types.AttributeValue{":total": num(total), ":chunks": num(int64(chunks)), ":now": timeAttr(s.now())}),
	})
	if conditionFailed(err) {
		return export.Errorf(export.CodeCancelled, "export %s is no longer active", id)
	}
	return err
}

// ChunkResult is what one encoded chunk adds to its export.
type ChunkResult struct {
	Seq    int
	Counts export.Counts
	Bytes  int64
}

// ChargeChunk records a finished chunk: its bytes against the month's quota,
// then its events against the export's event limit and progress. Both steps
// are idempotent per chunk, so a retried chunk is charged and counted once.
func (s *Store) ChargeChunk(ctx context.Context, e *export.Export, r ChunkResult) error {
	if err := s.chargeBytes(ctx, e.Community, e.ID, r.Seq, r.Bytes); err != nil {
		return err
	}
	c := r.Counts
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName: &s.table,
		Key:       key(exportKey(e.ID)),
		UpdateExpression: aws.String("SET chunks.#seq = :exported ADD exported :exported, #read :read, invalid :invalid, " +
			"no_timestamp :nots, filtered :filtered, out_of_range :oor, staged_bytes :bytes, chunks_done :one"),
		ConditionExpression:      aws.String("attribute_not_exists(chunks.#seq) AND #st = :running AND exported <= :room"),
		ExpressionAttributeNames: map[string]string{"#seq": itoa(int64(r.Seq)), "#st": "status", "#read": "read"},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":exported": num(c.Exported), ":read": num(c.Read), ":invalid": num(c.Invalid),
			":nots": num(c.NoTimestamp), ":filtered": num(c.Filtered), ":oor": num(c.OutOfRange),
			":bytes": num(r.Bytes), ":one": num(1), ":running": str(string(export.Running)),
			":room": num(s.limits.EventsPerExport - c.Exported),
		},
	})
	if !conditionFailed(err) {
		return err
	}
	item, gerr := s.get(ctx, exportKey(e.ID))
	if gerr != nil {
		return gerr
	}
	if _, done := attrs(item).mapKeys("chunks")[itoa(int64(r.Seq))]; done {
		return nil
	}
	if status := export.Status(attrs(item).str("status")); status != export.Running {
		// The export ended while this chunk ran; its refund may have run
		// before this chunk's charge, so give the charge back here too.
		if err := s.refundBytes(ctx, e.Community, e.ID, e.CreatedAt); err != nil {
			return err
		}
		return export.Errorf(export.CodeCancelled, "export %s is %s", e.ID, status)
	}
	return export.Errorf(export.CodeEventLimit, "the export matched more than %d events, the most one export may hold, so it delivers nothing; narrow the query or split the time range into several exports", s.limits.EventsPerExport)
}

// ReportProgress records how far a running chunk has read, so progress
// moves between chunk completions. It is advisory: a chunk that finished,
// or an export that ended, ignores it.
func (s *Store) ReportProgress(ctx context.Context, exportID string, seq int, read int64) error {
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 &s.table,
		Key:                       key(exportKey(exportID)),
		UpdateExpression:          aws.String("SET progress.#seq = :n"),
		ConditionExpression:       aws.String("attribute_not_exists(chunks.#seq) AND #st = :running"),
		ExpressionAttributeNames:  map[string]string{"#seq": itoa(int64(seq)), "#st": "status"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":n": num(read), ":running": str(string(export.Running))},
	})
	if conditionFailed(err) {
		return nil
	}
	return err
}

// Finished is the outcome of a successful export.
type Finished struct {
	Bytes     int64
	SHA256    string
	ObjectKey string
	ExpiresAt time.Time
}

// Finish marks the export FINISHED, erases its wrapped secrets and releases
// the community's lease.
func (s *Store) Finish(ctx context.Context, e *export.Export, f Finished) error {
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 &s.table,
		Key:                       key(exportKey(e.ID)),
		UpdateExpression:          aws.String("SET #st = :finished, #bytes = :bytes, sha256 = :sha, object_key = :key, expires_at = :exp, ended_at = :now REMOVE wrapped_key, wrapped_credentials"),
		ConditionExpression:       aws.String("#st = :running"),
		ExpressionAttributeNames:  map[string]string{"#st": "status", "#bytes": "bytes"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":finished": str(string(export.Finished)), ":running": str(string(export.Running)), ":bytes": num(f.Bytes), ":sha": str(f.SHA256), ":key": str(f.ObjectKey), ":exp": timeAttr(f.ExpiresAt), ":now": timeAttr(s.now())},
	})
	if conditionFailed(err) {
		return export.Errorf(export.CodeCancelled, "export %s is no longer running", e.ID)
	}
	if err != nil {
		return err
	}
	return s.releaseLease(ctx, e.Community, e.ID)
}

// Fail marks an active export FAILED with a reason, erases its secrets,
// releases the lease and gives back its bytes. Calling it again on an
// export that already ended only repeats the release and the refund.
func (s *Store) Fail(ctx context.Context, id string, code export.Code, reason string) error {
	return s.end(ctx, id, export.Failed, code, reason)
}

// Cancel stops an active export at the user's request, like Fail.
func (s *Store) Cancel(ctx context.Context, community, id string) (*export.Export, error) {
	e, err := s.GetExport(ctx, community, id)
	if err != nil {
		return nil, err
	}
	if !e.Status.Active() {
		return e, export.Errorf(export.CodeInvalid, "export %s is already %s; only PENDING or RUNNING exports can be cancelled", id, e.Status)
	}
	if err := s.end(ctx, id, export.Cancelled, export.CodeCancelled, "cancelled at the user's request"); err != nil {
		return nil, err
	}
	return s.Export(ctx, id)
}

func (s *Store) end(ctx context.Context, id string, to export.Status, code export.Code, reason string) error {
	e, err := s.Export(ctx, id)
	if err != nil {
		return err
	}
	_, err = s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 &s.table,
		Key:                       key(exportKey(id)),
		UpdateExpression:          aws.String("SET #st = :to, error_code = :code, #err = :reason, ended_at = :now REMOVE wrapped_key, wrapped_credentials"),
		ConditionExpression:       aws.String("#st IN (:pending, :running)"),
		ExpressionAttributeNames:  map[string]string{"#st": "status", "#err": "error"},
		ExpressionAttributeValues: withActive(map[string]types.AttributeValue{":to": str(string(to)), ":code": str(string(code)), ":reason": str(reason), ":now": timeAttr(s.now())}),
	})
	if err != nil && !conditionFailed(err) {
		return err
	}
	if err := s.releaseLease(ctx, e.Community, id); err != nil {
		return err
	}
	if e.Status == export.Finished || e.Status == export.Expired {
		return nil
	}
	return s.refundBytes(ctx, e.Community, id, e.CreatedAt)
}

// Expire marks a finished export EXPIRED once its window has passed.
func (s *Store) Expire(ctx context.Context, id string) error {
	_, err := s.db.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 &s.table,
		Key:                       key(exportKey(id)),
		UpdateExpression:          aws.String("SET #st = :expired"),
		ConditionExpression:       aws.String("#st = :finished"),
		ExpressionAttributeNames:  map[string]string{"#st": "status"},
		ExpressionAttributeValues: map[string]types.AttributeValue{":expired": str(string(export.Expired)), ":finished": str(string(export.Finished))},
	})
	if conditionFailed(err) {
		return nil
	}
	return err
}
