package httpx

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
)

// Redacted replaces every secret value Roster prints.
const Redacted = "REDACTED"

// secretParams are query, form and JSON keys whose values are secrets.
// "code" is the OAuth authorisation code; it is only redacted as a query or
// form parameter, since JSON error bodies use "code" for error codes.
var secretParams = []string{
	"access_token", "refresh_token", "id_token", "client_secret", "client_assertion",
	"api_key", "apikey", "password", "secret", "token",
}

// These patterns are compiled once and never change; they are not state.
var (
	// key=value in a query string or form body.
	formSecret = regexp.MustCompile(`(?i)((?:^|[?&\s;,"'])(?:` + strings.Join(secretParams, "|") + `|code)=)([^&\s"';,]+)`)
	// "key": "value" (or a bare scalar) in JSON.
	jsonSecret = regexp.MustCompile(`(?i)("(?:` + strings.Join(secretParams, "|") + `)"\s*:\s*)("(?:[^"\\]|\\.)*"|[^,}\]\s]+)`)
	// Authorization schemes followed by a credential.
	authScheme = regexp.MustCompile(`(?i)\b(Bearer|Basic|Zoho-oauthtoken)(\s+)[A-Za-z0-9._~+/=\-]{8,}`)
	// Header lines in dumps: "Authorization: …", "Cookie: …".
	headerLine = regexp.MustCompile(`(?im)^((?:proxy-)?authorization|cookie|set-cookie|x-api-key)(\s*:\s*).+$`)
)

// Redact removes secrets from free text (error messages, logged bodies,
// URLs): token and secret parameters in queries, forms and JSON, bearer
// and similar credentials, and header lines that carry credentials.
func Redact(s string) string {
	s = formSecret.ReplaceAllString(s, "${1}"+Redacted)
	s = jsonSecret.ReplaceAllString(s, `${1}"`+Redacted+`"`)
	s = authScheme.ReplaceAllString(s, "${1}${2}"+Redacted)
	s = headerLine.ReplaceAllString(s, "${1}${2}"+Redacted)
	return s
}

// RedactURL prints u with secret query parameters and any password hidden.
func RedactURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	c := *u
	if c.User != nil {
		c.User = url.User(c.User.Username())
	}
	if c.RawQuery != "" {
		q := c.Query()
		for k := range q {
			if isSecretParam(k) {
				q[k] = []string{Redacted}
			}
		}
		c.RawQuery = q.Encode()
	}
	return c.String()
}

func isSecretParam(k string) bool {
	k = strings.ToLower(k)
	if k == "code" {
		return true
	}
	for _, p := range secretParams {
		if k == p {
			return true
		}
	}
	return false
}

// IsSecretHeader reports whether a header carries credentials: the
// standard ones, and any provider header whose name says key, token,
// secret, auth, password, session or signature (x-apideck-…-key and kin).
func IsSecretHeader(name string) bool {
	n := strings.ToLower(name)
	switch n {
	case "authorization", "proxy-authorization", "cookie", "set-cookie":
		return true
	}
	for _, w := range []string{"key", "token", "secret", "auth", "password", "session", "signature", "cookie"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// RedactHeader returns a copy of h with credential values replaced.
func RedactHeader(h http.Header) http.Header {
	out := make(http.Header, len(h))
	for k, vs := range h {
		if IsSecretHeader(k) {
			out[k] = []string{Redacted}
			continue
		}
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// redactedError keeps the chain (errors.Is/As still work) but prints
// without secrets.
type redactedError struct{ err error }

func (e redactedError) Error() string { return Redact(e.err.Error()) }
func (e redactedError) Unwrap() error { return e.err }

func redactError(err error) error {
	if err == nil {
		return nil
	}
	return redactedError{err}
}
