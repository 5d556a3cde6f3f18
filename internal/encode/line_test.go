package encode

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestLine(t *testing.T) {
	tests := []struct {
		name   string
		line   string
		fields []string
		want   string // "" = not an object
	}{
		{"order follows fields", `{"a":1,"b":2,"c":3}`, []string{"c", "a"}, `{"c":3,"a":1}`},
		{"absent left out", `{"a":1}`, []string{"x", "a", "y"}, `{"a":1}`},
		{"nothing found", `{"a":1}`, []string{"x"}, `{}`},
		{"no fields", `{"a":1}`, nil, `{}`},
		{"empty object", `{}`, []string{"a"}, `{}`},
		{"null kept", `{"a":null,"b":1}`, []string{"a", "b"}, `{"a":null,"b":1}`},
		{"false and true", `{"a":false,"b":true}`, []string{"a", "b"}, `{"a":false,"b":true}`},
		{"array raw", `{"a":[1, "x" ,{"y": [2]}],"b":[]}`, []string{"a", "b"}, `{"a":[1, "x" ,{"y": [2]}],"b":[]}`},
		{"numbers raw", `{"n":-1.50e+10,"z":0,"f":0.000,"big":123456789012345678901234567890}`, []string{"big", "n", "z", "f"},
			`{"big":123456789012345678901234567890,"n":-1.50e+10,"z":0,"f":0.000}`},
		{"unicode and escapes byte for byte", `{"m":"h\u00e9llo é \"q\" \\ \/ \n\t 😀 \ud83d\ude00 \u0000"}`, []string{"m"},
			`{"m":"h\u00e9llo é \"q\" \\ \/ \n\t 😀 \ud83d\ude00 \u0000"}`},
		{"nested", `{"source":{"ip":"10.0.0.1","port":443},"x":1}`, []string{"source.port", "source.ip"}, `{"source.port":443,"source.ip":"10.0.0.1"}`},
		{"flat", `{"source.ip":"10.0.0.1","source.port":443}`, []string{"source.ip", "source.port"}, `{"source.ip":"10.0.0.1","source.port":443}`},
		{"mixed", `{"source":{"geo.city_name":"Gent","geo":{"country":"BE"}}}`, []string{"source.geo.city_name", "source.geo.country"},
			`{"source.geo.city_name":"Gent","source.geo.country":"BE"}`},
		{"deep nested", `{"file":{"hash":{"sha256":"ab"}}}`, []string{"file.hash.sha256"}, `{"file.hash.sha256":"ab"}`},
		{"flat prefix then nested", `{"file.hash":{"sha256":"ab"}}`, []string{"file.hash.sha256"}, `{"file.hash.sha256":"ab"}`},
		{"exact beats nested after", `{"source":{"ip":"n"},"source.ip":"f"}`, []string{"source.ip"}, `{"source.ip":"f"}`},
		{"exact beats nested before", `{"source.ip":"f","source":{"ip":"n"}}`, []string{"source.ip"}, `{"source.ip":"f"}`},
		{"exact beats nested inside", `{"a":{"b.c":1,"b":{"c":2}}}`, []string{"a.b.c"}, `{"a.b.c":1}`},
		{"first nested match wins", `{"a":{"x":1},"a.b":{"c":2},"a":{"b":{"c":3}}}`, []string{"a.b.c"}, `{"a.b.c":2}`},
		{"nested path through non-object", `{"a":"str","a.b":5}`, []string{"a.b"}, `{"a.b":5}`},
		{"nested object requested whole", `{"source":{"ip":"1","port":2}}`, []string{"source", "source.ip"}, `{"source":{"ip":"1","port":2},"source.ip":"1"}`},
		{"duplicate key first wins", `{"a":1,"a":2}`, []string{"a"}, `{"a":1}`},
		{"duplicate nested key first wins", `{"a":{"b":1},"a":{"b":2}}`, []string{"a.b"}, `{"a.b":1}`},
		{"field listed twice written once", `{"a":1}`, []string{"a", "a"}, `{"a":1}`},
		{"key escaping", `{"we\"ird":1,"back\\slash":2,"tab\t":3,"ctl\u0001":4}`, []string{"we\"ird", "back\\slash", "tab\t", "ctl\x01"},
			`{"we\"ird":1,"back\\slash":2,"tab\t":3,"ctl\u0001":4}`},
		{"escaped source key matches", `{"source\u002eip":"x","\u0061":1}`, []string{"source.ip", "a"}, `{"source.ip":"x","a":1}`},
		{"surrogate pair key", `{"\ud83d\ude00":1}`, []string{"😀"}, `{"😀":1}`},
		{"unicode key", `{"usér":{"naмe":"x"}}`, []string{"usér.naмe"}, `{"usér.naмe":"x"}`},
		{"empty key", `{"":1,"a":{"":2}}`, []string{"", "a."}, `{"":1,"a.":2}`},
		{"whitespace around", " \t{ \"a\" : 1 , \"b\" :\t[ 1 , 2 ] } \r", []string{"a", "b"}, `{"a":1,"b":[ 1 , 2 ]}`},
		{"array top level", `[1,2]`, []string{"a"}, ""},
		{"string top level", `"a"`, []string{"a"}, ""},
		{"empty", ``, []string{"a"}, ""},
		{"truncated", `{"a":1,"b":"x`, []string{"a"}, ""},
		{"truncated after comma", `{"a":1,`, []string{"a"}, ""},
		{"trailing garbage", `{"a":1} x`, []string{"a"}, ""},
		{"two objects", `{"a":1}{"a":2}`, []string{"a"}, ""},
		{"leading zero", `{"a":01}`, []string{"a"}, ""},
		{"bad literal", `{"a":nul}`, []string{"a"}, ""},
		{"bad escape", `{"a":"\x"}`, []string{"a"}, ""},
		{"short unicode escape", `{"a":"\u12"}`, []string{"a"}, ""},
		{"raw control char", "{\"a\":\"x\x01\"}", []string{"a"}, ""},
		{"invalid utf8", "{\"a\":\"x\xff\"}", []string{"a"}, ""},
		{"invalid utf8 in unrequested field", "{\"a\":1,\"b\":\"\xc3\"}", []string{"a"}, ""},
		{"trailing comma", `{"a":1,}`, []string{"a"}, ""},
		{"single quotes", `{'a':1}`, []string{"a"}, ""},
		{"missing colon", `{"a" 1}`, []string{"a"}, ""},
		{"too deep", `{"a":` + strings.Repeat("[", maxDepth+1) + strings.Repeat("]", maxDepth+1) + `}`, []string{"a"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Line([]byte("prefix"), []byte(tt.line), tt.fields)
			if tt.want == "" {
				if ok || string(got) != "prefix" {
					t.Fatalf("Line(%q) = %q, %v; want not an object", tt.line, got, ok)
				}
				return
			}
			if !ok || string(got) != "prefix"+tt.want {
				t.Fatalf("Line(%q, %q) = %q, %v; want %q", tt.line, tt.fields, got, ok, tt.want)
			}
			checkObject(t, got[len("prefix"):], tt.fields)
			if !tooDeep([]byte(tt.line)) {
				ref, _ := refLine(nil, []byte(tt.line), tt.fields)
				if !bytes.Equal(ref, got[len("prefix"):]) {
					t.Errorf("event.Lookup projection %q differs from %q", ref, got)
				}
			}
		})
	}
}

