package query

import (
	"net/netip"
	"strings"

	"github.com/secops/eventexport/internal/event"
	"github.com/tidwall/gjson"
)

// eqMatcher is field:value without wildcards.
type eqMatcher struct {
	v      *scalar
	phrase bool
}

func (m *eqMatcher) matchElem(e gjson.Result) bool {
	v := m.v
	switch e.Type {
	case gjson.String:
		s := e.Str
		if s == v.s {
			return true
		}
		if v.isNum {
			if n, ok := parseNum(s); ok {
				return cmpNum(n, v.n) == 0
			}
		}
		if v.isAddr || v.isPfx {
			if a, ok := parseIP(s); ok {
				return v.ipMatch(a)
			}
		}
		if v.isTime {
			if t, ok := event.ParseTime(s); ok {
				return t.Equal(v.t)
			}
		}
	case gjson.Number:
		if v.isNum {
			n, ok := parseNum(e.Raw)
			return ok && cmpNum(n, v.n) == 0
		}
		if v.isTime {
			t, ok := event.Time(e)
			return ok && t.Equal(v.t)
		}
		return e.Raw == v.s
	case gjson.True:
		return v.s == "true"
	case gjson.False:
		return v.s == "false"
	}
	return false
}

// globMatcher is a wildcard term against the value's text.
type globMatcher struct {
	p pat
	g *glob
}

func (m *globMatcher) matchElem(e gjson.Result) bool {
	s, ok := text(e)
	return ok && m.g.match(s)
}

// textMatcher is full-text search on the message field: case-insensitive,
// anywhere in the value.
type textMatcher struct {
	p      pat
	g      *glob
	phrase bool
}

func (m *textMatcher) matchElem(e gjson.Result) bool {
	s, ok := text(e)
	return ok && m.g.match(s)
}

// rangeMatcher covers ranges and comparisons. Values compare in the first
// domain that both the event value and every bound belong to: number, then
// instant, then IP address, else text.
type rangeMatcher struct {
	lo, hi                 *scalar // nil: open
	incLo, incHi           bool
	op                     string // comparison operator it was written as, or ""
	allNum, allTime, allIP bool
}

func newRange(lo, hi *scalar, incLo, incHi bool, op string) *rangeMatcher {
	m := &rangeMatcher{lo: lo, hi: hi, incLo: incLo, incHi: incHi, op: op, allNum: true, allTime: true, allIP: true}
	for _, b := range []*scalar{lo, hi} {
		if b != nil {
			m.allNum = m.allNum && b.isNum
			m.allTime = m.allTime && b.isTime
			m.allIP = m.allIP && b.isAddr
		}
	}
	return m
}

func (m *rangeMatcher) within(cl, ch int) bool {
	if m.lo != nil && (cl < 0 || cl == 0 && !m.incLo) {
		return false
	}
	if m.hi != nil && (ch > 0 || ch == 0 && !m.incHi) {
		return false
	}
	return true
}

func (m *rangeMatcher) matchElem(e gjson.Result) bool {
	s, ok := text(e)
	if !ok {
		return false
	}
	var cl, ch int
	if m.allNum {
		if n, ok := elemNum(e); ok {
			if m.lo != nil {
				cl = cmpNum(n, m.lo.n)
			}
			if m.hi != nil {
				ch = cmpNum(n, m.hi.n)
			}
			return m.within(cl, ch)
		}
	}
	if m.allTime {
		if t, ok := event.Time(e); ok {
			if m.lo != nil {
				cl = t.Compare(m.lo.t)
			}
			if m.hi != nil {
				ch = t.Compare(m.hi.t)
			}
			return m.within(cl, ch)
		}
	}
	if m.allIP && e.Type == gjson.String {
		if a, ok := parseIP(s); ok {
			a = a.Unmap()
			if m.lo != nil {
				cl = cmpAddr(a, m.lo.addr)
			}
			if m.hi != nil {
				ch = cmpAddr(a, m.hi.addr)
			}
			return m.within(cl, ch)
		}
	}
	if m.lo != nil {
		cl = strings.Compare(s, m.lo.s)
	}
	if m.hi != nil {
		ch = strings.Compare(s, m.hi.s)
	}
	return m.within(cl, ch)
}

// cmpAddr ignores zones, which carry no order.
func cmpAddr(a, b netip.Addr) int {
	return a.WithZone("").Compare(b.WithZone(""))
}
