package encode

import (
	"bytes"
	stdgzip "compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/klauspost/compress/gzip"
	"github.com/secops/eventexport/internal/event"
	"github.com/tidwall/gjson"
)

// refLine is the obvious projection, one full lookup per field with the
// event package: the behaviour Line must reproduce, and the baseline the
// single-pass scanner is measured against.
func refLine(dst, line []byte, fields []string) ([]byte, bool) {
	if !gjson.ValidBytes(line) || !utf8.Valid(line) || !gjson.ParseBytes(line).IsObject() {
		return dst, false
	}
	dst = append(dst, '{')
	var seen []string
	for _, f := range fields {
		if slices.Contains(seen, f) {
			continue
		}
		seen = append(seen, f)
		v := event.Lookup(line, f)
		if !v.Exists() {
			continue
		}
		if len(dst) > 0 && dst[len(dst)-1] != '{' {
			dst = append(dst, ',')
		}
		dst = append(appendQuoted(dst, f), ':')
		dst = append(dst, v.Raw...)
	}
	return append(dst, '}'), true
}

// tooDeep reports nesting beyond maxDepth, which gjson accepts and Line does not.
func tooDeep(line []byte) bool {
	return bytes.Count(line, []byte("{"))+bytes.Count(line, []byte("[")) > maxDepth
}

// checkObject fails unless out is one JSON object whose keys are distinct
// members of fields.
func checkObject(t testing.TB, out []byte, fields []string) {
	t.Helper()
	if !json.Valid(out) || !utf8.Valid(out) {
		t.Fatalf("invalid JSON output %q", out)
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("output %q is not an object", out)
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		k := tok.(string)
		if slices.Contains(keys, k) || !slices.Contains(fields, k) {
			t.Fatalf("output %q: key %q repeated or not requested (%q)", out, k, fields)
		}
		keys = append(keys, k)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
	}
}

// gz compresses lines (joined with '\n') as one gzip member.
func gz(t testing.TB, text string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write([]byte(text)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// sliceSource serves in-memory objects.
type sliceSource struct {
	objs [][]byte
	i    int
}

func (s *sliceSource) Next(ctx context.Context) (io.ReadCloser, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if s.i == len(s.objs) {
		return nil, io.EOF
	}
	s.i++
	return io.NopCloser(bytes.NewReader(s.objs[s.i-1])), nil
}

func source(objs ...[]byte) *sliceSource { return &sliceSource{objs: objs} }

// gunzip reads every member of b with the standard library, an
// implementation independent of the one that wrote it.
func gunzip(t testing.TB, b []byte) string {
	t.Helper()
	zr, err := stdgzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("gunzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("gunzip: %v", err)
	}
	return string(out)
}

// members counts the gzip members of b.
func members(t testing.TB, b []byte) int {
	t.Helper()
	br := bytes.NewReader(b)
	zr, err := stdgzip.NewReader(br)
	if err != nil {
		t.Fatal(err)
	}
	for n := 1; ; n++ {
		zr.Multistream(false)
		if _, err := io.Copy(io.Discard, zr); err != nil {
			t.Fatal(err)
		}
		if err := zr.Reset(br); errors.Is(err, io.EOF) {
			return n
		} else if err != nil {
			t.Fatal(err)
		}
	}
}

func lines(s string) []string {
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}
