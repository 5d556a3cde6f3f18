package query

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// pat is a term as written: literal runs, '*' and '?'. It is kept for
// printing; glob is the form that matches.
type pat []patItem

type patItem struct {
	lit  string
	star bool // '*': any run of characters
	one  bool // '?': exactly one character
}

// parsePat reads a raw term. Backslash escapes make any character literal,
// which is how "\*" means a star rather than a wildcard.
func parsePat(raw string) pat {
	var p pat
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			p = append(p, patItem{lit: b.String()})
			b.Reset()
		}
	}
	for i := 0; i < len(raw); i++ {
		switch c := raw[i]; c {
		case '\\':
			if i+1 < len(raw) {
				_, n := utf8.DecodeRuneInString(raw[i+1:])
				b.WriteString(raw[i+1 : i+1+n])
				i += n
			}
		case '*':
			flush()
			if len(p) == 0 || !p[len(p)-1].star { // "**" is "*"
				p = append(p, patItem{star: true})
			}
		case '?':
			flush()
			p = append(p, patItem{one: true})
		default:
			b.WriteByte(c)
		}
	}
	flush()
	return p
}

func (p pat) wild() bool {
	for _, it := range p {
		if it.star || it.one {
			return true
		}
	}
	return false
}

func (p pat) onlyStar() bool { return len(p) == 1 && p[0].star }

// literal is the text of a pattern without wildcards.
func (p pat) literal() string {
	if len(p) == 1 {
		return p[0].lit
	}
	var b strings.Builder
	for _, it := range p {
		b.WriteString(it.lit)
	}
	return b.String()
}

// glob matches a pat. Parts are the pieces between stars; each is a fixed
// sequence of literals and '?', so matching them leftmost-first is exact
// and needs no backtracking or regexp.
type glob struct {
	parts    [][]patItem
	anchored bool // the whole value must match, not a substring
	fold     bool // Unicode simple case folding
	kind     globKind
	lit      string
}

type globKind int

const (
	gGeneral  globKind = iota
	gExact             // lit
	gPrefix            // lit*
	gSuffix            // *lit
	gContains          // *lit*
)

func newGlob(p pat, anchored, fold bool) *glob {
	g := &glob{anchored: anchored, fold: fold}
	var cur []patItem
	for _, it := range p {
		if it.star {
			g.parts = append(g.parts, cur)
			cur = nil
			continue
		}
		cur = append(cur, it)
	}
	g.parts = append(g.parts, cur)
	if !anchored {
		g.parts = append(append([][]patItem{nil}, g.parts...), nil)
	}
	if fold {
		return g
	}
	lit := func(part []patItem) (string, bool) {
		if len(part) == 1 && part[0].lit != "" {
			return part[0].lit, true
		}
		return "", false
	}
	switch n := len(g.parts); {
	case n == 1:
		g.lit, _ = lit(g.parts[0])
		if len(g.parts[0]) == 1 && !g.parts[0][0].one {
			g.kind = gExact
		}
	case n == 2 && len(g.parts[1]) == 0:
		if s, ok := lit(g.parts[0]); ok {
			g.kind, g.lit = gPrefix, s
		}
	case n == 2 && len(g.parts[0]) == 0:
		if s, ok := lit(g.parts[1]); ok {
			g.kind, g.lit = gSuffix, s
		}
	case n == 3 && len(g.parts[0]) == 0 && len(g.parts[2]) == 0:
		if s, ok := lit(g.parts[1]); ok {
			g.kind, g.lit = gContains, s
		}
	}
	return g
}

func (g *glob) match(s string) bool {
	switch g.kind {
	case gExact:
		return s == g.lit
	case gPrefix:
		return strings.HasPrefix(s, g.lit)
	case gSuffix:
		return strings.HasSuffix(s, g.lit)
	case gContains:
		return strings.Contains(s, g.lit)
	}
	parts := g.parts
	if len(parts) == 1 {
		n, ok := g.prefix(s, parts[0])
		return ok && n == len(s)
	}
	n, ok := g.prefix(s, parts[0])
	if !ok {
		return false
	}
	s = s[n:]
	for _, part := range parts[1 : len(parts)-1] {
		if len(part) == 0 {
			continue
		}
		end, ok := g.find(s, part)
		if !ok {
			return false
		}
		s = s[end:]
	}
	return g.suffix(s, parts[len(parts)-1])
}

