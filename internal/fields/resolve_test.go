package fields

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestResolve(t *testing.T) {
	cases := []struct {
		name            string
		presets, fields []string
		want            []string
	}{
		{"nothing gives default", nil, nil, Default},
		{"empty slices give default", []string{}, []string{}, Default},
		{"explicit only", nil, []string{"source.ip", "@timestamp"}, []string{"source.ip", "@timestamp"}},
		{"preset", []string{"identity"}, nil,
			[]string{"@timestamp", "user.name", "user.domain", "source.ip", "event.action", "event.outcome", "message"}},
		{"presets in given order, shared fields once", []string{"identity", "network"}, nil,
			[]string{"@timestamp", "user.name", "user.domain", "source.ip", "event.action", "event.outcome", "message",
				"source.port", "destination.ip", "destination.port", "network.protocol", "network.transport"}},
		{"fields after presets", []string{"network"}, []string{"host.name", "source.ip", "message"},
			[]string{"@timestamp", "source.ip", "source.port", "destination.ip", "destination.port",
				"network.protocol", "network.transport", "event.action", "host.name", "message"}},
		{"duplicate preset", []string{"endpoint", "endpoint"}, nil, Presets()["endpoint"]},
		{"duplicate fields keep first", nil, []string{"message", "host.name", "message", "@timestamp", "host.name"},
			[]string{"message", "host.name", "@timestamp"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ECS().Resolve(c.presets, c.fields)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("got  %v\nwant %v", got, c.want)
			}
		})
	}
	got, _ := ECS().Resolve(nil, nil)
	got[0] = "changed"
	if Default[0] != "@timestamp" {
		t.Error("Resolve returned Default itself")
	}
}

func TestResolveErrors(t *testing.T) {
	cases := []struct {
		name            string
		presets, fields []string
		field, reason   string
		msg             string // exact when it starts with "=", else a substring
		sugg            []string
	}{
		{"typo", nil, []string{"sorce.ip"}, "sorce.ip", "not in the schema",
			`=field "sorce.ip" is not in the schema; did you mean "source.ip", "server.ip" or "destination.ip"?`,
			[]string{"source.ip", "server.ip", "destination.ip"}},
		{"wildcard suffix", nil, []string{"source.*"}, "source.*", "wildcard",
			`=field "source.*" is a wildcard; list the fields explicitly (for example "source.ip", "source.port")`,
			[]string{"source.ip", "source.port"}},
		{"unknown preset", []string{"netwrk"}, nil, "netwrk", "unknown preset",
			`=unknown preset "netwrk"; presets are endpoint, identity, network`, nil},
		{"bare leaf", nil, []string{"ip"}, "ip", "not in the schema", `did you mean "source.ip", "destination.ip"`,
			[]string{"source.ip", "destination.ip", "host.ip"}},
		{"abbreviation", nil, []string{"src.port"}, "src.port", "not in the schema", `did you mean "source.port"`, nil},
		{"case slip", nil, []string{"Source.IP"}, "Source.IP", "not in the schema", `did you mean "source.ip"`, nil},
		{"missing @", nil, []string{"timestamp"}, "timestamp", "not in the schema", `did you mean "@timestamp"`, nil},
		{"near miss", nil, []string{"event.outcom"}, "event.outcom", "not in the schema", `did you mean "event.outcome"?`,
			[]string{"event.outcome"}},
		{"no idea", nil, []string{"zzqqxx"}, "zzqqxx", "not in the schema", "custom field", []string{}},
		{"star alone", nil, []string{"*"}, "*", "wildcard", `=field "*" is a wildcard; list the fields explicitly (for example "@timestamp", "message")`, nil},
		{"question mark", nil, []string{"source.i?"}, "source.i?", "wildcard", `(for example "source.ip")`, []string{"source.ip"}},
		{"inner star", nil, []string{"*.ip"}, "*.ip", "wildcard", `is a wildcard; list the fields explicitly (for example "`, nil},
		{"group", nil, []string{"source"}, "source", "group of fields", `(for example "source.ip", "source.port")`, nil},
		{"object", nil, []string{"file.hash"}, "file.hash", "group of fields", `"file.hash.sha256"`, nil},
		{"open object", nil, []string{"labels"}, "labels", "group of fields", `such as "labels.<key>"`, nil},
		{"nested", nil, []string{"file.pe.sections"}, "file.pe.sections", "group of fields", `"file.pe.sections.`, nil},
		{"multi-field", nil, []string{"user.name.text"}, "user.name.text", "index-only multi-field", `use "user.name"`, []string{"user.name"}},
		{"empty", nil, []string{""}, "", "empty name", "empty", nil},
		{"blank", nil, []string{" \t"}, " \t", "blank name", "whitespace", nil},
		{"padded", nil, []string{" source.ip"}, " source.ip", "leading or trailing whitespace", `use "source.ip"`, []string{"source.ip"}},
		{"padded typo", nil, []string{"sorce.ip "}, "sorce.ip ", "not in the schema", `did you mean "source.ip"`, nil},
		{"empty segment", nil, []string{"source..ip"}, "source..ip", "not in the schema", `did you mean "source.ip"`, nil},
		{"pasted blob", nil, []string{strings.Repeat("source.ip,", 40)}, strings.Repeat("source.ip,", 40), "name too long", "400 bytes long", nil},
		{"error among good ones", []string{"network"}, []string{"host.name", "hots.name"}, "hots.name", "not in the schema", `"host.name"`, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ECS().Resolve(c.presets, c.fields)
			if err == nil {
				t.Fatalf("no error, got %v", got)
			}
			var fe *Error
			if !errors.As(err, &fe) {
				t.Fatalf("%T is not *Error: %v", err, err)
			}
			if fe.Field != c.field || fe.Reason != c.reason {
				t.Errorf("Field=%q Reason=%q, want %q %q", fe.Field, fe.Reason, c.field, c.reason)
			}
			if exact, ok := strings.CutPrefix(c.msg, "="); ok {
				if err.Error() != exact {
					t.Errorf("message\n got %s\nwant %s", err, exact)
				}
			} else if !strings.Contains(err.Error(), c.msg) {
				t.Errorf("message %q does not contain %q", err, c.msg)
			}
			if c.sugg != nil && !slices.Equal(fe.Suggestions, c.sugg) && !(len(c.sugg) == 0 && len(fe.Suggestions) == 0) {
				t.Errorf("Suggestions = %q, want %q", fe.Suggestions, c.sugg)
			}
		})
	}
}

