package httpx

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/roster-tui/roster/crm"
)

// script is a test server that answers each request with the next step and
// records what it was sent.
type script struct {
	mu    sync.Mutex
	steps []func(w http.ResponseWriter)
	seen  []seenRequest
}

type seenRequest struct {
	method, key, body string
}

func (s *script) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	s.seen = append(s.seen, seenRequest{r.Method, r.Header.Get(IdempotencyKeyHeader), string(body)})
	step := s.steps[min(len(s.seen), len(s.steps))-1] // the last step repeats
	s.mu.Unlock()
	step(w)
}

func (s *script) requests() []seenRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]seenRequest(nil), s.seen...)
}

func answer(status int, header ...string) func(w http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, `{"status":"`+http.StatusText(status)+`"}`)
	}
}

// recordedSleeps replaces the transport's sleeper: it notes each requested
// wait and returns at once, so tests assert waits without taking them.
type recordedSleeps struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (r *recordedSleeps) sleep(ctx context.Context, d time.Duration) error {
	r.mu.Lock()
	r.waits = append(r.waits, d)
	r.mu.Unlock()
	return ctx.Err()
}

func (r *recordedSleeps) all() []time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]time.Duration(nil), r.waits...)
}

func newTestClient(t *testing.T, srv *script, o Options) (*Client, *recordedSleeps) {
	t.Helper()
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	rs := &recordedSleeps{}
	if o.Sleep == nil {
		o.Sleep = rs.sleep
	}
	if o.Jitter == nil {
		o.Jitter = func() float64 { return 0 }
	}
	return &Client{Provider: "test", BaseURL: ts.URL, HTTP: NewHTTPClient(o)}, rs
}

func TestRateLimitedListSucceedsAfterTheStatedWait(t *testing.T) {
	srv := &script{steps: []func(http.ResponseWriter){
		answer(429, "Retry-After", "7"),
		answer(200),
	}}
	c, sleeps := newTestClient(t, srv, Options{})
	var events []crm.RetryEvent
	ctx := crm.WithRetryNotify(context.Background(), func(e crm.RetryEvent) { events = append(events, e) })

	resp, err := c.Do(ctx, Request{Method: "GET", Path: "/users"})
	if err != nil {
		t.Fatalf("list: %v", err)
	}
	if resp.Status != 200 {
		t.Fatalf("status = %d, want 200", resp.Status)
	}
	if got := sleeps.all(); len(got) != 1 || got[0] != 7*time.Second {
		t.Fatalf("waits = %v, want [7s] as Retry-After asked", got)
	}
	if len(events) != 1 || events[0].Status != 429 || events[0].Wait != 7*time.Second || events[0].Attempt != 1 || events[0].Reason != "rate limited" {
		t.Fatalf("retry events = %+v, want one 429 event announcing 7s", events)
	}
}

func TestRetryAfterAsHTTPDate(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	srv := &script{steps: []func(http.ResponseWriter){
		answer(503, "Retry-After", now.Add(5*time.Second).Format(http.TimeFormat)),
		answer(200),
	}}
	c, sleeps := newTestClient(t, srv, Options{Now: func() time.Time { return now }})
	if _, err := c.Do(context.Background(), Request{Method: "GET", Path: "/users"}); err != nil {
		t.Fatal(err)
	}
	if got := sleeps.all(); len(got) != 1 || got[0] != 5*time.Second {
		t.Fatalf("waits = %v, want [5s]", got)
	}
}

func TestWritesWithoutIdempotencyKeyAreSentOnce(t *testing.T) {
	for _, method := range []string{"POST", "PATCH", "PUT"} {
		srv := &script{steps: []func(http.ResponseWriter){answer(503), answer(200)}}
		c, sleeps := newTestClient(t, srv, Options{})
		resp, err := c.Do(context.Background(), Request{Method: method, Path: "/users/1", Body: map[string]string{"title": "CTO"}})
		if err != nil {
			t.Fatalf("%s: %v", method, err)
		}
		if resp.Status != 503 {
			t.Errorf("%s: status = %d, want the 503 handed back to the adapter", method, resp.Status)
		}
		if n := len(srv.requests()); n != 1 {
			t.Errorf("%s sent %d times, want once", method, n)
		}
		if len(sleeps.all()) != 0 {
			t.Errorf("%s waited %v before giving up, want no wait", method, sleeps.all())
		}
	}
}

