package export

import (
	"errors"
	"fmt"
)

// Code classifies an error for clients and for the workflow's Catch rules.
type Code string

const (
	CodeInvalid       Code = "INVALID_REQUEST"
	CodeNotFound      Code = "NOT_FOUND"
	CodeUnauthorized  Code = "UNAUTHORIZED"
	CodeConflict      Code = "EXPORT_ALREADY_ACTIVE"
	CodeJobLimit      Code = "EXPORT_LIMIT_PER_JOB"
	CodeQuotaExceeded Code = "QUOTA_EXCEEDED"
	CodeEventLimit    Code = "EVENT_LIMIT_EXCEEDED"
	CodeGone          Code = "EXPORT_EXPIRED"
	CodeNotReady      Code = "EXPORT_NOT_READY"
	CodeCancelled     Code = "EXPORT_CANCELLED"
	CodeDestination   Code = "DESTINATION_REFUSED"
	CodeInternal      Code = "INTERNAL"
)

// Error is a failure a user can act on: Detail says what to change.
// Extra carries machine-readable context (the active export, quota usage...).
type Error struct {
	Code   Code
	Detail string
	Extra  map[string]any
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Code, e.Detail) }

// Errorf builds an *Error.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Detail: fmt.Sprintf(format, args...)}
}

// CodeOf returns the code of the first *Error in err's chain, or CodeInternal.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}
