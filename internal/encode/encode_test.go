package encode

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/secops/eventexport/internal/event"
)

var (
	t0 = time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	t1 = t0.Add(time.Hour)
)

func encodeAll(t testing.TB, o Options, objs ...[]byte) ([]byte, Counts) {
	t.Helper()
	var out bytes.Buffer
	n, err := Encode(context.Background(), source(objs...), &out, o)
	if err != nil {
		t.Fatalf("Encode: %v", err)
	}
	if n.Bytes != int64(out.Len()) {
		t.Fatalf("Counts.Bytes = %d, wrote %d", n.Bytes, out.Len())
	}
	if m := members(t, out.Bytes()); m != 1 {
		t.Fatalf("output has %d gzip members, want 1", m)
	}
	return out.Bytes(), n
}

func TestEncodeBoundariesAndCounts(t *testing.T) {
	in := strings.Join([]string{
		`{"@timestamp":"2024-03-01T00:00:00Z","id":1}`,           // exactly From: in
		`{"@timestamp":"2024-03-01T01:00:00Z","id":2}`,           // exactly To: out
		`{"@timestamp":"2024-02-29T23:59:59.999999999Z","id":3}`, // just before From: out
		`{"@timestamp":"2024-03-01T00:59:59.999999999Z","id":4}`, // just before To: in
		`{"@timestamp":"2024-03-01T02:00:00+02:00","id":5}`,      // = From, with an offset: in
		`{"@timestamp":"2024-02-29T20:00:00-05:00","id":6}`,      // = To, with an offset: out
		`{"@timestamp":1709251200000,"id":7}`,                    // From as epoch ms: in
		`{"@timestamp":"1709254800000","id":8}`,                  // To as epoch ms string: out
		`{"@timestamp":1709251199999,"id":9}`,                    // 1 ms before From: out
		`{"@timestamp":"2024-03-01 00:30:00z","id":10}`,          // lenient form: in
		`{"@timestamp":"2024-03-01T00:30:00\u002e5Z","id":11}`,   // escaped: in
		`{"@timestamp":"not a time","id":12}`,                    // no usable timestamp
		`{"@timestamp":null,"id":13}`,                            // no usable timestamp
		`{"id":14}`,                                              // no timestamp
		`{"@timestamp":{"x":1},"id":15}`,                         // no usable timestamp
		`{"@timestamp":"2024-03-01T00:10:00Z","id":16`,           // truncated: invalid
		`garbage`,                  // invalid
		`["2024-03-01T00:10:00Z"]`, // not an object: invalid
		``,                         // blank: ignored
		"   \t",                    // blank: ignored
		`{"@timestamp":"2024-03-01T00:10:00Z","id":17,"drop":true}`,     // filtered
		"{\"@timestamp\":\"2024-03-01T00:20:00Z\",\"id\":18}\r",         // CRLF
		`{"@timestamp":"2024-03-01T00:20:00.5+00:00","id":19,"x":null}`, // in, null kept
	}, "\n")
	o := Options{From: t0, To: t1, Fields: []string{"id", "x", "@timestamp"},
		Filter: funcFilter{[]string{"drop"}, func(v [][]byte) bool { return string(v[0]) != "true" }}}
	out, n := encodeAll(t, o, gz(t, in))
	want := strings.Join([]string{
		`{"id":1,"@timestamp":"2024-03-01T00:00:00Z"}`,
		`{"id":4,"@timestamp":"2024-03-01T00:59:59.999999999Z"}`,
		`{"id":5,"@timestamp":"2024-03-01T02:00:00+02:00"}`,
		`{"id":7,"@timestamp":1709251200000}`,
		`{"id":10,"@timestamp":"2024-03-01 00:30:00z"}`,
		`{"id":11,"@timestamp":"2024-03-01T00:30:00\u002e5Z"}`,
		`{"id":18,"@timestamp":"2024-03-01T00:20:00Z"}`,
		`{"id":19,"x":null,"@timestamp":"2024-03-01T00:20:00.5+00:00"}`,
	}, "\n") + "\n"
	if got := gunzip(t, out); got != want {
		t.Errorf("output:\n%s\nwant:\n%s", got, want)
	}
	wantN := Counts{Read: 21, Exported: 8, Invalid: 3, NoTimestamp: 4, OutOfRange: 5, Filtered: 1, RawBytes: int64(len(want)), Bytes: n.Bytes}
	if n != wantN {
		t.Errorf("counts %+v, want %+v", n, wantN)
	}
	if _, refN := refEncode([]byte(in), o); refN != (Counts{Read: 21, Exported: 8, Invalid: 3, NoTimestamp: 4, OutOfRange: 5, Filtered: 1, RawBytes: int64(len(want))}) {
		t.Errorf("reference counts %+v disagree", refN)
	}
}

