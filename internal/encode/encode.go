// Package encode turns one chunk of stored events into one gzip member of
// JSON Lines holding only the fields an analyst chose.
//
// The work is a pipeline so that the three costly parts overlap on the
// cores: source objects are decompressed (the next one while the current one
// is consumed), batches of lines are validated, filtered and projected by
// Workers goroutines, and one goroutine compresses the projections in source
// order. Every stage hands over through bounded channels of pooled batches,
// so memory does not grow with the chunk.
//
// Cost per event is about what matters, and about half of it is
// decompressing the input (klauspost/compress); the rest is kept small by a
// projection that validates and resolves every field in a single pass over
// the line (scan.go) instead of one parse per field.
package encode

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"
	"time"

	"github.com/klauspost/compress/gzip"
)

// DefaultLevel is the gzip level used when Options.Level is 0. On projected
// synth events level 1 compresses 5.3-8.5x at 400-600 MB/s of CPU, level 6
// 6.6-11.3x at 230-320 MB/s: level 1 keeps compression to about a tenth of
// the encoder's CPU, and the file stays within 20-25% of level 6's size
// (TestBenchCompare prints the table; BenchmarkLevel measures it too).
const DefaultLevel = 1

// writeBufferSize is the compressed output handed to w at once.
const writeBufferSize = 256 << 10

type Options struct {
	From, To time.Time // half-open [From, To); a zero bound is open
	Filter   Filter    // nil = every event
	Fields   []string  // output keys in this order, flat dotted names, already validated by the caller
	Level    int       // gzip level; 0 = DefaultLevel
	Workers  int       // 0 = runtime.GOMAXPROCS(0)
}

// Filter decides which events are exported. The fields it reads are
// resolved in the same pass over each line as the output's, so a query costs
// little more than its evaluation.
type Filter interface {
	// Fields names the values Accept is given, in order.
	Fields() []string
	// Accept is given the raw JSON value of each of Fields in one event,
	// nil where the event has none, as event.Lookup resolves them. It is
	// called from several goroutines at once.
	Accept(values [][]byte) bool
}

// Counts are what one Encode saw. Read counts non-blank lines, so Read =
// Exported + Invalid + NoTimestamp + OutOfRange + Filtered.
type Counts struct {
	Read        int64 // source lines seen
	Exported    int64 // lines written
	Invalid     int64 // not valid JSON / not an object -> counted and skipped
	NoTimestamp int64 // valid JSON but no usable @timestamp -> counted and skipped
	OutOfRange  int64 // outside [From, To)
	Filtered    int64 // in range but the predicate said no
	RawBytes    int64 // uncompressed bytes written
	Bytes       int64 // compressed bytes written (exactly what reached w)
}

// Source yields the chunk's input objects in order, each a gzip-compressed
// JSON Lines stream (possibly several gzip members). Next returns io.EOF when
// there are no more. A returned reader may be closed while a Read is blocked
// in it (as net/http bodies and files allow): that is how cancellation stops
// a stalled download.
type Source interface {
	Next(ctx context.Context) (io.ReadCloser, error)
}

// Encode writes exactly one complete gzip member to w, also when nothing
// matched, holding one JSON object per matched event, '\n'-terminated, in
// source order. On error the bytes already written are not a usable member.
func Encode(ctx context.Context, src Source, w io.Writer, o Options) (Counts, error) {
	level := o.Level
	if level == 0 {
		level = DefaultLevel
	}
	workers := o.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	cw := &countingWriter{w: w}
	// The compressor emits a few hundred bytes per write; w may be a file or
	// a pipe to an upload, where each write is a system call.
	bw := bufio.NewWriterSize(cw, writeBufferSize)
	zw, err := gzip.NewWriterLevel(bw, level)
	if err != nil {
		return Counts{}, fmt.Errorf("encode: %w", err)
	}
	hidden := []string{timestampField} // resolved, not printed
	var filterFields []string
	if o.Filter != nil {
		filterFields = o.Filter.Fields()
		hidden = append(hidden, filterFields...)
	}
	pl := compile(o.Fields, hidden)
	f := &filter{ts: pl.slot(timestampField), accept: o.Filter}
	for _, name := range filterFields {
		f.slots = append(f.slots, pl.slot(name))
	}
	if !o.From.IsZero() {
		f.from, f.hasFrom = instantOf(o.From), true
	}
	if !o.To.IsZero() {
		f.to, f.hasTo = instantOf(o.To), true
	}

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var wg sync.WaitGroup
	defer wg.Wait() // no goroutine outlives Encode, whatever the exit

	// objects is unbuffered: the opener holds at most one object that
	// decompresses ahead of the one being consumed.
	objects := make(chan *object)
	wg.Go(func() {
		defer close(objects)
		for n := 0; ; n++ {
			rc, err := src.Next(ctx)
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				cancel(fmt.Errorf("source: %w", err))
				return
			}
			ob := open(ctx, &wg, n, rc)
			select {
			case objects <- ob:
			case <-ctx.Done():
				return
			}
		}
	})

	// order carries the batches to the compressor in source order while the
	// workers finish them in any order; its capacity bounds those in flight,
	// and so the memory, also with many workers (one object's decompression
	// cannot feed more than a few anyway).
	order := make(chan *batch, min(2*workers+2, 16))
	work := make(chan *batch, workers)
	wg.Go(func() {
		defer close(order)
		defer close(work)
		for ob := range objects {
			for b := range ob.batches {
				select {
				case order <- b:
				case <-ctx.Done():
					return
				}
				work <- b // never blocks long: workers drain work until it is closed
			}
			if ob.err != nil {
				cancel(ob.err)
				return
			}
		}
	})
	for range workers {
		wg.Go(func() {
			p := pl.get()
			defer pl.put(p)
			for b := range work {
				p.process(b, f)
				b.done <- struct{}{}
			}
		})
	}

	n, err := compress(ctx, order, zw)
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		cancel(err)
		err = fail(ctx, cancel, &wg)
	} else if err = zw.Close(); err == nil {
		err = bw.Flush()
	}
	n.Bytes = cw.n
	return n, err
}

// compress writes the finished batches in source order.
func compress(ctx context.Context, order <-chan *batch, zw *gzip.Writer) (Counts, error) {
	var n Counts
	for b := range order {
		select {
		case <-b.done:
		case <-ctx.Done():
			return n, ctx.Err()
		}
		if _, err := zw.Write(b.out); err != nil {
			return n, err
		}
		n.add(b.n)
		putBatch(b)
	}
	return n, nil
}

// fail stops the pipeline and returns why it stopped once every goroutine has
// exited (each blocking send also watches ctx, so they all do).
func fail(ctx context.Context, cancel context.CancelCauseFunc, wg *sync.WaitGroup) error {
	cancel(context.Canceled)
	wg.Wait()
	return context.Cause(ctx)
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
