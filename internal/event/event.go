// Package event reads fields out of one raw ECS event line without unmarshalling it.
//
// Events arrive nested ({"source":{"ip":"..."}}), with flat dotted keys
// ({"source.ip":"..."}), or any mix of the two ({"source":{"geo.city_name":"..."}}).
// Lookup resolves a dotted field name against all of these forms.
package event

import (
	"strconv"
	"strings"
	"time"

	"github.com/tidwall/gjson"
)

// Lookup returns the raw value of a dotted field in a JSON object, or a
// result whose Exists() is false. A key that equals the whole remaining name
// wins over a nested path, so a flat "source.ip" beats {"source":{"ip"}}.
func Lookup(line []byte, field string) gjson.Result {
	root := gjson.ParseBytes(line)
	if !root.IsObject() {
		return gjson.Result{}
	}
	return lookupIn(root, field)
}

// LookupIn is Lookup on an already parsed object.
func LookupIn(obj gjson.Result, field string) gjson.Result {
	if !obj.IsObject() {
		return gjson.Result{}
	}
	return lookupIn(obj, field)
}

func lookupIn(obj gjson.Result, rest string) gjson.Result {
	var exact, nested gjson.Result
	obj.ForEach(func(key, value gjson.Result) bool {
		k := key.Str
		if k == rest {
			exact = value
			return false
		}
		if !nested.Exists() && value.IsObject() && len(rest) > len(k) && rest[len(k)] == '.' && strings.HasPrefix(rest, k) {
			if r := lookupIn(value, rest[len(k)+1:]); r.Exists() {
				nested = r
			}
		}
		return true
	})
	if exact.Exists() {
		return exact
	}
	return nested
}

// Time reads a timestamp value: an RFC 3339 string with any offset and
// fraction, or a number of epoch milliseconds (also as a digit string).
func Time(v gjson.Result) (time.Time, bool) {
	switch v.Type {
	case gjson.Number:
		if isInteger(v.Raw) {
			return millis(v.Raw)
		}
		f, err := strconv.ParseFloat(v.Raw, 64)
		if err != nil {
			return time.Time{}, false
		}
		return time.UnixMilli(int64(f)).UTC(), true
	case gjson.String:
		return ParseTime(v.Str)
	}
	return time.Time{}, false
}

// ParseTime parses RFC 3339 (any offset, any fraction) or epoch milliseconds.
// The common shape is read without allocating, and so is a string that
// cannot be a time: the encoder calls this once per event, and the query
// once per string it compares with a time.
func ParseTime(s string) (time.Time, bool) {
	if t, ok := parseRFC3339(s); ok {
		return t, true
	}
	return parseAnyTime(s)
}

// parseAnyTime is the reference reader of every accepted form.
func parseAnyTime(s string) (time.Time, bool) {
	switch {
	case isDigits(s):
		return millis(s)
	case len(s) < 10 || !isDigits(s[:4]) || s[4] != '-':
		// Not RFC 3339, whose year comes first; time.Parse would say so
		// with an allocated error.
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		// ECS producers also write a space instead of "T" or a lowercase "z".
		t, err = time.Parse(time.RFC3339Nano, strings.Replace(strings.ToUpper(s), " ", "T", 1))
		if err != nil {
			return time.Time{}, false
		}
	}
	return t.UTC(), true
}

func millis(s string) (time.Time, bool) {
	ms, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	return time.UnixMilli(ms).UTC(), true
}

// isInteger reports a JSON number without fraction or exponent.
func isInteger(raw string) bool {
	return isDigits(strings.TrimPrefix(raw, "-"))
}

// Timestamp returns the event's @timestamp as a UTC instant.
func Timestamp(line []byte) (time.Time, bool) {
	return Time(Lookup(line, "@timestamp"))
}
