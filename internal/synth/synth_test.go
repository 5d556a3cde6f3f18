package synth

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/secops/eventexport/internal/fields"
)

func generate(t testing.TB, o Options) (lines [][]byte, times []time.Time) {
	t.Helper()
	g := New(o)
	for {
		line, ts, ok := g.Next(nil)
		if !ok {
			return lines, times
		}
		lines = append(lines, line)
		times = append(times, ts)
	}
}

func digest(o Options) ([32]byte, int) {
	h := sha256.New()
	g, n := New(o), 0
	var buf []byte
	for {
		var ok bool
		buf, _, ok = g.Next(buf[:0])
		if !ok {
			var d [32]byte
			copy(d[:], h.Sum(nil))
			return d, n
		}
		h.Write(buf)
		h.Write([]byte{'\n'})
		n++
	}
}

func TestDeterministic(t *testing.T) {
	t.Parallel()
	o := Options{Seed: 42, Community: "Globex Corp", Events: 20_000}
	a, n := digest(o)
	b, _ := digest(o)
	if a != b || n != 20_000 {
		t.Fatalf("same options gave different output (or %d events)", n)
	}
	for _, other := range []Options{
		{Seed: 43, Community: "Globex Corp", Events: 20_000},
		{Seed: 42, Community: "Initech", Events: 20_000},
	} {
		if c, _ := digest(other); c == a {
			t.Errorf("%+v gave the same output as seed 42 / Globex Corp", other)
		}
	}
}

func TestValidJSON(t *testing.T) {
	t.Parallel()
	g := New(Options{Seed: 7, Events: 100_000})
	var buf []byte
	for i := 0; ; i++ {
		var ok bool
		buf, _, ok = g.Next(buf[:0])
		if !ok {
			break
		}
		if !json.Valid(buf) {
			t.Fatalf("event %d is not valid JSON:\n%s", i, buf)
		}
		if bytes.IndexByte(buf, '\n') >= 0 {
			t.Fatalf("event %d contains a raw newline", i)
		}
	}
}

// TestNoDuplicateKeys guards the writer's rule that an object's fields are
// written together: a violation still parses, but silently loses data.
func TestNoDuplicateKeys(t *testing.T) {
	t.Parallel()
	lines, _ := generate(t, Options{Seed: 3, Events: 10_000})
	for i, l := range lines {
		if err := checkDuplicates(json.NewDecoder(bytes.NewReader(l))); err != nil {
			t.Fatalf("event %d: %v\n%s", i, err, l)
		}
	}
}

func checkDuplicates(d *json.Decoder) error {
	tok, err := d.Token()
	if err != nil {
		return err
	}
	switch tok {
	case json.Delim('{'):
		seen := map[string]bool{}
		for d.More() {
			k, _ := d.Token()
			if seen[k.(string)] {
				return fmt.Errorf("duplicate key %q", k)
			}
			seen[k.(string)] = true
			if err := checkDuplicates(d); err != nil {
				return err
			}
		}
		_, err = d.Token()
	case json.Delim('['):
		for d.More() {
			if err := checkDuplicates(d); err != nil {
				return err
			}
		}
		_, err = d.Token()
	}
	return err
}

func TestTimestamps(t *testing.T) {
	t.Parallel()
	from := time.Date(2026, 3, 29, 0, 30, 0, 123_456_789, time.UTC) // not ms-aligned, spans a DST date
	to := from.Add(6 * time.Hour)
	lines, times := generate(t, Options{Seed: 9, From: from, To: to, Events: 6_000})
	if len(lines) != 6_000 {
		t.Fatalf("got %d events", len(lines))
	}
	styles := map[string]int{}
	for i, l := range lines {
		ts := times[i]
		if ts.Before(from) || !ts.Before(to) {
			t.Fatalf("event %d at %v outside [%v, %v)", i, ts, from, to)
		}
		if i > 0 && ts.Before(times[i-1]) {
			t.Fatalf("event %d at %v before previous %v", i, ts, times[i-1])
		}
		if ts.Location() != time.UTC || ts.Nanosecond()%1e6 != 0 {
			t.Fatalf("instant %v is not whole-millisecond UTC", ts)
		}
		var ev struct {
			Timestamp json.RawMessage `json:"@timestamp"`
		}
		if err := json.Unmarshal(l, &ev); err != nil {
			t.Fatal(err)
		}
		got, style := parseTimestamp(t, ev.Timestamp)
		styles[style]++
		if !got.Equal(ts) {
			t.Fatalf("event %d: @timestamp %s is %v, Next returned %v", i, ev.Timestamp, got, ts)
		}
	}
	if styles["Z"] < 5_700 || styles["+02:00"] == 0 || styles["epoch"] == 0 {
		t.Errorf("timestamp styles %v, want mostly Z with some +02:00 and epoch", styles)
	}
	// Evenly spread: one event per slot, so each hour holds a sixth.
	perHour := map[int]int{}
	for _, ts := range times {
		perHour[int(ts.Sub(from)/time.Hour)]++
	}
	for h, n := range perHour {
		if n < 998 || n > 1_002 {
			t.Errorf("hour %d has %d events, want 1,000", h, n)
		}
	}
}