func TestWriteWithIdempotencyKeyIsRepeatedWithTheSameKeyAndBody(t *testing.T) {
	srv := &script{steps: []func(http.ResponseWriter){answer(502), answer(200)}}
	c, _ := newTestClient(t, srv, Options{})
	_, err := c.Do(context.Background(), Request{Method: "PATCH", Path: "/users/1",
		Header: http.Header{IdempotencyKeyHeader: {"k-123"}}, Body: map[string]string{"title": "CTO"}})
	if err != nil {
		t.Fatal(err)
	}
	got := srv.requests()
	if len(got) != 2 {
		t.Fatalf("sent %d times, want 2", len(got))
	}
	for i, r := range got {
		if r.key != "k-123" || r.body != `{"title":"CTO"}` {
			t.Errorf("attempt %d sent key %q body %q, want the same key and body", i+1, r.key, r.body)
		}
	}
}

func TestOtherStatusesAreNotRetried(t *testing.T) {
	for _, status := range []int{400, 401, 404, 409, 422, 501} {
		srv := &script{steps: []func(http.ResponseWriter){answer(status), answer(200)}}
		c, _ := newTestClient(t, srv, Options{})
		resp, err := c.Do(context.Background(), Request{Method: "GET", Path: "/users"})
		if err != nil || resp.Status != status || len(srv.requests()) != 1 {
			t.Errorf("HTTP %d: got %v %v after %d requests, want the answer after one", status, resp, err, len(srv.requests()))
		}
	}
}

// A read answered 500 is asked again (it changes nothing); a write answered
// 500 may have happened, so it goes back to the adapter after one request,
// even a DELETE, which is otherwise repeated.
func TestA500IsRetriedForReadsOnly(t *testing.T) {
	srv := &script{steps: []func(http.ResponseWriter){answer(500), answer(200)}}
	c, _ := newTestClient(t, srv, Options{})
	resp, err := c.Do(context.Background(), Request{Method: "GET", Path: "/users"})
	if err != nil || resp.Status != 200 || len(srv.requests()) != 2 {
		t.Fatalf("GET: got %v %v after %d requests, want 200 after two", resp, err, len(srv.requests()))
	}
	for _, method := range []string{"DELETE", "PATCH", "PUT", "POST"} {
		srv := &script{steps: []func(http.ResponseWriter){answer(500), answer(200)}}
		c, _ := newTestClient(t, srv, Options{})
		resp, err := c.Do(context.Background(), Request{Method: method, Path: "/users/1", Body: map[string]any{"a": 1}})
		if err != nil || resp.Status != 500 || len(srv.requests()) != 1 {
			t.Errorf("%s: got %v %v after %d requests, want the 500 after one", method, resp, err, len(srv.requests()))
		}
	}
}

func TestProviderCanSayAStatusIsFinal(t *testing.T) {
	srv := &script{steps: []func(http.ResponseWriter){answer(503), answer(200)}}
	c, _ := newTestClient(t, srv, Options{})
	c.NoRetryStatus = []int{503} // Truto: the account is blocked
	resp, err := c.Do(context.Background(), Request{Method: "GET", Path: "/users"})
	if err != nil || resp.Status != 503 || len(srv.requests()) != 1 {
		t.Fatalf("got %v %v after %d requests, want 503 after one", resp, err, len(srv.requests()))
	}
}

func TestBackoffGrowsWhenTheProviderDoesNotSay(t *testing.T) {
	srv := &script{steps: []func(http.ResponseWriter){answer(504)}}
	c, sleeps := newTestClient(t, srv, Options{BaseDelay: time.Second})
	resp, err := c.Do(context.Background(), Request{Method: "GET", Path: "/users"})
	if err != nil || resp.Status != 504 {
		t.Fatalf("got %v %v, want the last 504", resp, err)
	}
	if n := len(srv.requests()); n != DefaultMaxAttempts {
		t.Fatalf("sent %d times, want %d", n, DefaultMaxAttempts)
	}
	// Jitter 0 takes the low end of each step: half of 1s, 2s, 4s.
	want := []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second}
	if got := sleeps.all(); !equalDurations(got, want) {
		t.Fatalf("waits = %v, want %v", got, want)
	}
}