func TestResolveReportsEveryProblem(t *testing.T) {
	_, err := ECS().Resolve([]string{"netwrk", "netwrk"}, []string{"source.ip", "sorce.ip", "dest.ip", "sorce.ip"})
	msg := err.Error()
	for _, want := range []string{`unknown preset "netwrk"`, `"sorce.ip"`, `"dest.ip"`} {
		if !strings.Contains(msg, want) {
			t.Errorf("%q missing from:\n%s", want, msg)
		}
	}
	if n := strings.Count(msg, "\n") + 1; n != 3 {
		t.Errorf("%d problems reported, want 3 (each once):\n%s", n, msg)
	}

	many := make([]string, 50)
	for i := range many {
		many[i] = fmt.Sprintf("bogus%d", i)
	}
	_, err = ECS().Resolve(nil, many)
	if n := strings.Count(err.Error(), "\n") + 1; n != maxReported {
		t.Errorf("%d problems reported, want the cap %d", n, maxReported)
	}
}

func TestResolveLimit(t *testing.T) {
	all := ECS().Fields()
	if _, err := ECS().Resolve(nil, all[:MaxFields]); err != nil {
		t.Errorf("%d fields: %v", MaxFields, err)
	}
	_, err := ECS().Resolve(nil, all[:MaxFields+1])
	var fe *Error
	if !errors.As(err, &fe) || fe.Reason != "too many fields" || !strings.Contains(err.Error(), "201 fields requested, the limit is 200") {
		t.Errorf("over the limit: %v", err)
	}
	// Presets count towards the limit too.
	fs := slices.DeleteFunc(slices.Clone(all), func(f string) bool { return presetFields[f] })[:MaxFields]
	if _, err := ECS().Resolve([]string{"network"}, fs); err == nil || !strings.Contains(err.Error(), "the limit is 200") {
		t.Errorf("presets plus %d fields: %v", len(fs), err)
	}
}

func TestParseList(t *testing.T) {
	cases := []struct {
		in   string
		want []string
		err  string
	}{
		{"@timestamp, source.ip,message", []string{"@timestamp", "source.ip", "message"}, ""},
		{"  network ", []string{"network"}, ""},
		{"a ,\tb", []string{"a", "b"}, ""},
		{"", nil, ""},
		{"   ", nil, ""},
		{"a,,b", nil, `item 2 of "a,,b" is empty; remove the extra comma`},
		{"a,b,", nil, `item 3 of "a,b," is empty`},
		{",a", nil, `item 1 of ",a" is empty`},
		{"a, ,b", nil, `item 2`},
		{",", nil, `item 1`},
	}
	for _, c := range cases {
		got, err := ParseList(c.in)
		if c.err != "" {
			var fe *Error
			if err == nil || !strings.Contains(err.Error(), c.err) || !errors.As(err, &fe) {
				t.Errorf("ParseList(%q) error = %v, want %q", c.in, err, c.err)
			}
			continue
		}
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("ParseList(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
}

func TestErrorFallbackMessage(t *testing.T) {
	e := &Error{Field: "x", Reason: "not allowed", Suggestions: []string{"a", "b"}}
	if got, want := e.Error(), `field "x": not allowed; did you mean "a" or "b"?`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func BenchmarkCheckUnknown(b *testing.B) {
	s := ECS()
	for b.Loop() {
		_ = s.Check("sorce.ip")
	}
}

func BenchmarkResolvePreset(b *testing.B) {
	s := ECS()
	for b.Loop() {
		_, _ = s.Resolve([]string{"network"}, []string{"host.name", "message"})
	}
}
