package encode

import (
	"bytes"
	stdgzip "compress/gzip"
	"errors"
	"io"
	"math/rand/v2"
	"testing"
	"testing/iotest"

	"github.com/klauspost/compress/gzip"
)

// gunzipBoth decompresses b with our decoder (through reads of odd sizes
// from a reader that hands out few bytes at a time) and with klauspost's.
func gunzipBoth(t testing.TB, b []byte, chunk int) (ours, theirs []byte, oursErr, theirsErr error) {
	t.Helper()
	z := newGunzipper()
	var r io.Reader = bytes.NewReader(b)
	if chunk > 0 {
		r = &chunkReader{b: b, n: chunk}
	}
	if oursErr = z.Reset(r); oursErr == nil {
		buf := make([]byte, 7919)
		for {
			n, err := z.Read(buf)
			ours = append(ours, buf[:n]...)
			if err == io.EOF {
				break
			}
			if err != nil {
				oursErr = err
				break
			}
		}
	}
	zr, theirsErr := gzip.NewReader(bytes.NewReader(b))
	if theirsErr == nil {
		theirs, theirsErr = io.ReadAll(zr)
	}
	return
}

type chunkReader struct {
	b []byte
	n int
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), c.n)], c.b)
	c.b = c.b[n:]
	return n, nil
}

func TestGunzipMatchesKlauspost(t *testing.T) {
	text := testEvents(1200) // over a megabyte: the window slides
	r := rand.New(rand.NewPCG(1, 2))
	noise := make([]byte, 300000)
	for i := range noise {
		noise[i] = byte(r.IntN(256))
	}
	runs := bytes.Repeat([]byte("a"), 200000)
	var inputs [][]byte
	levels := []int{-3, -2, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
	if raceEnabled {
		levels = []int{-2, 0, 1, 9}
	}
	for _, level := range levels {
		for _, data := range [][]byte{text, noise, runs, nil, []byte("x"), append(append([]byte{}, text[:5000]...), noise[:5000]...)} {
			var b bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&b, level)
			zw.Write(data)
			zw.Close()
			inputs = append(inputs, b.Bytes())
		}
	}
	// The standard library's writer, with a name, a comment and extra data.
	var b bytes.Buffer
	sw := stdgzip.NewWriter(&b)
	sw.Name, sw.Comment, sw.Extra = "events.jsonl", "chunk 7", []byte("xx")
	sw.Write(text)
	sw.Close()
	inputs = append(inputs, b.Bytes(), append(append([]byte{}, b.Bytes()...), inputs[7]...), []byte{})
	for i, in := range inputs {
		for _, chunk := range []int{0, 1, 3, 1000} {
			if chunk == 1 && len(in) > 50000 {
				continue
			}
			ours, theirs, oe, te := gunzipBoth(t, in, chunk)
			if (oe == nil) != (te == nil) || !bytes.Equal(ours, theirs) {
				t.Fatalf("input %d chunk %d: ours %d bytes, %v; klauspost %d bytes, %v", i, chunk, len(ours), oe, len(theirs), te)
			}
		}
	}
}

func TestGunzipRejectsDamage(t *testing.T) {
	good := gz(t, string(testEvents(500)))
	flip := append([]byte{}, good...)
	flip[len(flip)/2] ^= 0x10
	crc := append([]byte{}, good...)
	crc[len(crc)-6] ^= 1
	tests := map[string][]byte{
		"truncated":      good[:len(good)-100],
		"no trailer":     good[:len(good)-8],
		"short trailer":  good[:len(good)-3],
		"flipped bit":    flip,
		"bad crc":        crc,
		"garbage after":  append(append([]byte{}, good...), 'x'),
		"bad magic":      append([]byte{0x1f, 0x8c}, good[2:]...),
		"header only":    good[:10],
		"partial header": good[:5],
	}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			_, _, oe, te := gunzipBoth(t, in, 0)
			if oe == nil || te == nil {
				t.Fatalf("ours: %v, klauspost: %v; both should fail", oe, te)
			}
			if errors.Is(te, io.ErrUnexpectedEOF) != errors.Is(oe, io.ErrUnexpectedEOF) {
				t.Errorf("ours: %v, klauspost: %v", oe, te)
			}
		})
	}
	z := newGunzipper()
	if err := z.Reset(iotest.ErrReader(errors.New("boom"))); err == nil || err.Error() != "boom" {
		t.Errorf("read error not passed on: %v", err)
	}
}

// FuzzGunzip holds our decoder to klauspost's: same output, and an error
// exactly when klauspost reports one. Seeds are valid streams, so mutations
// reach deep into block headers and Huffman tables.
func FuzzGunzip(f *testing.F) {
	for i, level := range []int{-2, 1, 6, 9} {
		var b bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&b, level)
		zw.Write(testEvents(3 + i))
		zw.Close()
		f.Add(b.Bytes(), uint8(0))
	}
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, 0)
	zw.Write([]byte("stored block"))
	zw.Close()
	f.Add(b.Bytes(), uint8(3))
	f.Fuzz(func(t *testing.T, in []byte, chunk uint8) {
		ours, theirs, oe, te := gunzipBoth(t, in, int(chunk))
		if (oe == nil) != (te == nil) {
			t.Fatalf("ours: %v, klauspost: %v", oe, te)
		}
		if oe == nil && !bytes.Equal(ours, theirs) {
			t.Fatalf("outputs differ: %q vs %q", ours, theirs)
		}
	})
}

func BenchmarkGunzip(b *testing.B) {
	data := gz(b, string(testEvents(20000)))
	buf := make([]byte, 512<<10)
	var size int64
	zr, _ := gzip.NewReader(bytes.NewReader(data))
	size, _ = io.Copy(io.Discard, zr)
	b.Run("ours", func(b *testing.B) {
		b.SetBytes(size)
		z := newGunzipper()
		for b.Loop() {
			z.Reset(bytes.NewReader(data))
			for {
				if _, err := z.Read(buf); err != nil {
					break
				}
			}
		}
	})
	b.Run("klauspost", func(b *testing.B) {
		b.SetBytes(size)
		for b.Loop() {
			zr.Reset(bytes.NewReader(data))
			for {
				if _, err := zr.Read(buf); err != nil {
					break
				}
			}
		}
	})
}

// TestGunzipCorruption flips bytes of valid streams at random: whatever
// happens, both decoders must agree on success and output.
func TestGunzipCorruption(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	text := testEvents(40)
	iters := 1000
	if testing.Short() || raceEnabled {
		iters = 150
	}
	for i := range iters {
		var b bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&b, []int{-2, 1, 5, 9, 0}[i%5])
		zw.Write(text[:r.IntN(len(text))])
		zw.Close()
		in := b.Bytes()
		for range 1 + r.IntN(3) {
			p := 10 + r.IntN(len(in)-10)
			in[p] ^= byte(1 << r.IntN(8))
		}
		ours, theirs, oe, te := gunzipBoth(t, in, 0)
		if (oe == nil) != (te == nil) || oe == nil && !bytes.Equal(ours, theirs) {
			t.Fatalf("iteration %d: ours %v, klauspost %v", i, oe, te)
		}
	}
}
