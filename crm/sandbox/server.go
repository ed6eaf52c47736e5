// Package sandbox is a loopback HTTP server that speaks the four providers'
// wire protocols (PROVIDERS.md) from in-memory stores of generated users. It
// is the only fake in Roster: providers, the CLI and the UI are tested
// against it over real HTTP, and `go run .` opens it as the demo.
package sandbox

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultUsers is how many users each provider's store holds by default.
const DefaultUsers = 1200

// Options configure a sandbox.
type Options struct {
	Users   int           // users per provider; DefaultUsers when 0
	Latency time.Duration // added to every request
	// Now is the clock (tests set it); time.Now when nil.
	Now func() time.Time
	// Faults make requests fail, stall or race as real providers do
	// (`roster sandbox --faults …`); see ParseFaults.
	Faults Faults
	// OnRequest, when set, is called for every request as it arrives
	// (served false) and again once a protocol has handled it but before
	// the answer leaves (served true; not for requests a fault answered
	// instead). It runs on the request's goroutine: a fault-run test kills
	// the CLI there, at the very moment a write reaches the provider.
	OnRequest func(r *http.Request, served bool)
}

// The Fault of a logged request the sandbox garbled: with FaultTruncated
// the write was applied and its answer cut in half; with FaultHTML a 200
// HTML page answered and nothing was applied.
const (
	FaultTruncated = "truncated"
	FaultHTML      = "html"
)

// Request is one entry of the sandbox's request log.
type Request struct {
	Method, Path, Query string
	// Fault is what answered instead of the protocol: "" when the protocol
	// served it; "drop", "rate429", "err5xx", FaultHTML, FaultTruncated
	// (served, answer cut) from Faults or MalformNextWrites; "forced" from
	// ForceError; "ratelimit" when a protocol's own rate limit refused it.
	Fault string
	// Status is the HTTP status answered (0 for a dropped connection).
	Status int
}

// Server hosts all protocols on one mux; their paths do not collide.
type Server struct {
	opts Options
	mux  *http.ServeMux
	// one field per protocol's state, set by its mount function
	apideck *apideckState
	zoho    *zohoState
	truto   *trutoState
	laurel  *laurelState

	protocols []protocol
	touchers  []toucher                     // set at mount time, read-only after New
	faults    atomic.Pointer[faultInjector] // nil without faults
	forcedMu  sync.Mutex
	forced    []forcedError
	malformed []malformedWrite
	limits    rateLimits // Apideck's and Laurel's windows (ratelimit.go)
	logMu     sync.Mutex
	requests  []Request // every request, in arrival order
}

// Requests returns "METHOD /path" of every request served so far, in order
// (the request log tests count requests per save with).
func (s *Server) Requests() []string {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	out := make([]string, len(s.requests))
	for i, r := range s.requests {
		out[i] = r.Method + " " + r.Path
	}
	return out
}

// RequestLog returns every request so far, in arrival order, with the fault
// that answered it, if any: a fault-run test tells from it which writes
// reached the protocol and how often.
func (s *Server) RequestLog() []Request {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	return append([]Request(nil), s.requests...)
}

// logRequest appends r to the log and returns a function that records the
// fault that answered it.
func (s *Server) logRequest(r *http.Request) func(fault string, status int) {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	i := len(s.requests)
	s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery})
	return func(fault string, status int) {
		s.logMu.Lock()
		defer s.logMu.Unlock()
		s.requests[i].Fault, s.requests[i].Status = fault, status
	}
}

// statusWriter remembers the status a handler answered.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (the drop fault).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// served tells OnRequest that a protocol handled r.
func (s *Server) served(r *http.Request) {
	if s.opts.OnRequest != nil {
		s.opts.OnRequest(r, true)
	}
}

// malformedWrite garbles the answers of the next writes under a prefix.
type malformedWrite struct {
	prefix    string
	remaining int
	applied   bool
}

// MalformNextWrites garbles the answers of the next n writes (any method but
// GET) whose path starts with prefix, as the "malformed" fault does: with
// applied, the write is applied and its answer cut in half; without, a 200
// HTML page answers and nothing is applied. Tests of write outcomes use it.
func (s *Server) MalformNextWrites(prefix string, n int, applied bool) {
	s.forcedMu.Lock()
	defer s.forcedMu.Unlock()
	s.malformed = append(s.malformed, malformedWrite{prefix: prefix, remaining: n, applied: applied})
}

// takeMalformed returns whether r's answer is to be garbled, and how.
func (s *Server) takeMalformed(r *http.Request) (applied, ok bool) {
	if r.Method == http.MethodGet {
		return false, false
	}
	s.forcedMu.Lock()
	defer s.forcedMu.Unlock()
	for i := range s.malformed {
		m := &s.malformed[i]
		if m.remaining > 0 && strings.HasPrefix(r.URL.Path, m.prefix) {
			m.remaining--
			return m.applied, true
		}
	}
	return false, false
}

// protocol is one provider's wire protocol: where its paths start and how it
// writes its own error bodies (so injected errors look like the real thing).
type protocol struct {
	prefixes   []string
	writeError ErrorWriter
}

