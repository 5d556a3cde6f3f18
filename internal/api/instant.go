package api

import (
	"strconv"
	"strings"
	"time"

	"github.com/secops/eventexport/internal/event"
	"github.com/secops/eventexport/internal/export"
)

// parseInstant reads RFC 3339, epoch milliseconds, "now", or "now-24h" /
// "-7d" relative to now, the forms analysts type and schedules need.
func parseInstant(name, s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	original := s
	if s == "" {
		return time.Time{}, export.Errorf(export.CodeInvalid, "%s is required: an RFC 3339 time such as 2026-11-30T00:00:00Z, epoch milliseconds, or a relative time such as now-24h", name)
	}
	if s == "now" {
		return now, nil
	}
	if rel, ok := strings.CutPrefix(s, "now"); ok && (strings.HasPrefix(rel, "-") || strings.HasPrefix(rel, "+")) {
		s = rel
	}
	if strings.HasPrefix(s, "-") || strings.HasPrefix(s, "+") {
		if d, ok := parseDuration(s[1:]); ok {
			if s[0] == '-' {
				d = -d
			}
			return now.Add(d), nil
		}
	}
	if t, ok := event.ParseTime(s); ok {
		return t, nil
	}
	return time.Time{}, export.Errorf(export.CodeInvalid, "%s %q is not a time; use RFC 3339 (2026-11-30T00:00:00Z), epoch milliseconds, or a relative time such as now-24h or -7d", name, original)
}

// parseDuration also accepts days ("7d"), which time.ParseDuration lacks.
func parseDuration(s string) (time.Duration, bool) {
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.Atoi(n)
		// A century is far beyond any retention; more would overflow.
		return time.Duration(days) * 24 * time.Hour, err == nil && days >= 0 && days <= 36500
	}
	d, err := time.ParseDuration(s)
	return d, err == nil && d >= 0
}

// ParseRange reads a [from, to) pair in the forms parseInstant accepts.
func ParseRange(from, to string, now time.Time) ([2]time.Time, error) {
	return parseRange("from", from, "to", to, now)
}

func parseRange(fromName, from, toName, to string, now time.Time) ([2]time.Time, error) {
	f, err := parseInstant(fromName, from, now)
	if err != nil {
		return [2]time.Time{}, err
	}
	t, err := parseInstant(toName, to, now)
	if err != nil {
		return [2]time.Time{}, err
	}
	if !f.Before(t) {
		return [2]time.Time{}, export.Errorf(export.CodeInvalid, "%s (%s) must be before %s (%s)", fromName, f.Format(time.RFC3339), toName, t.Format(time.RFC3339))
	}
	return [2]time.Time{f, t}, nil
}
