package query

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestCanonical(t *testing.T) {
	cases := []struct{ in, want string }{
		{``, `*`},
		{`  `, `*`},
		{`*`, `*`},
		{`a b`, `a AND b`},
		{`a b OR c`, `a AND b OR c`},
		{`a (b OR c)`, `a AND (b OR c)`},
		{`-a !b NOT c +d`, `NOT a AND NOT b AND NOT c AND d`},
		{`NOT (a b)`, `NOT (a AND b)`},
		{`a && b || c`, `a AND b OR c`},
		{`((a))`, `a`},
		{`a AND (b AND c)`, `a AND b AND c`},
		{`f:(a OR b) g:x`, `(f:a OR f:b) AND g:x`},
		{`f:"a b"`, `f:"a b"`},
		{`f:"say \"hi\""`, `f:"say \"hi\""`},
		{`f:a\ b`, `f:a\ b`},
		{`f:ad\*m*`, `f:ad\*m*`},
		{`f:[1 TO 5}`, `f:[1 TO 5}`},
		{`f:{* TO 5]`, `f:{* TO 5]`},
		{`f:[a TO "b c"]`, `f:[a TO b\ c]`},
		{`f:>=5`, `f:>=5`},
		{`f: 5`, `f:5`},
		{`f:\>5`, `f:\>5`},
		{`f:-5`, `f:-5`},
		{`source.ip:2001:db8::/32`, `source.ip:2001:db8::/32`},
		{`message:Failed`, `Failed`},
		{`message:"a b"`, `"a b"`},
		{`message:*`, `_exists_:message`},
		{`f:*`, `_exists_:f`},
		{`a\:b`, `a\:b`},
		{`\-a`, `\-a`},
		{`a OR *`, `*`},
		{`*:*`, `*`},
		{`NOT *`, `NOT *`},
		{`a\ b:x`, `a\ b:x`},
		{`f:""`, `f:""`},
		{`f:"AND"`, `f:"AND"`},
		{`f:\AND`, `f:\AND`},
		{`f:(\(x\))`, `f:\(x\)`},
	}
	for _, c := range cases {
		q := mustParse(t, c.in)
		if got := q.String(); got != c.want {
			t.Errorf("Parse(%q).String() = %q, want %q", c.in, got, c.want)
		}
		if again := mustParse(t, q.String()).String(); again != q.String() {
			t.Errorf("canonical %q re-prints as %q", q.String(), again)
		}
	}
}

func TestFieldsAndMatchesAll(t *testing.T) {
	q := mustParse(t, `user.name:a _exists_:host.ip failed OR bytes:>5 OR user.name:b`)
	if got, want := q.Fields(), []string{"bytes", "host.ip", "message", "user.name"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Fields() = %v, want %v", got, want)
	}
	q.Fields()[0] = "mutated"
	if q.Fields()[0] != "bytes" {
		t.Error("Fields() exposes internal state")
	}
	for in, want := range map[string]bool{``: true, `*`: true, ` * `: true, `*:*`: true, `a`: false, `NOT *`: false, `f:*`: false} {
		if got := mustParse(t, in).MatchesAll(); got != want {
			t.Errorf("Parse(%q).MatchesAll() = %v, want %v", in, got, want)
		}
	}
	if f := mustParse(t, `*`).Fields(); len(f) != 0 {
		t.Errorf("Fields of * = %v", f)
	}
}

func TestSyntaxErrors(t *testing.T) {
	cases := []struct {
		q         string
		pos       int
		line, col int
		want      string // substring of Error()
	}{
		{`event.action:AND`, 13, 1, 14, `query: 1:14: unexpected "AND", expected a value`},
		{`a AND`, 5, 1, 6, `unexpected end of query, expected a term, field:value or "(" after "AND"`},
		{`a OR`, 4, 1, 5, `after "OR"`},
		{`(a OR b`, 7, 1, 8, `expected ")" to close "(" at 1:1`},
		{`a:(b OR c`, 9, 1, 10, `expected ")" to close "(" at 1:3`},
		{`a)`, 1, 1, 2, `unbalanced ")"`},
		{`)`, 0, 1, 1, `unbalanced ")"`},
		{`()`, 1, 1, 2, `empty parentheses`},
		{`f:[1 TO`, 7, 1, 8, `expected the end of the range`},
		{`f:[1`, 4, 1, 5, `expected "TO"`},
		{`f:[1 TO 2`, 9, 1, 10, `expected "]" or "}"`},
		{`f:[1 2]`, 5, 1, 6, `unexpected "2", expected "TO"`},
		{`f:[`, 3, 1, 4, `expected the start of the range`},
		{`:x`, 0, 1, 1, `empty field name`},
		{`a :x`, 2, 1, 3, `empty field name`},
		{`x "a b":x`, 2, 1, 3, `field names cannot be quoted`},
		{"x\n\"a b\":x", 2, 2, 1, `field names cannot be quoted`},
		{`f:`, 2, 1, 3, `expected a value after "f:"`},
		{`f:)`, 2, 1, 3, `unexpected ")", expected a value`},
		{`f:>`, 3, 1, 4, `expected a value after ">"`},
		{`f:>*`, 3, 1, 4, `> needs a value, not *`},
		{`"abc`, 0, 1, 1, `unterminated quoted phrase`},
		{`f:"abc\"`, 2, 1, 3, `unterminated quoted phrase`},
		{`a\`, 1, 1, 2, `lone "\" at end of query`},
		{`NOT`, 3, 1, 4, `after "NOT"`},
		{`-`, 1, 1, 2, `after "-"`},
		{`a [1 TO 2]`, 2, 1, 3, `field name before the range`},
		{`u*:x`, 0, 1, 1, `wildcards in field names`},
		{`_exists_:a*`, 9, 1, 10, `_exists_ takes a field name`},
		{`_exists_:[a TO b]`, 0, 1, 1, `_exists_ takes a field name`},
		{"a AND\n  OR b", 8, 2, 3, `2:3: unexpected "OR"`},
		{`é AND`, 6, 1, 6, `1:6:`}, // columns count characters, Pos bytes
		{`a TO b`, -1, 0, 0, ``},   // TO is a plain word outside ranges
	}
	for _, c := range cases {
		_, err := Parse(c.q)
		if c.pos < 0 {
			if err != nil {
				t.Errorf("Parse(%q): %v", c.q, err)
			}
			continue
		}
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Parse(%q) = %v, want *SyntaxError", c.q, err)
			continue
		}
		if se.Pos != c.pos || se.Line != c.line || se.Column != c.col || !strings.Contains(se.Error(), c.want) {
			t.Errorf("Parse(%q) = %+v\n  %q; want pos %d %d:%d containing %q", c.q, se, se.Error(), c.pos, c.line, c.col, c.want)
		}
	}
}
