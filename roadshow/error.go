package roadshow

import (
	"errors"
	"fmt"
)

// Error codes. They are stable API values: clients switch on them, and
// internal/http maps each one to exactly one HTTP status.
const (
	EINVALID       = "invalid"
	EUNAUTHORIZED  = "unauthorized"
	EFORBIDDEN     = "forbidden"
	ENOTFOUND      = "not_found"
	ECONFLICT      = "conflict"
	ETOOLARGE      = "too_large"
	EUNPROCESSABLE = "unprocessable"
	ERATELIMITED   = "rate_limited"
	EINTERNAL      = "internal"
)

// Error is the domain error: a code, a message meant for the person using the
// product, and optional per-field messages keyed by the JSON path of the field.
type Error struct {
	Code    string
	Message string
	Fields  map[string]string
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return fmt.Sprintf("roadshow error: code=%s message=%s", e.Code, e.Message)
	}
	return fmt.Sprintf("roadshow error: code=%s message=%s fields=%v", e.Code, e.Message, e.Fields)
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldErrors returns an EINVALID-style error naming every bad field.
func FieldErrors(code, message string, fields map[string]string) *Error {
	return &Error{Code: code, Message: message, Fields: fields}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for
// any other non-nil error and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the human message of err, hiding the details of
// internal errors.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}

// ErrorFields returns the field errors of err, if any.
func ErrorFields(err error) map[string]string {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// Validator collects field errors so that a caller can report every problem
// with a request at once instead of the first one.
type Validator struct {
	fields map[string]string
}

// Add records msg for field unless that field already has a message.
func (v *Validator) Add(field, msg string) {
	if v.fields == nil {
		v.fields = make(map[string]string)
	}
	if _, ok := v.fields[field]; !ok {
		v.fields[field] = msg
	}
}

// Check adds msg for field when ok is false.
func (v *Validator) Check(ok bool, field, msg string) {
	if !ok {
		v.Add(field, msg)
	}
}

// Valid reports whether no field error was recorded.
func (v *Validator) Valid() bool { return len(v.fields) == 0 }

// Err returns nil when valid, else an error with the given code naming every field.
func (v *Validator) Err(code, message string) error {
	if v.Valid() {
		return nil
	}
	return FieldErrors(code, message, v.fields)
}
