// Package synth generates realistic, deterministic ECS security events for
// demo data, benchmarks and tests.
//
// A Generator draws from a per-community "world" of users, hosts, sites and
// attackers, so events tell coherent stories (a user logs on from their own
// workstation, the same file keeps its hash) while covering what export code
// must handle: nested, flat and mixed key layouts, arrays, numbers,
// IPv4/IPv6, three @timestamp encodings, Unicode, and strings that need JSON
// escaping. Output is a pure function of Options: same options, same bytes,
// on any platform and Go version.
package synth

import (
	"math/bits"
	"time"
)

// Options selects what to generate. Zero fields take their value from
// DefaultOptions; a negative fraction means "none".
type Options struct {
	Seed      int64
	Community string    // tenant name; also seeds host, domain and user names
	From, To  time.Time // events have @timestamp in [From, To)
	Events    int

	FlatFraction   float64 // events with flat dotted keys ({"source.ip":...}); default 0.2
	MixedFraction  float64 // events with one object level then dotted keys; default 0.05
	OffsetFraction float64 // @timestamp written with a +02:00 offset; default 0.01
	EpochFraction  float64 // @timestamp written as epoch milliseconds; default 0.01
}

// DefaultOptions is one day of a 100k-event community.
func DefaultOptions() Options {
	to := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	return Options{
		Seed:           1,
		Community:      "acme",
		From:           to.Add(-24 * time.Hour),
		To:             to,
		Events:         100_000,
		FlatFraction:   0.2,
		MixedFraction:  0.05,
		OffsetFraction: 0.01,
		EpochFraction:  0.01,
	}
}

func (o Options) withDefaults() Options {
	d := DefaultOptions()
	if o.Community == "" {
		o.Community = d.Community
	}
	switch {
	case o.From.IsZero() && o.To.IsZero():
		o.From, o.To = d.From, d.To
	case o.From.IsZero():
		o.From = o.To.Add(-24 * time.Hour)
	case o.To.IsZero():
		o.To = o.From.Add(24 * time.Hour)
	}
	if o.Events == 0 {
		o.Events = d.Events
	}
	for _, f := range []struct {
		v *float64
		d float64
	}{
		{&o.FlatFraction, d.FlatFraction}, {&o.MixedFraction, d.MixedFraction},
		{&o.OffsetFraction, d.OffsetFraction}, {&o.EpochFraction, d.EpochFraction},
	} {
		if *f.v == 0 {
			*f.v = f.d
		}
	}
	return o
}

// Generator yields events with @timestamp in [From, To), in non-decreasing
// time order: event i falls at a random instant of the i-th of Events equal
// slices of the range, which spreads them evenly but not on a grid. It is not
// safe for concurrent use; run one per goroutine (with different seeds or
// ranges) to generate in parallel.
type Generator struct {
	r     rng
	w     writer
	st    stamp
	world *world

	i, n         uint64
	fromMs, span uint64 // span in ms; timestamps are whole milliseconds

	flatT, mixedT, offsetT, epochT uint64

	// Scratch for the event being written: some values are drawn with the
	// header but written after other objects.
	dns dnsDetail
	web webDetail
}

// New returns a generator for o. Events < 0 or From >= To yields no events.
func New(o Options) *Generator {
	o = o.withDefaults()
	g := &Generator{world: newWorld(o.Seed, o.Community)}
	g.r.s = mix(uint64(o.Seed), 0x5eed)
	from, to := ceilMs(o.From), ceilMs(o.To)
	if o.Events > 0 && to > from {
		g.n, g.fromMs, g.span = uint64(o.Events), uint64(from), uint64(to-from)
	}
	g.flatT = threshold(max(o.FlatFraction, 0))
	g.mixedT = sat(g.flatT, threshold(max(o.MixedFraction, 0)))
	g.offsetT = threshold(max(o.OffsetFraction, 0))
	g.epochT = sat(g.offsetT, threshold(max(o.EpochFraction, 0)))
	return g
}

// ceilMs rounds up so that whole-millisecond instants stay within [From, To).
func ceilMs(t time.Time) int64 {
	ms := t.UnixMilli()
	if time.UnixMilli(ms).Before(t) {
		ms++
	}
	return ms
}

func sat(a, b uint64) uint64 {
	s, c := bits.Add64(a, b, 0)
	if c != 0 {
		return ^uint64(0)
	}
	return s
}

// Next appends one event as a single JSON object (no newline) to buf and
// returns it with the event's instant. At the end it returns buf unchanged
// and false.
func (g *Generator) Next(buf []byte) ([]byte, time.Time, bool) {
	if g.i >= g.n {
		return buf, time.Time{}, false
	}
	ms := int64(g.fromMs + g.offset(g.i))
	g.i++

	l, u := nested, g.r.u64()
	switch {
	case u < g.flatT:
		l = flat
	case u < g.mixedT:
		l = mixed
	}
	style, u := tsUTC, g.r.u64()
	switch {
	case u < g.offsetT:
		style = tsOffset
	case u < g.epochT:
		style = tsEpoch
	}
	g.w.begin(buf, l)
	g.st.write(&g.w, kTimestamp, ms, style)
	switch k := g.r.n(10); {
	case k < 5:
		g.network()
	case k < 8:
		g.auth()
	default:
		g.endpoint()
	}
	g.w.str(kOrgName, g.world.org)
	g.w.put(kECS)
	return g.w.end(), time.UnixMilli(ms).UTC(), true
}

// offset is a random point of slot i: [i*span/n, (i+1)*span/n), computed in
// 128 bits because a year of milliseconds times a billion events overflows.
func (g *Generator) offset(i uint64) uint64 {
	lo := mulDiv(i, g.span, g.n)
	hi := mulDiv(i+1, g.span, g.n)
	if hi > lo {
		return lo + uint64(g.r.n(int(hi-lo)))
	}
	return lo
}

func mulDiv(a, b, c uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	q, _ := bits.Div64(hi, lo, c)
	return q
}

func (g *Generator) eventID() {
	g.w.key(kEventID)
	g.w.hex(g.r.u64(), 16)
	g.w.b = append(g.w.b, '"')
}
