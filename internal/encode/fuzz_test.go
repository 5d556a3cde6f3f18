package encode

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/secops/eventexport/internal/event"
	"github.com/tidwall/gjson"
)

// FuzzEncode feeds arbitrary text, cut into two objects and the second into
// two gzip members, and compares with the line by line reference.
func FuzzEncode(f *testing.F) {
	f.Add([]byte(`{"@timestamp":"2024-06-01T00:00:00Z","a":{"b":1},"message":"x"}`+"\n"+`{"@timestamp":1717200000000,"a.b":[1]}`), uint16(10), uint16(40), uint8(2))
	f.Add([]byte("\r\n\n{\"@timestamp\":\"2024-01-01T00:00:00+01:00\",\"a\":null}\r\n{\"@timestamp\":\"2025-01-01T00:00:00Z\"}\ngarbage\n{\"a\":1}"), uint16(3), uint16(1), uint8(1))
	f.Add([]byte(`{"@timestamp":"2024-02-30T00:00:00Z"}`+"\n"+`{"@timestamp":"2024-12-31T23:59:59.9999999999Z","message":"\u00e9"}`), uint16(0), uint16(0), uint8(3))
	f.Add([]byte(`{"@timestamp":"2024-06-01T00:00:00Z","x":1,"a":{"x":1},"a.b":2,"a":{"b":{"c":4}}}`+"\n"+`{"@timestamp":"2024-06-01T00:00:00Z","x":{"y":[1,{"z":"]}"}]},"message":"a\"b}"}`), uint16(5), uint16(9), uint8(2))
	from := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	// The filter's fields overlap the output's, and its answer depends on
	// every byte of the values it is given, as the reference finds them.
	drop := funcFilter{[]string{"a.b", "x", "message"}, func(v [][]byte) bool {
		return v[1] == nil || (len(v[0])+len(v[1])+len(v[2]))%3 != 0
	}}
	o := Options{From: from, To: from.AddDate(1, 0, 0), Fields: []string{"@timestamp", "a", "a.b", "message"}, Filter: drop}
	f.Fuzz(func(t *testing.T, data []byte, cut, member uint16, workers uint8) {
		if tooDeep(data) {
			return
		}
		c := min(int(cut), len(data))
		m := c + min(int(member), len(data)-c)
		first, second := data[:c], data[c:]
		objs := [][]byte{gz(t, string(first)), append(gz(t, string(data[c:m])), gz(t, string(data[m:]))...)}
		o.Workers = int(workers % 4)
		var out bytes.Buffer
		n, err := Encode(context.Background(), source(objs...), &out, o)
		if err != nil {
			t.Fatal(err)
		}
		want1, n1 := refEncode(first, o)
		want2, n2 := refEncode(second, o)
		n1.add(n2)
		n1.Bytes = int64(out.Len())
		if got := gunzip(t, out.Bytes()); got != want1+want2 {
			t.Fatalf("output %q, want %q", got, want1+want2)
		}
		if n != n1 {
			t.Fatalf("counts %+v, want %+v", n, n1)
		}
		if members(t, out.Bytes()) != 1 {
			t.Fatal("not one gzip member")
		}
		for _, l := range lines(gunzip(t, out.Bytes())) {
			checkObject(t, []byte(l), o.Fields)
		}
	})
}

// FuzzEventTime holds the allocation-free timestamp path to event.Time.
func FuzzEventTime(f *testing.F) {
	for _, s := range []string{`"2024-03-01T00:00:00Z"`, `"2024-02-29T23:59:59.123456789+05:30"`, `"2023-02-29T00:00:00Z"`,
		`"0000-01-01T00:00:00-23:59"`, `"9999-12-31T23:59:59.99999999999Z"`, `1709251200000`, `"1709251200000"`, `-1.5e3`,
		`"2024-03-01T24:00:00Z"`, `"2024-03-01T00:00:00.Z"`, `"2024-03-01 00:00:00z"`, `"2024-03-01T00:00:00\u005a"`, `null`, `{}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		v := gjson.ParseBytes(raw)
		if !gjson.ValidBytes(raw) || v.Raw != string(bytes.TrimSpace(raw)) || v.IsObject() || v.IsArray() {
			return
		}
		raw = bytes.TrimSpace(raw)
		want, wantOK := event.Time(v)
		got, ok := eventTime(raw)
		if ok != wantOK || ok && got != instantOf(want) {
			t.Fatalf("eventTime(%s) = %v %v; event.Time gives %v %v", raw, got, ok, want, wantOK)
		}
	})
}
