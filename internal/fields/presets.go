package fields

import (
	"slices"
	"sort"
)

// Default is what an export contains when the request names no preset and no
// field: enough to see when something happened and what it was.
var Default = []string{"@timestamp", "message"}

var presets = map[string][]string{
	"network": {
		"@timestamp", "source.ip", "source.port", "destination.ip", "destination.port",
		"network.protocol", "network.transport", "event.action",
	},
	"identity": {
		"@timestamp", "user.name", "user.domain", "source.ip", "event.action",
		"event.outcome", "message",
	},
	"endpoint": {
		"@timestamp", "host.name", "process.name", "process.executable", "process.args",
		"file.path", "file.hash.sha256", "user.name",
	},
}

var presetNames = func() []string {
	names := make([]string, 0, len(presets))
	for n := range presets {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}()

// presetFields is the set of fields analysts reach for most; suggestions
// rank them first so "ip" proposes source.ip before threat.indicator.ip.
var presetFields = func() map[string]bool {
	m := map[string]bool{}
	for _, fs := range presets {
		for _, f := range fs {
			m[f] = true
		}
	}
	for _, f := range Default {
		m[f] = true
	}
	return m
}()

// Presets returns a copy so callers cannot change what other requests get.
func Presets() map[string][]string {
	out := make(map[string][]string, len(presets))
	for n, fs := range presets {
		out[n] = slices.Clone(fs)
	}
	return out
}

// PresetNames returns the preset names in sorted order.
func PresetNames() []string {
	return slices.Clone(presetNames)
}
