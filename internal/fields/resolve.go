package fields

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// MaxFields bounds an export's field list. Wider exports are better served by
// the raw event archive, and the bound also caps the work one request can ask
// of the validator.
const MaxFields = 200

// maxNameLen is far above the longest ECS name (66 bytes); anything
// longer is a paste accident, and echoing it whole would bury the message.
const maxNameLen = 256

// maxReported caps how many problems one error lists; past that, more detail
// does not help the analyst and costs a suggestion scan each.
const maxReported = 10

// Resolve turns a request into the final ordered field list: preset fields
// first, presets in the order given, then the explicit fields, keeping only the
// first occurrence of each field. A request with neither gets Default.
//
// Every problem found is reported (up to a small cap): a single one as an
// *Error, several joined with errors.Join, so errors.As still finds the first.
func (s *Schema) Resolve(presetList, fieldList []string) ([]string, error) {
	if len(fieldList) > MaxFields {
		return nil, tooMany(len(fieldList))
	}
	var errs []error
	out := make([]string, 0, len(fieldList)+8)
	seen := make(map[string]bool, len(fieldList)+8)
	add := func(f string) {
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	badPreset, badField := map[string]bool{}, map[string]bool{}
	for _, p := range presetList {
		fs, ok := presets[p]
		if !ok {
			if !badPreset[p] && len(errs) < maxReported {
				badPreset[p] = true
				errs = append(errs, unknownPreset(p))
			}
			continue
		}
		for _, f := range fs {
			add(f)
		}
	}
	for _, f := range fieldList {
		if seen[f] || badField[f] {
			continue
		}
		if len(errs) >= maxReported {
			break
		}
		if err := s.Check(f); err != nil {
			badField[f] = true
			errs = append(errs, err)
			continue
		}
		add(f)
	}
	switch {
	case len(errs) == 1:
		return nil, errs[0]
	case len(errs) > 1:
		return nil, errors.Join(errs...)
	case len(out) == 0:
		return slices.Clone(Default), nil
	case len(out) > MaxFields:
		return nil, tooMany(len(out))
	}
	return out, nil
}

// ParseList splits a CLI flag or environment value such as
// "@timestamp, source.ip,message" into names. An all-blank value means "none"
// (an unset variable) and yields nil; an empty item inside a list is almost
// always a typo, so it is an error rather than silently dropped.
func ParseList(s string) ([]string, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	parts := strings.Split(s, ",")
	for i, p := range parts {
		parts[i] = strings.TrimSpace(p)
		if parts[i] == "" {
			return nil, &Error{Reason: "empty item",
				msg: fmt.Sprintf("item %d of %q is empty; remove the extra comma", i+1, s)}
		}
	}
	return parts, nil
}
