package truto_test

import (
	"net/http"
	"testing"

	"github.com/roster-tui/roster/crm/sandbox"
	"github.com/roster-tui/roster/crm/truto"
)

// startSandbox runs a sandbox with a few users for one test.
func startSandbox(t *testing.T, opts sandbox.Options) (*sandbox.Server, string) {
	t.Helper()
	if opts.Users == 0 {
		opts.Users = 120
	}
	s := sandbox.New(opts)
	run, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatalf("start sandbox: %v", err)
	}
	t.Cleanup(func() { _ = run.Close() })
	return s, run.URL
}

// open connects the adapter to one sandbox integrated account. A plain
// http.Client shows the raw errors; tests about retries pass their own.
func open(t *testing.T, url, account string, hc *http.Client) *truto.Provider {
	t.Helper()
	if hc == nil {
		hc = &http.Client{}
	}
	p, err := truto.New(truto.Options{Name: "truto-test", BaseURL: url, Token: sandbox.TrutoToken,
		IntegratedAccountID: account, Integration: sandbox.TrutoIntegration(account), HTTP: hc})
	if err != nil {
		t.Fatalf("open truto: %v", err)
	}
	return p
}
