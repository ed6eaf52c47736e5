package pagecache

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/apideck"
	"github.com/roster-tui/roster/crm/sandbox"
)

// counter counts the list requests (GET /crm/users) that reach the network,
// optionally holding each one until release is closed.
type counter struct {
	next    http.RoundTripper
	lists   atomic.Int64
	sent    chan struct{} // receives once per list request, when set
	release chan struct{} // list requests wait for it, when set
	dropped chan struct{} // receives when a held request is cancelled, when set
	panics  atomic.Int64  // this many list requests panic instead of going out
}

func (c *counter) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method == http.MethodGet && r.URL.Path == "/crm/users" {
		c.lists.Add(1)
		if c.panics.Add(-1) >= 0 {
			panic("transport exploded")
		}
		if c.sent != nil {
			c.sent <- struct{}{}
		}
		if c.release != nil {
			select {
			case <-c.release:
			case <-r.Context().Done():
				if c.dropped != nil {
					c.dropped <- struct{}{}
				}
				return nil, r.Context().Err()
			}
		}
	}
	return c.next.RoundTrip(r)
}

// fixture is an Apideck adapter over a loopback sandbox, wrapped in the
// cache, and a second adapter standing for a colleague (no cache).
type fixture struct {
	cache     *Provider
	count     *counter
	colleague crm.Provider
}

func newFixture(t *testing.T, o Options) *fixture {
	t.Helper()
	run, err := sandbox.New(sandbox.Options{Users: 120}).Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = run.Close() })
	count := &counter{next: http.DefaultTransport}
	open := func(rt http.RoundTripper) crm.Provider {
		return apideck.New(apideck.Options{BaseURL: run.URL, APIKey: sandbox.ApideckAPIKey,
			AppID: sandbox.ApideckAppID, ConsumerID: sandbox.ApideckConsumerID, ServiceID: "salesforce",
			HTTP: &http.Client{Transport: rt}})
	}
	return &fixture{cache: Wrap(open(count), o), count: count, colleague: open(http.DefaultTransport)}
}

// pages lists n pages of size 20 from the first, following Next.
func (f *fixture) pages(t *testing.T, n int) []crm.Page {
	t.Helper()
	var out []crm.Page
	req := crm.PageRequest{Limit: 20}
	for i := 0; i < n; i++ {
		pg, err := f.cache.List(context.Background(), req)
		if err != nil {
			t.Fatalf("page %d: %v", i+1, err)
		}
		out = append(out, pg)
		req.Cursor = pg.Next
	}
	return out
}

func (f *fixture) lists() int { return int(f.count.lists.Load()) }

func TestPagesSeenBeforeCostNoRequest(t *testing.T) {
	f := newFixture(t, Options{})
	first := f.pages(t, 3)
	if f.lists() != 3 {
		t.Fatalf("three pages took %d requests", f.lists())
	}
	again := f.pages(t, 3)
	if f.lists() != 3 {
		t.Errorf("paging back over seen pages sent %d more requests", f.lists()-3)
	}
	for i := range first {
		if first[i].Users[0].ID != again[i].Users[0].ID || len(first[i].Users) != len(again[i].Users) || first[i].Next != again[i].Next {
			t.Errorf("page %d from the cache differs from the provider's", i+1)
		}
	}
	// A fourth page was never seen: it is asked for.
	f.pages(t, 4)
	if f.lists() != 4 {
		t.Errorf("a new page: %d requests in all, want 4", f.lists())
	}
}

func TestEachQueryAndPageSizeIsCachedApart(t *testing.T) {
	f := newFixture(t, Options{})
	ctx := context.Background()
	for _, req := range []crm.PageRequest{{Limit: 20}, {Limit: 10}, {Limit: 20, Query: "ada"}} {
		if _, err := f.cache.List(ctx, req); err != nil {
			t.Fatal(err)
		}
	}
	if f.lists() != 3 {
		t.Fatalf("three distinct pages took %d requests", f.lists())
	}
	if _, err := f.cache.List(ctx, crm.PageRequest{Limit: 20, Query: "ada"}); err != nil {
		t.Fatal(err)
	}
	if f.lists() != 3 {
		t.Errorf("a repeated search was sent again")
	}
}

