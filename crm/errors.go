package crm

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// ErrorKind classifies provider errors so the UI, CLI and HTTP layer can
// explain them and decide on retries without knowing the provider.
type ErrorKind int

const (
	KindUnknown ErrorKind = iota
	KindNotFound
	KindUnauthorized
	KindForbidden
	KindRateLimited
	KindValidation
	KindConflict
	KindUnsupported
	KindTransient
	KindBadResponse // the provider answered something we cannot read
	KindNotModified // a conditional list found nothing new
	// KindUnknownOutcome: a write was sent but neither the provider's
	// documented answer nor a re-read shows whether it was applied (lost or
	// truncated answer, an HTML page instead of JSON, a failed re-read).
	// Never report such a write as failed: it may have happened.
	KindUnknownOutcome
)

var kindNames = map[ErrorKind]string{
	KindUnknown:      "error",
	KindNotFound:     "not found",
	KindUnauthorized: "unauthorized",
	KindForbidden:    "forbidden",
	KindRateLimited:  "rate limited",
	KindValidation:   "invalid",
	KindConflict:     "conflict",
	KindUnsupported:  "unsupported",
	KindTransient:    "temporarily unavailable",
	KindBadResponse:  "bad response",
	KindNotModified:  "not modified",
	// The words the brief fixes: the user must not read this as "failed".
	KindUnknownOutcome: "outcome unknown: the provider may have applied this change",
}

func (k ErrorKind) String() string { return kindNames[k] }

// Sentinels for errors.Is; an *Error matches the sentinel of its kind.
var (
	ErrNotFound       = &Error{Kind: KindNotFound}
	ErrUnauthorized   = &Error{Kind: KindUnauthorized}
	ErrForbidden      = &Error{Kind: KindForbidden}
	ErrRateLimited    = &Error{Kind: KindRateLimited}
	ErrValidation     = &Error{Kind: KindValidation}
	ErrConflict       = &Error{Kind: KindConflict}
	ErrUnsupported    = &Error{Kind: KindUnsupported}
	ErrTransient      = &Error{Kind: KindTransient}
	ErrBadResponse    = &Error{Kind: KindBadResponse}
	ErrNotModified    = &Error{Kind: KindNotModified}
	ErrUnknownOutcome = &Error{Kind: KindUnknownOutcome}
)

// IsUnknownOutcome reports whether err says a write may or may not have been
// applied; callers show it as "unknown" (never "failed") and settle it by
// reading the record again.
func IsUnknownOutcome(err error) bool {
	return KindOf(err) == KindUnknownOutcome
}

// UnknownOutcome builds the error for a write whose result Roster cannot
// tell; cause is what went wrong with the answer (kept for errors.As/Is of
// the cause's own kind only through Err).
func UnknownOutcome(provider, op string, cause error) error {
	return &Error{Kind: KindUnknownOutcome, Provider: provider, Op: op, Err: cause}
}

// Error is a provider error with the provider's own words.
type Error struct {
	Kind     ErrorKind
	Provider string // config name or kind, e.g. "apideck"
	Op       string // what Roster was doing, e.g. "update user 42"
	Status   int    // HTTP status, 0 when none
	Code     string // the provider's error code or type name
	Message  string // what the provider said, verbatim (sanitised before display)
	// RetryAfter is how long the provider asked to wait (rate limits).
	RetryAfter time.Duration
	// Fields holds per-field messages of a validation error, keyed by the
	// provider's field key.
	Fields map[string]string
	Err    error // underlying cause, if any
}

func (e *Error) Error() string {
	var b strings.Builder
	if e.Provider != "" {
		b.WriteString(e.Provider)
		b.WriteString(": ")
	}
	if e.Op != "" {
		b.WriteString(e.Op)
		b.WriteString(": ")
	}
	b.WriteString(e.Kind.String())
	if e.Status != 0 {
		fmt.Fprintf(&b, " (HTTP %d", e.Status)
		if e.Code != "" {
			b.WriteString(" ")
			b.WriteString(e.Code)
		}
		b.WriteString(")")
	} else if e.Code != "" {
		fmt.Fprintf(&b, " (%s)", e.Code)
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if len(e.Fields) > 0 {
		keys := make([]string, 0, len(e.Fields))
		for k := range e.Fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(&b, "; %s: %s", k, e.Fields[k])
		}
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter.Round(time.Second))
	}
	if e.Err != nil && e.Message == "" {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Is makes errors.Is(err, crm.ErrNotFound) true for every not-found error.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Kind == e.Kind && t.Provider == "" && t.Op == "" && t.Status == 0
}

// KindOf returns the kind of err, KindUnknown when it is not a *Error.
func KindOf(err error) ErrorKind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindUnknown
}

// AsError returns err's *Error, or nil.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// ReadOnly builds the refusal of a write to a provider the config marks
// read-only; nothing was sent.
func ReadOnly(provider, op string) error {
	return &Error{Kind: KindForbidden, Provider: provider, Op: op, Message: "this provider is configured read-only"}
}

// WithOp names the provider and operation on an error that does not say
// them: an *Error built without them (by the HTTP client, a decoder, a
// check) comes back as a copy with them filled in; any other error is
// prefixed with both. An error that wraps an *Error already has its context
// and is returned as is, as is nil.
func WithOp(err error, provider, op string) error {
	if err == nil {
		return nil
	}
	if e, ok := err.(*Error); ok {
		named := *e
		if named.Provider == "" {
			named.Provider = provider
		}
		if named.Op == "" {
			named.Op = op
		}
		return &named
	}
	if AsError(err) != nil {
		return err
	}
	return fmt.Errorf("%s: %s: %w", provider, op, err)
}

// Unsupported builds the error for an operation a provider cannot do.
func Unsupported(provider, op string) error {
	return &Error{Kind: KindUnsupported, Provider: provider, Op: op, Message: "the provider does not support this"}
}

// KindForStatus maps an HTTP status to the kind most providers mean by it.
// Adapters refine it with the provider's own codes.
func KindForStatus(status int) ErrorKind {
	switch {
	case status == 304:
		return KindNotModified
	case status == 401:
		return KindUnauthorized
	case status == 403:
		return KindForbidden
	case status == 404 || status == 410:
		return KindNotFound
	case status == 405 || status == 501:
		return KindUnsupported
	case status == 409 || status == 412:
		return KindConflict
	case status == 400 || status == 422:
		return KindValidation
	case status == 429:
		return KindRateLimited
	case status >= 500:
		return KindTransient
	}
	return KindUnknown
}
