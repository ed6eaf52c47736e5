package ui

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/pagecache"
	"github.com/roster-tui/roster/crm/sandbox"
	"github.com/roster-tui/roster/crm/zoho"
)

// countingTransport counts the list requests (GET …/users) that reach the
// provider and remembers whether the last one was conditional.
type countingTransport struct {
	inner     http.RoundTripper
	lists     atomic.Int64
	mu        sync.Mutex
	lastSince string
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/users") {
		c.lists.Add(1)
		c.mu.Lock()
		c.lastSince = r.Header.Get("If-Modified-Since")
		c.mu.Unlock()
	}
	return c.inner.RoundTrip(r)
}

func (c *countingTransport) since() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lastSince
}

// fakeClock is one clock for the sandbox and the UI, so "modified since"
// compares times the test chose rather than racing the wall clock.
type fakeClock struct{ ns atomic.Int64 }

func newFakeClock() *fakeClock {
	c := &fakeClock{}
	c.ns.Store(time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC).UnixNano())
	return c
}
func (c *fakeClock) now() time.Time           { return time.Unix(0, c.ns.Load()).UTC() }
func (c *fakeClock) advance(by time.Duration) { c.ns.Add(int64(by)) }

// zohoAt opens the Zoho adapter on a running sandbox.
func zohoAt(t *testing.T, url string, hc *http.Client) *zoho.Provider {
	t.Helper()
	p, err := zoho.New(zoho.Options{Name: "crm", AccountsURL: url, BaseURL: url, ClientID: sandbox.ZohoClientID,
		ClientSecret: sandbox.ZohoClientSecret, RefreshToken: sandbox.ZohoRefreshToken, HTTP: hc})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// requests returns how many list requests reached the provider since the
// last call.
func (c *countingTransport) take(prev *int64) int64 {
	n := c.lists.Load()
	d := n - *prev
	*prev = n
	return d
}

// r really asks the provider again, and afterwards the views the cache had
// kept are fetched again too; until then, switching views and paging back
// over seen pages cost no request. A colleague's change shows after r; a
// second r with nothing changed says so.
func TestRefreshRefetchesAndCacheServesTheRest(t *testing.T) {
	clock := newFakeClock()
	srv := sandbox.New(sandbox.Options{Users: 120, Now: clock.now})
	run, err := srv.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = run.Close() })
	counter := &countingTransport{inner: http.DefaultTransport}
	z := zohoAt(t, run.URL, &http.Client{Transport: counter, Timeout: 10 * time.Second})
	d := newDriver(t, pagecache.Wrap(z, pagecache.Options{})) // as the app wraps it
	d.m.(*Model).c.now = clock.now
	var seen int64

	d.waitFor("25 loaded")
	if n := counter.take(&seen); n != 1 {
		t.Fatalf("first page: %d list requests, want 1", n)
	}
	d.key("n")
	d.waitFor("50 loaded")
	d.key("p")
	d.key("p")
	d.waitIdle()
	if n := counter.take(&seen); n != 1 {
		t.Errorf("page 2 then back: %d list requests, want 1", n)
	}

	views := len(zoho.UserTypes)
	cycleViews := func() {
		for range views {
			d.key("v")
			d.waitIdle()
		}
		d.waitFor("view AllUsers")
	}
	cycleViews()
	if n := counter.take(&seen); n != int64(views-1) {
		t.Errorf("first time round the views: %d list requests, want %d", n, views-1)
	}
	cycleViews()
	if n := counter.take(&seen); n != 0 {
		t.Errorf("second time round the views: %d list requests, want 0 (cached)", n)
	}

	clock.advance(time.Minute)
	d.key("r")
	d.waitFor("refreshed:")
	if n := counter.take(&seen); n != 1 {
		t.Errorf("r: %d list requests, want 1", n)
	}
	cycleViews()
	if n := counter.take(&seen); n != int64(views-1) {
		t.Errorf("views after r: %d list requests, want %d (the cache was forgotten)", n, views-1)
	}

	clock.advance(time.Minute)
	first, _ := firstUser(t, z)
	if _, err := z.Update(context.Background(), first.ID, crm.Changes{"last_name": "Refreshworth"}); err != nil {
		t.Fatal(err)
	}
	clock.advance(time.Minute)
	d.key("r")
	v := d.waitFor("refreshed:")
	if !strings.Contains(v, "Refreshworth") {
		t.Errorf("r should show the colleague's change:\n%s", v)
	}
	if counter.since() == "" {
		t.Errorf("the second refresh should ask only for changes (If-Modified-Since)")
	}

	clock.advance(time.Minute)
	d.key("r")
	d.waitFor("no changes")
	if !strings.Contains(d.m.View(), "Refreshworth") {
		t.Errorf("no changes keeps the list:\n%s", d.m.View())
	}
}

// Returning from a server search shows the list again without asking.
func TestReturningFromSearchUsesCachedPage(t *testing.T) {
	_, url := startSandbox(t)
	counter := &countingTransport{inner: http.DefaultTransport}
	a := trutoWith(t, url, sandbox.TrutoAccountSalesforce, &http.Client{Transport: counter, Timeout: 10 * time.Second})
	d := newDriver(t, pagecache.Wrap(a, pagecache.Options{}))
	var seen int64
	d.waitFor("25 loaded")
	first, _ := firstUser(t, a)
	counter.take(&seen)

	d.key("/")
	d.typeText(first.LastName)
	d.key("enter")
	d.waitFor("server search \"")
	d.waitIdle()
	d.key("esc")
	d.waitFor("25 loaded")
	d.waitIdle()
	if n := counter.take(&seen); n != 1 {
		t.Errorf("search and back: %d list requests, want 1 (the search)", n)
	}
}

// Load all asks for the provider's largest pages, not the list's page size:
// 120 users at Apideck's 200 a page are one request, not five.
func TestLoadAllUsesTheLargestPages(t *testing.T) {
	_, url := startSandbox(t)
	counter := &countingTransport{inner: http.DefaultTransport}
	d := newDriver(t, apideckAt(url, &http.Client{Transport: counter, Timeout: 10 * time.Second}))
	var seen int64
	d.waitFor("of 120")
	counter.take(&seen)
	d.key("L")
	d.waitFor("loaded all 120 users")
	if n := counter.take(&seen); n != 1 {
		t.Errorf("load all of 120 users: %d list requests, want 1", n)
	}
}

// With every user loaded, enter in the filter keeps the local narrowing
// (complete and instant) instead of replacing the list with a server search.
func TestEnterFiltersLocallyOnceAllIsLoaded(t *testing.T) {
	_, url := startSandbox(t)
	counter := &countingTransport{inner: http.DefaultTransport}
	d := newDriver(t, trutoWith(t, url, sandbox.TrutoAccountSalesforce, &http.Client{Transport: counter, Timeout: 10 * time.Second}))
	var seen int64
	d.waitFor("25 loaded")
	d.key("L")
	d.waitFor("loaded all 120 users")
	counter.take(&seen)
	d.key("/")
	d.typeText("grace")
	d.waitFor("ctrl+s: search on the server")
	d.key("enter")
	screen := d.waitFor("matches")
	d.waitIdle()
	if n := counter.take(&seen); n != 0 {
		t.Errorf("enter with everything loaded sent %d list requests, want 0", n)
	}
	if strings.Contains(screen, "server search") {
		t.Errorf("enter with everything loaded started a server search:\n%s", screen)
	}
}
