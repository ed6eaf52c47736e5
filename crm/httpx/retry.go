package httpx

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/roster-tui/roster/crm"
)

// Defaults of the retry budget: a dead provider fails within about half a
// minute instead of leaving the admin watching a spinner.
const (
	DefaultAttemptTimeout = 30 * time.Second
	DefaultMaxAttempts    = 4
	DefaultMaxWait        = 30 * time.Second
	DefaultBaseDelay      = 500 * time.Millisecond
	DefaultMaxDelay       = 8 * time.Second
)

// IdempotencyKeyHeader marks a write that may safely be sent again.
const IdempotencyKeyHeader = "Idempotency-Key"

// Options configure the transport NewTransport and NewHTTPClient build.
// Zero values take the defaults above.
type Options struct {
	// AttemptTimeout bounds each attempt (connect, send, response headers
	// and reading the body).
	AttemptTimeout time.Duration
	// MaxAttempts counts the first try; 1 disables retries.
	MaxAttempts int
	// MaxWait is the total time the transport may spend waiting between
	// attempts. A provider asking for a longer wait fails fast instead.
	MaxWait   time.Duration
	BaseDelay time.Duration // first backoff step
	MaxDelay  time.Duration // cap on one backoff step
	// Trace, when set, receives one redacted line per attempt (--debug).
	Trace io.Writer
	// Base sends the requests; BaseTransport() when nil.
	Base http.RoundTripper
	// Secrets are removed from every answer (see Secrets); nil for none.
	Secrets *Secrets

	// Sleep waits d or until ctx is done (tests inject one that records the
	// wait and returns at once). Now is the clock for HTTP-date and reset
	// headers; Jitter returns a number in [0, 1).
	Sleep  func(ctx context.Context, d time.Duration) error
	Now    func() time.Time
	Jitter func() float64
}

func (o Options) withDefaults() Options {
	if o.AttemptTimeout <= 0 {
		o.AttemptTimeout = DefaultAttemptTimeout
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = DefaultMaxAttempts
	}
	if o.MaxWait <= 0 {
		o.MaxWait = DefaultMaxWait
	}
	if o.BaseDelay <= 0 {
		o.BaseDelay = DefaultBaseDelay
	}
	if o.MaxDelay <= 0 {
		o.MaxDelay = DefaultMaxDelay
	}
	if o.Base == nil {
		o.Base = BaseTransport()
	}
	if o.Secrets != nil {
		o.Base = secretTransport{secrets: o.Secrets, next: o.Base}
	}
	if o.Trace != nil {
		o.Base = Trace(o.Trace, o.Base)
	}
	if o.Sleep == nil {
		o.Sleep = sleepContext
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Jitter == nil {
		o.Jitter = rand.Float64
	}
	return o
}

// NewHTTPClient is the client to pass as config.Deps.HTTP: it retries,
// honours rate limits and, with Options.Trace, logs redacted traces. It has
// no overall Timeout of its own; httpx.Client and the caller's context bound
// the whole call, Options.AttemptTimeout each attempt.
func NewHTTPClient(o Options) *http.Client {
	return &http.Client{Transport: NewTransport(o)}
}

// Transport is a RoundTripper that retries what is safe to retry.
type Transport struct {
	opts Options
}

// NewTransport builds a retrying transport.
func NewTransport(o Options) *Transport { return &Transport{opts: o.withDefaults()} }

// RoundTrip sends req, retrying network errors, 429, 502, 503 and 504 for
// requests that can be repeated (GET, HEAD, OPTIONS, DELETE, writes that
// carry an Idempotency-Key, and requests sent WithRepeatable), within the attempt and wait budget.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	o := t.opts
	retryable := canRepeat(req) && !noRetryAll(ctx)
	var waited time.Duration
	for attempt := 1; ; attempt++ {
		areq, err := attemptRequest(req, attempt)
		if err != nil {
			return nil, err
		}
		lim := LimiterFrom(ctx)
		release := func() {}
		if lim != nil {
			if release, err = lim.Wait(ctx); err != nil {
				return nil, err
			}
		}
		resp, err := t.attempt(areq, release)
		if ctx.Err() != nil {
			if resp != nil {
				resp.Body.Close()
			}
			return nil, ctx.Err()
		}
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		if err == nil && !retryStatus(req, status) {
			return resp, nil
		}
		reason := reasonFor(status, err)

		// How long the provider asks us to wait, or our own backoff.
		var wait, asked time.Duration
		if resp != nil {
			asked = WaitFromHeaders(resp.Header, o.Now())
		}
		if asked > 0 {
			wait = asked
		} else {
			wait = backoff(o, attempt)
		}
		if lim != nil && status == http.StatusTooManyRequests {
			lim.Backoff(o.Now().Add(wait)) // every request of the account waits
		}
		left := o.MaxWait - waited

		giveUp := !retryable || attempt >= o.MaxAttempts || wait > left
		if giveUp {
			return t.giveUp(req, resp, err, attempt, waited, asked, left, retryable)
		}
		if resp != nil {
			drain(resp.Body)
		}
		crm.NotifyRetry(ctx, crm.RetryEvent{Attempt: attempt, Wait: wait, Status: status, Reason: reason,
			Method: req.Method, URL: RedactURL(req.URL)})
		if err := o.Sleep(ctx, wait); err != nil {
			return nil, err
		}
		waited += wait
	}
}

