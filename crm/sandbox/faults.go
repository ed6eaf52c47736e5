package sandbox

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Faults make the sandbox misbehave the way real providers and networks do,
// so retries, conflict checks and bad-input handling are exercised over real
// HTTP. Probabilities are per request, in [0, 1]; the random choices follow
// Seed, so a run with the same requests in the same order fails the same way.
type Faults struct {
	Latency    time.Duration // added to every request
	Rate429    float64       // answer 429 with Retry-After, in the protocol's own format
	RetryAfter time.Duration // the Retry-After of injected 429s (whole seconds; 1s when 0)
	Err5xx     float64       // answer 500, 502 or 504 in the protocol's own format
	Drop       float64       // close the connection without an answer
	Malformed  float64       // cut the real answer short, or answer an HTML error page
	Modify     float64       // change the addressed record just before serving the request
	Seed       uint64
}

// faultKeys are the names ParseFaults accepts, in the order String prints.
var faultKeys = []string{"latency", "rate429", "retry-after", "err5xx", "drop", "malformed", "modify", "seed"}

// ParseFaults reads a spec such as
// "latency=200ms,rate429=0.1,retry-after=2,err5xx=0.05,drop=0.02,malformed=0.02,modify=0.1,seed=1"
// (the --faults flag). An empty spec means no faults.
func ParseFaults(spec string) (Faults, error) {
	var f Faults
	for _, part := range strings.Split(spec, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		key, val, ok := strings.Cut(part, "=")
		key, val = strings.ToLower(strings.TrimSpace(key)), strings.TrimSpace(val)
		if !ok || val == "" {
			return Faults{}, fmt.Errorf("faults: %q: want key=value", part)
		}
		var err error
		switch key {
		case "latency":
			f.Latency, err = parseDuration(val)
		case "retry-after", "retry_after", "retryafter":
			f.RetryAfter, err = parseDuration(val)
		case "rate429", "429":
			f.Rate429, err = parseProbability(val)
		case "err5xx", "5xx":
			f.Err5xx, err = parseProbability(val)
		case "drop":
			f.Drop, err = parseProbability(val)
		case "malformed":
			f.Malformed, err = parseProbability(val)
		case "modify":
			f.Modify, err = parseProbability(val)
		case "seed":
			f.Seed, err = strconv.ParseUint(val, 10, 64)
			if err != nil {
				err = fmt.Errorf("want a whole number")
			}
		default:
			return Faults{}, fmt.Errorf("faults: unknown fault %q (known: %s)", key, strings.Join(faultKeys, ", "))
		}
		if err != nil {
			return Faults{}, fmt.Errorf("faults: %s=%s: %w", key, val, err)
		}
	}
	if sum := f.Rate429 + f.Err5xx + f.Drop + f.Malformed; sum > 1 {
		return Faults{}, fmt.Errorf("faults: rate429+err5xx+drop+malformed add up to %.2f; they are exclusive per request and must not pass 1", sum)
	}
	return f, nil
}

// parseDuration takes "200ms", "2s" or bare seconds ("2").
func parseDuration(v string) (time.Duration, error) {
	if n, err := strconv.ParseFloat(v, 64); err == nil {
		if n < 0 {
			return 0, fmt.Errorf("must not be negative")
		}
		return time.Duration(n * float64(time.Second)), nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, fmt.Errorf("want a duration such as 200ms or 2s")
	}
	if d < 0 {
		return 0, fmt.Errorf("must not be negative")
	}
	return d, nil
}

func parseProbability(v string) (float64, error) {
	p, err := strconv.ParseFloat(strings.TrimSuffix(v, "%"), 64)
	if err != nil {
		return 0, fmt.Errorf("want a probability between 0 and 1")
	}
	if strings.HasSuffix(v, "%") {
		p /= 100
	}
	if p < 0 || p > 1 {
		return 0, fmt.Errorf("want a probability between 0 and 1")
	}
	return p, nil
}

