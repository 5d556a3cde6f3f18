package api_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/secops/eventexport/internal/api"
)

var httpMethods = []string{"get", "put", "post", "delete", "patch", "head", "options", "trace"}

func loadDoc(t *testing.T) map[string]any {
	t.Helper()
	raw, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("openapi.json is not JSON: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		t.Fatalf("openapi.json has data after the document")
	}
	return doc
}

type operation struct {
	route string // "METHOD /path", as in api.Routes
	path  string
	op    map[string]any
	item  map[string]any // the path item, for path-level parameters
}

func operations(t *testing.T, doc map[string]any) []operation {
	t.Helper()
	paths, ok := doc["paths"].(map[string]any)
	if !ok {
		t.Fatal("no paths object")
	}
	var out []operation
	for path, v := range paths {
		item := v.(map[string]any)
		for _, m := range httpMethods {
			if op, ok := item[m].(map[string]any); ok {
				out = append(out, operation{strings.ToUpper(m) + " " + path, path, op, item})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].route < out[j].route })
	return out
}

// resolve follows a local "#/..." JSON pointer.
func resolve(doc map[string]any, ref string) (any, bool) {
	p, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return nil, false
	}
	var cur any = doc
	for _, tok := range strings.Split(p, "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[tok]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// deref returns v, or what its $ref points at.
func deref(t *testing.T, doc map[string]any, v any) map[string]any {
	t.Helper()
	m, _ := v.(map[string]any)
	if ref, ok := m["$ref"].(string); ok {
		target, ok := resolve(doc, ref)
		if !ok {
			t.Fatalf("$ref %q does not resolve", ref)
		}
		return target.(map[string]any)
	}
	return m
}

func TestOpenAPIVersionAndInfo(t *testing.T) {
	doc := loadDoc(t)
	if v, _ := doc["openapi"].(string); !regexp.MustCompile(`^3\.1\.\d+$`).MatchString(v) {
		t.Errorf("openapi = %q, want 3.1.x", v)
	}
	info, _ := doc["info"].(map[string]any)
	if info["version"] != "1.0.0" || info["title"] == "" {
		t.Errorf("info = %v, want a title and version 1.0.0", info)
	}
	servers, _ := doc["servers"].([]any)
	var urls []string
	for _, s := range servers {
		urls = append(urls, s.(map[string]any)["url"].(string))
	}
	if len(urls) < 2 || urls[0] != "http://127.0.0.1:8080" {
		t.Errorf("servers = %v, want the local server first and the API Gateway one", urls)
	}
	scheme := deref(t, doc, doc["components"].(map[string]any)["securitySchemes"].(map[string]any)["bearer"])
	if scheme["type"] != "http" || scheme["scheme"] != "bearer" {
		t.Errorf("securitySchemes.bearer = %v, want http bearer", scheme)
	}
	global, _ := json.Marshal(doc["security"])
	if string(global) != `[{"bearer":[]}]` {
		t.Errorf("global security = %s, want bearer", global)
	}
}

func TestOpenAPIDocumentsExactlyTheRoutes(t *testing.T) {
	doc := loadDoc(t)
	routes := api.Routes()
	want := map[string]bool{}
	for _, r := range routes {
		if want[r] {
			t.Errorf("Routes() lists %q twice", r)
		}
		want[r] = true
	}
	got := map[string]bool{}
	for _, op := range operations(t, doc) {
		got[op.route] = true
	}
	for r := range want {
		if !got[r] {
			t.Errorf("route %q is not documented in openapi.json", r)
		}
	}
	for r := range got {
		if !want[r] {
			t.Errorf("openapi.json documents %q, which Routes() does not serve", r)
		}
	}
}

func TestOpenAPIOperations(t *testing.T) {
	doc := loadDoc(t)
	pathParam := regexp.MustCompile(`\{([^}]+)\}`)
	ids := map[string]string{}
	for _, o := range operations(t, doc) {
		t.Run(o.route, func(t *testing.T) {
			for _, k := range []string{"summary", "description", "operationId"} {
				if s, _ := o.op[k].(string); strings.TrimSpace(s) == "" {
					t.Errorf("no %s", k)
				}
			}
			if id, _ := o.op["operationId"].(string); ids[id] != "" {
				t.Errorf("operationId %q is also used by %s", id, ids[id])
			} else {
				ids[id] = o.route
			}

			// Every {param} of the path is declared, and nothing else in the path.
			declared := map[string]bool{}
			for _, list := range []any{o.item["parameters"], o.op["parameters"]} {
				ps, _ := list.([]any)
				for _, p := range ps {
					p := deref(t, doc, p)
					if p["in"] == "path" {
						if p["required"] != true {
							t.Errorf("path parameter %v is not required", p["name"])
						}
						declared[p["name"].(string)] = true
					}
				}
			}
			inPath := map[string]bool{}
			for _, m := range pathParam.FindAllStringSubmatch(o.path, -1) {
				inPath[m[1]] = true
				if !declared[m[1]] {
					t.Errorf("path parameter {%s} is not declared", m[1])
				}
			}
			for name := range declared {
				if !inPath[name] {
					t.Errorf("path parameter %q is not in the path", name)
				}
			}

			public := slices.Contains(api.PublicRoutes(), o.route)
			sec, hasSec := o.op["security"]
			if public {
				if b, _ := json.Marshal(sec); !hasSec || string(b) != "[]" {
					t.Errorf("public route has security %s, want []", b)
				}
			} else if hasSec {
				t.Errorf("authenticated route overrides the global bearer security with %v", sec)
			}

			responses, _ := o.op["responses"].(map[string]any)
			var has2xx, has4xx bool
			for code, r := range responses {
				r := deref(t, doc, r)
				if s, _ := r["description"].(string); s == "" {
					t.Errorf("response %s has no description", code)
				}
				content, _ := r["content"].(map[string]any)
				switch code[0] {
				case '2':
					has2xx = true
					if _, ok := content["application/json"]; !ok {
						t.Errorf("response %s is not application/json", code)
					}
				case '4', '5':
					has4xx = has4xx || code[0] == '4'
					if _, ok := content["application/problem+json"]; !ok || len(content) != 1 {
						t.Errorf("error response %s is not only application/problem+json", code)
					}
				default:
					t.Errorf("unexpected response code %q", code)
				}
				if code == "429" {
					if _, ok := r["headers"].(map[string]any)["Retry-After"]; !ok {
						t.Errorf("429 without a Retry-After header")
					}
				}
			}
			if !has2xx {
				t.Errorf("no 2xx response")
			}
			// The public routes cannot fail with a client error; every
			// authenticated route can at least answer 401.
			if !public {
				if _, ok := responses["401"]; !has4xx || !ok {
					t.Errorf("no 401 (or no 4xx) response")
				}
				if _, ok := responses["500"]; !ok {
					t.Errorf("no 500 response")
				}
			}
		})
	}
}

func TestOpenAPIRefsResolve(t *testing.T) {
	doc := loadDoc(t)
	n := 0
	var walk func(at string, v any)
	walk = func(at string, v any) {
		switch v := v.(type) {
		case map[string]any:
			if ref, ok := v["$ref"]; ok {
				n++
				s, _ := ref.(string)
				if !strings.HasPrefix(s, "#/components/") {
					t.Errorf("%s: $ref %q is not a components entry", at, s)
				} else if _, ok := resolve(doc, s); !ok {
					t.Errorf("%s: $ref %q does not resolve", at, s)
				}
			}
			for k, x := range v {
				walk(at+"/"+k, x)
			}
		case []any:
			for _, x := range v {
				walk(at+"[]", x)
			}
		}
	}
	walk("#", doc)
	if n == 0 {
		t.Fatal("no $ref at all; the walk is broken")
	}
}

func TestOpenAPIComponentsAreUsed(t *testing.T) {
	raw, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	doc := loadDoc(t)
	for kind, v := range doc["components"].(map[string]any) {
		if kind == "securitySchemes" {
			continue
		}
		for name := range v.(map[string]any) {
			ref := `"#/components/` + kind + "/" + name + `"`
			if !bytes.Contains(raw, []byte(ref)) {
				t.Errorf("components/%s/%s is never referenced", kind, name)
			}
		}
	}
}

func TestOpenAPIIsServed(t *testing.T) {
	want, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	h := (&api.Service{}).Handler()
	tests := []struct {
		path, wantType string
		wantBody       []byte
	}{
		{"/v1/openapi.json", "application/json", want},
		{"/healthz", "application/json", nil},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tt.path, nil)) // no Authorization
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d, want 200: %s", rec.Code, rec.Body)
			}
			if ct := rec.Header().Get("Content-Type"); ct != tt.wantType {
				t.Errorf("Content-Type %q, want %q", ct, tt.wantType)
			}
			if tt.wantBody != nil && !bytes.Equal(rec.Body.Bytes(), tt.wantBody) {
				t.Errorf("served document differs from openapi.json (%d vs %d bytes)", rec.Body.Len(), len(tt.wantBody))
			}
			if tt.wantBody == nil && !json.Valid(rec.Body.Bytes()) {
				t.Errorf("body is not JSON: %s", rec.Body)
			}
		})
	}
}