// attempt sends one try under its own timeout. The timeout stays armed
// until the body is closed, so a provider that stalls mid-body is cut off.
// release (the limiter's slot) is called with it.
func (t *Transport) attempt(req *http.Request, release func()) (*http.Response, error) {
	ctx, cancel := context.WithTimeout(req.Context(), t.opts.AttemptTimeout)
	resp, err := t.opts.Base.RoundTrip(req.WithContext(ctx))
	if err != nil {
		cancel()
		release()
		if errors.Is(ctx.Err(), context.DeadlineExceeded) && req.Context().Err() == nil {
			err = fmt.Errorf("no answer within %s: %w", t.opts.AttemptTimeout, err)
		}
		return nil, err
	}
	resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: func() { cancel(); release() }}
	return resp, nil
}

// giveUp ends the retries: network failures and rate limits that outlast
// the budget become crm errors that say what happened; other answers
// (including a 429 to a request that was never retryable) go back to the
// adapter, which reports the provider's own words.
func (t *Transport) giveUp(req *http.Request, resp *http.Response, err error, attempt int, waited, asked, left time.Duration, retryable bool) (*http.Response, error) {
	tries := fmt.Sprintf("%d attempt", attempt)
	if attempt != 1 {
		tries += "s"
	}
	if err != nil {
		// Name the host (never the query: it may hold a key) and the last
		// cause, e.g. "connect: connection refused".
		msg := "could not reach the provider at " + req.URL.Host
		if retryable && attempt > 1 {
			msg += fmt.Sprintf(" (%s over %s)", tries, waited.Round(time.Millisecond))
		}
		msg += ": " + Redact(lastCause(err))
		return nil, &crm.Error{Kind: crm.KindTransient, Message: msg, Err: redactError(err)}
	}
	if resp.StatusCode != http.StatusTooManyRequests || !retryable {
		return resp, nil
	}
	body := providerMessage(resp.Body)
	e := &crm.Error{Kind: crm.KindRateLimited, Status: resp.StatusCode, RetryAfter: asked}
	switch {
	case asked > left:
		e.Message = fmt.Sprintf("rate limited for %s, longer than the %s Roster waits: %s",
			asked.Round(time.Second), left.Round(time.Second), body)
	default:
		e.Message = fmt.Sprintf("still rate limited after %s over %s: %s", tries, waited.Round(time.Millisecond), body)
	}
	return nil, e
}

// lastCause is the innermost reason of a network error ("connect:
// connection refused", "no answer within 10s"), without the URL that
// *url.Error and *net.OpError quote.
func lastCause(err error) string {
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		return op.Err.Error()
	}
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		return ue.Err.Error()
	}
	return err.Error()
}

// canRepeat reports whether sending req twice is harmless and possible.
func canRepeat(req *http.Request) bool {
	if req.Body != nil && req.Body != http.NoBody && req.GetBody == nil {
		return false // the body cannot be replayed
	}
	switch req.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodDelete, "":
		return true
	}
	return req.Header.Get(IdempotencyKeyHeader) != "" || repeatable(req.Context())
}

// retryStatus reports whether an answer with status to req is worth another
// try. A 500 is asked again only for a read: a server error is often
// passing, and asking again to read changes nothing, while a write answered
// 500 may have happened and goes back to its adapter to be settled.
func retryStatus(req *http.Request, status int) bool {
	switch status {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
	case http.StatusInternalServerError:
		if req.Method != http.MethodGet && req.Method != http.MethodHead && req.Method != "" {
			return false
		}
	default:
		return false
	}
	return !noRetryStatus(req.Context(), status)
}

func reasonFor(status int, err error) string {
	switch {
	case err != nil:
		return "network error: " + Redact(err.Error())
	case status == http.StatusTooManyRequests:
		return "rate limited"
	default:
		return fmt.Sprintf("provider unavailable (HTTP %d)", status)
	}
}

// backoff is the jittered exponential wait before attempt+1: between half
// and all of base·2^(attempt-1), capped at MaxDelay.
func backoff(o Options, attempt int) time.Duration {
	d := o.BaseDelay << (attempt - 1)
	if d > o.MaxDelay || d <= 0 {
		d = o.MaxDelay
	}
	half := d / 2
	return half + time.Duration(o.Jitter()*float64(d-half))
}

// attemptRequest is req for the first attempt, a clone with a fresh body
// for the others (headers, including Idempotency-Key, are kept).
func attemptRequest(req *http.Request, attempt int) (*http.Request, error) {
	if attempt == 1 {
		return req, nil
	}
	r := req.Clone(req.Context())
	if req.GetBody != nil {
		b, err := req.GetBody()
		if err != nil {
			return nil, fmt.Errorf("replay request body: %w", err)
		}
		r.Body = b
	}
	return r, nil
}

func sleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// drain reads a little of a discarded body so the connection can be reused.
func drain(b io.ReadCloser) {
	_, _ = io.Copy(io.Discard, io.LimitReader(b, 64<<10))
	b.Close()
}

// providerMessage reads and closes an error body and returns what the
// provider said: the "message" (or "error", "detail") of a JSON error body
// where there is one — Apideck, Truto, Zoho and Laurel all use one of them —
// else the start of the body. Secrets are redacted.
func providerMessage(b io.ReadCloser) string {
	data, _ := io.ReadAll(io.LimitReader(b, 4<<10))
	b.Close()
	var body map[string]any
	if json.Unmarshal(data, &body) == nil {
		for _, k := range []string{"message", "error_description", "detail", "error"} {
			if s, ok := body[k].(string); ok && strings.TrimSpace(s) != "" {
				return Redact(s)
			}
		}
	}
	return Redact(Snippet(bytes.TrimSpace(data)))
}

// cancelOnClose releases an attempt's timeout when its body is closed.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c *cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
}
