package encode

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"testing"

	"github.com/klauspost/compress/gzip"
)

// presets are the field sets of the comparison; internal/fields owns the
// real ones, these are copied so the benchmark stands alone.
var presets = []struct {
	name   string
	fields []string
}{
	{"network", []string{"@timestamp", "source.ip", "source.port", "destination.ip", "destination.port", "network.protocol", "network.transport", "event.action"}},
	{"identity", []string{"@timestamp", "user.name", "user.domain", "source.ip", "event.action", "event.outcome", "message"}},
	{"endpoint", []string{"@timestamp", "host.name", "process.name", "process.executable", "process.args", "file.path", "file.hash.sha256", "user.name"}},
	{"default", []string{"@timestamp", "message"}},
}

func benchLines(n int) [][]byte {
	return bytes.Split(bytes.TrimSuffix(testEvents(n), []byte("\n")), []byte("\n"))
}

// BenchmarkLine compares the single-pass projection with one event.Lookup
// per field.
func BenchmarkLine(b *testing.B) {
	ls := benchLines(10000)
	var size int
	for _, l := range ls {
		size += len(l)
	}
	for _, p := range presets {
		for _, impl := range []struct {
			name string
			f    func(dst, line []byte, fields []string) ([]byte, bool)
		}{{"single-pass", Line}, {"per-field", refLine}} {
			b.Run(fmt.Sprintf("%s/%s", p.name, impl.name), func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(size / len(ls)))
				var dst []byte
				i := 0
				for b.Loop() {
					dst, _ = impl.f(dst[:0], ls[i], p.fields)
					if i++; i == len(ls) {
						i = 0
					}
				}
			})
		}
	}
}

// BenchmarkEncode is the whole pipeline per preset and gzip level, on one
// in-memory object; ns/op is per event.
func BenchmarkEncode(b *testing.B) {
	const n = 100000
	text := testEvents(n)
	obj := gz(b, string(text))
	for _, p := range presets {
		for _, level := range []int{1, 6} {
			b.Run(fmt.Sprintf("%s/level=%d", p.name, level), func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(text)))
				var raw, zipped int64
				for b.Loop() {
					c, err := Encode(context.Background(), source(obj), io.Discard, Options{Fields: p.fields, Level: level})
					if err != nil {
						b.Fatal(err)
					}
					raw, zipped = c.RawBytes, c.Bytes
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/event")
				b.ReportMetric(float64(raw)/float64(zipped), "ratio")
			})
		}
	}
}

// BenchmarkLevel compresses the projected output of each preset at gzip
// levels 1..6: the measurement behind DefaultLevel.
func BenchmarkLevel(b *testing.B) {
	ls := benchLines(100000)
	for _, p := range presets {
		var proj []byte
		for _, l := range ls {
			proj, _ = Line(proj, l, p.fields)
			proj = append(proj, '\n')
		}
		for level := 1; level <= 6; level++ {
			b.Run(fmt.Sprintf("%s/level=%d", p.name, level), func(b *testing.B) {
				b.SetBytes(int64(len(proj)))
				var cw countingWriter
				for b.Loop() {
					cw = countingWriter{w: io.Discard}
					zw, _ := gzip.NewWriterLevel(&cw, level)
					zw.Write(proj)
					zw.Close()
				}
				b.ReportMetric(float64(len(proj))/float64(cw.n), "ratio")
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(ls)), "ns/event")
			})
		}
	}
}
