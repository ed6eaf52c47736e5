package stack_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/guard"
	"github.com/roster-tui/roster/crm/httpx"
	"github.com/roster-tui/roster/crm/limit"
	"github.com/roster-tui/roster/crm/sandbox"
	"github.com/roster-tui/roster/crm/stack"
	"github.com/roster-tui/roster/crm/truto"
)

// count429 serves h and counts the 429s it answers.
func count429(h http.Handler, n *atomic.Int32) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(&statusSpy{ResponseWriter: w, n: n}, r)
	})
}

type statusSpy struct {
	http.ResponseWriter
	n *atomic.Int32
}

func (s *statusSpy) WriteHeader(code int) {
	if code == http.StatusTooManyRequests {
		s.n.Add(1)
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusSpy) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// Many requests at once through stacks sharing the account's limiter (two
// "sessions", as a console and a bulk run would be) never trip the
// sandbox's Truto limit, scaled to 10 requests per second so the test is
// quick: zero 429s over real HTTP.
func TestTheLimiterKeepsEveryStackUnderTheProvidersLimit(t *testing.T) {
	s := sandbox.New(sandbox.Options{Users: 40})
	s.SetRateLimit("truto", sandbox.RateLimit{Requests: 10, Per: time.Second})
	var refused atomic.Int32
	srv := httptest.NewServer(count429(s.Handler(), &refused))
	t.Cleanup(srv.Close)
	adapter, err := truto.New(truto.Options{BaseURL: srv.URL, Token: sandbox.TrutoToken,
		IntegratedAccountID: sandbox.TrutoAccountSalesforce, HTTP: httpx.NewHTTPClient(httpx.Options{})})
	if err != nil {
		t.Fatal(err)
	}
	var limits limit.Registry
	settings := limit.Settings{Requests: 10, Per: time.Second, Concurrency: 4}
	a := stack.Build(adapter, stack.Options{Role: guard.Viewer, Limiter: limits.For("truto:sf", settings)})
	b := stack.Build(adapter, stack.Options{Role: guard.Viewer, Limiter: limits.For("truto:sf", settings)})
	if got := stack.Layers(a); !slices.Equal(got, []string{"*truto.Provider", "limiter", "guard", "pagecache"}) {
		t.Fatalf("layers %v", got)
	}
	if got := limit.Of(a); got != settings {
		t.Fatalf("the stack reports limits %+v, want its limiter's %+v", got, settings)
	}
	page, err := a.List(context.Background(), crm.PageRequest{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 2*len(page.Users))
	for _, p := range []crm.Provider{a, b} {
		for _, u := range page.Users {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := p.Get(context.Background(), u.ID); err != nil {
					errs <- err
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := refused.Load(); n != 0 {
		t.Fatalf("the sandbox answered %d requests with 429", n)
	}
}
