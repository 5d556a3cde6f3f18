package synth

import (
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

type layout uint8

const (
	nested layout = iota // {"source":{"ip":...}}
	flat                 // {"source.ip":...}
	mixed                // {"source":{"geo.city_name":...}}: objects one level deep
)

// key is a field name pre-rendered for each layout. Path elements are
// quoted and end in ':'. suffix follows the name: `"` for string fields, the
// whole value for constant fields, so those cost no extra append.
type key struct {
	id     int // 1-based; 0 stands for "start of the object"
	row    int // id * (len(keys)+1): where this key's transitions start
	paths  [3][]string
	suffix string
}

var keys []*key

// mk, mks and mkc are only called from package-level var initialisers.

// mks declares a string field, written with str or open/close.
func mks(name string) *key {
	k := mk(name)
	k.suffix = `"`
	return k
}

// mkc declares a field with a constant string value, written with put.
func mkc(name, value string) *key {
	k := mk(name)
	k.suffix = strconv.Quote(value)
	return k
}

// mk declares a field whose value the caller appends: numbers, arrays,
// timestamps.
func mk(name string) *key {
	q := func(s string) string { return strconv.Quote(s) + ":" }
	segs := strings.Split(name, ".")
	k := &key{id: len(keys) + 1}
	for _, s := range segs {
		k.paths[nested] = append(k.paths[nested], q(s))
	}
	k.paths[flat] = []string{q(name)}
	if len(segs) > 2 {
		k.paths[mixed] = []string{q(segs[0]), q(strings.Join(segs[1:], "."))}
	} else {
		k.paths[mixed] = k.paths[nested]
	}
	keys = append(keys, k)
	return k
}

// After a leaf is written the open objects are exactly that leaf's parent
// path, so the bytes between two leaves (closing braces, comma, opening
// objects, the next key) depend only on the pair and the layout. Computing
// them once turns each field into a table lookup and a single append.
var transitions = sync.OnceValue(func() []string {
	n := len(keys)
	for _, k := range keys {
		k.row = k.id * (n + 1)
	}
	var all []byte
	var bounds []int
	for l := range layout(3) {
		for prev := 0; prev <= n; prev++ {
			for next := 1; next <= n+1; next++ {
				all = appendTransition(all, l, prev, next)
				bounds = append(bounds, len(all))
			}
		}
	}
	s := string(all) // one allocation backs every transition
	out := make([]string, len(bounds))
	from := 0
	for i, to := range bounds {
		out[i] = s[from:to]
		from = to
	}
	return out
})

// appendTransition renders the move from leaf prev to leaf next; next ==
// len(keys)+1 means the end of the event.
func appendTransition(b []byte, l layout, prev, next int) []byte {
	var open []string
	first := prev == 0
	if !first {
		p := keys[prev-1].paths[l]
		open = p[:len(p)-1]
	}
	if next > len(keys) {
		for range open {
			b = append(b, '}')
		}
		return append(b, '}')
	}
	p := keys[next-1].paths[l]
	objs := p[:len(p)-1]
	c := 0
	for c < len(open) && c < len(objs) && open[c] == objs[c] {
		c++
	}
	for range open[c:] {
		b = append(b, '}')
	}
	for _, o := range objs[c:] {
		if !first {
			b = append(b, ',')
		}
		b = append(b, o...)
		b = append(b, '{')
		first = true
	}
	if !first {
		b = append(b, ',')
	}
	b = append(b, p[len(p)-1]...)
	return append(b, keys[next-1].suffix...)
}

// writer appends one JSON object. Fields of one object group must be written
// consecutively (all source.*, then all destination.*): objects are closed
// when the path changes and never reopened.
type writer struct {
	b     []byte
	trans []string // this event's layout's table
	prev  int      // row of the last key written
}

func (w *writer) begin(buf []byte, l layout) {
	n := len(keys) + 1
	w.trans = transitions()[int(l)*n*n : int(l+1)*n*n]
	w.prev = 0
	w.b = append(buf, '{')
}

func (w *writer) end() []byte {
	b := append(w.b, w.trans[w.prev+len(keys)]...)
	w.b = nil // do not pin the caller's buffer
	return b
}

func (w *writer) key(k *key) {
	w.b = append(w.b, w.trans[w.prev+k.id-1]...)
	w.prev = k.row
}

// str writes a string that is already JSON-escaped (pool values are escaped
// once, when the world is built).
func (w *writer) str(k *key, esc string) {
	w.key(k)
	w.b = append(w.b, esc...)
	w.b = append(w.b, '"')
}

// put writes a constant field.
func (w *writer) put(k *key) { w.key(k) }

// raw writes a pre-rendered JSON value such as an array.
func (w *writer) raw(k *key, v string) {
	w.key(k)
	w.b = append(w.b, v...)
}

func (w *writer) int(k *key, v int) {
	w.key(k)
	w.b = strconv.AppendInt(w.b, int64(v), 10)
}

// open starts a string value the caller builds piecewise; close ends it.
func (w *writer) open(k *key) { w.key(k) }

func (w *writer) close() { w.b = append(w.b, '"') }

func (w *writer) s(esc string) { w.b = append(w.b, esc...) }

func (w *writer) d(v int) { w.b = strconv.AppendInt(w.b, int64(v), 10) }

const hexDigits = "0123456789abcdef"

// hex writes n hex digits of v (n <= 16).
func (w *writer) hex(v uint64, n int) {
	var a [16]byte
	for i := 15; i >= 0; i-- {
		a[i] = hexDigits[v&15]
		v >>= 4
	}
	w.b = append(w.b, a[16-n:]...)
}

// escape returns s as JSON string content (no quotes). Only used while
// building pools and for the rare runtime-composed value.
func escape(s string) string {
	return string(appendEscaped(nil, s))
}

func appendEscaped(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && n == 1 {
				b = append(b, `\ufffd`...)
			} else {
				b = append(b, s[i:i+n]...)
			}
			i += n
			continue
		}
		switch {
		case c == '"':
			b = append(b, `\"`...)
		case c == '\\':
			b = append(b, `\\`...)
		case c == '\n':
			b = append(b, `\n`...)
		case c == '\r':
			b = append(b, `\r`...)
		case c == '\t':
			b = append(b, `\t`...)
		case c < 0x20:
			b = append(b, `\u00`...)
			b = append(b, hexDigits[c>>4], hexDigits[c&15])
		default:
			b = append(b, c)
		}
		i++
	}
	return b
}