func TestUpdateThroughTheCacheShowsOnTheNextList(t *testing.T) {
	f := newFixture(t, Options{})
	ctx := context.Background()
	target := f.pages(t, 2)[1].Users[3]
	if _, err := f.cache.Update(ctx, target.ID, crm.Changes{"title": "Chief Roster Officer"}); err != nil {
		t.Fatal(err)
	}
	before := f.lists()
	second := f.pages(t, 2)[1]
	if f.lists() != before+2 {
		t.Errorf("after a save, listing two pages sent %d requests, want 2", f.lists()-before)
	}
	if got := second.Users[3].Title; got != "Chief Roster Officer" {
		t.Errorf("after the save the list shows title %q", got)
	}
}

func TestDeleteThroughTheCacheDropsTheUser(t *testing.T) {
	f := newFixture(t, Options{})
	ctx := context.Background()
	gone := f.pages(t, 1)[0].Users[0]
	if err := f.cache.Delete(ctx, gone.ID); err != nil {
		t.Fatal(err)
	}
	for _, u := range f.pages(t, 1)[0].Users {
		if u.ID == gone.ID {
			t.Fatalf("deleted user %s is still listed", gone.ID)
		}
	}
}

func TestInvalidateAsksAgainAndSeesAColleaguesChange(t *testing.T) {
	f := newFixture(t, Options{})
	ctx := context.Background()
	target := f.pages(t, 1)[0].Users[0]
	if _, err := f.colleague.Update(ctx, target.ID, crm.Changes{"title": "Changed Elsewhere"}); err != nil {
		t.Fatal(err)
	}
	if got := f.pages(t, 1)[0].Users[0].Title; got == "Changed Elsewhere" {
		t.Fatalf("the cache answered a page it had never seen fresh?")
	}
	f.cache.Invalidate()
	if got := f.pages(t, 1)[0].Users[0].Title; got != "Changed Elsewhere" {
		t.Errorf("after Invalidate the list shows title %q", got)
	}
	if f.lists() != 2 {
		t.Errorf("%d requests, want 2 (before and after Invalidate)", f.lists())
	}
}

func TestConditionalListBypassesAndRefreshesTheCache(t *testing.T) {
	f := newFixture(t, Options{})
	ctx := context.Background()
	target := f.pages(t, 2)[0].Users[0]
	if _, err := f.colleague.Update(ctx, target.ID, crm.Changes{"title": "Changed Elsewhere"}); err != nil {
		t.Fatal(err)
	}
	// Apideck has no conditional lists, so the request answers a full page.
	pg, err := f.cache.List(ctx, crm.PageRequest{Limit: 20, IfModifiedSince: "2020-01-01T00:00:00Z"})
	if err != nil {
		t.Fatal(err)
	}
	if f.lists() != 3 || pg.Users[0].Title != "Changed Elsewhere" {
		t.Fatalf("a conditional list: %d requests (want 3), title %q", f.lists(), pg.Users[0].Title)
	}
	// The fresh first page is kept; the second page, seen before the
	// change, is asked for again.
	f.pages(t, 2)
	if f.lists() != 4 {
		t.Errorf("after the refresh, two pages sent %d requests, want 1", f.lists()-3)
	}
}

func TestCallersCannotChangeCachedPages(t *testing.T) {
	f := newFixture(t, Options{})
	pg := f.pages(t, 1)[0]
	want := pg.Users[0].ID
	pg.Users[0] = crm.User{ID: "scribbled"}
	if got := f.pages(t, 1)[0].Users[0].ID; got != want {
		t.Errorf("the cache hands out %q after a caller overwrote its copy", got)
	}
}

