package query

import (
	"testing"

	"github.com/secops/eventexport/internal/event"
	"github.com/tidwall/gjson"
)

var benchQueries = []struct{ name, q string }{
	{"Term", `event.action:login`},
	{"Wildcard", `user.name:adm*`},
	{"CIDR", `source.ip:10.0.0.0/8`},
	{"IPv6CIDR", `destination.ip:2001:db8::/32`},
	{"NumberRange", `bytes:[1000 TO 2000000}`},
	{"TimeRange", `@timestamp:[2026-11-30T00:00:00+01:00 TO 2026-12-01T00:00:00+01:00}`},
	{"BarePhrase", `"failed password"`},
	{"Exists", `_exists_:user.name`},
	{"Miss", `agent.type:winlogbeat`},
	{"Complex", `event.category:authentication AND event.outcome:failure AND NOT user.name:(svc_* OR healthcheck) AND source.ip:10.0.0.0/8 AND destination.port:>=22`},
}

// BenchmarkAccept is what a query costs the encoder per event: its fields
// are resolved in the encoder's pass over the line, which
// internal/encode's benchmarks measure.
func BenchmarkAccept(b *testing.B) {
	root := gjson.Parse(ecsLine)
	for _, bq := range benchQueries {
		q := mustParse(b, bq.q)
		values := make([][]byte, len(q.fields))
		for i, f := range q.fields {
			if v := event.LookupIn(root, f); v.Exists() {
				values[i] = []byte(v.Raw)
			}
		}
		want := q.Accept(values)
		b.Run(bq.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if q.Accept(values) != want {
					b.Fatal("unstable")
				}
			}
		})
	}
}

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(benchQueries[len(benchQueries)-1].q); err != nil {
			b.Fatal(err)
		}
	}
}
