package lake

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/klauspost/compress/gzip"
	"github.com/oklog/ulid/v2"
	"github.com/tidwall/gjson"

	"github.com/secops/eventexport/internal/event"
)

// ImportResult says what an import did with each line.
type ImportResult struct {
	Lines       int64 `json:"lines"`
	Imported    int64 `json:"imported"`
	NoTimestamp int64 `json:"no_timestamp"`
	Invalid     int64 `json:"invalid"`
	Objects     int   `json:"objects"`
}

// Limits of one writer: an object is closed at objectEvents events, and at
// most openHours hours are buffered before all are flushed, so memory stays
// bounded whatever the input's time order.
const (
	objectEvents = 50_000
	openHours    = 48
)

// Writer partitions event lines by hour into lake objects.
type Writer struct {
	lake      *Lake
	community string
	hours     map[time.Time]*hourBuffer
	result    ImportResult
}

type hourBuffer struct {
	buf      bytes.Buffer
	gz       *gzip.Writer
	events   int64
	min, max time.Time
}

// NewWriter starts an import into a community's partitions.
func (l *Lake) NewWriter(community string) *Writer {
	return &Writer{lake: l, community: community, hours: map[time.Time]*hourBuffer{}}
}

// Add files one event line under the hour of its @timestamp; lines that are
// not JSON objects or have no usable @timestamp are counted and dropped.
func (w *Writer) Add(ctx context.Context, line []byte) error {
	line = bytes.TrimRight(line, "\r\n")
	if len(bytes.TrimSpace(line)) == 0 {
		return nil
	}
	w.result.Lines++
	if !gjson.ValidBytes(line) || !gjson.ParseBytes(line).IsObject() {
		w.result.Invalid++
		return nil
	}
	ts, ok := event.Timestamp(line)
	if !ok {
		w.result.NoTimestamp++
		return nil
	}
	return w.AddAt(ctx, line, ts)
}

// AddAt files a line already known to be valid, with its instant.
func (w *Writer) AddAt(ctx context.Context, line []byte, ts time.Time) error {
	hour := ts.UTC().Truncate(time.Hour)
	h := w.hours[hour]
	if h == nil {
		if len(w.hours) >= openHours {
			if err := w.Flush(ctx); err != nil {
				return err
			}
		}
		h = &hourBuffer{min: ts, max: ts}
		// The default level, as log shippers write: objects are read by
		// every export, and level 6 inflates about a third faster than level 1.
		h.gz, _ = gzip.NewWriterLevel(&h.buf, gzip.DefaultCompression)
		w.hours[hour] = h
	}
	h.gz.Write(line)
	h.gz.Write([]byte{'\n'})
	h.events++
	if ts.Before(h.min) {
		h.min = ts
	}
	if ts.After(h.max) {
		h.max = ts
	}
	w.result.Imported++
	if h.events >= objectEvents {
		delete(w.hours, hour)
		return w.put(ctx, hour, h)
	}
	return nil
}

// Flush writes every buffered hour.
func (w *Writer) Flush(ctx context.Context) error {
	for hour, h := range w.hours {
		delete(w.hours, hour)
		if err := w.put(ctx, hour, h); err != nil {
			return err
		}
	}
	return nil
}

// Close flushes and returns the counts.
func (w *Writer) Close(ctx context.Context) (ImportResult, error) {
	err := w.Flush(ctx)
	return w.result, err
}

func (w *Writer) put(ctx context.Context, hour time.Time, h *hourBuffer) error {
	if err := h.gz.Close(); err != nil {
		return err
	}
	key := HourPrefix(w.community, hour) + ulid.MustNew(ulid.Now(), rand.Reader).String() + ".jsonl.gz"
	_, err := w.lake.S3.PutObject(ctx, &s3.PutObjectInput{
		Bucket:        &w.lake.Bucket,
		Key:           &key,
		Body:          bytes.NewReader(h.buf.Bytes()),
		ContentLength: aws.Int64(int64(h.buf.Len())),
		ContentType:   aws.String("application/x-ndjson"),
		Metadata: map[string]string{
			metaEvents: strconv.FormatInt(h.events, 10),
			metaMinTS:  h.min.UTC().Format(time.RFC3339Nano),
			metaMaxTS:  h.max.UTC().Format(time.RFC3339Nano),
		},
	})
	if err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	w.result.Objects++
	return nil
}

// Import loads a user's JSON Lines file, plain or gzip (detected by its
// magic bytes), into a community's partitions.
func (l *Lake) Import(ctx context.Context, community string, r io.Reader) (ImportResult, error) {
	br := bufio.NewReaderSize(r, 1<<20)
	var src io.Reader = br
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		gz, err := gzip.NewReader(br)
		if err != nil {
			return ImportResult{}, fmt.Errorf("read gzip input: %w", err)
		}
		defer gz.Close()
		src = gz
	}
	w := l.NewWriter(community)
	lines := bufio.NewReaderSize(src, 1<<20)
	for {
		line, err := lines.ReadBytes('\n')
		if len(line) > 0 {
			if aerr := w.Add(ctx, line); aerr != nil {
				return w.result, aerr
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return w.result, fmt.Errorf("read input: %w", err)
		}
	}
	return w.Close(ctx)
}
