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
	w     io.Writer
	tty   bool
	quiet bool
	bar   *progressbar.ProgressBar
	barOf barKey // what bar counts
	last  string
}

type barKey struct {
	download bool // bytes of the file, else events of the export
	total    int64
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
	p.show(barKey{total: e.Total}, "exporting", progressbar.OptionShowIts(), progressbar.OptionSetItsString("events"))
	_ = p.bar.Set64(e.Progress)
	p.bar.Describe(fmt.Sprintf("exporting (%d/%d chunks)", e.ChunksDone, e.ChunksTotal))
}

func (p *progress) bytes(n, total int64) {
	if p.quiet || !p.tty {
		return
	}
	p.show(barKey{download: true, total: total}, "downloading", progressbar.OptionShowBytes(true))
	_ = p.bar.Set64(n)
}

// show makes sure the bar counts what key says, finishing any other.
func (p *progress) show(key barKey, description string, options ...progressbar.Option) {
	if p.bar != nil && p.barOf == key {
		return
	}
	p.done()
	p.bar = progressbar.NewOptions64(key.total, append([]progressbar.Option{
		progressbar.OptionSetWriter(p.w),
		progressbar.OptionSetDescription(description),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionFullWidth(),
		progressbar.OptionThrottle(100 * time.Millisecond),
	}, options...)...)
	p.barOf = key
}

func (p *progress) done() {
	if p.bar != nil {
		_ = p.bar.Finish()
		fmt.Fprintln(p.w)
		p.bar = nil
	}
}
