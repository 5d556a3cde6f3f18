package event

import "testing"

// FuzzParseRFC3339 holds the allocation-free reader to the reference one.
func FuzzParseRFC3339(f *testing.F) {
	for _, s := range []string{"2026-11-30T22:15:00Z", "2026-11-30T22:15:00.123456789+14:00", "2024-02-29T23:59:59-00:00",
		"2026-02-29T00:00:00Z", "2026-11-30T24:00:00Z", "0000-01-01T00:00:00Z", "2026-11-30T22:15:00.1234567891Z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := parseRFC3339(s)
		if !ok {
			return
		}
		want, wok := parseAnyTime(s)
		if !wok || !got.Equal(want) {
			t.Fatalf("parseRFC3339(%q) = %v, parseAnyTime = %v %v", s, got, want, wok)
		}
	})
}

func TestParseTimeDoesNotAllocate(t *testing.T) {
	if n := testing.AllocsPerRun(100, func() { ParseTime("2026-11-30T22:15:00.123+02:00") }); n != 0 {
		t.Fatalf("%v allocations per call", n)
	}
}

func TestNotATimeDoesNotAllocate(t *testing.T) {
	for _, s := range []string{"alice", "10.0.0.1", "2026", "failed password"} {
		if n := testing.AllocsPerRun(100, func() { ParseTime(s) }); n != 0 {
			t.Fatalf("ParseTime(%q): %v allocations per call", s, n)
		}
	}
}
