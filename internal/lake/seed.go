package lake

import (
	"context"

	"github.com/secops/eventexport/internal/synth"
)

// Seed fills a community's partitions with synthetic events.
func (l *Lake) Seed(ctx context.Context, community string, o synth.Options) (ImportResult, error) {
	o.Community = community
	g := synth.New(o)
	w := l.NewWriter(community)
	buf := make([]byte, 0, 4096)
	for {
		line, ts, ok := g.Next(buf[:0])
		if !ok {
			break
		}
		if err := w.AddAt(ctx, line, ts); err != nil {
			return w.result, err
		}
		buf = line
	}
	w.result.Lines = w.result.Imported
	return w.Close(ctx)
}
