// Package httpx is the one HTTP client every provider adapter uses: base URL,
// headers, contexts, timeouts and a cap on what is read from a body. Retries,
// redaction and rate-limit handling are layered on its transport.
package httpx

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/roster-tui/roster/crm"
)

// DefaultMaxBody caps how much of a response is read (a hostile or broken
// provider must not make Roster read gigabytes).
const DefaultMaxBody = 8 << 20

// DefaultTimeout bounds one call, retries and waits included, when the
// caller's context has no deadline. Each attempt has its own, shorter bound
// (Options.AttemptTimeout).
const DefaultTimeout = 2 * time.Minute

// Client sends JSON requests to one provider.
type Client struct {
	// Provider names the provider in errors ("apideck", or the config name).
	Provider string
	BaseURL  string
	HTTP     *http.Client
	// Header is added to every request (static headers such as app ids).
	Header http.Header
	// Authorize sets credentials on a request (e.g. a bearer token). It may do
	// I/O (token refresh) and must honour the request's context.
	Authorize func(*http.Request) error
	MaxBody   int64
	Timeout   time.Duration
	// NoRetryStatus lists statuses this provider means as final although
	// they are usually passing (Truto's 503: the account is blocked).
	NoRetryStatus []int
}

// Request is one call.
type Request struct {
	Method string
	Path   string // joined to BaseURL; may carry no query
	Query  url.Values
	Header http.Header
	// Body is marshalled as JSON when not nil; a []byte or io.Reader is sent as is.
	Body any
}

// Response is a fully read answer.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Do sends the request and reads the whole answer (up to MaxBody). Network
// failures come back as crm transient errors; HTTP error statuses are not
// errors here: adapters decode their own error bodies.
func (c *Client) Do(ctx context.Context, r Request) (*Response, error) {
	timeout := c.Timeout
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	if len(c.NoRetryStatus) > 0 {
		ctx = WithNoRetry(ctx, c.NoRetryStatus...)
	}
	u := strings.TrimRight(c.BaseURL, "/") + r.Path
	if len(r.Query) > 0 {
		u += "?" + r.Query.Encode()
	}
	var body io.Reader
	var getBody func() (io.ReadCloser, error)
	switch b := r.Body.(type) {
	case nil:
	case []byte:
		body = bytes.NewReader(b)
		getBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
	case io.Reader:
		body = b
	default:
		data, err := json.Marshal(b)
		if err != nil {
			return nil, fmt.Errorf("%s: encode request: %w", c.Provider, err)
		}
		body = bytes.NewReader(data)
		getBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
	}
	build := func() (*http.Request, error) {
		if getBody != nil {
			b, _ := getBody()
			body = b
		}
		req, err := http.NewRequestWithContext(ctx, r.Method, u, body)
		if err != nil {
			return nil, fmt.Errorf("%s: build request: %w", c.Provider, err)
		}
		if getBody != nil {
			req.GetBody = getBody
			req.Header.Set("Content-Type", "application/json")
		}
		req.Header.Set("Accept", "application/json")
		req.Header.Set("User-Agent", "roster")
		for k, vs := range c.Header {
			for _, v := range vs {
				req.Header.Add(k, v)
			}
		}
		for k, vs := range r.Header {
			req.Header.Del(k)
			for _, v := range vs {
				req.Header.Add(k, v)
			}
		}
		if c.Authorize != nil {
			if err := c.Authorize(req); err != nil {
				return nil, err
			}
		}
		return req, nil
	}
	// A read answered 2xx with a body that is not JSON (cut short, or a
	// proxy's HTML page) is asked again: every provider answers JSON, and a
	// read changes nothing. Writes are not: their garbled answers are for
	// crm.SettleUpdate/SettleDelete to settle by reading.
	again := (r.Method == http.MethodGet || repeatable(ctx)) && (r.Body == nil || getBody != nil)
	for attempt := 1; ; attempt++ {
		req, err := build()
		if err != nil {
			return nil, err
		}
		resp, err := c.send(req)
		if err != nil || !again || attempt > garbledRetries || !resp.OK() || len(resp.Body) == 0 || json.Valid(resp.Body) || ctx.Err() != nil {
			return resp, err
		}
	}
}

// garbledRetries is how many more times a read is sent after an answer
// that is not JSON.
const garbledRetries = 2

// send sends one request (the transport retries what is safe) and reads the
// answer.
func (c *Client) send(req *http.Request) (*Response, error) {
	hc := c.HTTP
	if hc == nil {
		// Cheap to build; shares BaseTransport's connections.
		hc = NewHTTPClient(Options{})
	}
	resp, err := hc.Do(req)
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return nil, redactError(err) // *url.Error quotes the URL, query and all
		}
		if ce := crm.AsError(err); ce != nil {
			named := *ce // the transport does not know the provider's name
			if named.Provider == "" {
				named.Provider = c.Provider
			}
			return nil, &named
		}
		return nil, &crm.Error{Kind: crm.KindTransient, Provider: c.Provider, Message: "could not reach the provider", Err: redactError(err)}
	}
	defer resp.Body.Close()
	max := c.MaxBody
	if max == 0 {
		max = DefaultMaxBody
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, max+1))
	if err != nil {
		return nil, &crm.Error{Kind: crm.KindTransient, Provider: c.Provider, Status: resp.StatusCode, Message: "the answer was cut off", Err: err}
	}
	if int64(len(data)) > max {
		return nil, &crm.Error{Kind: crm.KindBadResponse, Provider: c.Provider, Status: resp.StatusCode, Message: fmt.Sprintf("the answer is larger than %d bytes", max)}
	}
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: data}, nil
}

// OK reports whether the status is 2xx.
func (r *Response) OK() bool { return r.Status >= 200 && r.Status < 300 }

// Decode unmarshals a JSON body into v, turning failures into a bad-response
// error that quotes the start of what the provider sent.
func (r *Response) Decode(provider string, v any) error {
	if err := json.Unmarshal(r.Body, v); err != nil {
		return r.Unreadable(provider, "", err)
	}
	return nil
}

// Unreadable is the bad-response error for an answer that could not be
// read as expected (err says why): it quotes the start of the body, and its
// content type when there is one, so the admin sees what came instead.
func (r *Response) Unreadable(provider, op string, err error) *crm.Error {
	msg := "unreadable answer: " + Snippet(r.Body)
	if ct := r.Header.Get("Content-Type"); ct != "" {
		msg = fmt.Sprintf("unreadable answer (%s): %s", ct, Snippet(r.Body))
	}
	return &crm.Error{Kind: crm.KindBadResponse, Provider: provider, Op: op, Status: r.Status, Message: msg, Err: err}
}

// Snippet is the start of a body, for error messages.
func Snippet(body []byte) string {
	s := strings.TrimSpace(string(body))
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	if s == "" {
		s = "(empty body)"
	}
	return s
}
