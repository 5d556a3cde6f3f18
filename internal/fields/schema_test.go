package fields

import (
	"slices"
	"strings"
	"testing"
)

func TestECSTypes(t *testing.T) {
	s := ECS()
	cases := []struct {
		field, typ string
		ok, array  bool
	}{
		{"@timestamp", "date", true, false},
		{"message", "match_only_text", true, false},
		{"source.ip", "ip", true, false},
		{"source.port", "long", true, false},
		{"process.args", "keyword", true, true},
		{"tags", "keyword", true, true},
		{"dll.pe.imports", "flattened", true, true},  // flattened is one value
		{"process.io.text", "wildcard", true, false}, // under an object, a real field
		{"file.pe.sections.name", "keyword", true, false},
		{"labels", "", false, false},           // object
		{"file.pe.sections", "", false, false}, // nested
		{"user.name.text", "", false, false},   // multi-field
		{"source", "", false, false},           // not listed
		{"nope.field", "", false, false},
	}
	for _, c := range cases {
		typ, ok := s.Type(c.field)
		if typ != c.typ || ok != c.ok || s.IsArray(c.field) != c.array {
			t.Errorf("%s: Type=%q,%v IsArray=%v; want %q,%v,%v", c.field, typ, ok, s.IsArray(c.field), c.typ, c.ok, c.array)
		}
		if (s.Check(c.field) == nil) != c.ok {
			t.Errorf("%s: Check=%v, want ok=%v", c.field, s.Check(c.field), c.ok)
		}
	}
	if n := len(s.Fields()); n < 2400 || n > 2732 {
		t.Errorf("exportable ECS fields = %d, want about 2,500", n)
	}
	if ECS() != s {
		t.Error("ECS() built twice")
	}
}

func TestPresets(t *testing.T) {
	if got := PresetNames(); !slices.Equal(got, []string{"endpoint", "identity", "network"}) {
		t.Errorf("PresetNames = %v", got)
	}
	p := Presets()
	if want := []string{"@timestamp", "user.name", "user.domain", "source.ip", "event.action", "event.outcome", "message"}; !slices.Equal(p["identity"], want) {
		t.Errorf("identity = %v", p["identity"])
	}
	for name, fs := range p {
		for _, f := range fs {
			if err := ECS().Check(f); err != nil {
				t.Errorf("preset %s: %v", name, err)
			}
		}
	}
	p["network"][0] = "changed"
	delete(p, "endpoint")
	if q := Presets(); q["network"][0] != "@timestamp" || q["endpoint"] == nil {
		t.Error("Presets() exposes the package's own map")
	}
	for _, f := range Default {
		if err := ECS().Check(f); err != nil {
			t.Error(err)
		}
	}
}

func TestNewSchemaCustom(t *testing.T) {
	s, err := NewSchema([]string{"labels.env", "acme.ticket.id", "source.ip", "acme.ticket.id", "Acme.Region"})
	if err != nil {
		t.Fatal(err)
	}
	for f, want := range map[string]string{"labels.env": "keyword", "acme.ticket.id": "keyword", "source.ip": "ip", "Acme.Region": "keyword"} {
		if got, ok := s.Type(f); !ok || got != want {
			t.Errorf("Type(%s) = %q,%v, want %q", f, got, ok, want)
		}
	}
	if s.IsArray("labels.env") {
		t.Error("custom field reported as array")
	}
	if err := ECS().Check("labels.env"); err == nil {
		t.Error("custom field leaked into ECS()")
	}
	if err := s.Check("acme.ticket"); err == nil || !strings.Contains(err.Error(), `"acme.ticket.id"`) {
		t.Errorf("custom group: %v", err)
	}

	bad := []struct{ field, want string }{
		{"", "empty"},
		{"labels.*", "wildcard"},
		{"acme.?d", "wildcard"},
		{"*", "wildcard"},
		{"acme..id", "empty segment"},
		{".acme", "empty segment"},
		{"acme.", "empty segment"},
		{"acme id", "whitespace"},
		{"acme\tid", "whitespace"},
		{"labels", "group of fields"},
		{"user.name.text", "multi-field"},
		{"source.ip.v4", `inside the single-value field "source.ip"`},
		{"source", `contains "source.`},
		{strings.Repeat("a", 300), "longer than 256 bytes"},
	}
	for _, b := range bad {
		_, err := NewSchema([]string{"labels.env", b.field})
		if err == nil || !strings.Contains(err.Error(), b.want) || !strings.HasPrefix(err.Error(), "custom field ") {
			t.Errorf("NewSchema(%q) error = %v, want it to mention %q", b.field, err, b.want)
		}
	}
	if _, err := NewSchema([]string{"acme.a", "acme.a.b"}); err == nil {
		t.Error("custom leaf inside custom leaf accepted")
	}
	if _, err := NewSchema([]string{"acme.a.b", "acme.a"}); err == nil {
		t.Error("custom group of custom leaf accepted")
	}
}
