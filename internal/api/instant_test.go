package api

import (
	"strings"
	"testing"
	"time"

	"github.com/secops/eventexport/internal/export"
)

var testNow = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)

func TestParseInstant(t *testing.T) {
	midnight := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Time
	}{
		{"2026-11-30T00:00:00Z", midnight},
		{"2026-11-30T01:00:00+01:00", midnight},
		{"2026-11-29T19:00:00-05:00", midnight},
		{"2026-11-30T05:30:00+05:30", midnight},
		{"2026-11-30T00:00:00.250Z", midnight.Add(250 * time.Millisecond)},
		{"2026-11-30 00:00:00Z", midnight},
		{"2026-11-30t00:00:00z", midnight},
		{"  2026-11-30T00:00:00Z\n", midnight},
		{"1795996800000", midnight},
		{"1795996800123", midnight.Add(123 * time.Millisecond)},
		{"0", time.UnixMilli(0).UTC()},
		{"now", testNow},
		{" now ", testNow},
		{"now-24h", testNow.Add(-24 * time.Hour)},
		{"now+1h", testNow.Add(time.Hour)},
		{"now-90m", testNow.Add(-90 * time.Minute)},
		{"now-1h30m", testNow.Add(-90 * time.Minute)},
		{"now-7d", testNow.AddDate(0, 0, -7)},
		{"-7d", testNow.AddDate(0, 0, -7)},
		{"+1h", testNow.Add(time.Hour)},
		{"-0d", testNow},
		{"-15m", testNow.Add(-15 * time.Minute)},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseInstant("earliest_time", tt.in, testNow)
			if err != nil {
				t.Fatalf("error %v", err)
			}
			if !got.Equal(tt.want) || got.Location() != time.UTC {
				t.Errorf("= %v, want %v in UTC", got, tt.want)
			}
		})
	}
}

func TestParseInstantRejects(t *testing.T) {
	tests := []string{
		"", "   ", "yesterday", "now-", "now-abc", "now-24", "now*2", "-", "+", "7d", "24h",
		"--7d", "-7x", "- 7d", "-1.5d", "2026-13-01T00:00:00Z", "2026-11-30T00:00:00", "2026-11-30",
		"30/11/2026", "1795996800000ms", "-1000", "0x10",
	}
	for _, in := range tests {
		t.Run(in, func(t *testing.T) {
			got, err := parseInstant("latest_time", in, testNow)
			if err == nil {
				t.Fatalf("= %v, want an error", got)
			}
			var e *export.Error
			if !asExportError(err, &e) || e.Code != export.CodeInvalid {
				t.Fatalf("error %v, want INVALID_REQUEST", err)
			}
			// The detail names the member and the forms that are accepted.
			for _, want := range []string{"latest_time", "RFC 3339", "epoch milliseconds", "now-24h"} {
				if !strings.Contains(e.Detail, want) {
					t.Errorf("detail %q does not mention %q", e.Detail, want)
				}
			}
		})
	}
}

func asExportError(err error, target **export.Error) bool {
	e, ok := err.(*export.Error)
	*target = e
	return ok
}

func TestParseRange(t *testing.T) {
	tests := []struct {
		name, from, to string
		want           [2]time.Time
		wantErr        string // substring of the detail; "" for success
	}{
		{"relative", "now-24h", "now", [2]time.Time{testNow.Add(-24 * time.Hour), testNow}, ""},
		{"days", "-7d", "now", [2]time.Time{testNow.AddDate(0, 0, -7), testNow}, ""},
		{"absolute with offsets", "2026-11-30T01:00:00+01:00", "2026-11-30T12:00:00-01:00",
			[2]time.Time{time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 30, 13, 0, 0, 0, time.UTC)}, ""},
		{"epoch ms", "1795996800000", "1796000400000",
			[2]time.Time{time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 30, 1, 0, 0, 0, time.UTC)}, ""},
		{"mixed", "2026-11-30T00:00:00Z", "+1h", [2]time.Time{time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC), testNow.Add(time.Hour)}, ""},
		{"one millisecond", "1795996800000", "1795996800001",
			[2]time.Time{time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 30, 0, 0, 0, 1e6, time.UTC)}, ""},
		{"equal", "now", "now", [2]time.Time{}, "from (2026-11-30T12:00:00Z) must be before to (2026-11-30T12:00:00Z)"},
		{"equal across offsets", "2026-11-30T01:00:00+01:00", "2026-11-30T00:00:00Z", [2]time.Time{}, "must be before"},
		{"reversed", "now", "now-1h", [2]time.Time{}, "must be before"},
		{"bad from", "last week", "now", [2]time.Time{}, `from "last week" is not a time`},
		{"bad to", "now-1h", "tomorrow", [2]time.Time{}, `to "tomorrow" is not a time`},
		{"missing from", "", "now", [2]time.Time{}, "from is required"},
		{"missing to", "now-1h", "", [2]time.Time{}, "to is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseRange(tt.from, tt.to, testNow)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("error %v", err)
				}
				if !got[0].Equal(tt.want[0]) || !got[1].Equal(tt.want[1]) {
					t.Errorf("= %v, want %v", got, tt.want)
				}
				return
			}
			if export.CodeOf(err) != export.CodeInvalid || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error %v, want INVALID_REQUEST containing %q", err, tt.wantErr)
			}
		})
	}
}
