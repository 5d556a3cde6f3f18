package query

import (
	"fmt"
	"strings"
	"sync"
	"testing"
)

type matchCase struct {
	q    string
	want bool
	line string // ecsLine when empty
}

var matchCases = []matchCase{
	// precedence: NOT > AND > OR, juxtaposition is AND
	{q: `user.name:admin OR user.name:x AND user.name:y`, want: true},
	{q: `(user.name:admin OR user.name:x) AND user.name:y`, want: false},
	{q: `NOT user.name:admin OR event.action:login`, want: true},
	{q: `NOT (user.name:admin OR event.action:login)`, want: false},
	{q: `user.name:admin event.action:logout`, want: false},
	{q: `user.name:admin event.action:login`, want: true},
	{q: `user.name:admin || event.action:logout`, want: true},
	{q: `user.name:admin && event.action:logout`, want: false},
	{q: `user.name:root OR event.action:logout OR tags:x`, want: false},
	{q: `-user.name:admin`, want: false},
	{q: `!user.name:root`, want: true},
	{q: `+user.name:admin +event.action:login`, want: true},
	{q: `user.name:admin AND NOT event.outcome:success`, want: true},
	{q: `NOT NOT user.name:admin`, want: true},
	{q: `user.name:admin -event.outcome:failure`, want: false},

	// escaping
	{q: `weird:a\:b\*c`, want: true},
	{q: `weird:a:b\*c`, want: true},
	{q: `weird:a:b*c`, want: true},
	{q: `weird:a\:b\*`, want: false},
	{q: `weird:"a:b*c"`, want: true},
	{q: `file.path:C\:\\Windows\\System32\\cmd.exe`, want: true},
	{q: `file.path:"C:\\Windows\\System32\\cmd.exe"`, want: true},
	{q: `file.path:*\\cmd.exe`, want: true},
	{q: `file.path:*\\CMD.exe`, want: false},
	{q: `a\ b:x`, want: true, line: `{"a b":"x"}`},
	{q: `k:\(x\)`, want: true, line: `{"k":"(x)"}`},
	{q: `k:\AND`, want: true, line: `{"k":"AND"}`},

	// wildcards are anchored and case-sensitive
	{q: `user.name:adm*`, want: true},
	{q: `user.name:dmin*`, want: false},
	{q: `user.name:*dmi`, want: false},
	{q: `user.name:*dmi*`, want: true},
	{q: `user.name:a?min`, want: true},
	{q: `user.name:a?in`, want: false},
	{q: `user.name:ADM*`, want: false},
	{q: `user.name:admin*`, want: true},
	{q: `user.name:*`, want: true},
	{q: `user.name:a*i*n`, want: true},
	{q: `user.name:a*x*n`, want: false},
	{q: `user.name:"adm*"`, want: false},
	{q: `source.geo.city_name:Z?rich`, want: true},
	{q: `host.name:web-0?`, want: true},
	{q: `host.ip:fe80*`, want: true},
	{q: `event.code:46*`, want: true},
	{q: `k:*aa*aab`, want: true, line: `{"k":"xaaaab"}`},
	{q: `k:a*b?c*d`, want: true, line: `{"k":"aXXbYcZZd"}`},
	{q: `k:a*b?c*d`, want: false, line: `{"k":"aXXbYYcZZd"}`},

	// CIDR and IP equality
	{q: `source.ip:10.0.0.0/8`, want: true},
	{q: `source.ip:10.1.2.0/24`, want: true},
	{q: `source.ip:11.0.0.0/8`, want: false},
	{q: `source.ip:10.1.2.3`, want: true},
	{q: `source.ip:10.1.2.4`, want: false},
	{q: `source.ip:::ffff:10.1.2.3`, want: true},
	{q: `destination.ip:2001:db8::/32`, want: true},
	{q: `destination.ip:2001:db9::/32`, want: false},
	{q: `destination.ip:2001:0db8:0:0:0:0:0:10`, want: true},
	{q: `destination.ip:"2001:db8::10"`, want: true},
	{q: `host.ip:fe80::/10`, want: true},
	{q: `host.ip:192.168.0.0/16`, want: true},
	{q: `host.ip:172.16.0.0/12`, want: false},
	{q: `ip:::1`, want: true, line: `{"ip":"0:0:0:0:0:0:0:1"}`},
	{q: `ip:0:0:0:0:0:0:0:1`, want: true, line: `{"ip":"::1"}`},
	{q: `ip:10.0.0.0/8`, want: true, line: `{"ip":"::ffff:10.9.9.9"}`},
	{q: `ip:10.0.0.0/8`, want: false, line: `{"ip":"deadbeef"}`},
	{q: `ip:10.0.0.0/8`, want: false, line: `{"ip":"db01.example.com"}`},
	{q: `source.ip:[10.1.2.0 TO 10.1.2.10]`, want: true},
	{q: `source.ip:{10.1.2.3 TO 10.1.2.10]`, want: false},
	{q: `source.ip:>=10.1.2.3`, want: true},

	// ranges
	{q: `bytes:[1048576 TO 2000000]`, want: true},
	{q: `bytes:{1048576 TO 2000000]`, want: false},
	{q: `bytes:[0 TO 1048576}`, want: false},
	{q: `bytes:[0 TO 1048576]`, want: true},
	{q: `bytes:[* TO 2000000]`, want: true},
	{q: `bytes:[2000000 TO *]`, want: false},
	{q: `bytes:[* TO *]`, want: true},
	{q: `labels.note:[* TO *]`, want: false},
	{q: `source.port:{51233 TO 51235}`, want: true},
	{q: `user.name:[a TO b]`, want: true},
	{q: `user.name:[b TO c]`, want: false},
	{q: `user.name:{admin TO b]`, want: false},
	{q: `user.name:["a" TO "b"]`, want: true},
	{q: `ratio:[0.5 TO 1]`, want: true},
	{q: `bytes:[2000000 TO 0]`, want: false},

	// comparisons; numbers only compare as numbers when both sides are
	{q: `bytes:>1000000`, want: true},
	{q: `bytes:>=1048576`, want: true},
	{q: `bytes:>1048576`, want: false},
	{q: `bytes:<1048577`, want: true},
	{q: `bytes:<=1048575`, want: false},
	{q: `ratio:<1`, want: true},
	{q: `ratio:>0.7`, want: true},
	{q: `destination.port:>=443`, want: true},
	{q: `destination.port:>99`, want: true}, // lexically "443" < "99"
	{q: `event.code:>=4625`, want: true},
	{q: `user.name:>abc`, want: true},
	{q: `user.name:<abc`, want: false},
	{q: `n:>-5`, want: true, line: `{"n":-1}`},
	{q: `n:<-5`, want: false, line: `{"n":-1}`},
	{q: `n:>1e3`, want: true, line: `{"n":1001}`},
	{q: `v:>9`, want: true, line: `{"v":"abc"}`}, // not numeric: text order

	// numbers vs strings
	{q: `destination.port:443`, want: true},
	{q: `source.port:51234`, want: true},
	{q: `source.port:"51234"`, want: true},
	{q: `event.code:4625.0`, want: true},
	{q: `user.name:1`, want: false},
	{q: `big:9007199254740993`, want: true},
	{q: `big:9007199254740992`, want: false},
	{q: `n:NaN`, want: false, line: `{"n":1}`},
	{q: `n:1`, want: true, line: `{"n":"1.0"}`},

	// timestamps compare as instants
	{q: `@timestamp:>=2026-11-30T00:00:00+01:00`, want: true},
	{q: `@timestamp:>=2026-12-01T00:00:00+01:00`, want: false},
	{q: `@timestamp:<2026-12-01T00:00:00+02:00`, want: false},
	{q: `@timestamp:<2026-12-01T00:00:00-02:00`, want: true},
	{q: `@timestamp:[2026-11-30T22:15:00.123Z TO 2026-11-30T22:15:00.123Z]`, want: true},
	{q: `@timestamp:{2026-11-30T22:15:00.123Z TO *]`, want: false},
	{q: `@timestamp:2026-11-30T23:15:00.123+01:00`, want: true},
	{q: `@timestamp:>=1796076900000`, want: true},
	{q: `@timestamp:>1796076900123`, want: false},
	{q: `@timestamp:1796076900123`, want: true},
	{q: `epoch:>=2026-11-30T22:15:00Z`, want: true},
	{q: `epoch:<2026-11-30T22:15:00Z`, want: false},
	{q: `epoch:2026-11-30T22:15:00.123Z`, want: true},
	{q: `t:[2026-01-01T00:00:00Z TO 2027-01-01T00:00:00Z}`, want: true, line: `{"t":"2026-06-01 12:00:00z"}`},
	{q: `t:>2026-01-01T00:00:00Z`, want: true, line: `{"t":"yesterday"}`}, // not a time: text order

	// unicode
	{q: `source.geo.city_name:Zürich`, want: true},
	{q: `source.geo.city_name:zürich`, want: false},
	{q: `grün`, want: true, line: `{"message":"Benutzer GRÜN hat sich angemeldet"}`},
	{q: `"grün hat"`, want: true, line: `{"message":"Benutzer GRÜN hat sich angemeldet"}`},
	{q: `5k`, want: true, line: `{"message":"size 5\u212a"}`},
	{q: `名前:太郎`, want: true, line: `{"名前":"太郎"}`},
	{q: `名前:太?`, want: true, line: `{"名前":"太郎"}`},

	// arrays: any element
	{q: `event.category:iam`, want: true},
	{q: `event.category:auth*`, want: true},
	{q: `user.roles:ops`, want: true},
	{q: `user.roles:root`, want: false},
	{q: `process.args:-p`, want: true},
	{q: `process.args:22`, want: true},
	{q: `NOT user.roles:root`, want: true},
	{q: `tags:*`, want: false},
	{q: `a:3`, want: true, line: `{"a":[[1,2],[3]]}`},
	{q: `a:>2`, want: true, line: `{"a":[1,"x",3]}`},
	{q: `user.roles:(admin AND ops)`, want: true},
	{q: `user.roles:(admin AND NOT ops)`, want: false},

	// _exists_
	{q: `_exists_:user.name`, want: true},
	{q: `_exists_:user`, want: true, line: `{"user":{"name":"x"}}`},
	{q: `_exists_:labels.note`, want: false},
	{q: `_exists_:nope`, want: false},
	{q: `_exists_:tags`, want: false},
	{q: `_exists_:nulls`, want: false},
	{q: `NOT _exists_:nope`, want: true},
	{q: `labels.note:*`, want: false},
	{q: `_exists_:(nope OR user.name)`, want: true},

	// bare terms search message, case-insensitively
	{q: `failed`, want: true},
	{q: `FAILED`, want: true},
	{q: `"failed password"`, want: true},
	{q: `"password failed"`, want: false},
	{q: `pass*for`, want: true},
	{q: `fail*`, want: true},
	{q: `f?iled`, want: true},
	{q: `xyz`, want: false},
	{q: `sSH2`, want: true},
	{q: `admin from`, want: true},
	{q: `and`, want: false},
	{q: `message:FAILED`, want: true},
	{q: `message:*`, want: true},
	{q: `failed NOT root`, want: true},
	{q: `10.1.2.3`, want: true},
	{q: `failed`, want: false, line: `{"msg":"failed"}`},
	{q: `failed`, want: true, line: `{"message":["ok","FAILED"]}`},

	// booleans and null
	{q: `tls.established:true`, want: true},
	{q: `tls.established:false`, want: false},
	{q: `tls.established:TRUE`, want: false},
	{q: `labels.note:null`, want: false},
	{q: `user:admin`, want: false}, // objects have no value

	// field groups
	{q: `event.action:(login OR logout)`, want: true},
	{q: `event.action:(logout OR logoff)`, want: false},
	{q: `destination.ip:(2001:db8::/32 OR 10.0.0.0/8)`, want: true},
	{q: `event.action:(log* AND NOT logout)`, want: true},
	{q: `user.name:("admin" OR root)`, want: true},

	// match all
	{q: ``, want: true},
	{q: `*`, want: true},
	{q: `*:*`, want: true},
	{q: `* AND user.name:admin`, want: true},
	{q: `NOT *`, want: false},

	// lines that are not events
	{q: `user.name:admin`, want: false, line: `not json`},
	{q: `NOT user.name:admin`, want: false, line: `[1,2]`},
	{q: `user.name:admin`, want: false, line: ` `},
	{q: `*`, want: true, line: `garbage`},
}