// String prints the spec ParseFaults reads back; "" when there are no faults.
func (f Faults) String() string {
	var parts []string
	add := func(k, v string) { parts = append(parts, k+"="+v) }
	prob := func(k string, p float64) {
		if p > 0 {
			add(k, strconv.FormatFloat(p, 'g', -1, 64))
		}
	}
	if f.Latency > 0 {
		add("latency", f.Latency.String())
	}
	prob("rate429", f.Rate429)
	if f.RetryAfter > 0 {
		add("retry-after", f.RetryAfter.String())
	}
	prob("err5xx", f.Err5xx)
	prob("drop", f.Drop)
	prob("malformed", f.Malformed)
	prob("modify", f.Modify)
	if len(parts) > 0 && f.Seed != 0 {
		add("seed", strconv.FormatUint(f.Seed, 10))
	}
	return strings.Join(parts, ",")
}

// Active reports whether any fault is configured.
func (f Faults) Active() bool { return f.String() != "" }

// faultInjector draws the faults of each request from the seed, the
// request's method and address, and how many times that method and address
// came before — not from one sequence shared by all requests — so that a
// run whose requests to each record come in the same order fails the same
// way however requests to different records interleave (a fault run with
// several CLIs at once is repeatable).
type faultInjector struct {
	f    Faults
	mu   sync.Mutex
	seen map[string]uint64 // method and address → requests so far
}

func newFaultInjector(f Faults) *faultInjector {
	return &faultInjector{f: f, seen: map[string]uint64{}}
}

// faultKind is what happens to one request.
type faultKind int

const (
	faultNone faultKind = iota
	faultDrop
	fault429
	fault5xx
	faultMalformed
)

// draw decides a request's fault, whether to touch its record first, and a
// number for choosing among variants (which 5xx, which malformation).
func (fi *faultInjector) draw(r *http.Request) (kind faultKind, touch bool, variant int) {
	key := r.Method + " " + r.URL.RequestURI()
	fi.mu.Lock()
	n := fi.seen[key]
	fi.seen[key] = n + 1
	fi.mu.Unlock()
	h := fnv.New64a()
	h.Write([]byte(key))
	rng := rand.New(rand.NewPCG(fi.f.Seed^h.Sum64(), 0x5eedfa17+n))
	u, m, v := rng.Float64(), rng.Float64(), rng.IntN(1<<16)
	f := fi.f
	switch {
	case u < f.Drop:
		kind = faultDrop
	case u < f.Drop+f.Rate429:
		kind = fault429
	case u < f.Drop+f.Rate429+f.Err5xx:
		kind = fault5xx
	case u < f.Drop+f.Rate429+f.Err5xx+f.Malformed:
		kind = faultMalformed
	}
	return kind, m < f.Modify, v
}

// SetFaults replaces the random faults from the next request on; the zero
// Faults turns them off (a fault run's final, fault-free read).
func (s *Server) SetFaults(f Faults) {
	if !f.Active() {
		s.faults.Store(nil)
		return
	}
	s.faults.Store(newFaultInjector(f))
}

// injectFaults handles r when a fault fires and reports which; on "" the
// caller serves r normally.
func (s *Server) injectFaults(w http.ResponseWriter, r *http.Request) string {
	fi := s.faults.Load()
	if fi == nil {
		return ""
	}
	if fi.f.Latency > 0 && !waitOrDone(r, fi.f.Latency) {
		return "gone"
	}
	kind, touch, variant := fi.draw(r)
	if touch {
		s.touch(r.URL.Path, r.URL.Query())
	}
	switch kind {
	case faultDrop:
		dropConnection(w)
		return "drop"
	case fault429:
		ra := fi.f.RetryAfter
		if ra <= 0 {
			ra = time.Second
		}
		secs := int((ra + time.Second - 1) / time.Second) // whole seconds, rounded up
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		s.errorWriterFor(r.URL.Path)(w, r, http.StatusTooManyRequests, "rate limit exceeded (injected by the sandbox)", time.Duration(secs)*time.Second)
		return "rate429"
	case fault5xx:
		// Not 503: Truto means a blocked account by it, which is not a fault.
		status := []int{http.StatusInternalServerError, http.StatusBadGateway, http.StatusGatewayTimeout}[variant%3]
		s.errorWriterFor(r.URL.Path)(w, r, status, "upstream failure (injected by the sandbox)", 0)
		return "err5xx"
	case faultMalformed:
		if variant%2 == 0 {
			s.serveTruncated(w, r)
			return FaultTruncated
		}
		serveHTMLErrorPage(w)
		return FaultHTML
	}
	return ""
}