func TestEncodeOpenBounds(t *testing.T) {
	in := `{"@timestamp":"1900-01-01T00:00:00Z"}` + "\n" + `{"@timestamp":"9999-12-31T23:59:59Z"}` + "\n"
	_, n := encodeAll(t, Options{Fields: []string{"@timestamp"}}, gz(t, in))
	if n.Exported != 2 {
		t.Errorf("zero From and To should not bound: %+v", n)
	}
}

func TestEncodeEmptyResult(t *testing.T) {
	for name, objs := range map[string][][]byte{
		"no objects":       nil,
		"empty object":     {{}},
		"empty stream":     {gz(t, "")},
		"nothing in range": {gz(t, `{"@timestamp":"2000-01-01T00:00:00Z"}`)},
	} {
		t.Run(name, func(t *testing.T) {
			out, n := encodeAll(t, Options{From: t0, To: t1, Fields: []string{"a"}}, objs...)
			if got := gunzip(t, out); got != "" {
				t.Errorf("got %q, want empty stream", got)
			}
			if n.Exported != 0 || n.RawBytes != 0 || n.Bytes == 0 {
				t.Errorf("counts %+v", n)
			}
		})
	}
}

func TestEncodeOutputsConcatenate(t *testing.T) {
	fields := []string{"@timestamp", "source.ip", "user.name", "message"}
	a := genEvents(1, 3000, t0, time.Hour)
	b := genEvents(2, 3000, t0, time.Hour)
	outA, _ := encodeAll(t, Options{Fields: fields}, gz(t, string(a)))
	outE, _ := encodeAll(t, Options{Fields: fields}, gz(t, ""))
	outB, _ := encodeAll(t, Options{Fields: fields}, gz(t, string(b)))
	wantA, _ := refEncode(a, Options{Fields: fields})
	wantB, _ := refEncode(b, Options{Fields: fields})
	joined := append(append(append([]byte{}, outA...), outE...), outB...)
	if got := gunzip(t, joined); got != wantA+wantB {
		t.Fatalf("concatenated members gunzip to %d bytes, want %d", len(got), len(wantA+wantB))
	}
}

// TestEncodeWithQueries holds the encoder, which resolves a query's fields
// in its own pass over each line, to the query's own Match, on generated
// nested, flat and mixed events and on synth ECS events.
func TestEncodeWithQueries(t *testing.T) {
	text := append(genEvents(11, 3000, t0, time.Hour), testEvents(3000)...)
	for _, s := range []string{
		`event.action:logon`, `NOT event.action:logoff`, `user.name:(alice OR "Zoë")`, `user.name:*e*`,
		`source.ip:10.0.0.0/8 OR destination.ip:2001:db8::/32`, `_exists_:process.args`, `source.port:>=1024`,
		`@timestamp:[2024-03-01T00:10:00Z TO 2024-03-01T01:40:00+01:00}`, `failed`, `metrics.bytes:[100 TO *]`,
		`event.category:authentication AND event.outcome:failure AND NOT user.name:svc*`,
	} {
		q := mustQuery(t, s)
		o := Options{Fields: []string{"@timestamp", "user.name", "event.action"}, Filter: q, Workers: 2}
		out, n := encodeAll(t, o, gz(t, string(text)))
		var want []byte
		var kept int64
		for _, line := range bytes.Split(bytes.TrimSuffix(text, []byte("\n")), []byte("\n")) {
			proj, ok := refLine(nil, line, o.Fields)
			if _, hasTime := event.Time(event.Lookup(line, "@timestamp")); ok && hasTime && q.Match(line) {
				want = append(append(want, proj...), '\n')
				kept++
			}
		}
		if kept == 0 || kept == n.Read {
			t.Errorf("%s keeps %d of %d events: it tells nothing", s, kept, n.Read)
		}
		if got := gunzip(t, out); got != string(want) {
			t.Errorf("%s: output differs from Match line by line (%d vs %d bytes)", s, len(got), len(want))
		}
		if n.Exported != kept {
			t.Errorf("%s: exported %d, Match keeps %d", s, n.Exported, kept)
		}
	}
}

