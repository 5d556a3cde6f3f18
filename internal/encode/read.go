package encode

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/klauspost/compress/gzip"
)

// object is one source object being decompressed into batches of whole lines.
type object struct {
	batches chan *batch
	err     error // set before batches is closed
}

// readAhead is how many batches an object may decompress ahead of the
// workers; with the object after it also decompressing, it bounds the input
// held in memory to a few batches.
const readAhead = 2

// readBufferSize is the compressed input read at once: the decoder would
// otherwise read 4 KiB at a time, one system call (or TLS record) each.
const readBufferSize = 256 << 10

// gunzipper is a gzip reader and its input buffer, reused together: the
// reader's window and tables are ~40 KiB, the buffer 256 KiB.
type gunzipper struct {
	br *bufio.Reader
	zr *gzip.Reader
}

var gunzippers sync.Pool

// open starts decompressing rc into a new object. The reader is closed when
// ctx ends, since a Read blocked on the network would otherwise not return.
func open(ctx context.Context, wg *sync.WaitGroup, n int, rc io.ReadCloser) *object {
	ob := &object{batches: make(chan *batch, readAhead)}
	var once sync.Once
	closeRC := func() { once.Do(func() { rc.Close() }) }
	stop := context.AfterFunc(ctx, closeRC)
	wg.Go(func() {
		defer close(ob.batches)
		err := inflate(ctx, rc, ob.batches)
		if !stop() {
			// ctx ended: the read error is only a consequence of the close.
			err = context.Cause(ctx)
		}
		closeRC()
		if err != nil {
			ob.err = fmt.Errorf("source object %d: %w", n, err)
		}
	})
	return ob
}

// inflate splits the decompressed stream into batches that end on a line
// boundary; a line longer than a batch grows that batch.
func inflate(ctx context.Context, r io.Reader, out chan<- *batch) error {
	g, _ := gunzippers.Get().(*gunzipper)
	if g == nil {
		g = &gunzipper{br: bufio.NewReaderSize(nil, readBufferSize), zr: new(gzip.Reader)}
	}
	g.br.Reset(r)
	err := g.zr.Reset(g.br)
	defer func() {
		g.br.Reset(nil) // the pool must not keep the source alive
		gunzippers.Put(g)
	}()
	zr := g.zr
	if err == io.EOF {
		return nil // an empty object holds no lines
	}
	if err != nil {
		return err
	}

	send := func(b *batch) error {
		select {
		case out <- b:
			return nil
		case <-ctx.Done():
			return context.Cause(ctx)
		}
	}
	b := getBatch()
	for {
		if len(b.in) == cap(b.in) {
			cut := bytes.LastIndexByte(b.in, '\n')
			if cut < 0 {
				b.in = append(b.in, make([]byte, cap(b.in))...)[:len(b.in)]
				continue
			}
			next := getBatch()
			next.in = append(next.in, b.in[cut+1:]...)
			b.in = b.in[:cut+1]
			if err := send(b); err != nil {
				return err
			}
			b = next
		}
		n, err := zr.Read(b.in[len(b.in):cap(b.in)])
		b.in = b.in[:len(b.in)+n]
		if err == io.EOF {
			if len(b.in) == 0 {
				return nil
			}
			return send(b)
		}
		if err != nil {
			if errors.Is(err, io.ErrUnexpectedEOF) {
				return fmt.Errorf("truncated gzip stream: %w", err)
			}
			return err
		}
	}
}
