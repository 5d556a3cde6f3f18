package query

import (
	"math"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/secops/eventexport/internal/event"
	"github.com/tidwall/gjson"
)

// num keeps integers exact: event ids and byte counts exceed 2^53.
type num struct {
	f     float64
	i     int64
	isInt bool
}

func cmpNum(a, b num) int {
	if a.isInt && b.isInt {
		switch {
		case a.i < b.i:
			return -1
		case a.i > b.i:
			return 1
		}
		return 0
	}
	switch {
	case a.f < b.f:
		return -1
	case a.f > b.f:
		return 1
	}
	return 0
}

// parseNum accepts only JSON number syntax: strconv would also take "NaN",
// "Inf", hex and underscores, which are words, not numbers, in an event.
func parseNum(s string) (num, bool) {
	i, n := 0, len(s)
	if i < n && s[i] == '-' {
		i++
	}
	start := i
	for i < n && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == start {
		return num{}, false
	}
	intEnd := i
	if i < n && s[i] == '.' {
		i++
		fs := i
		for i < n && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == fs {
			return num{}, false
		}
	}
	if i < n && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < n && (s[i] == '+' || s[i] == '-') {
			i++
		}
		es := i
		for i < n && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == es {
			return num{}, false
		}
	}
	if i != n {
		return num{}, false
	}
	if intEnd == n && n-start <= 18 { // fits int64 without overflow checks
		var v int64
		for _, c := range []byte(s[start:]) {
			v = v*10 + int64(c-'0')
		}
		if start == 1 {
			v = -v
		}
		return num{f: float64(v), i: v, isInt: true}, true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !math.IsInf(f, 0) { // out of range still orders correctly as ±Inf
		return num{}, false
	}
	return num{f: f}, true
}

// scalar is a query value with every typed reading worked out once, at
// Parse time, so Match only has to read the event side.
type scalar struct {
	s      string
	n      num
	t      time.Time
	addr   netip.Addr
	pfx    netip.Prefix
	isNum  bool
	isTime bool
	isAddr bool
	isPfx  bool
}

func newScalar(s string) *scalar {
	v := &scalar{s: s}
	v.n, v.isNum = parseNum(s)
	v.t, v.isTime = event.ParseTime(s)
	if a, err := netip.ParseAddr(s); err == nil {
		v.addr, v.isAddr = a.Unmap(), true
	} else if p, err := netip.ParsePrefix(s); err == nil {
		v.pfx, v.isPfx = p.Masked(), true
	}
	return v
}

func (v *scalar) ipMatch(a netip.Addr) bool {
	if v.isPfx {
		return v.pfx.Contains(a) || v.pfx.Contains(a.Unmap())
	}
	return v.addr == a.Unmap()
}

// text is the string form of a scalar event value, used for wildcard and
// lexical matching; objects and null have none.
func text(e gjson.Result) (string, bool) {
	switch e.Type {
	case gjson.String:
		return e.Str, true
	case gjson.Number:
		return e.Raw, true
	case gjson.True:
		return "true", true
	case gjson.False:
		return "false", true
	}
	return "", false
}

func elemNum(e gjson.Result) (num, bool) {
	switch e.Type {
	case gjson.Number:
		return parseNum(e.Raw)
	case gjson.String:
		return parseNum(e.Str)
	}
	return num{}, false
}

// parseIP only calls netip for strings made of address characters, since a
// failed parse allocates and host names are common in IP-ish fields.
func parseIP(s string) (netip.Addr, bool) {
	if len(s) < 2 {
		return netip.Addr{}, false
	}
	v6 := strings.IndexByte(s, ':') >= 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9', c == '.', c == ':':
		case v6 && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')):
		case v6 && c == '%':
			i = len(s) // the zone may hold anything
		default:
			return netip.Addr{}, false
		}
	}
	a, err := netip.ParseAddr(s)
	return a, err == nil
}
