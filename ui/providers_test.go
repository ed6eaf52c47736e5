package ui

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/roster-tui/roster/crm/apideck"
	"github.com/roster-tui/roster/crm/httpx"
	"github.com/roster-tui/roster/crm/laurel"
	"github.com/roster-tui/roster/crm/providertest"
	"github.com/roster-tui/roster/crm/sandbox"
	"github.com/roster-tui/roster/crm/truto"
)

// startSandbox runs a sandbox on loopback and returns its URL.
func startSandbox(t *testing.T) (*sandbox.Server, string) {
	t.Helper()
	srv := sandbox.New(sandbox.Options{Users: 120, Now: testClock})
	run, err := srv.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = run.Close() })
	return srv, run.URL
}

// apideckAt opens another Apideck adapter on a running sandbox: a
// colleague's Roster, changing the same store.
func apideckAt(url string, hc *http.Client) *apideck.Provider { return providertest.Apideck(url, hc) }

func laurelAt(t *testing.T, url string) *laurel.Provider {
	t.Helper()
	p, err := laurel.New(laurel.Options{Name: "people", BaseURL: url,
		ClientID: sandbox.LaurelClientID, ClientSecret: sandbox.LaurelClientSecret, CustomerID: sandbox.LaurelCustomerID,
		HTTP: &http.Client{Timeout: 10 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func trutoAt(t *testing.T, url, account string) *truto.Provider {
	t.Helper()
	return trutoWith(t, url, account, &http.Client{Timeout: 10 * time.Second})
}

// trutoWith opens a Truto adapter with its own HTTP client (a counting
// transport, say). Truto searches on the server, as Apideck's users API
// does not.
func trutoWith(t *testing.T, url, account string, hc *http.Client) *truto.Provider {
	t.Helper()
	p, err := truto.New(truto.Options{Name: "unified", BaseURL: url, Token: sandbox.TrutoToken,
		IntegratedAccountID: account, Integration: sandbox.TrutoIntegration(account), HTTP: hc})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// gatedSleep is the retry transport's Sleep in tests: it reports each wait
// and returns only when the test releases it, so nothing really sleeps and
// the test sees the screen while the client waits.
type gatedSleep struct {
	waits   chan time.Duration
	release chan struct{}
}

func newGatedSleep() *gatedSleep {
	return &gatedSleep{waits: make(chan time.Duration, 8), release: make(chan struct{})}
}

func (g *gatedSleep) sleep(ctx context.Context, d time.Duration) error {
	g.waits <- d
	select {
	case <-g.release:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// retryingClient is the production retry transport with a test Sleep.
func retryingClient(g *gatedSleep) *http.Client {
	return httpx.NewHTTPClient(httpx.Options{Sleep: g.sleep, Jitter: func() float64 { return 0 }})
}
