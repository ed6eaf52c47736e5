package truto_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/httpx"
	"github.com/roster-tui/roster/crm/sandbox"
)

// A 405 (Truto's sandbox accounts refuse writes) turns the provider
// read-only: Info stops offering edits and says why.
func TestAccountThatRefusesWritesBecomesReadOnly(t *testing.T) {
	_, url := startSandbox(t, sandbox.Options{})
	p := open(t, url, sandbox.TrutoAccountReadOnly, nil)
	if !p.Info().Caps.Update || !p.Info().Caps.Delete {
		t.Fatal("a fresh provider should offer update and delete")
	}
	u := userAt(t, p, 0)
	_, err := p.Update(context.Background(), u.ID, crm.Changes{"name": "Nope"})
	if !errors.Is(err, crm.ErrForbidden) || !strings.Contains(err.Error(), "refuses writes") {
		t.Fatalf("update on a read-only account: %v, want a forbidden error saying it refuses writes", err)
	}
	info := p.Info()
	if info.Caps.Update || info.Caps.Delete || info.Notice != "read-only: the account refuses writes" {
		t.Errorf("after the 405: caps %+v notice %q", info.Caps, info.Notice)
	}
	if err := p.Delete(context.Background(), u.ID); !errors.Is(err, crm.ErrForbidden) {
		t.Errorf("delete after the 405: %v, want forbidden", err)
	}
	if _, err := p.Get(context.Background(), u.ID); err != nil {
		t.Errorf("reading still works: %v", err)
	}
}

func TestRateLimitSaysRetryAfterTenSeconds(t *testing.T) {
	fixed := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s, url := startSandbox(t, sandbox.Options{Now: func() time.Time { return fixed }})
	s.SetTrutoRateLimit(2)
	p := open(t, url, sandbox.TrutoAccountWix, nil)
	var err error
	for i := 0; i < 3 && err == nil; i++ {
		_, err = p.List(context.Background(), crm.PageRequest{Limit: 10})
	}
	if !errors.Is(err, crm.ErrRateLimited) {
		t.Fatalf("third list within 10 s: %v, want rate limited", err)
	}
	if got := crm.AsError(err).RetryAfter; got != 10*time.Second {
		t.Errorf("RetryAfter = %s, want 10s", got)
	}
	if !strings.Contains(crm.AsError(err).Message, "Rate limit exceeded") {
		t.Errorf("message %q does not say what Truto said", crm.AsError(err).Message)
	}
}

func TestRemote401AsksToReauthoriseTheAccount(t *testing.T) {
	s, url := startSandbox(t, sandbox.Options{})
	p := open(t, url, sandbox.TrutoAccountOutreach, nil)
	s.ForceError("/unified/", 401, 1, 0)
	_, err := p.List(context.Background(), crm.PageRequest{Limit: 10})
	if !errors.Is(err, crm.ErrUnauthorized) || !strings.Contains(err.Error(), "the connected account needs re-authorising") {
		t.Fatalf("remote 401: %v", err)
	}
}

// 503 means a blocked account: not retried, even by a retrying client.
func TestBlockedAccountIsNotRetried(t *testing.T) {
	s, url := startSandbox(t, sandbox.Options{})
	hc := httpx.NewHTTPClient(httpx.Options{Sleep: func(context.Context, time.Duration) error { return nil }})
	p := open(t, url, sandbox.TrutoAccountWix, hc)
	s.ForceError("/unified/", 503, 1, 0)
	_, err := p.List(context.Background(), crm.PageRequest{Limit: 10})
	if !errors.Is(err, crm.ErrForbidden) || !strings.Contains(err.Error(), "blocked") {
		t.Fatalf("503: %v, want forbidden saying the account is blocked (a retry would have succeeded)", err)
	}
}

func TestHasNoIdentityLookup(t *testing.T) {
	_, url := startSandbox(t, sandbox.Options{})
	p := open(t, url, sandbox.TrutoAccountWix, nil)
	if _, ok := any(p).(crm.IdentityLookup); ok {
		t.Error("Truto's users have no external identities, but the adapter is a crm.IdentityLookup")
	}
}