func TestLongRetryAfterFailsFastWithRateLimitedError(t *testing.T) {
	srv := &script{steps: []func(http.ResponseWriter){answer(429, "Retry-After", "120")}}
	c, sleeps := newTestClient(t, srv, Options{})
	_, err := c.Do(context.Background(), Request{Method: "GET", Path: "/users"})
	if !errors.Is(err, crm.ErrRateLimited) {
		t.Fatalf("err = %v, want rate limited", err)
	}
	e := crm.AsError(err)
	if e.RetryAfter != 2*time.Minute || e.Provider != "test" {
		t.Errorf("RetryAfter = %s, Provider = %q; want 2m0s from the header, provider named", e.RetryAfter, e.Provider)
	}
	if !strings.Contains(err.Error(), "longer than the 30s Roster waits") {
		t.Errorf("message %q does not say why Roster gave up", err)
	}
	if len(srv.requests()) != 1 || len(sleeps.all()) != 0 {
		t.Errorf("sent %d, waited %v; want one request and no wait", len(srv.requests()), sleeps.all())
	}
}

func TestRateLimitBudgetExhaustedByAttempts(t *testing.T) {
	srv := &script{steps: []func(http.ResponseWriter){answer(429, "Retry-After", "2")}}
	c, _ := newTestClient(t, srv, Options{})
	_, err := c.Do(context.Background(), Request{Method: "GET", Path: "/users"})
	if !errors.Is(err, crm.ErrRateLimited) || !strings.Contains(err.Error(), "after 4 attempts") {
		t.Fatalf("err = %v, want rate limited after 4 attempts", err)
	}
}

func TestDeadProviderFailsWithClearError(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	url := ts.URL
	ts.Close() // nothing listens any more
	rs := &recordedSleeps{}
	c := &Client{Provider: "test", BaseURL: url, HTTP: NewHTTPClient(Options{Sleep: rs.sleep, Jitter: func() float64 { return 0 }})}
	_, err := c.Do(context.Background(), Request{Method: "GET", Path: "/users"})
	if !errors.Is(err, crm.ErrTransient) {
		t.Fatalf("err = %v, want transient", err)
	}
	host := strings.TrimPrefix(url, "http://")
	if !strings.Contains(err.Error(), "could not reach the provider at "+host+" (4 attempts") {
		t.Errorf("message %q does not say where and how hard Roster tried", err)
	}
	if !strings.Contains(err.Error(), "connection refused") {
		t.Errorf("message %q does not give the last cause", err)
	}
}

func TestCancelStopsWaiting(t *testing.T) {
	srv := &script{steps: []func(http.ResponseWriter){answer(429, "Retry-After", "25")}}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	ctx, cancel := context.WithCancel(context.Background())
	// The real sleeper: the wait is 25s, and cancelling must end it.
	ctx = crm.WithRetryNotify(ctx, func(crm.RetryEvent) { cancel() })
	c := &Client{Provider: "test", BaseURL: ts.URL, HTTP: NewHTTPClient(Options{})}
	_, err := c.Do(ctx, Request{Method: "GET", Path: "/users"})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if n := len(srv.requests()); n != 1 {
		t.Fatalf("sent %d requests, want 1", n)
	}
}

func TestWaitFromResetHeaders(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	cases := []struct {
		header http.Header
		want   time.Duration
	}{
		{http.Header{"Retry-After": {"3"}, "Ratelimit-Reset": {"9"}}, 3 * time.Second},
		{http.Header{"X-Downstream-Ratelimit-Reset": {"1700000012"}}, 12 * time.Second},
		{http.Header{"Ratelimit-Reset": {"10"}}, 10 * time.Second},
		{http.Header{"Retry-After": {"soon"}}, 0},
		{http.Header{"X-Downstream-Ratelimit-Reset": {"1600000000"}}, 0}, // in the past
	}
	for _, c := range cases {
		if got := WaitFromHeaders(c.header, now); got != c.want {
			t.Errorf("WaitFromHeaders(%v) = %s, want %s", c.header, got, c.want)
		}
	}
}

