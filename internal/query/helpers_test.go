package query

import (
	"bytes"
	"encoding/json"
	"testing"
)

// ecsLine is a realistic nested ECS event; tests also run it flattened.
const ecsLine = `{"@timestamp":"2026-11-30T22:15:00.123Z","ecs":{"version":"8.11.0"},` +
	`"event":{"action":"login","outcome":"failure","code":4625,"category":["authentication","iam"],"kind":"event","module":"system","dataset":"system.auth"},` +
	`"user":{"name":"admin","domain":"CORP","roles":["admin","ops"]},` +
	`"source":{"ip":"10.1.2.3","port":51234,"geo":{"city_name":"Zürich","country_iso_code":"CH"}},` +
	`"destination":{"ip":"2001:db8::10","port":"443"},` +
	`"host":{"name":"web-01","hostname":"web-01.corp.example","ip":["192.168.1.5","fe80::1"],"os":{"family":"linux","kernel":"6.8.0"}},` +
	`"process":{"pid":4242,"name":"sshd","args":["sshd","-p","22"]},` +
	`"message":"Failed password for admin from 10.1.2.3 port 51234 ssh2",` +
	`"bytes":1048576,"ratio":0.75,"tls":{"established":true},"labels":{"env":"prod","note":null},` +
	`"file":{"path":"C:\\Windows\\System32\\cmd.exe"},"tags":[],"nulls":[null],` +
	`"big":9007199254740993,"epoch":1796076900123,"weird":"a:b*c",` +
	`"agent":{"type":"filebeat","version":"8.11.0","id":"5b6f2a4e-1c1d-4a7e-9a55-0c3f5d2b7e11"}}`

// flatten rewrites a nested event with flat dotted keys; depth 1 keeps the
// top level nested and flattens below it, giving the mixed form.
func flatten(t testing.TB, line string, keepTop bool) string {
	t.Helper()
	var m map[string]any
	d := json.NewDecoder(bytes.NewReader([]byte(line)))
	d.UseNumber()
	if err := d.Decode(&m); err != nil {
		t.Fatalf("flatten %s: %v", line, err)
	}
	out := map[string]any{}
	for k, v := range m {
		if sub, ok := v.(map[string]any); ok && keepTop {
			inner := map[string]any{}
			flatInto(inner, "", sub)
			out[k] = inner
			continue
		}
		flatInto(out, k, v)
	}
	b, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func flatInto(out map[string]any, prefix string, v any) {
	sub, ok := v.(map[string]any)
	if !ok || len(sub) == 0 {
		out[prefix] = v
		return
	}
	for k, vv := range sub {
		if prefix != "" {
			k = prefix + "." + k
		}
		flatInto(out, k, vv)
	}
}

func mustParse(t testing.TB, q string) *Query {
	t.Helper()
	p, err := Parse(q)
	if err != nil {
		t.Fatalf("Parse(%q): %v", q, err)
	}
	return p
}