// prefix matches part at the start of s and returns the bytes consumed.
func (g *glob) prefix(s string, part []patItem) (int, bool) {
	i := 0
	for _, it := range part {
		if it.one {
			if i >= len(s) {
				return 0, false
			}
			_, n := utf8.DecodeRuneInString(s[i:])
			i += n
			continue
		}
		if g.fold {
			n, ok := prefixFold(s[i:], it.lit)
			if !ok {
				return 0, false
			}
			i += n
			continue
		}
		if !strings.HasPrefix(s[i:], it.lit) {
			return 0, false
		}
		i += len(it.lit)
	}
	return i, true
}

// find returns the end of the leftmost match of part in s.
func (g *glob) find(s string, part []patItem) (int, bool) {
	first := part[0].lit
	for i := 0; i <= len(s); {
		switch {
		case first == "":
		case !g.fold:
			k := strings.Index(s[i:], first)
			if k < 0 {
				return 0, false
			}
			i += k
		case first[0] < utf8.RuneSelf:
			// skip ASCII bytes that cannot start a match; any non-ASCII
			// rune might fold to the first letter (K, the Kelvin sign)
			lo, up := lowerASCII(first[0]), upperASCII(first[0])
			for i < len(s) && s[i] != lo && s[i] != up && s[i] < utf8.RuneSelf {
				i++
			}
		}
		if n, ok := g.prefix(s[i:], part); ok {
			return i + n, true
		}
		if i == len(s) {
			break
		}
		_, n := utf8.DecodeRuneInString(s[i:])
		i += n
	}
	return 0, false
}

// suffix reports whether part matches the whole tail of s from some point.
func (g *glob) suffix(s string, part []patItem) bool {
	if len(part) == 0 {
		return true
	}
	if !g.fold && len(part) == 1 && !part[0].one {
		return strings.HasSuffix(s, part[0].lit)
	}
	for i := 0; i <= len(s); {
		if n, ok := g.prefix(s[i:], part); ok && i+n == len(s) {
			return true
		}
		if i == len(s) {
			break
		}
		_, n := utf8.DecodeRuneInString(s[i:])
		i += n
	}
	return false
}

// prefixFold is strings.HasPrefix under Unicode simple folding, returning
// how many bytes of s matched (folding can change a character's width, as
// with the Kelvin sign and "k").
func prefixFold(s, lit string) (int, bool) {
	i, j := 0, 0
	for j < len(lit) {
		if i >= len(s) {
			return 0, false
		}
		a, b := s[i], lit[j]
		if a < utf8.RuneSelf && b < utf8.RuneSelf {
			if a != b && lowerASCII(a) != lowerASCII(b) {
				return 0, false
			}
			i++
			j++
			continue
		}
		ra, na := utf8.DecodeRuneInString(s[i:])
		rb, nb := utf8.DecodeRuneInString(lit[j:])
		if ra == utf8.RuneError || rb == utf8.RuneError {
			// invalid bytes only match themselves
			if na != nb || s[i:i+na] != lit[j:j+nb] {
				return 0, false
			}
		} else if !equalFoldRune(ra, rb) {
			return 0, false
		}
		i += na
		j += nb
	}
	return i, true
}

func lowerASCII(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func upperASCII(c byte) byte {
	if c >= 'a' && c <= 'z' {
		return c - ('a' - 'A')
	}
	return c
}

func equalFoldRune(a, b rune) bool {
	if a == b {
		return true
	}
	for r := unicode.SimpleFold(a); r != a; r = unicode.SimpleFold(r) {
		if r == b {
			return true
		}
	}
	return false
}
