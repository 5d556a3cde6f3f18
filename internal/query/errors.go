package query

import (
	"errors"
	"fmt"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

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
		// not expected from participle, but callers rely on the type
		return &SyntaxError{Line: 1, Column: 1, Msg: err.Error()}
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
