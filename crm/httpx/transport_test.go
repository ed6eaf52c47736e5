package httpx

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
)

// Loading numbered pages asks for several at once, round after round. The
// second round must reuse the first round's connections rather than dial
// (over TLS each dial is one or two more round trips per page).
func TestConcurrentRoundsReuseTheirConnections(t *testing.T) {
	const perRound, rounds = 8, 3
	var dials atomic.Int32
	var mu sync.Mutex
	arrived, release := 0, make(chan struct{})
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Hold each round until all its requests are in, so every round
		// needs perRound connections at the same time.
		mu.Lock()
		arrived++
		gate := release
		if arrived == perRound {
			close(release)
			arrived, release = 0, make(chan struct{})
		}
		mu.Unlock()
		<-gate
		_, _ = io.WriteString(w, `{"ok":true}`)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			dials.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()

	hc := NewHTTPClient(Options{})
	for range rounds {
		var wg sync.WaitGroup
		for range perRound {
			wg.Go(func() {
				c := Client{Provider: "test", BaseURL: srv.URL, HTTP: hc}
				if _, err := c.Do(context.Background(), Request{Method: http.MethodGet, Path: "/page"}); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
	}
	if got := dials.Load(); got != perRound {
		t.Errorf("%d rounds of %d concurrent requests opened %d connections, want %d (one per request of a round, reused after)",
			rounds, perRound, got, perRound)
	}
}
