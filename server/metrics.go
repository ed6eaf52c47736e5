package server

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/roster-tui/roster/crm/limit"
)

// Metrics counts what /metrics exposes: requests per provider and status,
// 429s, limiter waits, and each provider's last answer (for /healthz).
// The text exposition is written by hand: six counters do not need a
// client library.
type Metrics struct {
	mu        sync.Mutex
	requests  map[requestKey]int64
	tooMany   map[string]int64
	waits     map[string]int64
	waitTime  map[string]time.Duration
	lastState map[string]providerState
}

type requestKey struct {
	provider string
	status   string // the HTTP status, or "error"
}

type providerState struct {
	Status string    `json:"status"` // the last HTTP status, or "error"
	At     time.Time `json:"at"`
	Error  string    `json:"error,omitempty"`
}

// NewMetrics returns empty counters.
func NewMetrics() *Metrics {
	return &Metrics{requests: map[requestKey]int64{}, tooMany: map[string]int64{}, waits: map[string]int64{},
		waitTime: map[string]time.Duration{}, lastState: map[string]providerState{}}
}

// Transport counts the requests of provider through next (the provider's
// HTTP client's transport, retries included: one count per answer).
func (m *Metrics) Transport(provider string, next http.RoundTripper) http.RoundTripper {
	return countingTransport{m: m, provider: provider, next: next}
}

type countingTransport struct {
	m        *Metrics
	provider string
	next     http.RoundTripper
}

func (t countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	st := providerState{Status: "error", At: time.Now().UTC()}
	if err != nil {
		st.Error = "no answer" // the error text can hold provider URLs; /healthz is terse
	} else {
		st.Status = strconv.Itoa(resp.StatusCode)
	}
	t.m.mu.Lock()
	t.m.requests[requestKey{t.provider, st.Status}]++
	t.m.lastState[t.provider] = st
	t.m.mu.Unlock()
	return resp, err
}

// limiter wraps an account's limiter to count its waits and 429s.
func (m *Metrics) limiter(provider string, l limit.Limiter) limit.Limiter {
	if l == nil {
		return nil
	}
	return &countingLimiter{m: m, provider: provider, inner: l}
}

type countingLimiter struct {
	m        *Metrics
	provider string
	inner    limit.Limiter
}

func (c *countingLimiter) Wait(ctx context.Context) (func(), error) {
	start := time.Now()
	release, err := c.inner.Wait(ctx)
	waited := time.Since(start)
	if waited >= time.Millisecond { // a wait, not the cost of asking
		c.m.mu.Lock()
		c.m.waits[c.provider]++
		c.m.waitTime[c.provider] += waited
		c.m.mu.Unlock()
	}
	return release, err
}

func (c *countingLimiter) Backoff(until time.Time) {
	c.m.mu.Lock()
	c.m.tooMany[c.provider]++
	c.m.mu.Unlock()
	c.inner.Backoff(until)
}

func (c *countingLimiter) Settings() limit.Settings { return c.inner.Settings() }

// providers' last answers, for /healthz.
func (m *Metrics) lastStates() map[string]providerState {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make(map[string]providerState, len(m.lastState))
	for k, v := range m.lastState {
		out[k] = v
	}
	return out
}

// gauges are the values /metrics reads from the server at scrape time.
type gauges struct {
	sessions   int
	spoolDepth int
	spooling   bool
}

// write writes the Prometheus text exposition format (version 0.0.4).
func (m *Metrics) write(w io.Writer, g gauges) {
	m.mu.Lock()
	defer m.mu.Unlock()
	fmt.Fprintf(w, "# HELP roster_sessions Console sessions open now.\n# TYPE roster_sessions gauge\nroster_sessions %d\n", g.sessions)
	fmt.Fprintf(w, "# HELP roster_audit_spool_depth Audit entries waiting in the local spool for PostgreSQL.\n# TYPE roster_audit_spool_depth gauge\nroster_audit_spool_depth %d\n", g.spoolDepth)
	spooling := 0
	if g.spooling {
		spooling = 1
	}
	fmt.Fprintf(w, "# HELP roster_audit_spooling 1 while the audit store is unreachable.\n# TYPE roster_audit_spooling gauge\nroster_audit_spooling %d\n", spooling)

	fmt.Fprint(w, "# HELP roster_provider_requests_total Answers from providers, by HTTP status (error: none).\n# TYPE roster_provider_requests_total counter\n")
	keys := make([]requestKey, 0, len(m.requests))
	for k := range m.requests {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].provider != keys[j].provider {
			return keys[i].provider < keys[j].provider
		}
		return keys[i].status < keys[j].status
	})
	for _, k := range keys {
		fmt.Fprintf(w, "roster_provider_requests_total{provider=%s,status=%s} %d\n", label(k.provider), label(k.status), m.requests[k])
	}
	counter(w, "roster_provider_429_total", "429 answers, each one pausing the whole account.", m.tooMany, func(v int64) string { return strconv.FormatInt(v, 10) })
	counter(w, "roster_limiter_waits_total", "Requests that waited for the client-side limiter.", m.waits, func(v int64) string { return strconv.FormatInt(v, 10) })
	counter(w, "roster_limiter_wait_seconds_total", "Time requests spent waiting for the limiter.", m.waitTime, func(v time.Duration) string { return strconv.FormatFloat(v.Seconds(), 'f', 3, 64) })
}

func counter[V any](w io.Writer, name, help string, values map[string]V, format func(V) string) {
	fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s counter\n", name, help, name)
	names := make([]string, 0, len(values))
	for k := range values {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		fmt.Fprintf(w, "%s{provider=%s} %s\n", name, label(k), format(values[k]))
	}
}

// label quotes a label value as the exposition format wants.
func label(v string) string { return strconv.Quote(v) }
