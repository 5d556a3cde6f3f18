package encode

import (
	"encoding/binary"
	"math/bits"
	"unicode/utf16"
	"unicode/utf8"
)

// The scanner validates a line and resolves the plan's fields in the same
// pass, so that every byte of an event is looked at once. Validity is that of
// gjson.ValidBytes plus well-formed UTF-8 (RFC 8259 requires it, and a
// consumer of the export must be able to decode every line), and nesting is
// bounded so that a hostile line cannot grow the stack without limit.

// maxDepth is the nesting limit, the same as encoding/json's.
const maxDepth = 10000

// span is a resolved value: line[start:end]. end == 0 means unresolved, as a
// value can never end at offset 0 of a line that starts with '{'.
type span struct {
	start, end int
	exact      bool // found under its whole remaining name, which beats nested
}

// projector holds one goroutine's scratch for a plan.
type projector struct {
	plan *plan
	lv   [][]span // results per plan level; lv[0] are the line's fields
	key  []byte   // unescaped key, for the rare key written with escapes
}

// scan reports whether line is a valid JSON object and fills p.lv[0].
func (p *projector) scan(line []byte) bool {
	i := skipWS(line, 0)
	if i >= len(line) || line[i] != '{' {
		return false
	}
	i, ok := p.object(line, i+1, p.plan.root, 0, 1)
	if !ok {
		return false
	}
	return skipWS(line, i) == len(line)
}

// object scans the members of an object whose '{' is at i-1, resolving the
// fields of plan node nd into p.lv[level].
func (p *projector) object(data []byte, i int, nd *node, level, depth int) (int, bool) {
	if depth > maxDepth {
		return i, false
	}
	res := p.lv[level]
	for _, f := range nd.fields {
		res[f] = span{}
	}
	i = skipWS(data, i)
	if i >= len(data) {
		return i, false
	}
	if data[i] == '}' {
		return i + 1, true
	}
	for {
		if data[i] != '"' {
			return i, false
		}
		ks := i + 1
		end, esc, ok := scanString(data, ks)
		if !ok {
			return end, false
		}
		i = skipWS(data, end)
		if i >= len(data) || data[i] != ':' {
			return i, false
		}
		i = skipWS(data, i+1)
		if i >= len(data) {
			return i, false
		}
		key := data[ks : end-1]
		if esc {
			p.key = unescape(p.key[:0], key)
			key = p.key
		}
		e := nd.lookup(key)
		vs := i
		if e != nil && e.child != nil && data[i] == '{' {
			if i, ok = p.object(data, i+1, e.child, level+1, depth+1); !ok {
				return i, false
			}
			sub := p.lv[level+1]
			for _, f := range e.child.fields {
				if sub[f].end != 0 && res[f].end == 0 {
					res[f] = span{start: sub[f].start, end: sub[f].end}
				}
			}
		} else if i, ok = skipValue(data, i, depth); !ok {
			return i, false
		}
		if e != nil {
			for _, f := range e.exact {
				if !res[f].exact {
					res[f] = span{vs, i, true}
				}
			}
		}
		i = skipWS(data, i)
		if i >= len(data) {
			return i, false
		}
		switch data[i] {
		case ',':
			i = skipWS(data, i+1)
			if i >= len(data) {
				return i, false
			}
		case '}':
			return i + 1, true
		default:
			return i, false
		}
	}
}

// isWS answers for most bytes with one comparison: whitespace is below '!'.
func isWS(c byte) bool { return c <= ' ' && (c == ' ' || c == '\t' || c == '\n' || c == '\r') }

func skipWS(data []byte, i int) int {
	for i < len(data) && isWS(data[i]) {
		i++
	}
	return i
}

// skipValue validates the value starting at data[i] and returns its end.
func skipValue(data []byte, i, depth int) (int, bool) {
	switch data[i] {
	case '{':
		return skipObject(data, i+1, depth+1)
	case '[':
		return skipArray(data, i+1, depth+1)
	case '"':
		end, _, ok := scanString(data, i+1)
		return end, ok
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return scanNumber(data, i)
	case 't':
		return literal(data, i, "true")
	case 'f':
		return literal(data, i, "false")
	case 'n':
		return literal(data, i, "null")
	}
	return i, false
}

// skipObject and skipArray spell out the member and element steps that
// object also takes: shared as functions, which the compiler does not
// inline, they cost 12% more instructions per line (measured with
// cachegrind), and this is the encoder's hottest code after inflate.
func skipObject(data []byte, i, depth int) (int, bool) {
	if depth > maxDepth {
		return i, false
	}
	i = skipWS(data, i)
	if i >= len(data) {
		return i, false
	}
	if data[i] == '}' {
		return i + 1, true
	}
	for {
		if data[i] != '"' {
			return i, false
		}
		end, _, ok := scanString(data, i+1)
		if !ok {
			return end, false
		}
		i = skipWS(data, end)
		if i >= len(data) || data[i] != ':' {
			return i, false
		}
		i = skipWS(data, i+1)
		if i >= len(data) {
			return i, false
		}
		if i, ok = skipValue(data, i, depth); !ok {
			return i, false
		}
		i = skipWS(data, i)
		if i >= len(data) {
			return i, false
		}
		switch data[i] {
		case ',':
			i = skipWS(data, i+1)
			if i >= len(data) {
				return i, false
			}
		case '}':
			return i + 1, true
		default:
			return i, false
		}
	}
}

