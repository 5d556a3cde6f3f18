package api

import (
	"encoding/json"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/secops/eventexport/internal/delivery"
	"github.com/secops/eventexport/internal/export"
	"github.com/secops/eventexport/internal/plan"
	"github.com/secops/eventexport/internal/store"
)

// jsonMembers lists the JSON member names of a struct type, following
// untagged embedded structs as encoding/json does, and which of them are
// always present (no omitempty or omitzero).
func jsonMembers(t reflect.Type) (all, always []string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	for f := range t.Fields() {
		tag := f.Tag.Get("json")
		if tag == "-" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			a, w := jsonMembers(f.Type)
			all, always = append(all, a...), append(always, w...)
			continue
		}
		if name == "" {
			name = f.Name
		}
		all = append(all, name)
		if !strings.Contains(opts, "omitempty") && !strings.Contains(opts, "omitzero") {
			always = append(always, name)
		}
	}
	return all, always
}

type schemaDoc struct {
	Components struct {
		Schemas map[string]schema `json:"schemas"`
	} `json:"components"`
}

type schema struct {
	Ref        string            `json:"$ref"`
	AllOf      []schema          `json:"allOf"`
	Properties map[string]any    `json:"properties"`
	Required   []string          `json:"required"`
	Enum       []json.RawMessage `json:"enum"`
}

// flatten merges a schema's allOf members, following $refs.
func (d *schemaDoc) flatten(t *testing.T, s schema) (props, required []string) {
	if s.Ref != "" {
		target, ok := d.Components.Schemas[strings.TrimPrefix(s.Ref, "#/components/schemas/")]
		if !ok {
			t.Fatalf("$ref %q does not resolve", s.Ref)
		}
		return d.flatten(t, target)
	}
	for name := range s.Properties {
		props = append(props, name)
	}
	required = append(required, s.Required...)
	for _, sub := range s.AllOf {
		p, r := d.flatten(t, sub)
		props, required = append(props, p...), append(required, r...)
	}
	return props, required
}

func loadSchemas(t *testing.T) *schemaDoc {
	t.Helper()
	var d schemaDoc
	if err := json.Unmarshal(openAPI, &d); err != nil {
		t.Fatal(err)
	}
	return &d
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	sort.Strings(s)
	return slices.Compact(s)
}

// TestSchemasMatchGoTypes keeps the documented member names in step with the
// json tags of what the handlers encode and decode.
func TestSchemasMatchGoTypes(t *testing.T) {
	d := loadSchemas(t)
	tests := []struct {
		schema string
		typ    any
		// response types: required must be exactly the members always present.
		checkRequired bool
	}{
		{"SearchJob", export.SearchJob{}, true},
		{"Export", export.Export{}, true},
		{"Destination", export.Destination{}, true},
		{"Counts", export.Counts{}, true},
		{"Created", Created{}, true},
		{"DryRun", DryRun{}, true},
		{"Chunk", plan.Chunk{}, true},
		{"Quota", Quota{}, true},
		{"DownloadURL", delivery.URL{}, true},
		{"ExportPage", store.Page[*export.Export]{}, true},
		{"SearchJobPage", store.Page[*export.SearchJob]{}, true},
		{"SekoiaTask", sekoiaTask{}, true},
		{"SekoiaTaskAttributes", sekoiaAttributes{}, true},
		{"JobRequest", JobRequest{}, false},
		{"ExportRequest", ExportRequest{}, false},
		{"S3Request", S3Request{}, false},
		{"ScheduleRequest", ScheduleRequest{}, false},
		{"Schedule", export.Schedule{}, true},
		{"SchedulePage", store.Page[*export.Schedule]{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.schema, func(t *testing.T) {
			s, ok := d.Components.Schemas[tt.schema]
			if !ok {
				t.Fatalf("components/schemas/%s is missing", tt.schema)
			}
			props, required := d.flatten(t, s)
			all, always := jsonMembers(reflect.TypeOf(tt.typ))
			if got, want := sorted(props), sorted(all); !slices.Equal(got, want) {
				t.Errorf("properties %v, want the json members %v", got, want)
			}
			if tt.checkRequired {
				if got, want := sorted(required), sorted(always); !slices.Equal(got, want) {
					t.Errorf("required %v, want the members always encoded %v", got, want)
				}
			}
		})
	}

	// Problem documents its standard members and may document extras.
	props, required := d.flatten(t, d.Components.Schemas["Problem"])
	all, _ := jsonMembers(reflect.TypeOf(Problem{}))
	for _, m := range all {
		if !slices.Contains(props, m) {
			t.Errorf("Problem does not document member %q", m)
		}
	}
	if got := sorted(required); !slices.Equal(got, []string{"code", "detail", "status", "title", "type"}) {
		t.Errorf("Problem required = %v", got)
	}
}

func enumOf(t *testing.T, s schema) []string {
	t.Helper()
	var out []string
	for _, raw := range s.Enum {
		var v string
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return sorted(out)
}

func TestSchemaEnumsMatchCode(t *testing.T) {
	d := loadSchemas(t)
	var codes []string
	for c := range statusOf {
		codes = append(codes, string(c))
	}
	if got, want := enumOf(t, d.Components.Schemas["ErrorCode"]), sorted(codes); !slices.Equal(got, want) {
		t.Errorf("ErrorCode enum %v, want the codes problemOf knows %v", got, want)
	}
	statuses := []string{string(export.Pending), string(export.Running), string(export.Finished), string(export.Failed), string(export.Cancelled), string(export.Expired)}
	if got, want := enumOf(t, d.Components.Schemas["Status"]), sorted(statuses); !slices.Equal(got, want) {
		t.Errorf("Status enum %v, want %v", got, want)
	}
}
