package query
import ("runtime"; "strings"; "testing"; "syscall"; "time"; "fmt"; "github.com/tidwall/gjson"; "github.com/secops/eventexport/internal/event")
func cpu() time.Duration { var r syscall.Rusage; syscall.Getrusage(syscall.RUSAGE_THREAD, &r); return time.Duration(r.Utime.Nano()+r.Stime.Nano()) }
func measure(name string, n int, f func()) {
	best := time.Hour
	for rep := 0; rep < 5; rep++ {
		st := cpu()
		for i := 0; i < n; i++ { f() }
		if d := (cpu() - st) / time.Duration(n); d < best { best = d }
	}
	fmt.Printf("%-40s %v\n", name, best)
}
func TestScratchCPU(t *testing.T) {
	runtime.LockOSThread()
	root := gjson.Parse(ecsLine)
	var v [1]gjson.Result
	for _, f := range []string{"event.action", "nope"} {
		fs := []string{f}
		measure("event/"+f, 100000, func() { event.LookupIn(root, f) })
		measure("resolve/"+f, 100000, func() { resolve(root.Raw, fs, v[:]) })
	}
	measure("gjsonGet", 100000, func() { gjson.Get(ecsLine, "nope") })
	flat := []byte(flatten(t, ecsLine, false))
	for _, form := range []struct{n string; l []byte}{{"nested", []byte(ecsLine)}, {"flat", flat}} {
		for _, bq := range benchQueries {
			q := mustParse(t, bq.q)
			measure(form.n+"/"+bq.name, 50000, func() { q.Match(form.l) })
		}
	}
}
func BenchmarkScratchResolve(b *testing.B) {
	root := gjson.Parse(ecsLine)
	var v [1]gjson.Result
	fs := []string{"nope"}
	for b.Loop() { resolve(root.Raw, fs, v[:]) }
}
func scanStringOld(s string, i int) (int, bool) {
	j := i + 1
	for end := min(len(s), j+16); j < end; j++ {
		switch s[j] {
		case '"':
			return j + 1, false
		case '\\':
			return scanEscaped(s, j)
		}
	}
	q := strings.IndexByte(s[j:], '"')
	if q < 0 {
		return -1, false
	}
	if strings.IndexByte(s[j:j+q], '\\') < 0 {
		return j + q + 1, false
	}
	return scanEscaped(s, j)
}
func BenchmarkScratchScan(b *testing.B) {
	var starts []int
	for i := 0; i < len(ecsLine); i++ { if ecsLine[i] == '"' { e, _ := scanString(ecsLine, i); starts = append(starts, i); i = e - 1 } }
	b.Run("new", func(b *testing.B) { for b.Loop() { for _, s := range starts { scanString(ecsLine, s) } } })
	b.Run("old", func(b *testing.B) { for b.Loop() { for _, s := range starts { scanStringOld(ecsLine, s) } } })
	b.Run("new", func(b *testing.B) { for b.Loop() { for _, s := range starts { scanString(ecsLine, s) } } })
	b.Run("old", func(b *testing.B) { for b.Loop() { for _, s := range starts { scanStringOld(ecsLine, s) } } })
}