func skipArray(data []byte, i, depth int) (int, bool) {
	if depth > maxDepth {
		return i, false
	}
	i = skipWS(data, i)
	if i >= len(data) {
		return i, false
	}
	if data[i] == ']' {
		return i + 1, true
	}
	for {
		var ok bool
		if i, ok = skipValue(data, i, depth); !ok {
			return i, false
		}
		i = skipWS(data, i)
		if i >= len(data) {
			return i, false
		}
		switch data[i] {
		case ',':
			i = skipWS(data, i+1)
			if i >= len(data) {
				return i, false
			}
		case ']':
			return i + 1, true
		default:
			return i, false
		}
	}
}

const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// special has the high bit set in the lowest byte of x (little endian) that
// a string scan must stop at: '"', '\\', a control character or a byte of a
// non-ASCII character. A byte's subtraction wraps, and sets its high bit,
// exactly when it is zero after the XOR ('"', '\\') or below 0x20; every
// other high bit it sets belongs to a byte >= 0x80, special anyway. Bytes
// above the lowest special one may be flagged falsely through borrows; the
// scan never looks past the lowest. TestSpecial checks every byte pair.
func special(x uint64) uint64 {
	quote := (x ^ '"'*ones) - ones
	backslash := (x ^ '\\'*ones) - ones
	control := x - 0x20*ones
	return (quote | backslash | control | x) & highs
}

// scanString validates a string whose opening quote is at i-1 and returns the
// index after its closing quote, and whether it holds escapes.
func scanString(data []byte, i int) (end int, esc, ok bool) {
	for {
		// Most of an event is plain ASCII string bytes: take them 8 at a time,
		// and byte by byte only in the last 7 bytes of the line.
		if i+8 <= len(data) {
			m := special(binary.LittleEndian.Uint64(data[i:]))
			if m == 0 {
				i += 8
				continue
			}
			i += bits.TrailingZeros64(m) >> 3
		} else {
			for i < len(data) && data[i] >= 0x20 && data[i] < 0x80 && data[i] != '"' && data[i] != '\\' {
				i++
			}
			if i >= len(data) {
				return i, esc, false
			}
		}
		switch c := data[i]; {
		case c == '"':
			return i + 1, esc, true
		case c == '\\':
			esc = true
			if i+1 >= len(data) {
				return i + 1, esc, false
			}
			switch data[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if i+6 > len(data) || !isHex(data[i+2]) || !isHex(data[i+3]) || !isHex(data[i+4]) || !isHex(data[i+5]) {
					return i, esc, false
				}
				i += 6
			default:
				return i, esc, false
			}
		case c < 0x20:
			return i, esc, false
		default:
			r, n := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && n <= 1 {
				return i, esc, false
			}
			i += n
		}
	}
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func isDigit(data []byte, i int) bool { return i < len(data) && data[i] >= '0' && data[i] <= '9' }

// scanNumber follows the JSON number grammar, as gjson does.
func scanNumber(data []byte, i int) (int, bool) {
	if data[i] == '-' {
		i++
	}
	switch {
	case !isDigit(data, i):
		return i, false
	case data[i] == '0':
		i++
	default:
		for isDigit(data, i) {
			i++
		}
	}
	if i < len(data) && data[i] == '.' {
		i++
		if !isDigit(data, i) {
			return i, false
		}
		for isDigit(data, i) {
			i++
		}
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		i++
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		if !isDigit(data, i) {
			return i, false
		}
		for isDigit(data, i) {
			i++
		}
	}
	return i, true
}

func literal(data []byte, i int, lit string) (int, bool) {
	if len(data)-i >= len(lit) && string(data[i:i+len(lit)]) == lit {
		return i + len(lit), true
	}
	return i, false
}

// unescape decodes the body of a validated JSON string the way gjson does, so
// that a key matches a field exactly when event.Lookup would match it.
func unescape(dst, s []byte) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			dst = append(dst, c)
			continue
		}
		i++
		switch s[i] {
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			r := hex4(s[i+1:])
			i += 4
			if utf16.IsSurrogate(r) && r < 0xDC00 && i+6 < len(s) && s[i+1] == '\\' && s[i+2] == 'u' {
				if r2 := hex4(s[i+3:]); r2 >= 0xDC00 && r2 < 0xE000 {
					r = utf16.DecodeRune(r, r2)
					i += 6
				}
			}
			dst = utf8.AppendRune(dst, r)
		default: // '"', '\\', '/'
			dst = append(dst, s[i])
		}
	}
	return dst
}

func hex4(s []byte) rune {
	var r rune
	for _, c := range s[:4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		default:
			c -= 'A' - 10
		}
		r = r<<4 | rune(c)
	}
	return r
}