// TestEncodeMatchesReference runs a dataset that spans many batches, objects
// and input members through every worker count and compares with the line
// by line reference: same bytes, same order, same counts.
func TestEncodeMatchesReference(t *testing.T) {
	text := genEvents(3, 20000, t0.Add(-10*time.Minute), 80*time.Minute)
	o := Options{From: t0, To: t1, Fields: []string{"@timestamp", "source.ip", "source.port", "user.name", "event.action", "process.args", "metrics", "message"}, Filter: mustQuery(t, "NOT event.action:logoff")}
	want, wantN := refEncode(text, o)
	if wantN.Exported < 10000 || wantN.Invalid == 0 || wantN.NoTimestamp == 0 || wantN.OutOfRange == 0 || wantN.Filtered == 0 {
		t.Fatalf("dataset does not exercise every count: %+v", wantN)
	}
	// Three objects, the middle one made of many members cut mid-line;
	// lines never span objects, so those are cut at line ends.
	third := len(text) / 3
	a := bytes.LastIndexByte(text[:third], '\n') + 1
	c := bytes.LastIndexByte(text[:2*third], '\n') + 1
	var multi []byte
	mid := text[a:c]
	for i, k := 0, 0; k < len(mid); i++ {
		m := min(len(mid), k+1000+i*7919)
		multi = append(multi, gz(t, string(mid[k:m]))...)
		k = m
	}
	objs := [][]byte{gz(t, string(text[:a])), multi, gz(t, string(text[c:]))}
	for _, workers := range []int{1, 2, 5} {
		o.Workers = workers
		out, n := encodeAll(t, o, objs...)
		wantN.Bytes = n.Bytes
		if got := gunzip(t, out); got != want {
			t.Errorf("workers=%d: output differs from reference (%d vs %d bytes)", workers, len(got), len(want))
		}
		if n != wantN {
			t.Errorf("workers=%d: counts %+v, want %+v", workers, n, wantN)
		}
	}
}

func TestEncodeLongLines(t *testing.T) {
	huge := strings.Repeat("x", 5<<20)
	var in strings.Builder
	for i := range 3 {
		fmt.Fprintf(&in, `{"@timestamp":"2024-03-01T00:00:0%dZ","big":"%s","i":%d}`+"\n", i, huge, i)
		fmt.Fprintf(&in, `{"@timestamp":"2024-03-01T00:00:0%dZ","i":%d}`+"\n", i, 10+i)
	}
	out, n := encodeAll(t, Options{Fields: []string{"i", "big"}}, gz(t, in.String()))
	got := lines(gunzip(t, out))
	if n.Exported != 6 || len(got) != 6 {
		t.Fatalf("exported %d lines (%+v)", len(got), n)
	}
	if got[0] != `{"i":0,"big":"`+huge+`"}` || got[1] != `{"i":10}` || got[5] != `{"i":12}` {
		t.Errorf("long lines mangled")
	}
}

func TestEncodeLastLineWithoutNewline(t *testing.T) {
	objs := [][]byte{
		gz(t, `{"@timestamp":1,"i":1}`),
		gz(t, `{"@timestamp":2,"i":2}`+"\r\n"+`{"@timestamp":3,"i":3}`),
	}
	out, _ := encodeAll(t, Options{Fields: []string{"i"}}, objs...)
	if got := gunzip(t, out); got != "{\"i\":1}\n{\"i\":2}\n{\"i\":3}\n" {
		t.Errorf("got %q", got)
	}
}

func TestEncodeLevelsAgree(t *testing.T) {
	text := genEvents(4, 2000, t0, time.Hour)
	want, _ := refEncode(text, Options{Fields: []string{"message", "user.name"}})
	for level := -3; level <= 9; level++ {
		o := Options{Fields: []string{"message", "user.name"}, Level: level}
		out, _ := encodeAll(t, o, gz(t, string(text)))
		if gunzip(t, out) != want {
			t.Errorf("level %d: output differs", level)
		}
	}
	if _, err := Encode(context.Background(), source(), io.Discard, Options{Level: 42}); err == nil {
		t.Error("level 42 accepted")
	}
}

type failingWriter struct{ left int }

func (w *failingWriter) Write(p []byte) (int, error) {
	if len(p) > w.left {
		n := w.left
		w.left = 0
		return n, errors.New("disk full")
	}
	w.left -= len(p)
	return len(p), nil
}

type errSource struct{ err error }

func (s errSource) Next(context.Context) (io.ReadCloser, error) { return nil, s.err }

func TestEncodeErrors(t *testing.T) {
	good := gz(t, string(genEvents(5, 20000, t0, time.Hour)))
	tests := map[string]struct {
		src  Source
		w    io.Writer
		want string
	}{
		"not gzip":       {source(good, []byte("plain text\n")), io.Discard, "source object 1"},
		"truncated gzip": {source(good[:len(good)/2]), io.Discard, "source object 0"},
		"corrupt member": {source(append(append([]byte{}, good...), 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff)), io.Discard, "source object 0"},
		"source fails":   {errSource{errors.New("s3 says no")}, io.Discard, "s3 says no"},
		"writer fails":   {source(good), &failingWriter{left: 100}, "disk full"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			before := runtime.NumGoroutine()
			_, err := Encode(context.Background(), tt.src, tt.w, Options{Fields: []string{"message"}, Level: 9})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want one mentioning %q", err, tt.want)
			}
			noLeak(t, before)
		})
	}
}

