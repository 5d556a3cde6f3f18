package encode

import (
	"bytes"
	"sync"
)

const (
	// batchSize is the decompressed input handed to a worker at once: large
	// enough that channel hand-offs cost nothing per event, small enough that
	// the batches in flight stay a few MiB.
	batchSize = 512 << 10
	// maxPooled keeps a batch that grew around a huge line from pinning that
	// memory for the rest of the run.
	maxPooled = 4 << 20
)

// batch is a run of whole input lines and, once a worker is done, their
// projection and counts.
type batch struct {
	in   []byte
	out  []byte
	n    Counts
	done chan struct{} // receives once when out and n are ready
}

var batches = sync.Pool{New: func() any {
	return &batch{in: make([]byte, 0, batchSize), done: make(chan struct{}, 1)}
}}

func getBatch() *batch { return batches.Get().(*batch) }

func putBatch(b *batch) {
	if cap(b.in) > maxPooled {
		b.in = make([]byte, 0, batchSize)
	}
	if cap(b.out) > maxPooled {
		b.out = nil
	}
	b.in, b.out = b.in[:0], b.out[:0]
	batches.Put(b)
}

// filter is what a worker needs besides the plan.
type filter struct {
	ts       int // slot of @timestamp in the plan's results
	from, to instant
	hasFrom  bool
	hasTo    bool
	accept   Filter
	slots    []int // slot of each of accept's fields
}

// process projects every line of b.in into b.out, in order.
func (p *projector) process(b *batch, f *filter) {
	var n Counts
	out := b.out[:0]
	data := b.in
	values := make([][]byte, len(f.slots))
	for len(data) > 0 {
		var line []byte
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			line, data = data, nil
		}
		if k := len(line) - 1; k >= 0 && line[k] == '\r' {
			line = line[:k]
		}
		if blank(line) {
			continue
		}
		n.Read++
		if !p.scan(line) {
			n.Invalid++
			continue
		}
		res := p.lv[0]
		ts := res[f.ts]
		if ts.end == 0 {
			n.NoTimestamp++
			continue
		}
		t, ok := eventTime(line[ts.start:ts.end])
		if !ok {
			n.NoTimestamp++
			continue
		}
		if f.hasFrom && t.before(f.from) || f.hasTo && !t.before(f.to) {
			n.OutOfRange++
			continue
		}
		if f.accept != nil {
			for i, slot := range f.slots {
				values[i] = nil
				if v := res[slot]; v.end != 0 {
					values[i] = line[v.start:v.end]
				}
			}
			if !f.accept.Accept(values) {
				n.Filtered++
				continue
			}
		}
		start := len(out)
		out = p.appendLine(out, line)
		out = append(out, '\n')
		n.Exported++
		n.RawBytes += int64(len(out) - start)
	}
	b.out, b.n = out, n
}

// blank reports a line of nothing but whitespace, which covers the empty
// line and the bare '\r' of a CRLF file's empty line.
func blank(line []byte) bool {
	for _, c := range line {
		if !isWS(c) {
			return false
		}
	}
	return true
}

func (c *Counts) add(d Counts) {
	c.Read += d.Read
	c.Exported += d.Exported
	c.Invalid += d.Invalid
	c.NoTimestamp += d.NoTimestamp
	c.OutOfRange += d.OutOfRange
	c.Filtered += d.Filtered
	c.RawBytes += d.RawBytes
}
