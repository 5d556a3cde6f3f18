package query

import (
	"io"
	"unicode"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2/lexer"
)

// Token types. The lexer is hand written because what a ':' means depends
// on where it is: it ends a field name at the top level, but is part of the
// value after "field:" so that IPv6 addresses and CIDRs need no quoting.
const (
	tTerm lexer.TokenType = iota + 1
	tPhrase
	tField // the name only; the ':' after it is consumed with it
	tCmp
	tLParen
	tRParen
	tLBrack
	tRBrack
	tLBrace
	tRBrace
	tAnd
	tOr
	tNot
	tPlus
	tTo
)

// symbols is a function, not a variable, because the package-level parser
// is built through an interface call that initialisation order can't see.
func symbols() map[string]lexer.TokenType {
	return map[string]lexer.TokenType{
		"EOF": lexer.EOF, "Term": tTerm, "Phrase": tPhrase, "Field": tField, "Cmp": tCmp,
		"LParen": tLParen, "RParen": tRParen, "LBrack": tLBrack, "RBrack": tRBrack,
		"LBrace": tLBrace, "RBrace": tRBrace, "And": tAnd, "Or": tOr, "Not": tNot,
		"Plus": tPlus, "To": tTo,
	}
}

// definition only exists to satisfy participle's Build; Parse lexes with
// lex itself so that lexing errors come back as *SyntaxError.
type definition struct{}

func (definition) Symbols() map[string]lexer.TokenType { return symbols() }

func (definition) Lex(_ string, r io.Reader) (lexer.Lexer, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	toks, serr := lex(string(b))
	if serr != nil {
		return nil, serr
	}
	return &replay{toks: toks}, nil
}

type replay struct{ toks []lexer.Token }

func (r *replay) Next() (lexer.Token, error) {
	t := r.toks[0]
	if len(r.toks) > 1 {
		r.toks = r.toks[1:]
	}
	return t, nil
}

type lexMode int

const (
	modeRoot  lexMode = iota
	modeValue         // right after "field:" or a comparison operator
	modeRange         // inside [ ] or { }
)

type lexState struct {
	src  string
	i    int
	line int
	col  int
	at   int // offset that line/col describe
	mode lexMode
	// groups holds one entry per open '(' telling whether it opened a field
	// group ("field:(a OR b)"), where terms are values and may hold ':'.
	groups []bool
	toks   []lexer.Token
}

func lex(src string) ([]lexer.Token, *SyntaxError) {
	s := &lexState{src: src, line: 1, col: 1}
	for {
		s.skipSpace()
		if s.i >= len(src) {
			s.emit(lexer.EOF, s.i, s.i)
			return s.toks, nil
		}
		var err *SyntaxError
		switch s.mode {
		case modeValue:
			err = s.value()
		case modeRange:
			err = s.rangeTok()
		default:
			err = s.root()
		}
		if err != nil {
			return nil, err
		}
	}
}

func (s *lexState) pos(off int) lexer.Position {
	for s.at < off {
		r, n := utf8.DecodeRuneInString(s.src[s.at:])
		if r == '\n' {
			s.line++
			s.col = 1
		} else {
			s.col++
		}
		s.at += n
	}
	return lexer.Position{Offset: off, Line: s.line, Column: s.col}
}

func (s *lexState) emit(t lexer.TokenType, start, end int) {
	s.toks = append(s.toks, lexer.Token{Type: t, Value: s.src[start:end], Pos: s.pos(start)})
	s.i = end
}

func (s *lexState) errAt(off int, msg, expected string) *SyntaxError {
	p := s.pos(off)
	return &SyntaxError{Pos: off, Line: p.Line, Column: p.Column, Msg: msg, Expected: expected}
}

func (s *lexState) skipSpace() {
	for s.i < len(s.src) {
		r, n := utf8.DecodeRuneInString(s.src[s.i:])
		if !unicode.IsSpace(r) {
			return
		}
		s.i += n
	}
}

func (s *lexState) inFieldGroup() bool {
	return len(s.groups) > 0 && s.groups[len(s.groups)-1]
}

func (s *lexState) punct(c byte) bool {
	var t lexer.TokenType
	switch c {
	case '(':
		t = tLParen
		s.groups = append(s.groups, s.mode == modeValue || s.inFieldGroup())
	case ')':
		t = tRParen
		if len(s.groups) > 0 {
			s.groups = s.groups[:len(s.groups)-1]
		}
	case '[':
		t = tLBrack
	case ']':
		t = tRBrack
	case '{':
		t = tLBrace
	case '}':
		t = tRBrace
	default:
		return false
	}
	s.emit(t, s.i, s.i+1)
	return true
}