func equalDurations(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestRateLimitedWriteGoesBackToTheAdapter(t *testing.T) {
	srv := &script{steps: []func(http.ResponseWriter){answer(429, "Retry-After", "5")}}
	c, _ := newTestClient(t, srv, Options{})
	resp, err := c.Do(context.Background(), Request{Method: "POST", Path: "/users", Body: map[string]string{"name": "Ada"}})
	if err != nil || resp.Status != 429 || len(srv.requests()) != 1 {
		t.Fatalf("got %v %v after %d requests, want the 429 itself after one", resp, err, len(srv.requests()))
	}
}

func TestGivingUpQuotesTheProvidersMessage(t *testing.T) {
	srv := &script{steps: []func(http.ResponseWriter){func(w http.ResponseWriter) {
		w.Header().Set("Retry-After", "90")
		w.WriteHeader(429)
		io.WriteString(w, `{"statusCode":429,"error":"Too Many Requests","message":"Slow down, 50 requests per 10 seconds"}`)
	}}}
	c, _ := newTestClient(t, srv, Options{})
	_, err := c.Do(context.Background(), Request{Method: "GET", Path: "/users"})
	if err == nil || !strings.HasSuffix(err.Error(), ": Slow down, 50 requests per 10 seconds (retry after 1m30s)") {
		t.Fatalf("err = %v, want the provider's message and the wait", err)
	}
}

// TestRepeatablePostIsRetried: a POST sent WithRepeatable (an OAuth token
// grant) rides out a 502 with the same body, as a read does.
func TestRepeatablePostIsRetried(t *testing.T) {
	srv := &script{steps: []func(http.ResponseWriter){answer(502), answer(200)}}
	c, sleeps := newTestClient(t, srv, Options{})
	resp, err := c.Do(WithRepeatable(context.Background()), Request{Method: "POST", Path: "/oauth/token", Body: map[string]string{"grant_type": "client_credentials"}})
	if err != nil || resp.Status != 200 {
		t.Fatalf("status %v, %v; want 200 after one retry", resp, err)
	}
	reqs := srv.requests()
	if len(reqs) != 2 || reqs[0].body != reqs[1].body || len(sleeps.all()) != 1 {
		t.Errorf("requests %+v, waits %v; want the same body twice, one wait", reqs, sleeps.all())
	}
}

// TestGarbledReadIsAskedAgain: a read answered 200 with a proxy's HTML page
// or JSON cut short is sent again (a read changes nothing); a write's
// garbled answer is not (crm.SettleUpdate settles it by reading).
func TestGarbledReadIsAskedAgain(t *testing.T) {
	html := func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<html>Bad Gateway</html>")
	}
	cut := func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"data":{"id":"1","na`)
	}
	srv := &script{steps: []func(http.ResponseWriter){html, cut, answer(200)}}
	c, _ := newTestClient(t, srv, Options{})
	resp, err := c.Do(context.Background(), Request{Method: "GET", Path: "/users/1"})
	if err != nil || resp.Status != 200 || !strings.Contains(string(resp.Body), `"status"`) || len(srv.requests()) != 3 {
		t.Fatalf("GET: %v %v after %d requests; want the JSON answer after 3", resp, err, len(srv.requests()))
	}

	srv = &script{steps: []func(http.ResponseWriter){html, answer(200)}}
	c, _ = newTestClient(t, srv, Options{})
	resp, err = c.Do(context.Background(), Request{Method: "PATCH", Path: "/users/1", Body: map[string]string{"title": "CTO"}})
	if err != nil || !strings.Contains(string(resp.Body), "Bad Gateway") || len(srv.requests()) != 1 {
		t.Fatalf("PATCH: %v %v after %d requests; want the garbled answer, sent once", resp, err, len(srv.requests()))
	}

	srv = &script{steps: []func(http.ResponseWriter){html}}
	c, _ = newTestClient(t, srv, Options{})
	resp, err = c.Do(context.Background(), Request{Method: "GET", Path: "/users/1"})
	if err != nil || len(srv.requests()) != 1+garbledRetries {
		t.Fatalf("GET always garbled: %v after %d requests; want the last answer after %d", err, len(srv.requests()), 1+garbledRetries)
	}
	_ = resp
}