func parseTimestamp(t *testing.T, raw json.RawMessage) (time.Time, string) {
	t.Helper()
	var ms int64
	if json.Unmarshal(raw, &ms) == nil {
		return time.UnixMilli(ms), "epoch"
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatal(err)
	}
	ts, err := time.Parse(time.RFC3339Nano, s)
	if err != nil || len(s) < len("2006-01-02T15:04:05.000Z") || s[19] != '.' {
		t.Fatalf("@timestamp %q: not RFC 3339 with milliseconds (%v)", s, err)
	}
	if strings.HasSuffix(s, "Z") {
		return ts, "Z"
	}
	return ts, s[len(s)-6:]
}

func TestEdgeRanges(t *testing.T) {
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name string
		o    Options
		want int
	}{
		{"empty range", Options{From: at, To: at, Events: 10}, 0},
		{"reversed range", Options{From: at, To: at.Add(-time.Hour), Events: 10}, 0},
		{"negative count", Options{From: at, To: at.Add(time.Hour), Events: -1}, 0},
		{"sub-millisecond range", Options{From: at.Add(time.Microsecond), To: at.Add(999 * time.Microsecond), Events: 10}, 0},
		{"one millisecond, many events", Options{From: at, To: at.Add(time.Millisecond), Events: 50}, 50},
		{"one event", Options{From: at, To: at.Add(time.Hour), Events: 1}, 1},
		{"defaults", Options{Events: 10}, 10},
	}
	for _, c := range cases {
		lines, times := generate(t, c.o)
		if len(lines) != c.want {
			t.Errorf("%s: %d events, want %d", c.name, len(lines), c.want)
		}
		for _, ts := range times {
			if !c.o.From.IsZero() && (ts.Before(c.o.From) || !ts.Before(c.o.To)) {
				t.Errorf("%s: %v outside range", c.name, ts)
			}
		}
	}
	// A billion events over a decade must not overflow the slot arithmetic.
	g := New(Options{From: at, To: at.AddDate(10, 0, 0), Events: 1_000_000_000})
	for _, i := range []uint64{0, 1, 500_000_000, 999_999_999} {
		if off := g.offset(i); off >= g.span || off < i*(g.span/g.n) {
			t.Errorf("slot %d: offset %d outside span %d", i, off, g.span)
		}
	}
}

// lookup finds a dotted field however the event spells it: nested, flat or
// mixed.
func lookup(m map[string]any, field string) (any, bool) {
	if v, ok := m[field]; ok {
		return v, true
	}
	for i := 0; i < len(field); i++ {
		if field[i] != '.' {
			continue
		}
		if sub, ok := m[field[:i]].(map[string]any); ok {
			if v, ok := lookup(sub, field[i+1:]); ok {
				return v, true
			}
		}
	}
	return nil, false
}

