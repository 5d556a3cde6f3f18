package encode

import (
	"time"
	"unsafe"

	"github.com/secops/eventexport/internal/event"
	"github.com/tidwall/gjson"
)

// instant is a point in time as seconds and nanoseconds since the Unix epoch;
// comparing these avoids building a time.Time per event.
type instant struct {
	sec  int64
	nsec int64
}

func instantOf(t time.Time) instant { return instant{t.Unix(), int64(t.Nanosecond())} }

func (a instant) before(b instant) bool {
	return a.sec < b.sec || a.sec == b.sec && a.nsec < b.nsec
}

// eventTime reads a raw @timestamp value with the rules of event.Time. The
// common "2006-01-02T15:04:05.000Z" form is parsed here without allocating;
// everything else goes to event.Time so that both agree on what is usable.
func eventTime(raw []byte) (instant, bool) {
	switch {
	case len(raw) >= 2 && raw[0] == '"':
		s := raw[1 : len(raw)-1]
		if t, ok := fastRFC3339(s); ok {
			return t, true
		}
		for _, c := range s {
			if c == '\\' {
				t, ok := event.Time(gjson.ParseBytes(raw))
				return instantOf(t), ok
			}
		}
		// The view does not outlive the call: ParseTime keeps no reference.
		t, ok := event.ParseTime(unsafe.String(unsafe.SliceData(s), len(s)))
		return instantOf(t), ok
	case len(raw) > 0 && (raw[0] == '-' || raw[0] >= '0' && raw[0] <= '9'):
		t, ok := event.Time(gjson.Result{Type: gjson.Number, Raw: unsafe.String(unsafe.SliceData(raw), len(raw))})
		return instantOf(t), ok
	}
	return instant{}, false
}

// fastRFC3339 mirrors the fast path of time.Parse for RFC 3339, which accepts
// exactly these strings and nothing else.
func fastRFC3339(s []byte) (instant, bool) {
	if len(s) < len("2006-01-02T15:04:05Z") || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' {
		return instant{}, false
	}
	ok := true
	num := func(b []byte, lo, hi int) int {
		x := 0
		for _, c := range b {
			if c < '0' || c > '9' {
				ok = false
				return lo
			}
			x = x*10 + int(c-'0')
		}
		if x < lo || x > hi {
			ok = false
		}
		return x
	}
	year := num(s[0:4], 0, 9999)
	month := num(s[5:7], 1, 12)
	if !ok {
		return instant{}, false
	}
	day := num(s[8:10], 1, daysIn(month, year))
	hour := num(s[11:13], 0, 23)
	minute := num(s[14:16], 0, 59)
	sec := num(s[17:19], 0, 59)
	if !ok {
		return instant{}, false
	}
	s = s[19:]
	var nsec int64
	if len(s) >= 2 && s[0] == '.' && s[1] >= '0' && s[1] <= '9' {
		n := 1
		for ; n < len(s) && s[n] >= '0' && s[n] <= '9'; n++ {
			if n <= 9 {
				nsec = nsec*10 + int64(s[n]-'0')
			}
		}
		for k := n; k <= 9; k++ {
			nsec *= 10
		}
		s = s[n:]
	}
	offset := 0
	if len(s) != 1 || s[0] != 'Z' {
		if len(s) != len("-07:00") || s[0] != '-' && s[0] != '+' || s[3] != ':' {
			return instant{}, false
		}
		offset = (num(s[1:3], 0, 23)*60 + num(s[4:6], 0, 59)) * 60
		if !ok {
			return instant{}, false
		}
		if s[0] == '-' {
			offset = -offset
		}
	}
	secs := daysFromCivil(year, month, day)*86400 + int64(hour*3600+minute*60+sec-offset)
	return instant{secs, nsec}, true
}

func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysFromCivil counts days from 1970-01-01 to a proleptic Gregorian date
// (Howard Hinnant's algorithm).
func daysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era)*146097 + int64(doe) - 719468
}
