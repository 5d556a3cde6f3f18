package query

import (
	"unsafe"

	"github.com/secops/eventexport/internal/event"
	"github.com/tidwall/gjson"
)

// Match reports whether the event line satisfies the query. Lines that are
// not a JSON object match nothing, except under a match-all query, which
// does not look at the line at all. It looks every field up on its own; the
// encoder resolves them in its own pass over the line and calls Accept.
func (q *Query) Match(line []byte) bool {
	if q.all {
		return true
	}
	// gjson.ParseBytes copies the line into a string; nothing read here
	// outlives the call, so a view of the bytes is enough.
	root := gjson.Parse(unsafe.String(unsafe.SliceData(line), len(line)))
	if !root.IsObject() {
		return false
	}
	var buf [16]gjson.Result
	vals := q.values(&buf)
	for i, f := range q.fields {
		vals[i] = event.LookupIn(root, f)
	}
	return q.root.eval(vals)
}

// Accept reports whether an event whose fields have the given raw JSON
// values satisfies the query: values[i] is that of Fields()[i], nil when
// the event has none. Like Match, it may be called from many goroutines.
func (q *Query) Accept(values [][]byte) bool {
	if q.all {
		return true
	}
	var buf [16]gjson.Result
	vals := q.values(&buf)
	for i, v := range values {
		if v != nil {
			vals[i] = gjson.Parse(unsafe.String(unsafe.SliceData(v), len(v)))
		}
	}
	return q.root.eval(vals)
}

// values is room for one value per field: buf, on the caller's stack, for
// the usual query of up to 16 fields.
func (q *Query) values(buf *[16]gjson.Result) []gjson.Result {
	if len(q.fields) > len(buf) {
		return make([]gjson.Result, len(q.fields))
	}
	return buf[:len(q.fields)]
}

// node is one concrete type rather than an interface per operator so that
// eval's vals, which live on the stack of Match and Accept, are not forced
// to the heap by calls the compiler cannot see through.
type node struct {
	op    nodeOp
	kids  []*node
	field string
	slot  int // index of field in Query.fields, and so in vals
	m     elemMatcher
}

type nodeOp uint8

const (
	opAll nodeOp = iota
	opAnd
	opOr
	opNot
	opExists // null, [] and [null] do not exist, as in Elasticsearch
	opLeaf   // m tests the field's value; an array matches if any element does
)

var allNode = &node{op: opAll}

func (n *node) eval(vals []gjson.Result) bool {
	switch n.op {
	case opAll:
		return true
	case opAnd:
		for _, k := range n.kids {
			if !k.eval(vals) {
				return false
			}
		}
		return true
	case opOr:
		for _, k := range n.kids {
			if k.eval(vals) {
				return true
			}
		}
		return false
	case opNot:
		return !n.kids[0].eval(vals)
	case opExists:
		return anyElem(vals[n.slot], existsElem{})
	}
	return anyElem(vals[n.slot], n.m)
}

type existsElem struct{}

func (existsElem) matchElem(e gjson.Result) bool { return e.Type != gjson.Null }

type elemMatcher interface {
	matchElem(e gjson.Result) bool
}

func anyElem(v gjson.Result, m elemMatcher) bool {
	if !v.Exists() {
		return false
	}
	if !v.IsArray() {
		return m.matchElem(v)
	}
	found := false
	v.ForEach(func(_, e gjson.Result) bool {
		found = anyElem(e, m)
		return !found
	})
	return found
}
