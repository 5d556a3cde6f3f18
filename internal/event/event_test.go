package event

import (
	"testing"
	"time"
)

func TestLookupForms(t *testing.T) {
	cases := []struct {
		line, field, want string
	}{
		{`{"source":{"ip":"10.0.0.1"}}`, "source.ip", `"10.0.0.1"`},
		{`{"source.ip":"10.0.0.2"}`, "source.ip", `"10.0.0.2"`},
		{`{"source":{"geo.city_name":"Lyon"}}`, "source.geo.city_name", `"Lyon"`},
		{`{"source.geo":{"city_name":"Nice"}}`, "source.geo.city_name", `"Nice"`},
		{`{"source.ip":"flat","source":{"ip":"nested"}}`, "source.ip", `"flat"`},
		{`{"a":{"b":1},"a.b":2}`, "a.b", `2`},
		{`{"n":null}`, "n", `null`},
		{`{"process":{"args":["a","b"]}}`, "process.args", `["a","b"]`},
		{`{"sourcex":{"ip":"no"}}`, "source.ip", ``},
		{`{"source":{"ipx":"no"}}`, "source.ip", ``},
		{`[1,2]`, "source.ip", ``},
		{`not json`, "source.ip", ``},
	}
	for _, c := range cases {
		got := Lookup([]byte(c.line), c.field)
		if got.Raw != c.want {
			t.Errorf("Lookup(%s, %s) = %q, want %q", c.line, c.field, got.Raw, c.want)
		}
	}
}

func TestTimestamp(t *testing.T) {
	want := time.Date(2026, 11, 30, 22, 15, 0, 0, time.UTC)
	for _, line := range []string{
		`{"@timestamp":"2026-11-30T22:15:00Z"}`,
		`{"@timestamp":"2026-12-01T00:15:00+02:00"}`,
		`{"@timestamp":"2026-11-30T22:15:00.000000000Z"}`,
		`{"@timestamp":1796076900000}`,
		`{"@timestamp":"1796076900000"}`,
		`{"@timestamp":"2026-11-30 22:15:00z"}`,
	} {
		got, ok := Timestamp([]byte(line))
		if !ok || !got.Equal(want) {
			t.Errorf("%s: got %v %v, want %v", line, got, ok, want)
		}
	}
	for _, line := range []string{`{}`, `{"@timestamp":"yesterday"}`, `{"@timestamp":true}`, `{"@timestamp":null}`} {
		if _, ok := Timestamp([]byte(line)); ok {
			t.Errorf("%s: parsed, want failure", line)
		}
	}
}