func TestMatch(t *testing.T) {
	flat := flatten(t, ecsLine, false)
	mixed := flatten(t, ecsLine, true)
	for _, c := range matchCases {
		q := mustParse(t, c.q)
		lines := []string{c.line}
		if c.line == "" {
			lines = []string{ecsLine, flat, mixed}
		}
		for i, line := range lines {
			if got := q.Match([]byte(line)); got != c.want {
				t.Errorf("%q (form %d) = %v, want %v; canonical %q", c.q, i, got, c.want, q.String())
			}
		}
		// the canonical form must mean the same
		q2 := mustParse(t, q.String())
		if got := q2.Match([]byte(lines[0])); got != c.want {
			t.Errorf("%q re-parsed from %q = %v, want %v", c.q, q.String(), got, c.want)
		}
	}
}

func TestMatchConcurrent(t *testing.T) {
	q := mustParse(t, `event.category:authentication AND source.ip:10.0.0.0/8 AND NOT user.name:(svc_* OR healthcheck) AND failed`)
	line := []byte(ecsLine)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 500; i++ {
				if !q.Match(line) {
					t.Error("no match")
					return
				}
			}
		}()
	}
	wg.Wait()
}

// TestManyFields covers queries past the stack buffer of Match and Accept.
func TestManyFields(t *testing.T) {
	for _, n := range []int{17, 70} {
		var clauses []string
		for i := 0; i < n; i++ {
			clauses = append(clauses, fmt.Sprintf("f%d.x:%d", i, i))
		}
		q := mustParse(t, strings.Join(clauses, " OR "))
		if len(q.Fields()) != n {
			t.Fatalf("%d fields, got %d", n, len(q.Fields()))
		}
		last := fmt.Sprintf(`{"f%d":{"x":%d}}`, n-1, n-1)
		if !q.Match([]byte(last)) {
			t.Errorf("%d fields: no match on %s", n, last)
		}
		if q.Match([]byte(`{"f1":{"x":0}}`)) {
			t.Errorf("%d fields: false match", n)
		}
	}
}
