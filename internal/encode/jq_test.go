package encode

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"reflect"
	"strings"
	"testing"
)

// jqProgram projects fields the way Line does: a key equal to the whole
// remaining name first, else the objects under each dotted prefix; absent
// fields are left out. Where an event offers several nested routes jq takes
// the shortest prefix first and Line the first key; synth never does that.
func jqProgram(fields []string) string {
	var b strings.Builder
	b.WriteString(`def has2($k): type == "object" and has($k);` + "\n")
	b.WriteString(". as $e | {}")
	seen := map[string]bool{}
	for _, f := range fields {
		if seen[f] {
			continue
		}
		seen[f] = true
		q := jqString(f)
		b.WriteString("\n| ($e | " + jqLookup(f) + ") as $v | if $v == [] then . else .[" + q + "] = $v[0] end")
	}
	return b.String()
}

// jqLookup is a jq expression giving [value] or [] for name in the input.
func jqLookup(name string) string {
	q := jqString(name)
	var alts []string
	for i := 0; i < len(name); i++ {
		if name[i] == '.' {
			p := jqString(name[:i])
			alts = append(alts, "(select(has2("+p+")) | .["+p+"] | "+jqLookup(name[i+1:])+"[])")
		}
	}
	if len(alts) == 0 {
		return "(if has2(" + q + ") then [.[" + q + "]] else [] end)"
	}
	return "(if has2(" + q + ") then [.[" + q + "]] else [" + strings.Join(alts, ", ") + "][:1] end)"
}

// jqString quotes s for jq, whose string syntax is JSON's ("\(" never appears).
func jqString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestAgainstJQ checks the encoder line for line against jq on synth events.
func TestAgainstJQ(t *testing.T) {
	jq, err := exec.LookPath("jq")
	if err != nil {
		t.Skip("jq not installed")
	}
	n := 2000
	if testing.Short() {
		n = 500
	}
	text := testEvents(n)
	sets := [][]string{
		{"host.ip", "event.category", "source.geo.city_name", "file.hash.sha256", "no.such.field", "related.user", "event.duration", "process.args_count"},
		{"event", "source", "process.parent.name", "user.id", "url.full", "dns.question.name", "@timestamp"},
	}
	for _, p := range presets {
		sets = append(sets, p.fields)
	}
	for _, fields := range sets {
		t.Run(strings.Join(fields, ","), func(t *testing.T) {
			out, c := encodeAll(t, Options{Fields: fields}, gz(t, string(text)))
			if c.Exported != int64(n) {
				t.Fatalf("exported %d of %d synth events: %+v", c.Exported, n, c)
			}
			cmd := exec.Command(jq, "-c", jqProgram(fields))
			cmd.Stdin = bytes.NewReader(text)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			want, err := cmd.Output()
			if err != nil {
				t.Fatalf("jq: %v: %s", err, stderr.String())
			}
			got, exp := lines(gunzip(t, out)), lines(string(want))
			if len(got) != len(exp) {
				t.Fatalf("%d lines, jq gives %d", len(got), len(exp))
			}
			nonEmpty := 0
			for i := range got {
				g, e := decodeOrdered(t, got[i]), decodeOrdered(t, exp[i])
				if !reflect.DeepEqual(g, e) {
					t.Fatalf("line %d:\n ours %s\n jq   %s", i+1, got[i], exp[i])
				}
				if len(g) > 0 {
					nonEmpty++
				}
			}
			if nonEmpty < n/10 {
				t.Errorf("only %d of %d lines have any field: the comparison proves little", nonEmpty, n)
			}
		})
	}
}

// decodeOrdered decodes one object as its keys and values in order.
func decodeOrdered(t *testing.T, line string) []any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(line))
	if _, err := dec.Token(); err != nil {
		t.Fatalf("%q: %v", line, err)
	}
	var kv []any
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
		kv = append(kv, k, v)
	}
	return kv
}
