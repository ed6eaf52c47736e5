package httpx

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
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

// MinSecretLen is the shortest configured value Secrets redacts: replacing
// every "a" or "12" in provider text would destroy it and hide nothing a
// guess would not find.
const MinSecretLen = 6

// Secrets are the configured secret values themselves (API keys, client
// secrets, refresh and access tokens). A provider that echoes one back
// ("Invalid API key <key>") must not get it printed, logged or audited, so
// every answer passes through the Secrets of the transport that fetched
// it. Values are registered in one place, when config.Open opens the
// provider. Safe for concurrent use; a nil *Secrets redacts nothing.
type Secrets struct {
	mu   sync.RWMutex
	vals []string // longest first, so a secret containing another goes whole
}

// NewSecrets returns an empty set.
func NewSecrets() *Secrets { return &Secrets{} }

// Add registers secret values; short and repeated ones are skipped.
func (s *Secrets) Add(values ...string) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range values {
		if len(v) < MinSecretLen || slices.Contains(s.vals, v) {
			continue
		}
		s.vals = append(s.vals, v)
	}
	slices.SortFunc(s.vals, func(a, b string) int { return len(b) - len(a) })
}

func (s *Secrets) values() []string {
	if s == nil {
		return nil
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.vals
}

// Redact replaces every registered value in text, then applies the
// pattern-based Redact.
func (s *Secrets) Redact(text string) string {
	for _, v := range s.values() {
		text = strings.ReplaceAll(text, v, Redacted)
	}
	return Redact(text)
}

// redactBytes replaces every registered value in b (values only).
func (s *Secrets) redactBytes(b []byte) []byte {
	for _, v := range s.values() {
		if bytes.Contains(b, []byte(v)) {
			b = bytes.ReplaceAll(b, []byte(v), []byte(Redacted))
		}
	}
	return b
}

func (s *Secrets) longest() int {
	if v := s.values(); len(v) > 0 {
		return len(v[0])
	}
	return 0
}

// secretTransport removes registered secret values from every answer:
// headers, body (streamed, so no answer is held in memory whole) and
// transport errors. It sits under the trace, so --debug shows answers
// already redacted.
type secretTransport struct {
	secrets *Secrets
	next    http.RoundTripper
}

func (t secretTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		return nil, secretError{err: err, secrets: t.secrets}
	}
	for k, vs := range resp.Header {
		for i, v := range vs {
			vs[i] = string(t.secrets.redactBytes([]byte(v)))
		}
		resp.Header[k] = vs
	}
	resp.Body = &secretBody{src: resp.Body, secrets: t.secrets}
	resp.ContentLength = -1 // "REDACTED" need not be as long as the secret
	resp.Header.Del("Content-Length")
	return resp, nil
}

// secretBody redacts a body as it is read. It holds back the last
// longest-1 bytes of what it has seen, since a secret may straddle two
// reads.
type secretBody struct {
	src     io.ReadCloser
	secrets *Secrets
	pending []byte // read from src, redacted, not yet handed out
	ready   []byte // safe to hand out
	buf     []byte
	eof     bool
	err     error
}

func (b *secretBody) Read(p []byte) (int, error) {
	for len(b.ready) == 0 {
		if b.eof {
			return 0, b.err
		}
		if b.buf == nil {
			b.buf = make([]byte, 32<<10)
		}
		n, err := b.src.Read(b.buf)
		b.pending = b.secrets.redactBytes(append(b.pending, b.buf[:n]...))
		if err != nil {
			b.eof, b.err = true, err
			b.ready, b.pending = b.pending, nil
			continue
		}
		keep := b.secrets.longest() - 1
		if keep < 0 {
			keep = 0
		}
		if len(b.pending) > keep {
			cut := len(b.pending) - keep
			b.ready = append(b.ready, b.pending[:cut]...)
			b.pending = append([]byte(nil), b.pending[cut:]...)
		}
	}
	n := copy(p, b.ready)
	b.ready = b.ready[n:]
	return n, nil
}

func (b *secretBody) Close() error { return b.src.Close() }

// secretError prints an error without registered values or credential
// patterns; errors.Is/As still see the original.
type secretError struct {
	err     error
	secrets *Secrets
}

func (e secretError) Error() string { return e.secrets.Redact(e.err.Error()) }
func (e secretError) Unwrap() error { return e.err }

// RedactError wraps err so that it prints without the registered values.
func (s *Secrets) RedactError(err error) error {
	if err == nil {
		return nil
	}
	return secretError{err: err, secrets: s}
}
