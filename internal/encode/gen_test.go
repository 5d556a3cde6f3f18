package encode

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/secops/eventexport/internal/event"
	"github.com/secops/eventexport/internal/query"
	"github.com/secops/eventexport/internal/synth"
)

// genEvents writes n ECS-like lines for the tests that must not depend on
// internal/synth: nested, flat and mixed layouts, offsets and epoch
// timestamps, unicode and escapes, and a sprinkle of unusable lines.
func genEvents(seed uint64, n int, from time.Time, span time.Duration) []byte {
	r := rand.New(rand.NewPCG(seed, 7))
	var b bytes.Buffer
	users := []string{"alice", "bob", "Zoë", `we"ird\user`, "ľudmila", "李雷", "svc-backup$"}
	actions := []string{"logon", "logoff", "connection_attempted", "file_create", "process_start"}
	for i := range n {
		t := from.Add(time.Duration(r.Int64N(int64(span))))
		var ts string
		switch r.IntN(6) {
		case 0:
			ts = fmt.Sprintf("%d", t.UnixMilli())
		case 1:
			ts = fmt.Sprintf(`"%s"`, t.In(time.FixedZone("", -5*3600)).Format(time.RFC3339Nano))
		case 2:
			ts = fmt.Sprintf(`"%d"`, t.UnixMilli())
		default:
			ts = fmt.Sprintf(`"%s"`, t.UTC().Format("2006-01-02T15:04:05.000Z07:00"))
		}
		switch r.IntN(200) {
		case 0:
			b.WriteString(`{"@timestamp":` + ts + `,"message":"trunc`)
			b.WriteByte('\n')
			continue
		case 1:
			b.WriteString(`{"message":"no time here","event":{"action":"x"}}` + "\n")
			continue
		case 2:
			b.WriteString("\n")
			continue
		}
		ip := fmt.Sprintf("10.%d.%d.%d", r.IntN(256), r.IntN(256), r.IntN(256))
		port := r.IntN(65536)
		user := users[r.IntN(len(users))]
		action := actions[r.IntN(len(actions))]
		msg := fmt.Sprintf("event %d by %s \u00e9\\n \"quoted\" \\u00e9 😀", i, user)
		quote := func(s string) string { return string(appendQuoted(nil, s)) }
		var parts []string
		parts = append(parts, `"@timestamp":`+ts)
		switch r.IntN(3) {
		case 0: // nested
			parts = append(parts,
				fmt.Sprintf(`"source":{"ip":%q,"port":%d,"geo":{"city_name":"Gent"}}`, ip, port),
				fmt.Sprintf(`"destination":{"ip":"192.168.0.%d","port":443}`, r.IntN(256)),
				`"network":{"protocol":"https","transport":"tcp"}`,
				fmt.Sprintf(`"user":{"name":%s,"domain":"CORP"}`, quote(user)),
				fmt.Sprintf(`"event":{"action":%q,"outcome":"success","code":%d}`, action, r.IntN(5000)),
				`"process":{"name":"sshd","args":["-D","-p", 22],"pid":1234}`,
			)
		case 1: // flat
			parts = append(parts,
				fmt.Sprintf(`"source.ip":%q,"source.port":%d`, ip, port),
				fmt.Sprintf(`"destination.ip":"192.168.0.%d","destination.port":443`, r.IntN(256)),
				`"network.protocol":"dns","network.transport":"udp"`,
				fmt.Sprintf(`"user.name":%s,"user.domain":null`, quote(user)),
				fmt.Sprintf(`"event.action":%q,"event.outcome":"failure"`, action),
				`"process.args":[]`,
			)
		default: // mixed
			parts = append(parts,
				fmt.Sprintf(`"source":{"ip":%q,"geo.city_name":"Brugge"},"source.port":%d`, ip, port),
				`"network":{"transport":"tcp"}`,
				fmt.Sprintf(`"user":{"name":%s}`, quote(user)),
				fmt.Sprintf(`"event.action":%q`, action),
				`"file":{"hash.sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","path":"C:\\Windows\\x.dll"}`,
				fmt.Sprintf(`"metrics":{"ratio":%g,"bytes":%d,"neg":-0.5e-3}`, r.Float64(), r.Int64()),
			)
		}
		parts = append(parts, `"message":`+quote(msg))
		r.Shuffle(len(parts), func(i, j int) { parts[i], parts[j] = parts[j], parts[i] })
		b.WriteString("{" + strings.Join(parts, ",") + "}")
		if r.IntN(50) == 0 {
			b.WriteByte('\r')
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// refEncode is Encode done line by line with the event package.
func refEncode(text []byte, o Options) (string, Counts) {
	var n Counts
	var out []byte
	for _, line := range bytes.Split(text, []byte("\n")) {
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(bytes.TrimLeft(line, " \t\r\n")) == 0 {
			continue
		}
		n.Read++
		proj, ok := refLine(nil, line, o.Fields)
		if !ok {
			n.Invalid++
			continue
		}
		ts, ok := event.Time(event.Lookup(line, "@timestamp"))
		switch {
		case !ok:
			n.NoTimestamp++
		case !o.From.IsZero() && ts.Before(o.From), !o.To.IsZero() && !ts.Before(o.To):
			n.OutOfRange++
		case o.Filter != nil && !refAccept(o.Filter, line):
			n.Filtered++
		default:
			n.Exported++
			out = append(append(out, proj...), '\n')
		}
	}
	n.RawBytes = int64(len(out))
	return string(out), n
}

// refAccept asks f about line with its values looked up one by one.
func refAccept(f Filter, line []byte) bool {
	var values [][]byte
	for _, name := range f.Fields() {
		var raw []byte
		if v := event.Lookup(line, name); v.Exists() {
			raw = []byte(v.Raw)
		}
		values = append(values, raw)
	}
	return f.Accept(values)
}

// funcFilter is a Filter made of its fields and a function of their values.
type funcFilter struct {
	fields []string
	accept func(values [][]byte) bool
}

func (f funcFilter) Fields() []string            { return f.fields }
func (f funcFilter) Accept(values [][]byte) bool { return f.accept(values) }

func mustQuery(t testing.TB, s string) *query.Query {
	q, err := query.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

// testEvents is n synth events of one day, '\n'-terminated.
func testEvents(n int) []byte {
	to := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	g := synth.New(synth.Options{Seed: 1, Community: "acme", From: to.Add(-24 * time.Hour), To: to, Events: n})
	var b []byte
	for {
		var ok bool
		if b, _, ok = g.Next(b); !ok {
			return b
		}
		b = append(b, '\n')
	}
}