func (s *lexState) root() *SyntaxError {
	src, i := s.src, s.i
	if s.punct(src[i]) {
		return nil
	}
	switch c := src[i]; {
	case c == '"':
		return s.phrase()
	case c == '&' && i+1 < len(src) && src[i+1] == '&':
		s.emit(tAnd, i, i+2)
		return nil
	case c == '|' && i+1 < len(src) && src[i+1] == '|':
		s.emit(tOr, i, i+2)
		return nil
	case c == '!' || c == '-':
		s.emit(tNot, i, i+1)
		return nil
	case c == '+':
		s.emit(tPlus, i, i+1)
		return nil
	case c == ':' && !s.inFieldGroup():
		if n := len(s.toks); n > 0 && s.toks[n-1].Type == tPhrase && s.toks[n-1].Pos.Offset+len(s.toks[n-1].Value) == i {
			return errAt(s.toks[n-1].Pos, "field names cannot be quoted", `backslash escapes instead, as in "a\ b:value"`)
		}
		return s.errAt(i, `empty field name before ":"`, `a field name such as "user.name:"`)
	}
	end, err := s.scanTerm(s.inFieldGroup())
	if err != nil {
		return err
	}
	if end < len(src) && src[end] == ':' && !s.inFieldGroup() {
		s.emit(tField, i, end)
		s.i = end + 1
		s.mode = modeValue
		return nil
	}
	s.emit(keyword(src[i:end], false), i, end)
	return nil
}

func (s *lexState) value() *SyntaxError {
	src, i := s.src, s.i
	switch c := src[i]; c {
	case '>', '<':
		end := i + 1
		if end < len(src) && src[end] == '=' {
			end++
		}
		s.emit(tCmp, i, end) // stays in modeValue for the operand
		return nil
	case '[', '{':
		s.punct(c)
		s.mode = modeRange
		return nil
	case '(', ')', ']', '}':
		s.punct(c)
		s.mode = modeRoot
		return nil
	case '"':
		s.mode = modeRoot
		return s.phrase()
	}
	end, err := s.scanTerm(true)
	if err != nil {
		return err
	}
	s.emit(keyword(src[i:end], false), i, end)
	s.mode = modeRoot
	return nil
}

func (s *lexState) rangeTok() *SyntaxError {
	src, i := s.src, s.i
	switch c := src[i]; c {
	case ']', '}':
		s.punct(c)
		s.mode = modeRoot
		return nil
	case '[', '{', '(', ')':
		s.punct(c)
		return nil
	case '"':
		return s.phrase()
	}
	end, err := s.scanTerm(true)
	if err != nil {
		return err
	}
	s.emit(keyword(src[i:end], true), i, end)
	return nil
}

// scanTerm returns the end of the term starting at s.i. Terms stop at
// unescaped white space, brackets, quotes and, unless colons is set, ':'.
func (s *lexState) scanTerm(colons bool) (int, *SyntaxError) {
	src := s.src
	j := s.i
	for j < len(src) {
		c := src[j]
		if c == '\\' {
			if j+1 >= len(src) {
				return 0, s.errAt(j, `lone "\" at end of query`, `a character after "\" (write "\\" for a backslash)`)
			}
			_, n := utf8.DecodeRuneInString(src[j+1:])
			j += 1 + n
			continue
		}
		switch c {
		case '(', ')', '[', ']', '{', '}', '"':
			return j, nil
		case ':':
			if !colons {
				return j, nil
			}
		}
		r, n := utf8.DecodeRuneInString(src[j:])
		if unicode.IsSpace(r) {
			return j, nil
		}
		j += n
	}
	return j, nil
}

func (s *lexState) phrase() *SyntaxError {
	src, i := s.src, s.i
	for j := i + 1; j < len(src); j++ {
		switch src[j] {
		case '\\':
			j++
		case '"':
			s.emit(tPhrase, i, j+1)
			return nil
		}
	}
	return s.errAt(i, "unterminated quoted phrase", `a closing '"'`)
}

// keyword classifies a term: operators are only recognised in upper case
// and unescaped, as in Lucene, so "and" or "\AND" are plain terms.
func keyword(raw string, inRange bool) lexer.TokenType {
	switch raw {
	case "AND":
		return tAnd
	case "OR":
		return tOr
	case "NOT":
		return tNot
	case "TO":
		if inRange {
			return tTo
		}
	}
	return tTerm
}
