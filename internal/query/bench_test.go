package query

import "testing"

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

func BenchmarkMatch(b *testing.B) {
	flat := []byte(flatten(b, ecsLine, false))
	for _, form := range []struct {
		name string
		line []byte
	}{{"Nested", []byte(ecsLine)}, {"Flat", flat}} {
		for _, bq := range benchQueries {
			q := mustParse(b, bq.q)
			want := q.Match(form.line)
			b.Run(form.name+"/"+bq.name, func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(form.line)))
				for b.Loop() {
					if q.Match(form.line) != want {
						b.Fatal("unstable")
					}
				}
			})
		}
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