func TestOldestPagesGoBeyondTheBound(t *testing.T) {
	f := newFixture(t, Options{MaxUsers: 40}) // room for two pages of 20
	seen := f.pages(t, 3)                     // the first page is dropped
	ctx := context.Background()
	for _, cursor := range []string{seen[1].Next, seen[0].Next, ""} { // pages 3, 2, 1
		if _, err := f.cache.List(ctx, crm.PageRequest{Limit: 20, Cursor: cursor}); err != nil {
			t.Fatal(err)
		}
	}
	if f.lists() != 4 {
		t.Errorf("%d requests, want 4 (only the dropped first page asked again)", f.lists())
	}
}

func TestConcurrentCallersOfOnePageShareOneRequest(t *testing.T) {
	f := newFixture(t, Options{})
	f.count.sent = make(chan struct{}, 1)
	f.count.release = make(chan struct{})
	joined := make(chan struct{}, 8)
	f.cache.onJoin = func() { joined <- struct{}{} }
	const callers = 5
	var wg sync.WaitGroup
	ids := make([]string, callers)
	for i := 0; i < callers; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			pg, err := f.cache.List(context.Background(), crm.PageRequest{Limit: 20})
			if err == nil && len(pg.Users) > 0 {
				ids[i] = pg.Users[0].ID
			}
		}(i)
	}
	<-f.count.sent // one request is on the wire, held
	for i := 0; i < callers-1; i++ {
		<-joined // every other caller waits for it
	}
	close(f.count.release)
	wg.Wait()
	if f.lists() != 1 {
		t.Errorf("%d callers of one page sent %d requests", callers, f.lists())
	}
	for i, id := range ids {
		if id == "" || id != ids[0] {
			t.Errorf("caller %d got first user %q, caller 0 %q", i, id, ids[0])
		}
	}
}

func TestAWaiterOutlivesTheCallerWhoGaveUp(t *testing.T) {
	f := newFixture(t, Options{})
	f.count.sent = make(chan struct{}, 2)
	f.count.release = make(chan struct{})
	joined := make(chan struct{}, 1)
	f.cache.onJoin = func() { joined <- struct{}{} }
	leaderCtx, cancel := context.WithCancel(context.Background())
	leaderDone := make(chan error, 1)
	go func() {
		_, err := f.cache.List(leaderCtx, crm.PageRequest{Limit: 20})
		leaderDone <- err
	}()
	<-f.count.sent
	waiterDone := make(chan crm.Page, 1)
	go func() {
		pg, _ := f.cache.List(context.Background(), crm.PageRequest{Limit: 20})
		waiterDone <- pg
	}()
	<-joined
	cancel() // the view that asked first went away
	// It gets its answer at once, although the provider still holds the request.
	if err := <-leaderDone; !errors.Is(err, context.Canceled) {
		t.Fatalf("the cancelled caller got %v, want context.Canceled", err)
	}
	close(f.count.release)
	if pg := <-waiterDone; len(pg.Users) != 20 {
		t.Errorf("the waiting caller got %d users, want a page of 20", len(pg.Users))
	}
	if f.lists() != 1 {
		t.Errorf("%d requests, want 1: the waiter is answered by the request already sent", f.lists())
	}
}

