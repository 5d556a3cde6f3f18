package query

import (
	"time"

	"github.com/secops/eventexport/internal/event"
)

// strTime reads a timestamp after a cheap shape check: a failed time.Parse
// allocates its error, and most strings compared against a timestamp query
// are not timestamps.
func strTime(s string) (time.Time, bool) {
	if !looksTime(s) {
		return time.Time{}, false
	}
	return event.ParseTime(s)
}

func looksTime(s string) bool {
	if len(s) == 0 {
		return false
	}
	if len(s) >= 10 && isDigits(s[:4]) && s[4] == '-' {
		return true
	}
	return isDigits(s) && len(s) <= 18
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return len(s) > 0
}
