package query

import (
	"strings"

	"github.com/secops/eventexport/internal/event"
	"github.com/tidwall/gjson"
)

// resolve sets vals[i] to the value of fields[i] in the JSON object obj,
// by exactly the rules of event.LookupIn, but in one pass over the object
// for all fields together. event.LookupIn walks the object with
// gjson.ForEach, which fully decodes every value it passes; on a typical
// ECS line that costs about as much per field as the whole rest of Match.
// This scanner only skips over values it does not need. FuzzResolve and
// TestResolveRandom hold it to event.LookupIn on valid JSON. vals must be
// zero on entry.
func resolve(obj string, fields []string, vals []gjson.Result) {
	if len(fields) > 64 { // past one mask word; such queries are rare
		root := gjson.Parse(obj)
		for i, f := range fields {
			vals[i] = event.LookupIn(root, f)
		}
		return
	}
	var exact, nested uint64 // bit i: vals[i] is final / holds a nested hit
	all := uint64(1)<<len(fields) - 1
	if len(fields) == 64 {
		all = ^uint64(0)
	}
	i, ok := openObject(obj)
	for ok {
		var key, raw string
		if key, raw, i, ok = member(obj, i); !ok {
			return
		}
		for f, name := range fields {
			bit := uint64(1) << f
			if exact&bit != 0 {
				continue
			}
			if key == name {
				vals[f] = gjson.Parse(raw)
				exact |= bit
			} else if nested&bit == 0 && isPrefix(key, name) && raw[0] == '{' {
				if r := lookup(raw, name[len(key)+1:]); r.Exists() {
					vals[f] = r
					nested |= bit
				}
			}
		}
		if exact == all {
			return
		}
	}
}

// lookup is resolve for one field, which is all a nested object needs.
func lookup(obj, name string) gjson.Result {
	var nested gjson.Result
	i, ok := openObject(obj)
	for ok {
		var key, raw string
		if key, raw, i, ok = member(obj, i); !ok {
			break
		}
		if key == name {
			return gjson.Parse(raw)
		}
		if !nested.Exists() && isPrefix(key, name) && raw[0] == '{' {
			nested = lookup(raw, name[len(key)+1:])
		}
	}
	return nested
}

// isPrefix reports whether name continues key with a dot.
func isPrefix(key, name string) bool {
	return len(name) > len(key) && name[len(key)] == '.' && strings.HasPrefix(name, key)
}

func openObject(obj string) (int, bool) {
	i := skipSpace(obj, 0)
	if i >= len(obj) || obj[i] != '{' {
		return 0, false
	}
	return i + 1, true
}

// member reads the next key and raw value of an object from obj[i:],
// returning where to continue; ok is false at the end or on bad JSON.
func member(obj string, i int) (key, raw string, next int, ok bool) {
	for {
		i = skipSpace(obj, i)
		if i < len(obj) && obj[i] == ',' {
			i++
			continue
		}
		break
	}
	if i >= len(obj) || obj[i] != '"' {
		return "", "", i, false
	}
	kend, esc := scanString(obj, i)
	if kend < 0 {
		return "", "", i, false
	}
	key = obj[i+1 : kend-1]
	if esc {
		key = gjson.Parse(obj[i:kend]).Str
	}
	// gjson skips any run of blanks, ',' and ':' between key and value
	for i = kend; i < len(obj) && (obj[i] <= ' ' || obj[i] == ',' || obj[i] == ':'); i++ {
	}
	vend := skipValue(obj, i)
	if vend < 0 {
		return "", "", i, false
	}
	return key, obj[i:vend], vend, true
}

func skipSpace(s string, i int) int {
	for i < len(s) && s[i] <= ' ' {
		i++
	}
	return i
}

// scanString returns the index after the closing quote of the string that
// starts at s[i], and whether it holds escapes; -1 if it is unterminated.
// Short strings are walked; long ones, like messages, are searched with
// IndexByte, and escapes are only looked at when there is a backslash.
func scanString(s string, i int) (int, bool) {
	j := i + 1
	for end := min(len(s), j+16); j < end; j++ {
		switch s[j] {
		case '"':
			return j + 1, false
		case '\\':
			return scanEscaped(s, j)
		}
	}
	q := strings.IndexByte(s[j:], '"')
	if q < 0 {
		return -1, false
	}
	if strings.IndexByte(s[j:j+q], '\\') < 0 {
		return j + q + 1, false
	}
	return scanEscaped(s, j)
}

func scanEscaped(s string, j int) (int, bool) {
	for ; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case '"':
			return j + 1, true
		}
	}
	return -1, true
}

// skipValue returns the end of the value starting at s[i], or -1.
func skipValue(s string, i int) int {
	if i >= len(s) {
		return -1
	}
	switch s[i] {
	case '"':
		end, _ := scanString(s, i)
		return end
	case '{', '[':
		depth := 0
		for j := i; j < len(s); j++ {
			switch s[j] {
			case '"':
				// inline: nested objects are mostly short keys and values
				for j++; j < len(s) && s[j] != '"'; j++ {
					if s[j] == '\\' {
						j++
					}
				}
				if j >= len(s) {
					return -1
				}
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return -1
	}
	j := i
	for j < len(s) && s[j] > ' ' && s[j] != ',' && s[j] != '}' && s[j] != ']' {
		j++
	}
	if j == i {
		return -1
	}
	return j
}