func TestWhenEveryCallerGivesUpTheRequestIsCancelled(t *testing.T) {
	f := newFixture(t, Options{})
	f.count.sent = make(chan struct{}, 2)
	f.count.release = make(chan struct{})
	f.count.dropped = make(chan struct{}, 2)
	joined := make(chan struct{}, 1)
	f.cache.onJoin = func() { joined <- struct{}{} }
	ctx1, cancel1 := context.WithCancel(context.Background())
	ctx2, cancel2 := context.WithCancel(context.Background())
	done := make(chan error, 2)
	go func() { _, err := f.cache.List(ctx1, crm.PageRequest{Limit: 20}); done <- err }()
	<-f.count.sent
	go func() { _, err := f.cache.List(ctx2, crm.PageRequest{Limit: 20}); done <- err }()
	<-joined
	cancel1()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("first caller: %v, want context.Canceled", err)
	}
	cancel2()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("second caller: %v, want context.Canceled", err)
	}
	<-f.count.dropped // nobody wants the page: the provider's request is called off
	// The next caller does not join the abandoned request; it sends its own.
	close(f.count.release)
	pg, err := f.cache.List(context.Background(), crm.PageRequest{Limit: 20})
	if err != nil || len(pg.Users) != 20 {
		t.Fatalf("after everyone gave up, a new list got %d users, err %v", len(pg.Users), err)
	}
	if f.lists() != 2 {
		t.Errorf("%d requests, want 2", f.lists())
	}
}

func TestAPageFetchedAcrossAnInvalidateIsNotKept(t *testing.T) {
	f := newFixture(t, Options{})
	f.count.sent = make(chan struct{}, 2)
	f.count.release = make(chan struct{})
	ctx := context.Background()
	target := f.firstUserID(t)
	done := make(chan crm.Page, 1)
	go func() { pg, _ := f.cache.List(ctx, crm.PageRequest{Limit: 20}); done <- pg }()
	<-f.count.sent // the page is on its way, read before the colleague's change
	if _, err := f.colleague.Update(ctx, target, crm.Changes{"title": "Changed Elsewhere"}); err != nil {
		t.Fatal(err)
	}
	f.cache.Invalidate() // the admin refreshed meanwhile
	close(f.count.release)
	<-done
	pg, err := f.cache.List(ctx, crm.PageRequest{Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	if pg.Users[0].Title != "Changed Elsewhere" || f.lists() != 2 {
		t.Errorf("after the refresh: title %q, %d requests (want the colleague's title, 2 requests)",
			pg.Users[0].Title, f.lists())
	}
}

// firstUserID reads the first user's id as a colleague sees it (past the
// cache and the counter).
func (f *fixture) firstUserID(t *testing.T) string {
	t.Helper()
	pg, err := f.colleague.List(context.Background(), crm.PageRequest{Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	return pg.Users[0].ID
}

func TestAProviderPanicReachesTheCallerAndTheNextListWorks(t *testing.T) {
	f := newFixture(t, Options{})
	f.count.panics.Store(1)
	func() {
		defer func() {
			if r := recover(); r == nil {
				t.Error("the provider's panic did not reach the caller")
			}
		}()
		_, _ = f.cache.List(context.Background(), crm.PageRequest{Limit: 20})
	}()
	pg, err := f.cache.List(context.Background(), crm.PageRequest{Limit: 20})
	if err != nil || len(pg.Users) != 20 {
		t.Fatalf("after the panic a list got %d users, err %v; want a page of 20", len(pg.Users), err)
	}
}

func TestWritesAndPagingAtOnce(t *testing.T) {
	// For -race: pages, saves and refreshes from several goroutines.
	f := newFixture(t, Options{MaxUsers: 60})
	ctx := context.Background()
	ids := f.pages(t, 1)[0].Users
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 10; i++ {
				switch {
				case g == 0 && i%3 == 0:
					_, _ = f.cache.Update(ctx, ids[i].ID, crm.Changes{"title": "T"})
				case g == 1 && i%4 == 0:
					f.cache.Invalidate()
				default:
					req := crm.PageRequest{Limit: 20}
					for p := 0; p < 3; p++ {
						pg, err := f.cache.List(ctx, req)
						if err != nil {
							t.Error(err)
							return
						}
						req.Cursor = pg.Next
					}
				}
			}
		}(g)
	}
	wg.Wait()
	f.cache.Invalidate()
	if got := f.pages(t, 1)[0].Users[0].Title; got != "T" {
		t.Errorf("after the saves the first user shows title %q", got)
	}
}
