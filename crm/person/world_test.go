package person_test

import (
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/audit"
	"github.com/roster-tui/roster/crm/guard"
	"github.com/roster-tui/roster/crm/laurel"
	"github.com/roster-tui/roster/crm/providertest"
	"github.com/roster-tui/roster/crm/sandbox"
	"github.com/roster-tui/roster/crm/stack"
	"github.com/roster-tui/roster/crm/truto"
	"github.com/roster-tui/roster/crm/zoho"
)

// world is one test's sandbox with the demo's four providers opened over
// real HTTP, each in the one provider stack, audited to a file.
type world struct {
	sandbox   *sandbox.Server
	url       string
	adapters  []crm.Provider // the bare adapters, for re-reads behind the stack
	providers []crm.Provider // stacked
	log       *audit.Log
}

// sharedEmail is a person the sandbox holds in all four providers.
const sharedEmail = "ada.0@example.com"

func newWorld(t *testing.T, role guard.Role) *world {
	t.Helper()
	s, url := providertest.StartSandbox(t, sandbox.Options{Users: 60})
	w := &world{sandbox: s, url: url, adapters: openFour(t, url)}
	log, err := audit.Open(filepath.Join(t.TempDir(), "audit.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	w.log = log
	for _, a := range w.adapters {
		w.providers = append(w.providers, stack.Build(a, stack.Options{Role: role, Audit: log,
			Who: audit.Who{Name: "tester", Via: "cli"}}))
	}
	return w
}

// openFour opens one adapter of every kind on the sandbox at url, named as
// in the demo. Plain clients: no retries, so a forced error answers at once.
func openFour(t testing.TB, url string) []crm.Provider {
	t.Helper()
	hc := &http.Client{Timeout: 10 * time.Second}
	z, err := zoho.New(zoho.Options{Name: "zoho-demo", AccountsURL: url, BaseURL: url, ClientID: sandbox.ZohoClientID,
		ClientSecret: sandbox.ZohoClientSecret, RefreshToken: sandbox.ZohoRefreshToken, HTTP: hc})
	if err != nil {
		t.Fatal(err)
	}
	l, err := laurel.New(laurel.Options{Name: "laurel-demo", BaseURL: url, ClientID: sandbox.LaurelClientID,
		ClientSecret: sandbox.LaurelClientSecret, CustomerID: sandbox.LaurelCustomerID, HTTP: hc})
	if err != nil {
		t.Fatal(err)
	}
	return []crm.Provider{providertest.Apideck(url, hc), z, openTruto(t, url, sandbox.TrutoAccountSalesforce), l}
}

// openTruto opens the Truto adapter on one of the sandbox's integrated
// accounts.
func openTruto(t testing.TB, url, account string) *truto.Provider {
	t.Helper()
	p, err := truto.New(truto.Options{Name: "truto-demo", BaseURL: url, Token: sandbox.TrutoToken,
		IntegratedAccountID: account, Integration: sandbox.TrutoIntegration(account),
		HTTP: &http.Client{Timeout: 10 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	return p
}
