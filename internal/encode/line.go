package encode

// Line appends the projection of one event line to dst (no newline); ok=false
// when the line is not a JSON object. Each field is resolved like
// event.Lookup: a key equal to the whole remaining name wins over a nested
// path, then the first nested match in key order. Values are copied byte for
// byte; absent fields are left out; a field listed twice is written once.
func Line(dst, line []byte, fields []string) (out []byte, ok bool) {
	pl := planFor(fields)
	p := pl.get()
	defer pl.put(p)
	if !p.scan(line) {
		return dst, false
	}
	return p.appendLine(dst, line), true
}

// appendLine writes the fields found by the last scan of line.
func (p *projector) appendLine(dst, line []byte) []byte {
	res := p.lv[0]
	dst = append(dst, '{')
	sep := false
	for i, key := range p.plan.keys {
		s := res[i]
		if s.end == 0 {
			continue
		}
		if sep {
			dst = append(dst, ',')
		}
		sep = true
		dst = append(dst, key...)
		dst = append(dst, line[s.start:s.end]...)
	}
	return append(dst, '}')
}