// TestLineFieldListSwitch guards the cached plan: alternating field lists
// must never project with the other list.
func TestLineFieldListSwitch(t *testing.T) {
	line := []byte(`{"a":1,"b":2}`)
	for range 3 {
		if got, _ := Line(nil, line, []string{"a"}); string(got) != `{"a":1}` {
			t.Fatal(string(got))
		}
		if got, _ := Line(nil, line, []string{"b"}); string(got) != `{"b":2}` {
			t.Fatal(string(got))
		}
	}
}

func FuzzLine(f *testing.F) {
	f.Add([]byte(`{"source":{"ip":"10.0.0.1"},"source.port":80,"@timestamp":"2024-01-02T03:04:05Z"}`), "source.ip|source.port|@timestamp")
	f.Add([]byte(`{"a":{"b.c":1,"b":{"c":2}},"a.b":{"c":3}}`), "a.b.c|a|a.b")
	f.Add([]byte(`{"k\u002e\"":"\ud83d\ude00","":null}`), "k.\"||x")
	f.Add([]byte(`[{"a":1}]`), "a")
	f.Fuzz(func(t *testing.T, line []byte, list string) {
		if !utf8.ValidString(list) {
			return // field names are validated before they reach the encoder
		}
		fields := strings.Split(list, "|")
		got, ok := Line(nil, line, fields)
		if tooDeep(line) {
			return
		}
		want, wantOK := refLine(nil, line, fields)
		if ok != wantOK {
			t.Fatalf("Line(%q) ok=%v, reference says %v", line, ok, wantOK)
		}
		if !ok {
			return
		}
		checkObject(t, got, fields)
		if !bytes.Equal(got, want) {
			t.Fatalf("Line(%q, %q) = %q; event.Lookup gives %q", line, fields, got, want)
		}
	})
}
