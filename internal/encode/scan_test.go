package encode

import (
	"encoding/binary"
	"math/bits"
	"math/rand/v2"
	"testing"
)

// TestSpecial holds the word-at-a-time test to the byte-at-a-time rule for
// every pair of byte values at every position, and for random words.
func TestSpecial(t *testing.T) {
	want := func(w []byte) int {
		for i, c := range w {
			if c == '"' || c == '\\' || c < 0x20 || c >= 0x80 {
				return i
			}
		}
		return 8
	}
	check := func(w []byte) {
		got := 8
		if m := special(binary.LittleEndian.Uint64(w)); m != 0 {
			got = bits.TrailingZeros64(m) >> 3
		}
		if got != want(w) {
			t.Fatalf("% x: first special byte at %d, want %d", w, got, want(w))
		}
	}
	w := make([]byte, 8)
	for p := range 7 {
		for x := range 256 {
			for y := range 256 {
				copy(w, "abcdefgh")
				w[p], w[p+1] = byte(x), byte(y)
				check(w)
			}
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 1_000_000 {
		binary.LittleEndian.PutUint64(w, rng.Uint64())
		check(w)
	}
}
