package fields

import (
	"bufio"
	_ "embed"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
)

//go:embed ecs_fields.tsv
var ecsTSV string

type kind uint8

const (
	leaf  kind = iota
	group      // object/nested: names a subtree, not a value
	multi      // index-only multi-field under a leaf, e.g. user.name.text
)

type entry struct {
	typ   string
	array bool
	kind  kind
}

// Schema is the set of fields an export may name. It is immutable after
// construction and safe for concurrent use.
type Schema struct {
	entries map[string]entry  // every listed name, exportable or not
	names   []string          // exportable names, sorted, for prefix and suggestion scans
	lower   []string          // names[i] lower-cased
	folded  map[string]string // lower-cased exportable name -> name, to fix case slips
}

// ECS returns the schema of the embedded ECS list alone.
var ECS = sync.OnceValue(func() *Schema {
	s, err := NewSchema(nil)
	if err != nil {
		panic("fields: embedded ECS list: " + err.Error())
	}
	return s
})

var ecsEntries = sync.OnceValue(func() map[string]entry {
	m, err := parseTSV(ecsTSV)
	if err != nil {
		panic("fields: embedded ECS list: " + err.Error())
	}
	return m
})

func parseTSV(data string) (map[string]entry, error) {
	m := make(map[string]entry, 3000)
	sc := bufio.NewScanner(strings.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if n == 1 || line == "" {
			continue // header
		}
		cols := strings.Split(line, "\t")
		if len(cols) != 3 || cols[0] == "" || cols[1] == "" {
			return nil, fmt.Errorf("line %d: want field, type, array", n)
		}
		e := entry{typ: cols[1], array: cols[2] == "array"}
		if e.typ == "object" || e.typ == "nested" {
			e.kind = group
		}
		m[cols[0]] = e
	}
	for name, e := range m {
		if e.kind == leaf {
			if _, ok := parentLeaf(m, name); ok {
				e.kind = multi
				m[name] = e
			}
		}
	}
	return m, sc.Err()
}

// parentLeaf finds a listed leaf (non-group) ancestor of name. A leaf value
// cannot have children in a stored event, so anything under one is either an
// index-only multi-field (ECS) or a conflict (custom).
func parentLeaf(m map[string]entry, name string) (string, bool) {
	for i := strings.LastIndexByte(name, '.'); i > 0; i = strings.LastIndexByte(name[:i], '.') {
		if e, ok := m[name[:i]]; ok && e.typ != "object" && e.typ != "nested" {
			return name[:i], true
		}
	}
	return "", false
}

// NewSchema returns ECS plus operator-configured custom fields, which are
// exported as keyword values. A custom field must be a concrete dotted name
// that does not clash with the structure of ECS or of the other custom fields.
func NewSchema(custom []string) (*Schema, error) {
	entries := maps.Clone(ecsEntries())
	var added []string
	for _, c := range custom {
		if err := checkCustomName(c); err != nil {
			return nil, err
		}
		if e, ok := entries[c]; ok {
			if e.kind == leaf {
				continue // already exportable; keep the ECS type
			}
			return nil, badCustom(c, fmt.Sprintf("ECS defines it as %s; configure its leaf fields instead", describe(c, e, entries)))
		}
		if p, ok := parentLeaf(entries, c); ok {
			return nil, badCustom(c, fmt.Sprintf("it would sit inside the single-value field %q", p))
		}
		entries[c] = entry{typ: "keyword"}
		added = append(added, c)
	}
	s := &Schema{entries: entries, folded: make(map[string]string, len(entries))}
	for name, e := range entries {
		if e.kind == leaf {
			s.names = append(s.names, name)
		}
	}
	sort.Strings(s.names)
	for _, c := range added {
		if ch := s.children(c, 1); len(ch) > 0 {
			return nil, badCustom(c, fmt.Sprintf("it is a group that contains %q; configure only leaf fields", ch[0]))
		}
	}
	// Reverse order so that, on a case-folding collision, the first name in
	// sort order wins and the result does not depend on map iteration.
	s.lower = make([]string, len(s.names))
	for i, n := range slices.Backward(s.names) {
		s.lower[i] = strings.ToLower(n)
		s.folded[s.lower[i]] = n
	}
	return s, nil
}

func describe(name string, e entry, m map[string]entry) string {
	if e.kind == multi {
		p, _ := parentLeaf(m, name)
		return fmt.Sprintf("an index-only multi-field of %q", p)
	}
	return "a group of fields (" + e.typ + ")"
}

func checkCustomName(c string) error {
	switch {
	case c == "":
		return badCustom(c, "the name is empty")
	case len(c) > maxNameLen:
		return badCustom(c[:40]+"...", fmt.Sprintf("the name is longer than %d bytes", maxNameLen))
	case strings.ContainsAny(c, "*?"):
		return badCustom(c, "wildcards are not allowed; list each field")
	case strings.HasPrefix(c, ".") || strings.HasSuffix(c, ".") || strings.Contains(c, ".."):
		return badCustom(c, "the name has an empty segment")
	case strings.IndexFunc(c, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0:
		return badCustom(c, "the name contains whitespace or control characters")
	}
	return nil
}

// Type returns the field's ECS type ("ip", "date", "keyword", "long", ...),
// "keyword" for custom fields, and false when the field is not exportable.
func (s *Schema) Type(field string) (string, bool) {
	e, ok := s.entries[field]
	if !ok || e.kind != leaf {
		return "", false
	}
	return e.typ, true
}

// IsArray reports whether ECS normalises the exportable field to an array.
func (s *Schema) IsArray(field string) bool {
	e, ok := s.entries[field]
	return ok && e.kind == leaf && e.array
}

// Fields returns every exportable field, sorted.
func (s *Schema) Fields() []string {
	return slices.Clone(s.names)
}

// Check returns nil when field may be exported, or an *Error saying what to
// use instead.
func (s *Schema) Check(field string) error {
	if e, ok := s.entries[field]; ok {
		switch e.kind {
		case leaf:
			return nil
		case multi:
			p, _ := parentLeaf(s.entries, field)
			return multiField(field, p)
		}
		return groupField(field, s.children(field, maxExamples))
	}
	switch t := strings.TrimSpace(field); {
	case len(field) > maxNameLen:
		return tooLong(field)
	case field == "":
		return emptyField()
	case t == "":
		return blankField(field)
	case t != field:
		if s.Check(t) == nil {
			return spacedField(field, t)
		}
		return unknownField(field, s.suggest(t))
	case strings.ContainsAny(field, "*?"):
		return wildcardField(field, s.matches(field, maxExamples))
	}
	if ch := s.children(field, maxExamples); len(ch) > 0 {
		return groupField(field, ch)
	}
	return unknownField(field, s.suggest(field))
}
