package export

import (
	"testing"
	"time"
)

func TestLimitsFromEnv(t *testing.T) {
	env := map[string]string{"EXPORT_MONTHLY_BYTES": "1000", "EXPORT_URL_TTL": "5m", "EXPORT_EXPORTS_PER_JOB": "3"}
	l, err := LimitsFromEnv(func(k string) string { return env[k] })
	if err != nil || l.MonthlyBytes != 1000 || l.URLTTL != 5*time.Minute || l.ExportsPerJob != 3 || l.EventsPerExport != Defaults.EventsPerExport {
		t.Fatalf("%+v %v", l, err)
	}
	for _, bad := range []map[string]string{{"EXPORT_MONTHLY_BYTES": "lots"}, {"EXPORT_RETENTION": "-1h"}, {"EXPORT_MAX_CHUNKS": "0"}} {
		if _, err := LimitsFromEnv(func(k string) string { return bad[k] }); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}

func TestMonthResetsAtMidnightUTCOnTheFirst(t *testing.T) {
	paris := time.FixedZone("CET", 3600)
	// 00:30 on Dec 1 in Paris is still November in UTC.
	at := time.Date(2026, 12, 1, 0, 30, 0, 0, paris)
	if Month(at) != "2026-11" || !MonthReset(at).Equal(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("%s resets %s", Month(at), MonthReset(at))
	}
	if MonthReset(time.Date(2026, 12, 31, 23, 0, 0, 0, time.UTC)) != time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC) {
		t.Fatal("December does not roll into January")
	}
}

func TestStatuses(t *testing.T) {
	for s, active := range map[Status]bool{Pending: true, Running: true, Finished: false, Failed: false, Cancelled: false, Expired: false} {
		if s.Active() != active || s.Terminal() == active {
			t.Errorf("%s: active %v", s, s.Active())
		}
	}
}
