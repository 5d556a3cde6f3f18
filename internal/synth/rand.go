package synth

import "math/bits"

// rng is wyrand: a few nanoseconds per draw, and its sequence is fixed by this
// code rather than by the Go release, so seeded output stays byte-identical
// across toolchains.
type rng struct{ s uint64 }

func (r *rng) u64() uint64 {
	r.s += 0xa0761d6478bd642f
	hi, lo := bits.Mul64(r.s, r.s^0xe7037ed1a0b428db)
	return hi ^ lo
}

// n returns a value in [0, n). The multiply-shift mapping has a bias below
// 2^-32 for our sizes, which synthetic data does not care about.
func (r *rng) n(n int) int {
	hi, _ := bits.Mul64(r.u64(), uint64(n))
	return int(hi)
}

func (r *rng) between(lo, hi int) int { return lo + r.n(hi-lo) }

// pct is true with probability p/100.
func (r *rng) pct(p int) bool { return r.n(100) < p }

// threshold turns a probability into a u64 cut-off so that per-event coin
// flips are an integer compare.
func threshold(p float64) uint64 {
	switch {
	case p <= 0:
		return 0
	case p >= 1:
		return ^uint64(0)
	}
	return uint64(p * (1 << 63) * 2)
}

func pick[T any](r *rng, xs []T) T { return xs[r.n(len(xs))] }

// mix derives a stable 64-bit value from inputs (splitmix64 finaliser), for
// values that must repeat, like the hash of the same file on the same host.
func mix(vs ...uint64) uint64 {
	h := uint64(0x9e3779b97f4a7c15)
	for _, v := range vs {
		h ^= v
		h += 0x9e3779b97f4a7c15
		h = (h ^ h>>30) * 0xbf58476d1ce4e5b9
		h = (h ^ h>>27) * 0x94d049bb133111eb
		h ^= h >> 31
	}
	return h
}
