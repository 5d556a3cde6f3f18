package query

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/alecthomas/participle/v2"
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
// named by _exists_ and "message" for bare terms.
func (q *Query) Fields() []string { return append([]string(nil), q.fields...) }

// MatchesAll reports whether the query matches every event, as "" and "*" do.
func (q *Query) MatchesAll() bool { return q.all }

// SyntaxError describes where a query stops making sense and what would
// have been accepted there.
type SyntaxError struct {
	Pos          int // 0-based byte offset
	Line, Column int // 1-based; Column counts characters
	Expected     string
	Msg          string
}

func (e *SyntaxError) Error() string {
	s := fmt.Sprintf("query: %d:%d: %s", e.Line, e.Column, e.Msg)
	if e.Expected != "" {
		s += ", expected " + e.Expected
	}
	return s
}

func errAt(p lexer.Position, msg, expected string) *SyntaxError {
	return &SyntaxError{Pos: p.Offset, Line: p.Line, Column: p.Column, Msg: msg, Expected: expected}
}

// parseError rewrites participle's grammar-speak into what a user should
// type, judged from the token before the one that failed.
func parseError(toks []lexer.Token, err error) error {
	var perr participle.Error
	if !errors.As(err, &perr) {
		return err
	}
	off := perr.Position().Offset
	idx := len(toks) - 1
	for i, t := range toks {
		if t.Pos.Offset >= off {
			idx = i
			break
		}
	}
	tok := toks[idx]
	what := "end of query"
	if !tok.EOF() {
		what = fmt.Sprintf("%q", tok.Value)
	}
	msg := "unexpected " + what
	const operand = `a term, field:value or "("`
	if idx == 0 {
		if tok.Type == tRParen {
			return errAt(tok.Pos, `unbalanced ")"`, `a matching "(" before it`)
		}
		return errAt(tok.Pos, msg, operand)
	}
	prev := toks[idx-1]
	before := lexer.Token{Type: lexer.EOF}
	if idx >= 2 {
		before = toks[idx-2]
	}
	switch prev.Type {
	case tField:
		return errAt(tok.Pos, msg, fmt.Sprintf("a value after %q", prev.Value+":"))
	case tCmp:
		return errAt(tok.Pos, msg, fmt.Sprintf("a value after %q", prev.Value))
	case tLBrack, tLBrace:
		return errAt(tok.Pos, msg, "the start of the range (a value or *)")
	case tTo:
		return errAt(tok.Pos, msg, "the end of the range (a value or *)")
	case tNot, tPlus, tAnd, tOr:
		return errAt(tok.Pos, msg, fmt.Sprintf("%s after %q", operand, prev.Value))
	case tLParen:
		if tok.Type == tRParen {
			return errAt(tok.Pos, "empty parentheses", "a query between them")
		}
		return errAt(tok.Pos, msg, operand)
	case tTerm, tPhrase:
		switch before.Type {
		case tLBrack, tLBrace:
			return errAt(tok.Pos, msg, `"TO" in the range`)
		case tTo:
			return errAt(tok.Pos, msg, `"]" or "}" to close the range`)
		}
	}
	var open []lexer.Position
	for _, t := range toks[:idx] {
		switch t.Type {
		case tLParen:
			open = append(open, t.Pos)
		case tRParen:
			if len(open) > 0 {
				open = open[:len(open)-1]
			}
		}
	}
	switch {
	case tok.Type == tRParen && len(open) == 0:
		return errAt(tok.Pos, `unbalanced ")"`, `a matching "(" before it, or remove it`)
	case tok.EOF() && len(open) > 0:
		p := open[len(open)-1]
		return errAt(tok.Pos, msg, fmt.Sprintf(`")" to close "(" at %d:%d`, p.Line, p.Column))
	case tok.Type == tLBrack || tok.Type == tLBrace:
		return errAt(tok.Pos, msg, "a field name before the range, as in field:[a TO b]")
	case tok.Type == tTo:
		return errAt(tok.Pos, msg, `a range such as field:[a TO b] around "TO"`)
	}
	return errAt(tok.Pos, msg, `AND, OR, a term, field:value or "("`)
}

func convOr(g *gOr, field string) (*node, error) {
	var kids []*node
	for _, t := range g.Terms {
		k, err := convAnd(t, field)
		if err != nil {
			return nil, err
		}
		switch k.op {
		case opAll:
			return allNode, nil
		case opOr:
			kids = append(kids, k.kids...)
		default:
			kids = append(kids, k)
		}
	}
	if len(kids) == 1 {
		return kids[0], nil
	}
	return &node{op: opOr, kids: kids}, nil
}

