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

// eventTime reads a raw @timestamp value with the rules of event.Time,
// without copying the common unescaped string.
func eventTime(raw []byte) (instant, bool) {
	switch {
	case len(raw) >= 2 && raw[0] == '"':
		s := raw[1 : len(raw)-1]
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
