package httpx_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/httpx"
	"github.com/roster-tui/roster/crm/limit"
	"github.com/roster-tui/roster/crm/sandbox"
)

// recorder is a limit.Limiter that records what the transport tells it.
type recorder struct {
	mu       sync.Mutex
	waits    int
	held     int // slots taken and not released
	backoffs []time.Time
}

func (r *recorder) Wait(ctx context.Context) (func(), error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.waits++
	r.held++
	var once sync.Once
	return func() {
		once.Do(func() {
			r.mu.Lock()
			r.held--
			r.mu.Unlock()
		})
	}, ctx.Err()
}

func (r *recorder) Backoff(until time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.backoffs = append(r.backoffs, until)
}

func (r *recorder) Settings() limit.Settings { return limit.Settings{} }

// Every attempt passes the limiter and frees its slot once read; a 429's
// Retry-After reaches the limiter, so the account's other requests wait too.
func TestEveryAttemptPassesTheLimiterAndA429PausesIt(t *testing.T) {
	w := &waits{}
	now := time.Date(2026, 12, 2, 8, 0, 0, 0, time.UTC)
	s, p := apideckOver(t, sandbox.Options{Users: 30},
		httpx.NewHTTPClient(httpx.Options{Sleep: w.sleep, Now: func() time.Time { return now }}))
	s.ForceError("/crm/users", http.StatusTooManyRequests, 1, 3*time.Second)
	rec := &recorder{}
	ctx := httpx.WithLimiter(context.Background(), rec)
	if _, err := p.List(ctx, crm.PageRequest{Limit: 10}); err != nil {
		t.Fatal(err)
	}
	if rec.waits != 2 {
		t.Errorf("%d waits on the limiter, want 2 (the refused attempt and the retry)", rec.waits)
	}
	if rec.held != 0 {
		t.Errorf("%d slots still held after the answers were read", rec.held)
	}
	if len(rec.backoffs) != 1 || !rec.backoffs[0].Equal(now.Add(3*time.Second)) {
		t.Errorf("backoffs %v, want one until now+3s", rec.backoffs)
	}
}