// noLeak waits for the goroutine count to fall back to what it was.
func noLeak(t *testing.T, before int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("goroutines leaked: %d > %d\n%s", runtime.NumGoroutine(), before, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// endless is a gzip stream that never ends: the same member again and again.
type endless struct {
	member []byte
	off    int
	once   sync.Once
	closed chan struct{}
}

func (e *endless) Read(p []byte) (int, error) {
	select {
	case <-e.closed:
		return 0, errors.New("read on closed body")
	default:
	}
	n := copy(p, e.member[e.off:])
	e.off = (e.off + n) % len(e.member)
	return n, nil
}

func (e *endless) Close() error { e.once.Do(func() { close(e.closed) }); return nil }

// stalled never returns from Read until closed, like a dead connection.
type stalled struct {
	once   sync.Once
	closed chan struct{}
}

func (s *stalled) Read([]byte) (int, error) { <-s.closed; return 0, errors.New("connection closed") }
func (s *stalled) Close() error             { s.once.Do(func() { close(s.closed) }); return nil }

type funcSource func(ctx context.Context) (io.ReadCloser, error)

func (f funcSource) Next(ctx context.Context) (io.ReadCloser, error) { return f(ctx) }

func TestEncodeCancel(t *testing.T) {
	member := gz(t, string(genEvents(6, 500, t0, time.Hour)))
	tests := map[string]func() Source{
		"endless stream": func() Source {
			return funcSource(func(context.Context) (io.ReadCloser, error) {
				return &endless{member: member, closed: make(chan struct{})}, nil
			})
		},
		"stalled read": func() Source {
			return funcSource(func(context.Context) (io.ReadCloser, error) {
				return &stalled{closed: make(chan struct{})}, nil
			})
		},
		"stalled next": func() Source {
			return funcSource(func(ctx context.Context) (io.ReadCloser, error) {
				<-ctx.Done()
				return nil, ctx.Err()
			})
		},
		"slow predicate": func() Source {
			return funcSource(func(context.Context) (io.ReadCloser, error) {
				return &endless{member: member, closed: make(chan struct{})}, nil
			})
		},
	}
	for name, src := range tests {
		t.Run(name, func(t *testing.T) {
			before := runtime.NumGoroutine()
			ctx, cancel := context.WithCancel(context.Background())
			o := Options{Fields: []string{"message"}, Workers: 3}
			if name == "slow predicate" {
				o.Filter = funcFilter{[]string{"message"}, func([][]byte) bool { time.Sleep(time.Microsecond); return true }}
			}
			done := make(chan error, 1)
			go func() {
				_, err := Encode(ctx, src(), io.Discard, o)
				done <- err
			}()
			time.Sleep(100 * time.Millisecond)
			start := time.Now()
			cancel()
			select {
			case err := <-done:
				if !errors.Is(err, context.Canceled) {
					t.Errorf("err = %v, want context.Canceled", err)
				}
				if d := time.Since(start); d > time.Second {
					t.Errorf("Encode took %v to stop", d)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("Encode did not stop after cancellation")
			}
			noLeak(t, before)
		})
	}
}

// TestEncodeMemoryBounded pushes a chunk much larger than the pipeline's
// buffers through Encode and checks that the heap does not grow with it.
func TestEncodeMemoryBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("large input")
	}
	member := gz(t, string(testEvents(1000)))
	reps := 100 // about 100 MiB decompressed
	if raceEnabled {
		reps = 20
	}
	readers := make([]io.Reader, reps)
	for i := range readers {
		readers[i] = bytes.NewReader(member)
	}
	src := funcSource(func() func(context.Context) (io.ReadCloser, error) {
		done := false
		return func(context.Context) (io.ReadCloser, error) {
			if done {
				return nil, io.EOF
			}
			done = true
			return io.NopCloser(io.MultiReader(readers...)), nil
		}
	}())
	runtime.GC()
	var peak uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	n, err := Encode(context.Background(), src, io.Discard, Options{Fields: presets[1].fields})
	close(stop)
	<-sampled
	if err != nil || n.Exported != int64(1000*reps) {
		t.Fatalf("Encode: %v, %+v", err, n)
	}
	if peak > 64<<20 {
		t.Errorf("heap in use peaked at %d MiB for a %d MiB chunk", peak>>20, n.RawBytes>>20)
	}
	t.Logf("heap in use peaked at %.1f MiB", float64(peak)/(1<<20))
}
