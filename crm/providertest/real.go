package providertest

import (
	"net/http"
	"testing"
	"time"

	"github.com/roster-tui/roster/crm/apideck"
	"github.com/roster-tui/roster/crm/sandbox"
)

// StartSandbox runs a sandbox with o on a loopback port until the test ends.
func StartSandbox(tb testing.TB, o sandbox.Options) (*sandbox.Server, string) {
	tb.Helper()
	s := sandbox.New(o)
	run, err := s.Start("127.0.0.1:0")
	if err != nil {
		tb.Fatalf("start sandbox: %v", err)
	}
	tb.Cleanup(func() { _ = run.Close() })
	return s, run.URL
}

// Apideck is the real Apideck adapter, named "sales", on the sandbox at url:
// the provider that tests of decorators and views use instead of a mock.
// A nil hc is a plain client (no retries) with a 10 s timeout.
func Apideck(url string, hc *http.Client) *apideck.Provider {
	if hc == nil {
		hc = &http.Client{Timeout: 10 * time.Second}
	}
	return apideck.New(apideck.Options{
		Name: "sales", BaseURL: url,
		APIKey: sandbox.ApideckAPIKey, AppID: sandbox.ApideckAppID, ConsumerID: sandbox.ApideckConsumerID,
		HTTP: hc,
	})
}
