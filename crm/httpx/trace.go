package httpx

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"
)

// traceBodyMax is how much of a body a trace line shows.
const traceBodyMax = 2 << 10

// Trace wraps next (http.DefaultTransport when nil) so that every request
// and its answer are written to w as redacted lines: method, URL, headers,
// the start of the bodies, status and duration. It is what --debug shows;
// no credential ever reaches w.
func Trace(w io.Writer, next http.RoundTripper) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	return &traceTransport{w: w, next: next}
}

type traceTransport struct {
	mu   sync.Mutex // one request's lines stay together
	w    io.Writer
	next http.RoundTripper
}

func (t *traceTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "→ %s %s\n", req.Method, RedactURL(req.URL))
	writeHeaders(&b, req.Header)
	if req.GetBody != nil {
		if body, err := req.GetBody(); err == nil {
			data, _ := io.ReadAll(io.LimitReader(body, traceBodyMax+1))
			body.Close()
			writeBody(&b, data)
		}
	}
	start := time.Now()
	resp, err := t.next.RoundTrip(req)
	took := time.Since(start).Round(time.Millisecond)
	if err != nil {
		fmt.Fprintf(&b, "← error after %s: %s\n", took, Redact(err.Error()))
		t.write(b.String())
		return nil, err
	}
	fmt.Fprintf(&b, "← %s in %s\n", resp.Status, took)
	writeHeaders(&b, resp.Header)
	// Peek at the start of the body and hand the caller all of it.
	head := make([]byte, traceBodyMax+1)
	n, _ := io.ReadFull(resp.Body, head)
	head = head[:n]
	writeBody(&b, head)
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(head), resp.Body), resp.Body}
	t.write(b.String())
	return resp, nil
}

func (t *traceTransport) write(s string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	_, _ = io.WriteString(t.w, s)
}

func writeHeaders(b *strings.Builder, h http.Header) {
	rh := RedactHeader(h)
	keys := make([]string, 0, len(rh))
	for k := range rh {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(b, "  %s: %s\n", k, Redact(strings.Join(rh[k], ", ")))
	}
}

func writeBody(b *strings.Builder, data []byte) {
	if len(data) == 0 {
		return
	}
	s := string(data)
	cut := ""
	if len(s) > traceBodyMax {
		s, cut = s[:traceBodyMax], "…"
	}
	// Quote so a hostile body cannot write escape sequences to a terminal.
	q := fmt.Sprintf("%q", Redact(s))
	fmt.Fprintf(b, "  body: %s%s\n", q, cut)
}
