package sandbox

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Rate limits beyond Truto's (truto.go) and Zoho's concurrency cap
// (zoho.go), which those protocols enforce themselves:
//
//   - Apideck has no limits of its own; a downstream CRM's limit surfaces as
//     a 429 with x-downstream-ratelimit-{limit,remaining,reset} (PROVIDERS.md
//     §1). The sandbox plays such a downstream CRM when given a limit.
//   - Laurel publishes no limits, so the sandbox enforces none unless told
//     to (tests of the client's conservative default do).
//
// Each is a sliding window per protocol, off by default (the demo stays as
// fast as its users ask), set with SetRateLimit.

// RateLimit is at most Requests requests per sliding window of Per.
type RateLimit struct {
	Requests int
	Per      time.Duration
}

// slidingWindow counts requests in the last Per.
type slidingWindow struct {
	mu    sync.Mutex
	limit RateLimit
	hits  []time.Time
}

// allow counts a request at now if the window has room, and says how long
// until it has room otherwise.
func (w *slidingWindow) allow(now time.Time) (ok bool, remaining int, reset time.Duration) {
	w.mu.Lock()
	defer w.mu.Unlock()
	l := w.limit
	if l.Requests <= 0 || l.Per <= 0 {
		return true, 0, 0
	}
	kept := w.hits[:0]
	for _, t := range w.hits {
		if now.Sub(t) < l.Per {
			kept = append(kept, t)
		}
	}
	w.hits = kept
	if len(w.hits) < l.Requests {
		w.hits = append(w.hits, now)
		return true, l.Requests - len(w.hits), 0
	}
	return false, 0, l.Per - now.Sub(w.hits[0])
}

// rateLimits are the windows of the protocols without their own.
type rateLimits struct {
	apideck, laurel slidingWindow
}

// SetRateLimit makes the sandbox enforce l on one protocol: "apideck" (a
// downstream CRM's limit), "laurel", or "truto" (replacing its documented
// 50 per 10 s per integrated account; Requests 0 turns limits off).
// Tests scale windows down to reach them quickly.
func (s *Server) SetRateLimit(kind string, l RateLimit) {
	switch kind {
	case "apideck":
		s.limits.apideck.set(l)
	case "laurel":
		s.limits.laurel.set(l)
	case "truto":
		s.truto.mu.Lock()
		s.truto.limit, s.truto.window = l.Requests, l.Per
		s.truto.mu.Unlock()
	default:
		panic("sandbox: no rate limit for protocol " + kind)
	}
}

func (w *slidingWindow) set(l RateLimit) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.limit, w.hits = l, nil
}

// refuseOverLimit answers 429 in the protocol's own format when r exceeds
// its protocol's window, and reports whether it did.
func (s *Server) refuseOverLimit(w http.ResponseWriter, r *http.Request) bool {
	var win *slidingWindow
	switch p := r.URL.Path; {
	case strings.HasPrefix(p, apideckPrefix):
		win = &s.limits.apideck
	case strings.HasPrefix(p, "/api/v1/customers/"), strings.HasPrefix(p, "/api/v2/customers/"):
		win = &s.limits.laurel
	default:
		return false
	}
	ok, _, reset := win.allow(s.opts.Now())
	if ok {
		return false
	}
	secs := int((reset + time.Second - 1) / time.Second) // whole seconds, rounded up
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	s.errorWriterFor(r.URL.Path)(w, r, http.StatusTooManyRequests, "rate limit exceeded", reset)
	return true
}
