package query

import (
	"sort"
	"strings"

	"github.com/alecthomas/participle/v2/lexer"
)

const (
	defaultField = "message"
	existsField  = "_exists_"
)

// Query is a compiled query. It is immutable, so one Query may be matched
// from many goroutines at once.
type Query struct {
	root   *node
	all    bool
	src    string
	fields []string // sorted; a leaf's slot indexes it
}

// Parse parses a query. "" and "*" match every event. Syntax errors are
// returned as *SyntaxError.
func Parse(q string) (*Query, error) {
	toks, serr := lex(q)
	if serr != nil {
		return nil, serr
	}
	peek, err := lexer.Upgrade(&replay{toks: toks})
	if err != nil {
		return nil, err
	}
	g, err := parser.ParseFromLexer(peek)
	if err != nil {
		return nil, parseError(toks, err)
	}
	root := allNode
	if g.Expr != nil {
		if root, err = convOr(g.Expr, ""); err != nil {
			return nil, err
		}
	}
	out := &Query{root: root, all: root.op == opAll}
	var b strings.Builder
	root.write(&b)
	out.src = b.String()
	slots := map[string]int{}
	root.walk(func(n *node) {
		if n.op == opLeaf || n.op == opExists {
			slots[n.field] = 0
		}
	})
	for f := range slots {
		out.fields = append(out.fields, f)
	}
	sort.Strings(out.fields)
	for i, f := range out.fields {
		slots[f] = i
	}
	root.walk(func(n *node) {
		if n.op == opLeaf || n.op == opExists {
			n.slot = slots[n.field]
		}
	})
	return out, nil
}

// String returns the canonical form of the query; it parses back to an
// equivalent query.
func (q *Query) String() string { return q.src }

// Fields returns the sorted field names the query reads, including those
// named by _exists_ and "message" for bare terms: the values Accept takes.
func (q *Query) Fields() []string { return append([]string(nil), q.fields...) }

// MatchesAll reports whether the query matches every event, as "" and "*" do.
func (q *Query) MatchesAll() bool { return q.all }

// walk visits every node, parents first.
func (n *node) walk(f func(*node)) {
	f(n)
	for _, k := range n.kids {
		k.walk(f)
	}
}
