package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/roster-tui/roster/config"
	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/ui/termtext"
)

// Exit codes a script can act on (documented in the README, "Exit codes").
const (
	exitOK           = 0 // success, including "nothing to change"
	exitOther        = 1 // anything not listed below
	exitUsage        = 2 // bad flags or arguments, missing or invalid config
	exitNotFound     = 3
	exitNotAllowed   = 4 // unauthorised, forbidden, read-only, role
	exitConflict     = 5
	exitUnreachable  = 6 // unreachable or rate limited after the retries
	exitValidation   = 7 // the provider refused a value
	exitUnknownWrite = 8 // the provider may have applied the change
)

// usageError is a mistake in how roster was called or configured: exit 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usageErrorf(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// configError is a config file that does not load: exit 2 as well.
type configError struct{ err error }

func (e configError) Error() string { return e.err.Error() }
func (e configError) Unwrap() error { return e.err }

// notAllowedError: the provider or role does not allow this: exit 4.
type notAllowedError struct{ err error }

func (e notAllowedError) Error() string { return e.err.Error() }
func (e notAllowedError) Unwrap() error { return e.err }

func notAllowedf(format string, args ...any) error {
	return notAllowedError{fmt.Errorf(format, args...)}
}

// validationError is a value refused before anything was sent (a --set or
// file value its field cannot take): exit 7, as when the provider refuses one.
type validationError struct{ err error }

func (e validationError) Error() string { return e.err.Error() }
func (e validationError) Unwrap() error { return e.err }

func validationErrorf(format string, args ...any) error {
	return validationError{fmt.Errorf(format, args...)}
}

// exitCode is the one mapping from an error to the process's exit code.
func exitCode(err error) int {
	if err == nil {
		return exitOK
	}
	var ue usageError
	var ce configError
	var na notAllowedError
	var vce *config.ViewsError // a config's views that do not fit the provider
	if errors.As(err, &ue) || errors.As(err, &ce) || errors.As(err, &vce) {
		return exitUsage
	}
	if errors.As(err, &na) {
		return exitNotAllowed
	}
	var ve validationError
	if errors.As(err, &ve) {
		return exitValidation
	}
	if errors.Is(err, crm.ErrConflict) { // *crm.ConflictError, from a checked save
		return exitConflict
	}
	var pe *crm.Error
	if !errors.As(err, &pe) {
		if isCobraUsage(err) {
			return exitUsage
		}
		return exitOther
	}
	switch pe.Kind {
	case crm.KindNotFound:
		return exitNotFound
	case crm.KindUnauthorized, crm.KindForbidden:
		return exitNotAllowed
	case crm.KindConflict:
		return exitConflict
	case crm.KindTransient, crm.KindRateLimited:
		return exitUnreachable
	case crm.KindValidation:
		return exitValidation
	case crm.KindUnknownOutcome:
		return exitUnknownWrite
	}
	return exitOther
}

// isCobraUsage recognises cobra's and pflag's own argument errors, which
// come as plain errors.
func isCobraUsage(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand flag", "invalid argument", "flag needs an argument", "accepts ", "requires at least", "requires at most", "required flag", "if any flags in the group"} {
		if strings.HasPrefix(msg, p) || strings.Contains(msg, " "+p) {
			return true
		}
	}
	return false
}

// wantsJSON reports whether the command that ran was asked for --json.
func wantsJSON(cmd *cobra.Command) bool {
	if cmd == nil {
		return false
	}
	f := cmd.Flags().Lookup("json")
	return f != nil && f.Value.String() == "true"
}

// jsonError is what --json prints on stderr for a failed command.
type jsonError struct {
	Kind      string            `json:"kind"`
	Provider  string            `json:"provider,omitempty"`
	Operation string            `json:"operation,omitempty"`
	Status    int               `json:"status,omitempty"`
	Message   string            `json:"message"`
	Fields    map[string]string `json:"fields,omitempty"`
	Exit      int               `json:"exit"`
}

// printError reports err on w: one sanitised line, or with --json one JSON
// object. Provider text is untrusted: escape sequences and controls never
// reach the terminal.
func printError(w io.Writer, err error, asJSON bool) {
	code := exitCode(err)
	if !asJSON {
		fmt.Fprintln(w, "roster:", termtext.Clean(err.Error()))
		return
	}
	je := jsonError{Kind: kindName(err), Message: err.Error(), Exit: code}
	var pe *crm.Error
	if errors.As(err, &pe) {
		je.Provider, je.Operation, je.Status, je.Fields = pe.Provider, pe.Op, pe.Status, pe.Fields
	}
	data, _ := json.Marshal(je)
	w.Write(append(escapeInvisible(data), '\n')) //nolint:errcheck // stderr
}

// kindName is the error kind in --json: a crm kind, or usage/error.
func kindName(err error) string {
	var pe *crm.Error
	if errors.As(err, &pe) {
		return strings.ReplaceAll(pe.Kind.String(), " ", "_")
	}
	switch exitCode(err) {
	case exitUsage:
		return "usage"
	case exitNotAllowed:
		return "not_allowed"
	}
	return "error"
}

// escapeInvisible writes C1 controls, DEL and bidi formatting characters as
// \uXXXX: encoding/json escapes only C0 and U+2028/9, and a terminal showing
// the JSON would obey the rest. Inside JSON they only occur in strings, so
// the escape keeps the value.
func escapeInvisible(data []byte) []byte {
	// Most output is ASCII and needs nothing: data is returned as it is,
	// and only the runes from DEL up are decoded.
	var b []byte
	done := 0 // data[:done] is in b already
	for i := 0; i < len(data); {
		if data[i] < 0x7f {
			i++
			continue
		}
		r, n := utf8.DecodeRune(data[i:])
		if r == 0x7f || (r >= 0x80 && r < 0xa0) || isBidi(r) {
			b = append(b, data[done:i]...)
			b = fmt.Appendf(b, `\u%04x`, r)
			done = i + n
		}
		i += n
	}
	if b == nil {
		return data
	}
	return append(b, data[done:]...)
}

func isBidi(r rune) bool {
	return (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || r == 0x200e || r == 0x200f || r == 0x061c
}
