package cli

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/secops/eventexport/internal/export"
)

// progress shows a live bar on a terminal and plain lines elsewhere.
type progress struct {
	w        io.Writer
	tty      bool
	quiet    bool
	bar      *progressbar.ProgressBar
	barTotal int64
	last     string
}

func newProgress(w io.Writer, quiet bool) *progress {
	p := &progress{w: w, quiet: quiet}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.tty = true
	}
	return p
}

func (p *progress) export(e *export.Export) {
	if p.quiet {
		return
	}
	if !p.tty {
		line := fmt.Sprintf("%s chunks %d/%d events %d/%d exported %d", e.Status, e.ChunksDone, e.ChunksTotal, e.Progress, e.Total, e.Counts.Exported)
		if line != p.last {
			fmt.Fprintf(p.w, "%s %s\n", time.Now().UTC().Format("15:04:05"), line)
			p.last = line
		}
		return
	}
	if e.Total == 0 {
		return
	}
	if p.bar == nil || p.barTotal != e.Total {
		p.bar = progressbar.NewOptions64(e.Total,
			progressbar.OptionSetWriter(p.w),
			progressbar.OptionSetDescription("exporting"),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("events"),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionFullWidth(),
			progressbar.OptionThrottle(100*time.Millisecond),
		)
		p.barTotal = e.Total
	}
	_ = p.bar.Set64(e.Progress)
	p.bar.Describe(fmt.Sprintf("exporting (%d/%d chunks)", e.ChunksDone, e.ChunksTotal))
}

func (p *progress) bytes(n, total int64) {
	if p.quiet || !p.tty {
		return
	}
	if p.bar == nil || p.barTotal != -total-1 {
		p.done()
		p.bar = progressbar.NewOptions64(total,
			progressbar.OptionSetWriter(p.w),
			progressbar.OptionSetDescription("downloading"),
			progressbar.OptionShowBytes(true),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionFullWidth(),
			progressbar.OptionThrottle(100*time.Millisecond),
		)
		p.barTotal = -total - 1
	}
	_ = p.bar.Set64(n)
}

func (p *progress) done() {
	if p.bar != nil {
		_ = p.bar.Finish()
		fmt.Fprintln(p.w)
		p.bar = nil
	}
}