func convAnd(g *gAnd, field string) (*node, error) {
	var kids []*node
	for _, f := range g.Factors {
		k, err := convUnary(f, field)
		if err != nil {
			return nil, err
		}
		switch k.op {
		case opAll:
		case opAnd:
			kids = append(kids, k.kids...)
		default:
			kids = append(kids, k)
		}
	}
	switch len(kids) {
	case 0:
		return allNode, nil
	case 1:
		return kids[0], nil
	}
	return &node{op: opAnd, kids: kids}, nil
}

func convUnary(g *gUnary, field string) (*node, error) {
	switch {
	case g.Not != nil:
		k, err := convUnary(g.Not, field)
		if err != nil {
			return nil, err
		}
		return &node{op: opNot, kids: []*node{k}}, nil
	case g.Plus != nil:
		// "+" marks a required clause, which under the default AND
		// operator every clause already is.
		return convUnary(g.Plus, field)
	}
	p := g.Prim
	switch {
	case p.Group != nil:
		return convOr(p.Group, field)
	case p.Field != nil:
		return convField(p.Field)
	}
	return convValue(field, p.Value)
}

func convField(g *gField) (*node, error) {
	name := unescape(g.Name)
	if pat := parsePat(g.Name); pat.wild() {
		if pat.onlyStar() && g.Value != nil && g.Value.Term != nil && parsePat(*g.Value.Term).onlyStar() {
			return allNode, nil // Lucene's *:*
		}
		return nil, errAt(g.Pos, fmt.Sprintf("wildcards in field names are not supported: %q", g.Name),
			`an exact field name, or \* for a literal star`)
	}
	switch {
	case g.Group != nil:
		return convOr(g.Group, name)
	case g.Value != nil:
		return convValue(name, g.Value)
	}
	if name == existsField {
		return nil, errAt(g.Pos, "_exists_ takes a field name", `_exists_:field.name`)
	}
	if g.Cmp != nil {
		v := rangeBound(g.Cmp.Value)
		if v == nil {
			return nil, errAt(g.Cmp.Value.Pos, fmt.Sprintf("%s needs a value, not *", g.Cmp.Op), "a number, timestamp, IP or text")
		}
		var m *rangeMatcher
		switch g.Cmp.Op {
		case ">":
			m = newRange(v, nil, false, false, ">")
		case ">=":
			m = newRange(v, nil, true, false, ">=")
		case "<":
			m = newRange(nil, v, false, false, "<")
		default:
			m = newRange(nil, v, false, true, "<=")
		}
		return &node{op: opLeaf, field: name, m: m}, nil
	}
	r := g.Range
	return &node{op: opLeaf, field: name, m: newRange(rangeBound(r.Lo), rangeBound(r.Hi), r.Open == "[", r.Close == "]", "")}, nil
}

// rangeBound returns nil for an open end, written as an unquoted *.
func rangeBound(v *gValue) *scalar {
	if v.Phrase != nil {
		return newScalar(unquote(*v.Phrase))
	}
	if *v.Term == "*" {
		return nil
	}
	return newScalar(unescape(*v.Term))
}

func convValue(field string, v *gValue) (*node, error) {
	bare := field == ""
	if bare {
		field = defaultField
	}
	var p pat
	phrase := v.Phrase != nil
	if phrase {
		p = pat{{lit: unquote(*v.Phrase)}}
	} else {
		p = parsePat(*v.Term)
	}
	if field == existsField {
		if p.wild() || p.literal() == "" {
			return nil, errAt(v.Pos, "_exists_ takes a field name", "_exists_:field.name")
		}
		return &node{op: opExists, field: p.literal()}, nil
	}
	if p.onlyStar() {
		if bare {
			return allNode, nil
		}
		return &node{op: opExists, field: field}, nil
	}
	if field == defaultField {
		return &node{op: opLeaf, field: field, m: &textMatcher{p: p, g: newGlob(p, false, true), phrase: phrase}}, nil
	}
	if p.wild() {
		return &node{op: opLeaf, field: field, m: &globMatcher{p: p, g: newGlob(p, true, false)}}, nil
	}
	return &node{op: opLeaf, field: field, m: &eqMatcher{v: newScalar(p.literal()), phrase: phrase}}, nil
}

func unescape(raw string) string {
	if strings.IndexByte(raw, '\\') < 0 {
		return raw
	}
	var b strings.Builder
	for i := 0; i < len(raw); i++ {
		if raw[i] == '\\' && i+1 < len(raw) {
			i++
		}
		b.WriteByte(raw[i])
	}
	return b.String()
}

// unquote strips the quotes of a phrase token and its backslash escapes.
func unquote(tok string) string {
	return unescape(tok[1 : len(tok)-1])
}
