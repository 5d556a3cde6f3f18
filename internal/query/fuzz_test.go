package query

import (
	"errors"
	"testing"
	"unicode/utf8"

	"github.com/secops/eventexport/internal/event"
	"github.com/tidwall/gjson"
)

var fuzzLines = [][]byte{
	[]byte(ecsLine),
	[]byte(`{"a":{"b":[1,"x",null,{"c":2}]},"a.b":"y","message":"Hello World","n":-1.5e3}`),
	[]byte(`{"message":"FAILED ::1 [x TO y]","ip":"::1","t":"2026-11-30T22:15:00+01:00"}`),
	[]byte(`{"x":`),
	[]byte(`[]`),
}

func FuzzParse(f *testing.F) {
	for _, c := range matchCases {
		f.Add(c.q)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := Parse(s)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse(%q) error %T %v, want *SyntaxError", s, err, err)
			}
			if se.Pos < 0 || se.Pos > len(s) || se.Line < 1 || se.Column < 1 || se.Msg == "" {
				t.Fatalf("Parse(%q): bad position in %+v", s, se)
			}
			return
		}
		canon := q.String()
		q2, err := Parse(canon)
		if err != nil {
			t.Fatalf("Parse(%q).String() = %q does not parse: %v", s, canon, err)
		}
		if q2.String() != canon {
			t.Fatalf("Parse(%q): canonical %q re-prints as %q", s, canon, q2.String())
		}
		if q.MatchesAll() != q2.MatchesAll() {
			t.Fatalf("Parse(%q): MatchesAll differs after re-parse", s)
		}
		for _, line := range fuzzLines {
			if q.Match(line) != q2.Match(line) {
				t.Fatalf("Parse(%q) and its canonical %q disagree on %s", s, canon, line)
			}
		}
	})
}

var fuzzQueries = []string{
	`user.name:adm* AND NOT event.outcome:success`,
	`source.ip:10.0.0.0/8 OR destination.ip:2001:db8::/32`,
	`bytes:[100 TO *} OR @timestamp:>=2026-11-30T00:00:00+01:00`,
	`_exists_:a.b AND "hello world" AND a.b:(x OR 1)`,
	`f?il*d`,
	`a:true OR a:>=-1e3 OR a:[a TO z]`,
}

func FuzzMatch(f *testing.F) {
	for _, l := range fuzzLines {
		f.Add(l)
	}
	f.Add([]byte(`{"message":"a\u0000b\ud800","a.b":"\u00e9"}`))
	qs := make([]*Query, len(fuzzQueries))
	for i, s := range fuzzQueries {
		qs[i] = mustParse(f, s)
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		root := gjson.ParseBytes(line)
		valid := gjson.ValidBytes(line) && root.IsObject()
		for _, q := range qs {
			got := q.Match(line)
			if !valid {
				continue // the encoder skips such a line before any query
			}
			// Accept given what the encoder's resolver gives: the raw
			// values event.LookupIn finds.
			values := make([][]byte, len(q.fields))
			for i, f := range q.fields {
				if v := event.LookupIn(root, f); v.Exists() {
					values[i] = []byte(v.Raw)
				}
			}
			if q.Accept(values) != got {
				t.Fatalf("%s on %s: Match says %v, Accept the opposite", q, line, got)
			}
		}
	})
}

// FuzzGlob checks wildcard matching against a plain backtracking matcher.
func FuzzGlob(f *testing.F) {
	f.Add("a*b?c", "aXbYc", false)
	f.Add("*aa*aab", "xaaaab", false)
	f.Add("K*", "\u212a", true)
	f.Fuzz(func(t *testing.T, pattern, s string, fold bool) {
		if !utf8.ValidString(pattern) || !utf8.ValidString(s) {
			return
		}
		// the reference is quadratic; cut rather than reject long inputs so
		// the fuzzer does not spend its time minimising them
		pattern, s = string([]rune(pattern)[:min(len([]rune(pattern)), 20)]), string([]rune(s)[:min(len([]rune(s)), 40)])
		p := parsePat(pattern)
		got := newGlob(p, true, fold).match(s)
		if want := naiveGlob(p, []rune(s), fold); got != want {
			t.Fatalf("glob %q on %q fold=%v = %v, want %v", pattern, s, fold, got, want)
		}
	})
}

// naiveGlob is the textbook dynamic programme over runes.
func naiveGlob(p pat, s []rune, fold bool) bool {
	var toks []rune // -1 star, -2 one, else a literal rune
	for _, it := range p {
		switch {
		case it.star:
			toks = append(toks, -1)
		case it.one:
			toks = append(toks, -2)
		default:
			toks = append(toks, []rune(it.lit)...)
		}
	}
	// ok[j]: toks[:i] matches s[:j]
	ok := make([]bool, len(s)+1)
	ok[0] = true
	for _, tk := range toks {
		next := make([]bool, len(s)+1)
		for j := 0; j <= len(s); j++ {
			switch {
			case tk == -1:
				next[j] = ok[j] || (j > 0 && next[j-1])
			case j == 0:
			case tk == -2:
				next[j] = ok[j-1]
			default:
				next[j] = ok[j-1] && (tk == s[j-1] || (fold && equalFoldRune(tk, s[j-1])))
			}
		}
		ok = next
	}
	return ok[len(s)]
}
