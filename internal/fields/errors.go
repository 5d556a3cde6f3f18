package fields

import (
	"fmt"
	"strings"
)

// Error reports one unusable field, preset or list. Field and Reason are short
// enough to show in an API response next to the input; Error() is the full
// sentence, which always says what to change.
type Error struct {
	Field       string   // the offending name as given; empty when the whole list is at fault
	Reason      string   // short cause, e.g. "not in the schema", "wildcard"
	Suggestions []string // fields to use instead, best first; may be empty

	msg string
}

func (e *Error) Error() string {
	if e.msg != "" {
		return e.msg
	}
	// Zero-value-friendly fallback for Errors built outside this package.
	s := fmt.Sprintf("field %q: %s", e.Field, e.Reason)
	if len(e.Suggestions) > 0 {
		s += "; did you mean " + orList(e.Suggestions) + "?"
	}
	return s
}

func unknownField(f string, sugg []string) *Error {
	msg := fmt.Sprintf("field %q is not in the schema; ", f)
	if len(sugg) > 0 {
		msg += "did you mean " + orList(sugg) + "?"
	} else {
		msg += "check the spelling, or ask an operator to add it as a custom field"
	}
	return &Error{Field: f, Reason: "not in the schema", Suggestions: sugg, msg: msg}
}

func wildcardField(f string, examples []string) *Error {
	return &Error{Field: f, Reason: "wildcard", Suggestions: examples,
		msg: fmt.Sprintf("field %q is a wildcard; list the fields explicitly%s", f, forExample(examples))}
}

func groupField(f string, examples []string) *Error {
	e := &Error{Field: f, Reason: "group of fields", Suggestions: examples}
	if len(examples) == 0 {
		// ECS leaves the keys of some objects (labels, container.labels) open.
		e.msg = fmt.Sprintf("field %q is a group of fields, not a single value, and its keys are site-specific; ask an operator to configure the keys you need (such as %q) as custom fields", f, f+".<key>")
	} else {
		e.msg = fmt.Sprintf("field %q is a group of fields, not a single value; list the fields you need%s", f, forExample(examples))
	}
	return e
}

func multiField(f, parent string) *Error {
	return &Error{Field: f, Reason: "index-only multi-field", Suggestions: []string{parent},
		msg: fmt.Sprintf("field %q exists only in the search index, not in stored events; use %q", f, parent)}
}

func emptyField() *Error {
	return &Error{Reason: "empty name", msg: "a field name is empty; remove it from the list"}
}

func blankField(f string) *Error {
	return &Error{Field: f, Reason: "blank name", msg: fmt.Sprintf("field %q is only whitespace; remove it from the list", f)}
}

func spacedField(f, trimmed string) *Error {
	return &Error{Field: f, Reason: "leading or trailing whitespace", Suggestions: []string{trimmed},
		msg: fmt.Sprintf("field %q has leading or trailing whitespace; use %q", f, trimmed)}
}

func tooLong(f string) *Error {
	return &Error{Field: f, Reason: "name too long",
		msg: fmt.Sprintf("field %q... is %d bytes long, longer than any field; check what was pasted", f[:40], len(f))}
}

func tooMany(n int) *Error {
	return &Error{Reason: "too many fields",
		msg: fmt.Sprintf("%d fields requested, the limit is %d; export fewer fields, or split the export", n, MaxFields)}
}

func unknownPreset(p string) *Error {
	return &Error{Field: p, Reason: "unknown preset",
		msg: fmt.Sprintf("unknown preset %q; presets are %s", p, strings.Join(presetNames, ", "))}
}

func badCustom(f, why string) *Error {
	return &Error{Field: f, Reason: why, msg: fmt.Sprintf("custom field %q: %s", f, why)}
}

func forExample(examples []string) string {
	if len(examples) == 0 {
		return ""
	}
	q := make([]string, len(examples))
	for i, e := range examples {
		q[i] = fmt.Sprintf("%q", e)
	}
	return " (for example " + strings.Join(q, ", ") + ")"
}

func orList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = fmt.Sprintf("%q", s)
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}
