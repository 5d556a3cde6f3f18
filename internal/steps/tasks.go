package steps

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/secops/eventexport/internal/delivery"
	"github.com/secops/eventexport/internal/encode"
	"github.com/secops/eventexport/internal/export"
	"github.com/secops/eventexport/internal/keys"
	"github.com/secops/eventexport/internal/lake"
	"github.com/secops/eventexport/internal/plan"
	"github.com/secops/eventexport/internal/query"
	"github.com/secops/eventexport/internal/store"
)

// ExportRef names the export a task acts on.
type ExportRef struct {
	ExportID string `json:"export_id"`
}

// PlanOutput is the Map's items and the candidate total.
type PlanOutput struct {
	Chunks []plan.Chunk `json:"chunks"`
	Events int64        `json:"events"`
}

// Plan splits the export's range into chunks from the lake's metadata and
// moves the export to RUNNING.
func (s *Steps) Plan(ctx context.Context, in ExportRef) (PlanOutput, error) {
	e, err := s.Store.Export(ctx, in.ExportID)
	if err != nil {
		return PlanOutput{}, err
	}
	if !e.Status.Active() {
		return PlanOutput{}, export.Errorf(export.CodeCancelled, "export %s is %s", e.ID, e.Status)
	}
	p, err := Preview(ctx, s.Lake, s.Store.Limits(), e)
	if err != nil {
		return PlanOutput{}, err
	}
	if err := s.Store.Start(ctx, e.ID, p.Events, len(p.Chunks)); err != nil {
		return PlanOutput{}, err
	}
	s.log().Info("planned", "export", e.ID, "chunks", len(p.Chunks), "candidates", p.Events)
	return PlanOutput{Chunks: p.Chunks, Events: p.Events}, nil
}

// Preview makes the plan of an export without changing anything; dry runs
// show it. It refuses ranges that obviously hold too many events.
func Preview(ctx context.Context, l *lake.Lake, limits export.Limits, e *export.Export) (plan.Plan, error) {
	objs, err := l.Objects(ctx, e.Community, e.From, e.To)
	if err != nil {
		return plan.Plan{}, err
	}
	parts := make([]plan.Partition, len(objs))
	var inside int64
	for i, o := range objs {
		parts[i] = plan.Partition{Hour: o.Hour, Events: o.Events}
		if !o.MinTS.Before(e.From) && o.MaxTS.Before(e.To) {
			inside += o.Events
		}
	}
	q, err := query.Parse(e.Query)
	if err != nil {
		return plan.Plan{}, export.Errorf(export.CodeInvalid, "%v", err)
	}
	if q.MatchesAll() && inside > limits.EventsPerExport {
		return plan.Plan{}, export.Errorf(export.CodeEventLimit, "the range holds at least %d events and an export may hold %d; narrow the query or split the time range into %d exports", inside, limits.EventsPerExport, (inside+limits.EventsPerExport-1)/limits.EventsPerExport)
	}
	p := plan.Make(parts, e.From, e.To, limits.ChunkEvents)
	if len(p.Chunks) > limits.MaxChunks {
		return plan.Plan{}, export.Errorf(export.CodeEventLimit, "the range would need %d chunks, more than the %d allowed; split the time range", len(p.Chunks), limits.MaxChunks)
	}
	return p, nil
}

// EncodeInput is one Map item.
type EncodeInput struct {
	ExportID string     `json:"export_id"`
	Chunk    plan.Chunk `json:"chunk"`
}

// EncodeOutput is kept small: the Map discards it.
type EncodeOutput struct {
	Seq      int   `json:"seq"`
	Exported int64 `json:"exported"`
	Bytes    int64 `json:"bytes"`
}

// Encode filters and projects one chunk's events into its staging object,
// then charges its bytes and events.
func (s *Steps) Encode(ctx context.Context, in EncodeInput) (EncodeOutput, error) {
	e, err := s.Store.Export(ctx, in.ExportID)
	if err != nil {
		return EncodeOutput{}, err
	}
	if e.Status != export.Running {
		return EncodeOutput{}, export.Errorf(export.CodeCancelled, "export %s is %s", e.ID, e.Status)
	}
	q, err := query.Parse(e.Query)
	if err != nil {
		return EncodeOutput{}, export.Errorf(export.CodeInvalid, "%v", err)
	}
	c := in.Chunk
	objs, err := s.Lake.Objects(ctx, e.Community, c.From, c.To)
	if err != nil {
		return EncodeOutput{}, err
	}
	var mine []lake.Object
	for i, o := range objs {
		if c.Parts <= 1 || i%c.Parts == c.Part {
			mine = append(mine, o)
		}
	}
	opts := encode.Options{From: c.From, To: c.To, Fields: e.Fields, Workers: s.Workers}
	if !q.MatchesAll() {
		opts.Filter = q
	}
	var counts encode.Counts
	staged, err := s.Platform.Stage(ctx, e.ID, c.Seq, func(w io.Writer) error {
		var err error
		src := &lakeSource{lake: s.Lake, objects: mine, progress: func(read int64) {
			if err := s.Store.ReportProgress(ctx, e.ID, c.Seq, read); err != nil {
				s.log().Warn("progress not recorded", "export", e.ID, "chunk", c.Seq, "error", err)
			}
		}}
		counts, err = encode.Encode(ctx, src, w, opts)
		return err
	})
	if err != nil {
		return EncodeOutput{}, err
	}
	if staged != counts.Bytes {
		return EncodeOutput{}, fmt.Errorf("chunk %d: encoder wrote %d bytes, staging stored %d", c.Seq, counts.Bytes, staged)
	}
	err = s.Store.ChargeChunk(ctx, e, store.ChunkResult{Seq: c.Seq, Bytes: staged, Counts: export.Counts{
		Read: counts.Read, Exported: counts.Exported, Invalid: counts.Invalid,
		NoTimestamp: counts.NoTimestamp, Filtered: counts.Filtered, OutOfRange: counts.OutOfRange,
	}})
	if err != nil {
		return EncodeOutput{}, err
	}
	return EncodeOutput{Seq: c.Seq, Exported: counts.Exported, Bytes: staged}, nil
}

