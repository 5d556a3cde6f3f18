package encode

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// goldenSets are the field lists with golden output: the presets and one
// that asks for whole objects, mixed layouts and a field no event has.
var goldenSets = append([]struct {
	name   string
	fields []string
}{
	{"mixed", []string{"file.hash.sha256", "source.geo.city_name", "host.ip", "process.args", "event", "no.such.field", "@timestamp"}},
}, presets...)

// TestGolden pins the exact uncompressed bytes and counts for a fixed input
// (synth events plus hand-written edge cases). The gzip bytes themselves are
// left to the compression library; TestEncode* check they form one member.
// Regenerate with: go test ./internal/encode/ -run TestGolden -update
func TestGolden(t *testing.T) {
	in, err := os.ReadFile(filepath.Join("testdata", "golden", "input.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	from := time.Date(2025, 12, 31, 23, 15, 0, 0, time.UTC)
	for _, set := range goldenSets {
		t.Run(set.name, func(t *testing.T) {
			out, n := encodeAll(t, Options{From: from, To: from.Add(30 * time.Minute), Fields: set.fields}, gz(t, string(in)))
			n.Bytes = 0 // depends on the compression library, not on us
			got := gunzip(t, out)
			counts, _ := json.MarshalIndent(n, "", "  ")
			counts = append(counts, '\n')
			base := filepath.Join("testdata", "golden", set.name)
			if *update {
				if err := os.WriteFile(base+".jsonl", []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(base+".counts.json", counts, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(base + ".jsonl")
			if err != nil {
				t.Fatalf("%v (run with -update to create)", err)
			}
			if got != string(want) {
				t.Errorf("output differs from %s.jsonl:\n got: %s\nwant: %s", base, got, want)
			}
			wantCounts, err := os.ReadFile(base + ".counts.json")
			if err != nil {
				t.Fatal(err)
			}
			if string(counts) != string(wantCounts) {
				t.Errorf("counts %s, want %s", counts, wantCounts)
			}
		})
	}
}
