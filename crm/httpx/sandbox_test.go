package httpx_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/apideck"
	"github.com/roster-tui/roster/crm/httpx"
	"github.com/roster-tui/roster/crm/sandbox"
)

// These tests run a real adapter through the retrying client against the
// sandbox, with the sandbox's injected errors and faults.

type waits struct {
	mu sync.Mutex
	d  []time.Duration
}

func (w *waits) sleep(ctx context.Context, d time.Duration) error {
	w.mu.Lock()
	w.d = append(w.d, d)
	w.mu.Unlock()
	return ctx.Err()
}

func apideckOver(t *testing.T, o sandbox.Options, hc *http.Client) (*sandbox.Server, crm.Provider) {
	t.Helper()
	s := sandbox.New(o)
	run, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = run.Close() })
	return s, apideck.New(apideck.Options{BaseURL: run.URL, APIKey: sandbox.ApideckAPIKey,
		AppID: sandbox.ApideckAppID, ConsumerID: sandbox.ApideckConsumerID, HTTP: hc})
}

func TestSandbox429ThenListSucceedsAfterTheStatedWait(t *testing.T) {
	w := &waits{}
	s, p := apideckOver(t, sandbox.Options{Users: 30}, httpx.NewHTTPClient(httpx.Options{Sleep: w.sleep}))
	s.ForceError("/crm/users", http.StatusTooManyRequests, 1, 3*time.Second)
	var events []crm.RetryEvent
	ctx := crm.WithRetryNotify(context.Background(), func(e crm.RetryEvent) { events = append(events, e) })

	page, err := p.List(ctx, crm.PageRequest{Limit: 10})
	if err != nil {
		t.Fatalf("list: %v", err)
	}
	if len(page.Users) != 10 {
		t.Fatalf("got %d users, want 10", len(page.Users))
	}
	if len(w.d) != 1 || w.d[0] != 3*time.Second {
		t.Fatalf("waited %v, want [3s] as Retry-After said", w.d)
	}
	if len(events) != 1 || events[0].Wait != 3*time.Second || events[0].Status != 429 {
		t.Fatalf("events %+v, want one announcing the 3s wait", events)
	}
}

func TestSandboxFaultsAreRiddenOutByRetries(t *testing.T) {
	w := &waits{}
	hc := httpx.NewHTTPClient(httpx.Options{Sleep: w.sleep, MaxAttempts: 10, MaxWait: time.Hour})
	_, p := apideckOver(t, sandbox.Options{Users: 200,
		Faults: sandbox.Faults{Drop: 0.2, Rate429: 0.2, RetryAfter: 2 * time.Second, Seed: 7}}, hc)
	ctx := context.Background()
	seen, cursor := 0, ""
	for {
		page, err := p.List(ctx, crm.PageRequest{Cursor: cursor, Limit: 10})
		if err != nil {
			t.Fatalf("list after %d users: %v", seen, err)
		}
		seen += len(page.Users)
		if cursor = page.Next; cursor == "" {
			break
		}
	}
	if seen != 200 {
		t.Fatalf("listed %d users, want all 200", seen)
	}
	if len(w.d) == 0 {
		t.Fatal("no retries: the faults were not injected")
	}
}

func TestSandboxDeadProviderGivesUpWithinBudget(t *testing.T) {
	w := &waits{}
	s, p := apideckOver(t, sandbox.Options{Users: 5}, httpx.NewHTTPClient(httpx.Options{Sleep: w.sleep}))
	s.ForceError("/crm/users", http.StatusTooManyRequests, 100, 60*time.Second)
	_, err := p.List(context.Background(), crm.PageRequest{Limit: 5})
	if !errors.Is(err, crm.ErrRateLimited) {
		t.Fatalf("err = %v, want rate limited", err)
	}
	if e := crm.AsError(err); e.RetryAfter != time.Minute {
		t.Fatalf("RetryAfter = %s, want 1m0s", e.RetryAfter)
	}
	if len(w.d) != 0 {
		t.Fatalf("waited %v for a wait longer than the budget", w.d)
	}
}
