package encode

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"
)

func TestZZComponents(t *testing.T) {
	if os.Getenv("ZZ") == "" {
		t.Skip()
	}
	data, _ := os.ReadFile("/tmp/s100k.jsonl.gz")
	buf := make([]byte, 512<<10)
	measure := func(name string, f func()) {
		best := time.Hour
		for range 3 {
			c0 := cpu(syscall.RUSAGE_SELF)
			f()
			best = min(best, cpu(syscall.RUSAGE_SELF)-c0)
		}
		fmt.Printf("%-20s %6.0f ms  %.2f us/event\n", name, best.Seconds()*1000, best.Seconds()*1e6/100000)
	}
	measure("inflate-read", func() {
		zr, _ := gzip.NewReader(bytes.NewReader(data))
		for {
			if _, err := zr.Read(buf); err == io.EOF {
				break
			}
		}
	})
	measure("inflate-ours", func() {
		z := newGunzipper()
		z.Reset(bytes.NewReader(data))
		for {
			if _, err := z.Read(buf); err == io.EOF {
				break
			}
		}
	})
	measure("inflate-writeto", func() {
		zr, _ := gzip.NewReader(bytes.NewReader(data))
		zr.WriteTo(io.Discard)
	})
	zr, _ := gzip.NewReader(bytes.NewReader(data))
	text, _ := io.ReadAll(zr)
	ls := bytes.Split(bytes.TrimSuffix(text, []byte("\n")), []byte("\n"))
	for _, p := range presets {
		var out []byte
		measure("scan-"+p.name, func() {
			out = out[:0]
			for _, l := range ls {
				out, _ = Line(out, l, p.fields)
				out = append(out, '\n')
			}
		})
		for _, lv := range []int{1, 2, 3, 4, 5, 6} {
			var n int64
			measure(fmt.Sprintf("deflate-%s-L%d", p.name, lv), func() {
				cw := &countingWriter{w: io.Discard}
				zw, _ := gzip.NewWriterLevel(cw, lv)
				zw.Write(out)
				zw.Close()
				n = cw.n
			})
			fmt.Printf("   ratio %.2f\n", float64(len(out))/float64(n))
		}
	}
}

func TestZZEncodeCPU(t *testing.T) {
	if os.Getenv("ZZ") == "" {
		t.Skip()
	}
	for _, w := range []int{2} {
		for _, p := range presets {
			best := time.Hour
			var wall time.Duration
			for range 3 {
				c0, w0 := cpu(syscall.RUSAGE_SELF), time.Now()
				_, err := Encode(t.Context(), &fileSource{paths: []string{"/tmp/s100k.jsonl.gz"}}, io.Discard, Options{Fields: p.fields, Workers: w})
				if err != nil {
					t.Fatal(err)
				}
				if d := cpu(syscall.RUSAGE_SELF) - c0; d < best {
					best, wall = d, time.Since(w0)
				}
			}
			fmt.Printf("workers=%d %-10s cpu %.2f us/event wall %.2f us/event\n", w, p.name, best.Seconds()*1e6/100000, wall.Seconds()*1e6/100000)
		}
	}
}

func TestZZProfile(t *testing.T) {
	if os.Getenv("ZZP") == "" {
		t.Skip()
	}
	for range 5 {
		Encode(t.Context(), &fileSource{paths: []string{"/tmp/s100k.jsonl.gz"}}, io.Discard, Options{Fields: presets[3].fields})
	}
}
