package query

import (
	"math/rand"
	"strconv"
	"strings"
	"testing"

	"github.com/secops/eventexport/internal/event"
	"github.com/tidwall/gjson"
)

// TestResolveRandom compares resolve with event.LookupIn on generated
// objects that mix nested, dotted and duplicate keys, which random fuzz
// bytes rarely form.
func TestResolveRandom(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	keys := []string{"a", "b", "a.b", "b.c", "a.b.c", "c", `a\u002eb`, "a.", ""}
	names := []string{"a", "b", "c", "a.b", "b.c", "a.b.c", "a.b.c.a", "a.c", "a.", "", "a..b"}
	var gen func(b *strings.Builder, depth int)
	gen = func(b *strings.Builder, depth int) {
		switch r := rng.Intn(9); {
		case depth < 3 && r < 4:
			b.WriteByte('{')
			for i, n := 0, rng.Intn(4); i < n; i++ {
				if i > 0 {
					b.WriteString(", ")
				}
				b.WriteString(`"` + keys[rng.Intn(len(keys))] + `" : `)
				gen(b, depth+1)
			}
			b.WriteByte('}')
		case depth < 3 && r == 4:
			b.WriteString(`[1,{"a":"]"},[]]`)
		case r == 5:
			b.WriteString(`"s\"}` + strconv.Itoa(rng.Intn(9)) + `"`)
		case r == 6:
			b.WriteString(`null`)
		default:
			b.WriteString(strconv.Itoa(rng.Intn(100) - 50))
		}
	}
	for n := 0; n < 3000; n++ {
		var b strings.Builder
		b.WriteByte('{')
		for i, k := 0, rng.Intn(5); i < k; i++ {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(`"` + keys[rng.Intn(len(keys))] + `":`)
			gen(&b, 1)
		}
		b.WriteByte('}')
		line := b.String()
		vals := make([]gjson.Result, len(names))
		resolve(line, names, vals)
		root := gjson.Parse(line)
		for i, name := range names {
			want := event.LookupIn(root, name)
			if got := vals[i]; got.Type != want.Type || got.Raw != want.Raw || got.Str != want.Str || got.Num != want.Num {
				t.Fatalf("resolve(%s, %q) = %q, event.LookupIn = %q", line, name, got.Raw, want.Raw)
			}
		}
	}
}
