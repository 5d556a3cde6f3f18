//go:build race

package encode

// raceEnabled lets the slowest randomized tests do less under the race
// detector, which multiplies their cost without finding more in them.
const raceEnabled = true
