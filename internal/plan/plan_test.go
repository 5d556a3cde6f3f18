package plan

import (
	"math/rand/v2"
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// objectsOf lists each object of each hour, as the lake does.
func objectsOf(hours map[int][]int64) []Partition {
	var parts []Partition
	for h := 0; h < 1000; h++ {
		for _, n := range hours[h] {
			parts = append(parts, Partition{Hour: t0.Add(time.Duration(h) * time.Hour), Events: n})
		}
	}
	return parts
}

// checkTiling asserts the chunks partition [from, to) and every object.
func checkTiling(t *testing.T, parts []Partition, from, to time.Time, p Plan) {
	t.Helper()
	if len(p.Chunks) == 0 {
		t.Fatal("no chunk: an export must always yield a file")
	}
	// Time ranges: contiguous, in order, covering exactly [from, to), except
	// that the parts of a split hour share the same range.
	cursor := from
	for i, c := range p.Chunks {
		if c.Seq != i {
			t.Fatalf("chunk %d has seq %d", i, c.Seq)
		}
		if c.Parts > 1 && c.Part > 0 {
			prev := p.Chunks[i-1]
			if !prev.From.Equal(c.From) || !prev.To.Equal(c.To) || prev.Parts != c.Parts || prev.Part != c.Part-1 {
				t.Fatalf("part %d of a split hour does not follow part %d: %+v after %+v", c.Part, c.Part-1, c, prev)
			}
			continue
		}
		if !c.From.Equal(cursor) || !c.From.Before(c.To) {
			t.Fatalf("chunk %d is [%s, %s), want it to start at %s", i, c.From, c.To, cursor)
		}
		cursor = c.To
	}
	if !cursor.Equal(to) {
		t.Fatalf("chunks end at %s, want %s", cursor, to)
	}
	// Objects: each lands in exactly one chunk, by the encoder's rule.
	for oi, o := range parts {
		if !o.Hour.Add(time.Hour).After(from) || !o.Hour.Before(to) {
			continue
		}
		index := 0 // position of the object among those of the chunk's hours
		hits := 0
		for _, c := range p.Chunks {
			if !o.Hour.Add(time.Hour).After(c.From) || !o.Hour.Before(c.To) {
				continue
			}
			index = 0
			for pj := 0; pj < oi; pj++ {
				if parts[pj].Hour.Add(time.Hour).After(c.From) && parts[pj].Hour.Before(c.To) {
					index++
				}
			}
			if c.Parts <= 1 || index%c.Parts == c.Part {
				hits++
			}
		}
		if hits != 1 {
			t.Fatalf("object %d (hour %s) is read by %d chunks", oi, o.Hour, hits)
		}
	}
}

func TestEmptyRangeStillHasOneChunk(t *testing.T) {
	from, to := t0, t0.Add(3*time.Hour)
	p := Make(nil, from, to, 100)
	checkTiling(t, nil, from, to, p)
	if len(p.Chunks) != 1 || p.Events != 0 {
		t.Fatalf("%+v", p)
	}
}

func TestHoursAreGroupedUpToTheTarget(t *testing.T) {
	parts := objectsOf(map[int][]int64{0: {40}, 1: {40}, 2: {40}, 3: {40}, 4: {40}})
	from, to := t0, t0.Add(5*time.Hour)
	p := Make(parts, from, to, 100)
	checkTiling(t, parts, from, to, p)
	if len(p.Chunks) != 3 || p.Events != 200 {
		t.Fatalf("%d chunks, %d events: %+v", len(p.Chunks), p.Events, p.Chunks)
	}
}

func TestABigHourIsSplitByObject(t *testing.T) {
	parts := objectsOf(map[int][]int64{0: {10}, 1: {100, 100, 100, 100, 100}, 2: {10}})
	from, to := t0.Add(30*time.Minute), t0.Add(150*time.Minute)
	p := Make(parts, from, to, 200)
	checkTiling(t, parts, from, to, p)
	split := 0
	for _, c := range p.Chunks {
		if c.Parts > 1 {
			split++
		}
	}
	if split != 3 {
		t.Fatalf("the 500-event hour became %d parts, want 3: %+v", split, p.Chunks)
	}
}

func TestRandomPlansTileTheRange(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 300; i++ {
		hours := map[int][]int64{}
		for h := 0; h < 48; h++ {
			for o := r.IntN(4); o > 0; o-- {
				hours[h] = append(hours[h], int64(r.IntN(500)))
			}
		}
		parts := objectsOf(hours)
		from := t0.Add(time.Duration(r.IntN(48*60)) * time.Minute)
		to := from.Add(time.Duration(1+r.IntN(48*60)) * time.Minute)
		p := Make(parts, from, to, int64(1+r.IntN(1500)))
		checkTiling(t, parts, from, to, p)
	}
}
