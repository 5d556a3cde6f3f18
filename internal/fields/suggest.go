package fields

import (
	"cmp"
	"path"
	"slices"
	"sort"
	"strings"
)

const (
	maxSuggestions = 3
	maxExamples    = 2 // for wildcard and group errors, which only illustrate
)

// segmentAliases are the abbreviations analysts bring from other SIEMs and
// firewalls; edit distance alone ranks "src.ip" far from "source.ip".
var segmentAliases = map[string]string{
	"src":       "source",
	"dst":       "destination",
	"dest":      "destination",
	"proc":      "process",
	"usr":       "user",
	"hostname":  "host.name",
	"username":  "user.name",
	"msg":       "message",
	"timestamp": "@timestamp",
	"ts":        "@timestamp",
}

type candidate struct {
	name string
	tier int // 0 case slip, 1 alias, 2 edit distance, 3 same last segment
	dist int
}

// suggest proposes up to maxSuggestions exportable fields for an unknown
// name: a case-insensitive match, an alias expansion, names within a small
// edit distance (at most 1 + len/4, capped at 3), then names sharing the last
// segment ("ip" -> source.ip, destination.ip). Fields of the presets rank first
// among equals because they are what analysts usually mean.
func (s *Schema) suggest(field string) []string {
	lf := strings.ToLower(field)
	var cands []candidate
	if n, ok := s.folded[lf]; ok {
		cands = append(cands, candidate{name: n, tier: 0})
	}
	if n, ok := s.folded[expandAliases(lf)]; ok {
		cands = append(cands, candidate{name: n, tier: 1})
	}
	maxDist := min(3, 1+len(lf)/4)
	lastSeg := lf[strings.LastIndexByte(lf, '.')+1:]
	var rows [2][]int
	for i, n := range s.names {
		ln := s.lower[i]
		if d, ok := boundedLevenshtein(lf, ln, maxDist, &rows); ok {
			cands = append(cands, candidate{name: n, tier: 2, dist: d})
			continue
		}
		if lastSeg != "" && strings.HasSuffix(ln, lastSeg) && (len(ln) == len(lastSeg) || ln[len(ln)-len(lastSeg)-1] == '.') {
			// Length difference stands in for distance: same-leaf names differ
			// only in their prefix, and it favours the shallow, common ones.
			cands = append(cands, candidate{name: n, tier: 3, dist: len(ln) - len(lf)})
		}
	}
	slices.SortFunc(cands, func(a, b candidate) int {
		return cmp.Or(
			cmp.Compare(a.tier, b.tier),
			sameLeafPreset(a, b),
			cmp.Compare(a.dist, b.dist),
			preferPreset(a.name, b.name),
			cmp.Compare(strings.Count(a.name, "."), strings.Count(b.name, ".")),
			strings.Compare(a.name, b.name),
		)
	})
	out := make([]string, 0, maxSuggestions)
	for _, c := range cands {
		if len(out) == maxSuggestions {
			break
		}
		if !slices.Contains(out, c.name) {
			out = append(out, c.name)
		}
	}
	return out
}

func expandAliases(lf string) string {
	segs := strings.Split(lf, ".")
	for i, sg := range segs {
		if a, ok := segmentAliases[sg]; ok {
			segs[i] = a
		}
	}
	return strings.Join(segs, ".")
}

// sameLeafPreset ranks preset fields first among same-leaf matches: for "ip"
// the closest spelling (host.ip) is a worse guess than source.ip.
func sameLeafPreset(a, b candidate) int {
	if a.tier == 3 && b.tier == 3 {
		return preferPreset(a.name, b.name)
	}
	return 0
}

func preferPreset(a, b string) int {
	pa, pb := presetFields[a], presetFields[b]
	switch {
	case pa && !pb:
		return -1
	case pb && !pa:
		return 1
	}
	return 0
}

// children returns up to n exportable fields under prefix, preset fields and
// shallow names first, to illustrate what a group contains.
func (s *Schema) children(prefix string, n int) []string {
	p := prefix + "."
	i := sort.SearchStrings(s.names, p)
	j := i
	for j < len(s.names) && strings.HasPrefix(s.names[j], p) {
		j++
	}
	return pick(s.names[i:j], n)
}

// matches returns up to n exportable fields a wildcard pattern would have
// selected, so the error can show what to write instead.
func (s *Schema) matches(pattern string, n int) []string {
	// "source.*" is by far the common case and must also cover deeper names.
	if strings.HasSuffix(pattern, ".*") && !strings.ContainsAny(pattern[:len(pattern)-2], "*?") {
		return s.children(pattern[:len(pattern)-2], n)
	}
	var all []string
	for _, name := range s.names {
		if ok, err := path.Match(pattern, name); err == nil && ok {
			all = append(all, name)
		}
	}
	return pick(all, n)
}

func pick(names []string, n int) []string {
	ranked := slices.Clone(names)
	slices.SortStableFunc(ranked, func(a, b string) int {
		return cmp.Or(preferPreset(a, b), cmp.Compare(strings.Count(a, "."), strings.Count(b, ".")))
	})
	return ranked[:min(n, len(ranked))]
}

// boundedLevenshtein returns the edit distance of a and b when it is at most
// max. It gives up as soon as the bound is exceeded, which keeps a scan over
// the whole schema well under a millisecond.
func boundedLevenshtein(a, b string, max int, rows *[2][]int) (int, bool) {
	if d := len(a) - len(b); d > max || -d > max {
		return 0, false
	}
	if cap(rows[0]) < len(b)+1 {
		rows[0] = make([]int, len(b)+1, 2*len(b)+2)
		rows[1] = make([]int, len(b)+1, 2*len(b)+2)
	}
	prev, cur := rows[0][:len(b)+1], rows[1][:len(b)+1]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > max {
			return 0, false
		}
		prev, cur = cur, prev
	}
	return prev[len(b)], prev[len(b)] <= max
}