// waitOrDone waits d unless the client goes away first (false then).
func waitOrDone(r *http.Request, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

// dropConnection closes the TCP connection without writing a response.
func dropConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler) // HTTP/2 or a recorder: abort the stream instead
	}
	conn.Close()
}

// serveTruncated serves the real answer but only its first half, with the
// real status and headers: JSON that ends mid-value.
func (s *Server) serveTruncated(w http.ResponseWriter, r *http.Request) {
	rec := &recordedResponse{header: http.Header{}}
	s.mux.ServeHTTP(rec, r)
	s.served(r)
	for k, vs := range rec.header {
		if k != "Content-Length" {
			w.Header()[k] = vs
		}
	}
	body := rec.body.Bytes()
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	w.WriteHeader(rec.status)
	_, _ = w.Write(body[:len(body)/2])
}

// serveHTMLErrorPage answers what a proxy or captive portal in front of an
// API answers: a 200 with an HTML page instead of JSON.
func serveHTMLErrorPage(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n"+
		"<body><h1>Bad Gateway</h1><p>The upstream server sent an invalid response. (injected by the sandbox)</p></body></html>\n")
}

// recordedResponse captures a handler's answer so it can be altered.
type recordedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recordedResponse) Header() http.Header { return r.header }
func (r *recordedResponse) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}
func (r *recordedResponse) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}

// toucher changes one stored record the way a colleague editing it would
// (a new updated_at and a visibly changed field), for the "modify" fault.
type toucher struct {
	segments []string // the pattern split at "/"; "{…}" matches one segment
	idAt     int      // index of the last wildcard: the record id
	touch    func(id string, query url.Values) bool
}

// registerToucher lets a protocol take part in the "modify" fault: when a
// request's path starts with pattern (e.g. "/crm/users/{id}" or
// "/api/v1/customers/{cid}/users/{uid}"), touch is called with the segment
// the pattern's last wildcard matched, before the request is served. touch
// reports whether a record was changed; it must do its own locking (the
// generic Store does). Protocols call it from their mount function.
func (s *Server) registerToucher(pattern string, touch func(id string) bool) {
	s.registerQueryToucher(pattern, func(id string, _ url.Values) bool { return touch(id) })
}

// registerQueryToucher is registerToucher for protocols whose path does not
// say which store holds the record: touch also gets the request's query
// (Truto names the integrated account in it).
func (s *Server) registerQueryToucher(pattern string, touch func(id string, query url.Values) bool) {
	segs := strings.Split(strings.Trim(pattern, "/"), "/")
	idAt := -1
	for i, seg := range segs {
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			idAt = i
		}
	}
	if idAt < 0 {
		panic("sandbox: toucher pattern " + pattern + " names no {id}")
	}
	s.touchers = append(s.touchers, toucher{segments: segs, idAt: idAt, touch: touch})
	// Longest patterns first, so the most specific one wins.
	sort.SliceStable(s.touchers, func(i, j int) bool { return len(s.touchers[i].segments) > len(s.touchers[j].segments) })
}

// touch changes the record a request's path and query address, if a
// protocol knows how; it reports whether one changed. A list path (no id)
// touches nothing.
func (s *Server) touch(path string, query url.Values) bool {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for _, t := range s.touchers {
		if len(segs) < len(t.segments) {
			continue
		}
		match := true
		for i, want := range t.segments {
			if !strings.HasPrefix(want, "{") && want != segs[i] {
				match = false
				break
			}
		}
		if match && segs[t.idAt] != "" {
			return t.touch(segs[t.idAt], query)
		}
	}
	return false
}