func TestContent(t *testing.T) {
	t.Parallel()
	lines, _ := generate(t, Options{Seed: 11, Community: "Ünïcode & \"Quotes\" Ltd", Events: 10_000})
	want := map[string]bool{}
	for _, fs := range fields.Presets() {
		for _, f := range fs {
			want[f] = true
		}
	}
	for _, f := range []string{"network.bytes", "event.dataset", "event.category", "observer.name", "agent.id", "user.domain", "host.os.type"} {
		want[f] = true
	}
	seen := map[string]int{}
	layouts := map[string]int{}
	kinds := map[string]int{}
	var v4pub, v4priv, v6, escapes, unicode int
	for _, l := range lines {
		var m map[string]any
		if err := json.Unmarshal(l, &m); err != nil {
			t.Fatal(err)
		}
		layouts[layoutOf(m)]++
		cat, _ := lookup(m, "event.category")
		switch c := fmt.Sprint(cat); {
		case strings.Contains(c, "network"):
			kinds["network"]++
		case strings.Contains(c, "authentication"):
			kinds["auth"]++
		case strings.Contains(c, "process") || strings.Contains(c, "file"):
			kinds["endpoint"]++
		}
		for f := range want {
			if _, ok := lookup(m, f); ok {
				seen[f]++
			}
		}
		for _, f := range []string{"source.ip", "destination.ip"} {
			v, ok := lookup(m, f)
			if !ok {
				continue
			}
			a, err := netip.ParseAddr(v.(string))
			if err != nil || a.String() != v.(string) {
				t.Fatalf("%s %q is not a canonical IP (%v)", f, v, err)
			}
			switch {
			case a.Is6():
				v6++
			case a.IsPrivate() || a.IsLoopback():
				v4priv++
			default:
				v4pub++
			}
		}
		for _, f := range []string{"source.port", "destination.port", "network.bytes"} {
			if v, ok := lookup(m, f); ok {
				if _, isNum := v.(float64); !isNum {
					t.Fatalf("%s is %T, want a JSON number", f, v)
				}
			}
		}
		if v, ok := lookup(m, "process.args"); ok {
			if _, isArr := v.([]any); !isArr {
				t.Fatalf("process.args is %T, want an array", v)
			}
		}
		msg, _ := m["message"].(string)
		if strings.ContainsAny(msg, "\"\\\t") {
			escapes++
		}
		if strings.IndexFunc(msg, func(r rune) bool { return r > 127 }) >= 0 {
			unicode++
		}
	}
	for f := range want {
		if seen[f] == 0 {
			t.Errorf("field %s never generated", f)
		}
	}
	n := len(lines)
	if f := float64(layouts["flat"]) / float64(n); f < 0.18 || f > 0.22 {
		t.Errorf("flat fraction %.3f, want about 0.2 (%v)", f, layouts)
	}
	if layouts["nested"] < n/2 || layouts["mixed"] == 0 {
		t.Errorf("layouts %v: want nested majority and some mixed", layouts)
	}
	for kind, want := range map[string]int{"network": 50, "auth": 30, "endpoint": 20} {
		if pct := kinds[kind] * 100 / n; pct < want-2 || pct > want+2 {
			t.Errorf("%s events %d%%, want about %d%%", kind, pct, want)
		}
	}
	if v4pub == 0 || v4priv == 0 || v6 == 0 {
		t.Errorf("IPs: %d public v4, %d private v4, %d v6; want all kinds", v4pub, v4priv, v6)
	}
	if escapes < n/20 || unicode < n/100 {
		t.Errorf("messages needing escapes %d, with non-ASCII %d; want both common", escapes, unicode)
	}
	if !bytes.Contains(bytes.Join(lines, nil), []byte(`"name":"Ünïcode & \"Quotes\" Ltd"`)) {
		t.Error("community name not written (escaped) as organization.name")
	}
}

// layoutOf tells the key layouts apart: flat has dotted top-level keys,
// mixed has dotted keys one level down, nested has neither. A mixed event
// without three-segment fields looks nested, which only undercounts mixed.
func layoutOf(m map[string]any) string {
	if _, ok := m["event.kind"]; ok {
		return "flat"
	}
	for _, v := range m {
		if sub, ok := v.(map[string]any); ok {
			for k := range sub {
				if strings.Contains(k, ".") {
					return "mixed"
				}
			}
		}
	}
	return "nested"
}

func TestNoAllocations(t *testing.T) {
	g := New(Options{Events: 1_000_000})
	buf := make([]byte, 0, 8192)
	allocs := testing.AllocsPerRun(10_000, func() {
		buf, _, _ = g.Next(buf[:0])
	})
	if allocs != 0 {
		t.Errorf("Next allocates %.2f times per event with a reused buffer", allocs)
	}
}

func TestCivilDate(t *testing.T) {
	for _, d := range []time.Time{
		time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2000, 2, 29, 0, 0, 0, 0, time.UTC),
		time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC), time.Date(2100, 3, 1, 0, 0, 0, 0, time.UTC),
		time.Date(1969, 12, 31, 23, 0, 0, 0, time.UTC), time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC),
	} {
		var b [11]byte
		day, _ := floorDiv(d.UnixMilli(), msPerDay)
		civilDate(b[:], day)
		if got, want := string(b[:]), d.Format("2006-01-02T"); got != want {
			t.Errorf("civilDate(%v) = %s, want %s", d, got, want)
		}
	}
}

func BenchmarkNext(b *testing.B) {
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	g := New(Options{Events: 1 << 40, From: from, To: from.AddDate(10, 0, 0)})
	buf := make([]byte, 0, 8192)
	var total int
	for b.Loop() {
		buf, _, _ = g.Next(buf[:0])
		total += len(buf)
	}
	b.SetBytes(int64(total / max(b.N, 1)))
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
