package encode

import (
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// A plan turns a field list into a tree of the keys that can lead to a
// requested field, so that one pass over an event can resolve every field.
// A dotted name "a.b.c" is reachable by the key "a.b.c" itself (exact), or by
// the keys "a" and "a.b" descending into objects (nested); the tree holds each
// such key once, whatever the number of fields it serves.
type plan struct {
	fields []string // as requested, to recognise the same list again
	keys   [][]byte // `"name":` per output field, JSON-escaped, in output order
	names  []string // every resolved field: the output's, then the hidden ones
	root   *node
	depth  int // deepest node level, sizes the per-level result arrays
	pool   sync.Pool
}

type node struct {
	entries map[string]*entry
	fields  []int // every field resolved under this node; cleared on entry
	// Most keys of an event lead nowhere: a bit set of first bytes and the
	// keys grouped by length turn them away cheaper than hashing would.
	first [4]uint64
	byLen [][]keyed
}

type keyed struct {
	key string
	e   *entry
}

type entry struct {
	exact []int // fields whose remaining name is this whole key
	child *node // fields reachable below this key, when its value is an object
}

type want struct {
	field int
	rest  string
}

const timestampField = "@timestamp"

// compile builds the plan of the output fields, which also resolves the
// hidden ones without printing them (the timestamp, a filter's fields).
func compile(fields, hidden []string) *plan {
	p := &plan{fields: slices.Clone(fields)}
	var names []string
	add := func(f string) {
		if !slices.Contains(names, f) {
			names = append(names, f)
		}
	}
	for _, f := range fields {
		add(f)
	}
	for _, f := range names {
		p.keys = append(p.keys, append(appendQuoted(nil, f), ':'))
	}
	for _, f := range hidden {
		add(f)
	}
	p.names = names
	ws := make([]want, len(names))
	for i, f := range names {
		ws[i] = want{i, f}
	}
	p.root = p.build(ws, 0)
	n := len(names)
	p.pool.New = func() any {
		lv := make([][]span, p.depth+1)
		for i := range lv {
			lv[i] = make([]span, n)
		}
		return &projector{plan: p, lv: lv}
	}
	return p
}

func (p *plan) build(ws []want, depth int) *node {
	p.depth = max(p.depth, depth)
	nd := &node{entries: map[string]*entry{}}
	children := map[string][]want{}
	var order []string
	get := func(k string) *entry {
		e := nd.entries[k]
		if e == nil {
			e = &entry{}
			nd.entries[k] = e
			if k != "" {
				nd.first[k[0]>>6] |= 1 << (k[0] & 63)
			}
		}
		return e
	}
	for _, w := range ws {
		nd.fields = append(nd.fields, w.field)
		e := get(w.rest)
		e.exact = append(e.exact, w.field)
		for i := 0; i < len(w.rest); i++ {
			if w.rest[i] != '.' {
				continue
			}
			k := w.rest[:i]
			get(k)
			if _, ok := children[k]; !ok {
				order = append(order, k)
			}
			children[k] = append(children[k], want{w.field, w.rest[i+1:]})
		}
	}
	for _, k := range order {
		nd.entries[k].child = p.build(children[k], depth+1)
	}
	for k, e := range nd.entries {
		for len(nd.byLen) <= len(k) {
			nd.byLen = append(nd.byLen, nil)
		}
		nd.byLen[len(k)] = append(nd.byLen[len(k)], keyed{k, e})
	}
	return nd
}

func (nd *node) lookup(key []byte) *entry {
	if len(key) >= len(nd.byLen) || len(key) > 0 && nd.first[key[0]>>6]&(1<<(key[0]&63)) == 0 {
		return nil
	}
	for _, k := range nd.byLen[len(key)] {
		if k.key == string(key) {
			return k.e
		}
	}
	return nil
}

// slot is the index of a resolved field in a projector's results.
func (p *plan) slot(name string) int { return slices.Index(p.names, name) }

func (p *plan) get() *projector  { return p.pool.Get().(*projector) }
func (p *plan) put(x *projector) { p.pool.Put(x) }

// lastPlan spares Line callers that project many lines with one field list
// from compiling it every time.
var lastPlan atomic.Pointer[plan]

func planFor(fields []string) *plan {
	if p := lastPlan.Load(); p != nil && slices.Equal(p.fields, fields) {
		return p
	}
	p := compile(fields, nil)
	lastPlan.Store(p)
	return p
}

// appendQuoted appends s as a JSON string. Field names are validated by the
// caller, but a name is still user input and must not break the line.
func appendQuoted(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	for _, r := range strings.ToValidUTF8(s, "\ufffd") {
		switch {
		case r == '"' || r == '\\':
			dst = append(dst, '\\', byte(r))
		case r == '\n':
			dst = append(dst, '\\', 'n')
		case r == '\r':
			dst = append(dst, '\\', 'r')
		case r == '\t':
			dst = append(dst, '\\', 't')
		case r < 0x20:
			dst = append(dst, '\\', 'u', '0', '0', hex[r>>4], hex[r&0xf])
		default:
			dst = append(dst, string(r)...)
		}
	}
	return append(dst, '"')
}