// ErrorWriter answers a request with a protocol's own error body.
type ErrorWriter func(w http.ResponseWriter, r *http.Request, status int, message string, retryAfter time.Duration)

// forcedError is an error injected for the next requests under a prefix.
type forcedError struct {
	prefix     string
	status     int
	remaining  int
	retryAfter time.Duration
}

// registerProtocol records a protocol's path prefixes and error writer.
func (s *Server) registerProtocol(we ErrorWriter, prefixes ...string) {
	s.protocols = append(s.protocols, protocol{prefixes: prefixes, writeError: we})
}

// ForceError makes the next n requests whose path starts with prefix answer
// status, in the protocol's own error format (with Retry-After when
// retryAfter > 0). Tests use it for 401/429/5xx paths.
func (s *Server) ForceError(prefix string, status, n int, retryAfter time.Duration) {
	s.forcedMu.Lock()
	defer s.forcedMu.Unlock()
	s.forced = append(s.forced, forcedError{prefix: prefix, status: status, remaining: n, retryAfter: retryAfter})
}

// takeForced returns the forced error for r, if any, and counts it down.
func (s *Server) takeForced(r *http.Request) (forcedError, bool) {
	s.forcedMu.Lock()
	defer s.forcedMu.Unlock()
	for i := range s.forced {
		f := &s.forced[i]
		if f.remaining > 0 && strings.HasPrefix(r.URL.Path, f.prefix) {
			f.remaining--
			return *f, true
		}
	}
	return forcedError{}, false
}

// errorWriterFor finds the protocol that owns a path: the one with the
// longest matching prefix, so a protocol living under another's broader
// prefix (Zoho's "/crm/v2/" beside Apideck's "/crm/users") keeps its own
// error bodies whatever order the protocols were mounted in.
func (s *Server) errorWriterFor(path string) ErrorWriter {
	var best ErrorWriter
	bestLen := -1
	for _, p := range s.protocols {
		for _, pre := range p.prefixes {
			if len(pre) > bestLen && strings.HasPrefix(path, pre) {
				best, bestLen = p.writeError, len(pre)
			}
		}
	}
	if best != nil {
		return best
	}
	return func(w http.ResponseWriter, r *http.Request, status int, message string, _ time.Duration) {
		http.Error(w, message, status)
	}
}

// New builds a sandbox with all protocols mounted.
func New(opts Options) *Server {
	if opts.Users <= 0 {
		opts.Users = DefaultUsers
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Server{opts: opts, mux: http.NewServeMux()}
	s.SetFaults(opts.Faults)
	s.mountApideck()
	s.mountZoho()
	s.mountTruto()
	s.mountLaurel()
	return s
}

// Handler is the sandbox as an http.Handler: the injected latency, then
// answers garbled by MalformNextWrites, errors forced by ForceError, then
// random Faults, then the protocols.
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		w := &statusWriter{ResponseWriter: rw}
		logged := s.logRequest(r)
		fault := func(f string) { logged(f, w.status) }
		if s.opts.OnRequest != nil {
			s.opts.OnRequest(r, false)
		}
		if s.opts.Latency > 0 {
			t := time.NewTimer(s.opts.Latency)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				return
			}
		}
		if s.refuseOverLimit(w, r) {
			fault("ratelimit")
			return
		}
		if applied, ok := s.takeMalformed(r); ok {
			if applied {
				s.serveTruncated(w, r)
				fault(FaultTruncated)
			} else {
				serveHTMLErrorPage(w)
				fault(FaultHTML)
			}
			return
		}
		if f, ok := s.takeForced(r); ok {
			if f.retryAfter > 0 {
				w.Header().Set("Retry-After", fmt.Sprint(int(f.retryAfter.Seconds())))
			}
			s.errorWriterFor(r.URL.Path)(w, r, f.status, "injected by the sandbox", f.retryAfter)
			fault("forced")
			return
		}
		if f := s.injectFaults(w, r); f != "" {
			fault(f)
			return
		}
		s.mux.ServeHTTP(w, r)
		s.served(r)
		fault("")
	})
}

// Running is a sandbox listening on a loopback port.
type Running struct {
	URL    string // e.g. http://127.0.0.1:41234
	server *http.Server
	done   chan struct{}
}

// Start listens on addr ("127.0.0.1:0" picks a free port) and serves in the
// background until Close.
func (s *Server) Start(addr string) (*Running, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	hs := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	r := &Running{URL: "http://" + ln.Addr().String(), server: hs, done: make(chan struct{})}
	go func() {
		defer close(r.done)
		_ = hs.Serve(ln) // a failed listener shows as connection errors to callers
	}()
	return r, nil
}

// Close stops the server at once, cutting any request still in flight, and
// waits for it. Not Shutdown: that waits (up to its deadline) for every
// connection opened but never used, which a cancelled fetch leaves behind,
// so quitting the demo would hang for seconds.
func (r *Running) Close() error {
	err := r.server.Close()
	<-r.done
	return err
}

// writeJSON answers with a JSON body.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
