// Package plan splits an export's time range into chunks that encoders run
// in parallel. Chunks partition the work exactly: their time ranges tile
// [from, to) without overlap, and an hour too big for one chunk is split by
// object, each object going to exactly one part. So no event is read twice
// or missed at a boundary.
package plan

import (
	"time"
)

// Partition is what the planner needs to know of one lake object.
type Partition struct {
	Hour   time.Time
	Events int64
}

// Chunk is one unit of encoding work. An encoder reads the objects of the
// hours overlapping [From, To) whose position in that listing, taken modulo
// Parts, equals Part, and keeps the events in [From, To).
type Chunk struct {
	Seq   int       `json:"seq"`
	From  time.Time `json:"from"`
	To    time.Time `json:"to"`
	Part  int       `json:"part"`
	Parts int       `json:"parts"`
	// Events is the number of candidate events in the chunk's objects.
	Events int64 `json:"events"`
}

// Plan is the chunks of one export and the candidate events they hold.
type Plan struct {
	Chunks []Chunk `json:"chunks"`
	Events int64   `json:"events"`
}

// Make groups whole hours into chunks of about target candidate events and
// splits any hour larger than target by object. parts is sorted by hour and
// lists every object of the hours overlapping [from, to); objects of other
// hours are ignored. A range with no events still gets one chunk, so that
// every export yields a valid gzip file.
func Make(parts []Partition, from, to time.Time, target int64) Plan {
	from, to = from.UTC(), to.UTC()
	if target <= 0 {
		target = 1
	}
	type hour struct {
		start   time.Time
		events  int64
		objects int
	}
	var hours []hour
	for _, p := range parts {
		h := p.Hour.UTC().Truncate(time.Hour)
		if !h.Add(time.Hour).After(from) || !h.Before(to) {
			continue // no event of this hour can be in range
		}
		if n := len(hours); n > 0 && hours[n-1].start.Equal(h) {
			hours[n-1].events += p.Events
			hours[n-1].objects++
			continue
		}
		hours = append(hours, hour{start: h, events: p.Events, objects: 1})
	}

	var pl Plan
	add := func(start, end time.Time, part, nparts int, events int64) {
		pl.Chunks = append(pl.Chunks, Chunk{Seq: len(pl.Chunks), From: start, To: end, Part: part, Parts: nparts, Events: events})
		pl.Events += events
	}
	clip := func(t time.Time) time.Time {
		if t.Before(from) {
			return from
		}
		if t.After(to) {
			return to
		}
		return t
	}

	cursor := from
	var pending int64
	for i, h := range hours {
		hourEnd := clip(h.start.Add(time.Hour))
		if h.events > target && h.objects > 1 {
			if cursor.Before(clip(h.start)) || pending > 0 {
				add(cursor, clip(h.start), 0, 1, pending)
				cursor, pending = clip(h.start), 0
			}
			n := int(min(int64(h.objects), (h.events+target-1)/target))
			for p := 0; p < n; p++ {
				add(cursor, hourEnd, p, n, h.events/int64(n))
			}
			pl.Events += h.events - h.events/int64(n)*int64(n)
			cursor = hourEnd
			continue
		}
		pending += h.events
		last := i == len(hours)-1
		if pending >= target || (!last && pending+hours[i+1].events > target && pending > 0) {
			add(cursor, hourEnd, 0, 1, pending)
			cursor, pending = hourEnd, 0
		}
	}
	if cursor.Before(to) || len(pl.Chunks) == 0 {
		add(cursor, to, 0, 1, pending)
	}
	return pl
}
