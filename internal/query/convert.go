package query

import (
	"fmt"
	"strings"
)

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