// progressEvery spaces a chunk's progress reports.
const progressEvery = time.Second

// lakeSource feeds an encoder the chunk's objects one at a time and, as it
// moves on, reports the events of the objects behind it (from their
// metadata) as the chunk's progress.
type lakeSource struct {
	lake     *lake.Lake
	objects  []lake.Object
	progress func(read int64)
	read     int64
	pending  int64
	reported time.Time
}

func (l *lakeSource) Next(ctx context.Context) (io.ReadCloser, error) {
	l.read += l.pending
	// Report before the io.EOF check: that last call covers the chunk's last
	// object (a one-object chunk's only report), shown while it is encoded.
	if l.read > 0 && time.Since(l.reported) >= progressEvery {
		l.progress(l.read)
		l.reported = time.Now()
	}
	if len(l.objects) == 0 {
		return nil, io.EOF
	}
	o := l.objects[0]
	l.objects, l.pending = l.objects[1:], o.Events
	return l.lake.Open(ctx, o.Key)
}

// FinalizeOutput is what the execution's output shows operators.
type FinalizeOutput struct {
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
}

// Finalize joins the staged chunks into the export's one file, records its
// size and SHA-256, and releases the community's lease.
func (s *Steps) Finalize(ctx context.Context, in ExportRef) (FinalizeOutput, error) {
	e, err := s.Store.Export(ctx, in.ExportID)
	if err != nil {
		return FinalizeOutput{}, err
	}
	if e.Status != export.Running {
		return FinalizeOutput{}, export.Errorf(export.CodeCancelled, "export %s is %s", e.ID, e.Status)
	}
	secrets, err := s.Keys.Unwrap(ctx, e.Destination, e.WrappedKey, e.WrappedCredentials, e.Community, e.ID)
	if err != nil {
		return FinalizeOutput{}, err
	}
	var key *keys.SSECustomerKey
	if e.Destination.SSECustomer {
		key = &secrets.Key
	}
	var res delivery.Result
	if e.Destination.Customer() {
		res, err = s.Platform.Deliver(ctx, e.ID, delivery.NewCustomer(e.Destination, secrets.Credentials), key)
		if err != nil {
			return FinalizeOutput{}, export.Errorf(export.CodeDestination, "writing into bucket %q failed: %v", e.Destination.Bucket, err)
		}
	} else {
		res, err = s.Platform.Join(ctx, e.Community, e.ID, key)
		if err != nil {
			return FinalizeOutput{}, err
		}
	}
	if res.Bytes != e.Bytes {
		return FinalizeOutput{}, fmt.Errorf("the joined file has %d bytes but the chunks charged %d", res.Bytes, e.Bytes)
	}
	err = s.Store.Finish(ctx, e, store.Finished{Bytes: res.Bytes, SHA256: res.SHA256, ObjectKey: res.Key, ExpiresAt: s.now().Add(s.Store.Limits().Retention)})
	if err != nil {
		if !e.Destination.Customer() {
			_ = s.Platform.RemoveExport(context.WithoutCancel(ctx), e.Community, e.ID)
		}
		return FinalizeOutput{}, err
	}
	if err := s.Platform.RemoveStaging(ctx, e.ID); err != nil {
		s.log().Warn("staging left for the lifecycle rule", "export", e.ID, "error", err)
	}
	s.log().Info("finished", "export", e.ID, "events", e.Counts.Exported, "bytes", res.Bytes)
	return FinalizeOutput{Bytes: res.Bytes, SHA256: res.SHA256}, nil
}

// CleanupInput is the export and what the Catch rule caught.
type CleanupInput struct {
	ExportID string `json:"export_id"`
	Error    Caught `json:"error"`
}

// Cleanup marks a failed export FAILED with its reason, gives back its bytes,
// releases the lease and removes what it wrote.
func (s *Steps) Cleanup(ctx context.Context, in CleanupInput) (struct{}, error) {
	code, reason := in.Error.reason()
	if err := s.Store.Fail(ctx, in.ExportID, code, reason); err != nil {
		return struct{}{}, err
	}
	e, err := s.Store.Export(ctx, in.ExportID)
	if err != nil {
		return struct{}{}, err
	}
	return struct{}{}, s.Platform.Discard(ctx, e)
}
