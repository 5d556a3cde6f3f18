package query

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The canonical form spells out every operator (AND, OR, NOT), adds
// parentheses only where precedence needs them, prints message searches as
// bare terms and escapes whatever the lexer would otherwise read as syntax.
// Parsing it again yields the same query and the same string.

func (n *node) prec() int {
	switch n.op {
	case opOr:
		return precOr
	case opAnd:
		return precAnd
	case opNot:
		return precNot
	}
	return precLeaf
}

const (
	precOr = iota + 1
	precAnd
	precNot
	precLeaf
)

func (n *node) write(b *strings.Builder) {
	switch n.op {
	case opAll:
		b.WriteByte('*')
	case opAnd:
		writeList(b, n.kids, " AND ", precAnd)
	case opOr:
		writeList(b, n.kids, " OR ", precOr)
	case opNot:
		b.WriteString("NOT ")
		writeChild(b, n.kids[0], precNot)
	case opExists:
		b.WriteString(existsField + ":")
		writeTerm(b, n.field, ctxValue)
	case opLeaf:
		n.writeLeaf(b)
	}
}

func writeList(b *strings.Builder, kids []*node, sep string, prec int) {
	for i, k := range kids {
		if i > 0 {
			b.WriteString(sep)
		}
		writeChild(b, k, prec)
	}
}

func writeChild(b *strings.Builder, k *node, prec int) {
	if k.prec() < prec {
		b.WriteByte('(')
		k.write(b)
		b.WriteByte(')')
		return
	}
	k.write(b)
}

func (n *node) writeLeaf(b *strings.Builder) {
	if t, ok := n.m.(*textMatcher); ok && n.field == defaultField {
		writePat(b, t.p, t.phrase, ctxBare)
		return
	}
	writeTerm(b, n.field, ctxField)
	b.WriteByte(':')
	switch m := n.m.(type) {
	case *eqMatcher:
		if m.phrase || m.v.s == "" {
			writePhrase(b, m.v.s)
		} else {
			writeTerm(b, m.v.s, ctxValue)
		}
	case *globMatcher:
		writePat(b, m.p, false, ctxValue)
	case *textMatcher:
		writePat(b, m.p, m.phrase, ctxValue)
	case *rangeMatcher:
		m.write(b)
	}
}

func (m *rangeMatcher) write(b *strings.Builder) {
	if m.op != "" {
		b.WriteString(m.op)
		bound := m.lo
		if bound == nil {
			bound = m.hi
		}
		writeBound(b, bound, ctxValue)
		return
	}
	b.WriteByte("{["[btoi(m.incLo)])
	writeBound(b, m.lo, ctxRange)
	b.WriteString(" TO ")
	writeBound(b, m.hi, ctxRange)
	b.WriteByte("}]"[btoi(m.incHi)])
}

func btoi(v bool) int {
	if v {
		return 1
	}
	return 0
}

func writeBound(b *strings.Builder, v *scalar, ctx escCtx) {
	switch {
	case v == nil:
		b.WriteByte('*')
	case v.s == "":
		writePhrase(b, "")
	default:
		writeTerm(b, v.s, ctx)
	}
}

type escCtx int

const (
	ctxBare  escCtx = iota // a term with no field, where ':' and a leading -+! are syntax
	ctxField               // a field name
	ctxValue               // after "field:", where ':' is plain but a leading < or > is not
	ctxRange               // a range bound, where TO is a keyword
)

func writePhrase(b *strings.Builder, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('"')
}

func writePat(b *strings.Builder, p pat, phrase bool, ctx escCtx) {
	if phrase {
		writePhrase(b, p.literal())
		return
	}
	if !p.wild() {
		writeTerm(b, p.literal(), ctx)
		return
	}
	for i, it := range p {
		switch {
		case it.star:
			b.WriteByte('*')
		case it.one:
			b.WriteByte('?')
		default:
			writeEscaped(b, it.lit, ctx, i == 0)
		}
	}
}

// writeTerm writes a literal term, escaped so it reads back unchanged.
func writeTerm(b *strings.Builder, s string, ctx escCtx) {
	switch s {
	case "AND", "OR", "NOT", "TO":
		b.WriteByte('\\')
	}
	writeEscaped(b, s, ctx, true)
}

func writeEscaped(b *strings.Builder, s string, ctx escCtx, atStart bool) {
	for i, r := range s {
		if needsEscape(s, i, r, ctx, atStart && i == 0) {
			b.WriteByte('\\')
		}
		if r == utf8.RuneError {
			_, n := utf8.DecodeRuneInString(s[i:])
			b.WriteString(s[i : i+n])
			continue
		}
		b.WriteRune(r)
	}
}

func needsEscape(s string, i int, r rune, ctx escCtx, first bool) bool {
	switch r {
	case '\\', '(', ')', '[', ']', '{', '}', '"', '*', '?':
		return true
	case ':':
		return ctx == ctxBare || ctx == ctxField
	}
	if unicode.IsSpace(r) {
		return true
	}
	if !first {
		return false
	}
	switch r {
	case '-', '+', '!':
		return ctx == ctxBare || ctx == ctxField
	case '<', '>', '=': // '=' because "f:> =x" must not print as "f:>=x"
		return ctx == ctxValue
	case '&', '|':
		return i+1 < len(s) && s[i+1] == s[i]
	}
	return false
}
