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

// Codes returns every error code.
func Codes() []string {
	return []string{EINVALID, EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND, ECONFLICT, ETOOLARGE, EUNPROCESSABLE, ERATELIMITED, EINTERNAL}
}

// Error is the domain error: a code, a message for the person using the
// product (a stable key, its arguments and the English text rendered from
// them) and optional per-field messages keyed by the JSON path of the field.
type Error struct {
	Code   string
	Msg    Message
	Fields map[string]Message
}

func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return fmt.Sprintf("roadshow error: code=%s key=%s message=%s", e.Code, e.Msg.Key, e.Msg.Message)
	}
	fields := make(map[string]string, len(e.Fields))
	for f, m := range e.Fields {
		fields[f] = m.Key
	}
	return fmt.Sprintf("roadshow error: code=%s key=%s message=%s fields=%v", e.Code, e.Msg.Key, e.Msg.Message, fields)
}

// NewError returns an *Error with the message registered under key.
func NewError(code, key string, args Args) *Error {
	return &Error{Code: code, Msg: Msg(key, args)}
}

// FieldErrors returns an *Error naming every bad field.
func FieldErrors(code, key string, fields map[string]Message) *Error {
	return &Error{Code: code, Msg: Msg(key, nil), Fields: fields}
}

// CodeError returns an error with only a code and that code's generic
// message ("error.<code>"). Stores return these: they know what failed, not
// how to say it; the service that called them gives the message (Rekey).
func CodeError(code string) *Error {
	return &Error{Code: code, Msg: Msg(genericKey(code), nil)}
}

// genericKey is the key of the message that goes with a bare code.
func genericKey(code string) string { return "error." + code }

// Rekey gives err the message key (and args) when it is a bare code (see
// CodeError), so that a store's "not found" reaches the user as
// "Application not found.". Field errors are kept; every other error,
// messages that already say something included, is returned as it is.
func Rekey(err error, code, key string, args Args) error {
	var e *Error
	if !errors.As(err, &e) || e.Code != code || e.Msg.Key != genericKey(code) {
		return err
	}
	return &Error{Code: code, Msg: Msg(key, args), Fields: e.Fields}
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

// ErrorMsg returns the message of err, hiding the details of internal errors.
func ErrorMsg(err error) Message {
	var e *Error
	if err == nil {
		return Message{}
	} else if errors.As(err, &e) && e.Code != EINTERNAL {
		return e.Msg
	}
	return Msg(genericKey(EINTERNAL), nil)
}

// ErrorMessage returns the English message of err, hiding the details of
// internal errors.
func ErrorMessage(err error) string { return ErrorMsg(err).Message }

// ErrorFields returns the field errors of err, if any.
func ErrorFields(err error) map[string]Message {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// Validator collects field errors so that a caller can report every problem
// with a request at once instead of the first one.
type Validator struct {
	fields map[string]Message
}

// Add records the message key (with args) for field unless that field
// already has a message.
func (v *Validator) Add(field, key string, args Args) {
	v.add(field, Msg(key, args))
}

func (v *Validator) add(field string, m Message) {
	if v.fields == nil {
		v.fields = make(map[string]Message)
	}
	if _, ok := v.fields[field]; !ok {
		v.fields[field] = m
	}
}

// Check adds the message for field when ok is false.
func (v *Validator) Check(ok bool, field, key string, args Args) {
	if !ok {
		v.Add(field, key, args)
	}
}

// Merge records the field errors of err, their paths prefixed with prefix;
// an error without fields is recorded under prefix itself (without its
// trailing dot).
func (v *Validator) Merge(prefix string, err error) {
	if err == nil {
		return
	}
	fields := ErrorFields(err)
	if len(fields) == 0 {
		v.add(trimDot(prefix), ErrorMsg(err))
		return
	}
	for f, m := range fields {
		v.add(prefix+f, m)
	}
}

func trimDot(s string) string {
	if n := len(s); n > 0 && s[n-1] == '.' {
		return s[:n-1]
	}
	return s
}

// Valid reports whether no field error was recorded.
func (v *Validator) Valid() bool { return len(v.fields) == 0 }

// Err returns nil when valid, else an error with the given code and message
// key naming every field.
func (v *Validator) Err(code, key string) error {
	if v.Valid() {
		return nil
	}
	return FieldErrors(code, key, v.fields)
}
