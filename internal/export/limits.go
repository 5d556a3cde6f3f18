package export

import (
	"fmt"
	"os"
	"strconv"
	"time"
)

// Limits are deployment parameters; Defaults holds the reference values.
type Limits struct {
	MonthlyBytes    int64         // compressed bytes per community per calendar month (UTC)
	ExportsPerJob   int           // exports ever created from one search job
	EventsPerExport int64         // events written into one export
	LeaseTTL        time.Duration // longer than the workflow's own timeout
	Retention       time.Duration // how long a finished export can be downloaded
	URLTTL          time.Duration // lifetime of one pre-signed download URL
	ChunkEvents     int64         // target candidate events per encode chunk
	MaxChunks       int           // chunks one export may be split into: the plan travels in a 256 KiB state
}

// Defaults are the limits of the reference product.
var Defaults = Limits{
	MonthlyBytes:    10 << 30,
	ExportsPerJob:   10,
	EventsPerExport: 100_000_000,
	LeaseTTL:        3 * time.Hour,
	Retention:       24 * time.Hour,
	URLTTL:          15 * time.Minute,
	ChunkEvents:     2_000_000,
	MaxChunks:       1000,
}

// LimitsFromEnv reads overrides such as EXPORT_MONTHLY_BYTES; unset
// variables keep the defaults, malformed ones are an error at start-up.
func LimitsFromEnv(getenv func(string) string) (Limits, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	l := Defaults
	ints := []struct {
		name string
		dst  *int64
	}{
		{"EXPORT_MONTHLY_BYTES", &l.MonthlyBytes},
		{"EXPORT_EVENTS_PER_EXPORT", &l.EventsPerExport},
		{"EXPORT_CHUNK_EVENTS", &l.ChunkEvents},
	}
	for _, v := range ints {
		if s := getenv(v.name); s != "" {
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil || n <= 0 {
				return l, fmt.Errorf("%s=%q: want a positive integer", v.name, s)
			}
			*v.dst = n
		}
	}
	small := []struct {
		name string
		dst  *int
	}{
		{"EXPORT_EXPORTS_PER_JOB", &l.ExportsPerJob},
		{"EXPORT_MAX_CHUNKS", &l.MaxChunks},
	}
	for _, v := range small {
		if s := getenv(v.name); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n <= 0 {
				return l, fmt.Errorf("%s=%q: want a positive integer", v.name, s)
			}
			*v.dst = n
		}
	}
	durations := []struct {
		name string
		dst  *time.Duration
	}{
		{"EXPORT_LEASE_TTL", &l.LeaseTTL},
		{"EXPORT_RETENTION", &l.Retention},
		{"EXPORT_URL_TTL", &l.URLTTL},
	}
	for _, v := range durations {
		if s := getenv(v.name); s != "" {
			d, err := time.ParseDuration(s)
			if err != nil || d <= 0 {
				return l, fmt.Errorf("%s=%q: want a positive duration such as 15m", v.name, s)
			}
			*v.dst = d
		}
	}
	return l, nil
}

// Month names the calendar month (UTC) that usage is charged to.
func Month(t time.Time) string { return t.UTC().Format("2006-01") }

// MonthReset is the instant the quota of t's month resets: 00:00 UTC on the 1st of the next month.
func MonthReset(t time.Time) time.Time {
	u := t.UTC()
	return time.Date(u.Year(), u.Month()+1, 1, 0, 0, 0, 0, time.UTC)
}
