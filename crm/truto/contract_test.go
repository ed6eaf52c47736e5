package truto_test

import (
	"net/http"
	"testing"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/providertest"
	"github.com/roster-tui/roster/crm/sandbox"
	"github.com/roster-tui/roster/crm/truto"
)

// harness runs the suite on one integrated account with an edit that CRM
// accepts. Any Truto edit also changes remote_data (the CRM's own record,
// mirrored), and Salesforce derives "name" from first and last name: those
// are the Derived keys.
func harness(account string, edit, create crm.Changes) providertest.Harness {
	return providertest.Harness{
		Name:   "truto-" + sandbox.TrutoIntegration(account),
		Prefix: "/unified/",
		Open: func(t *testing.T, url string, bad bool) crm.Provider {
			token := sandbox.TrutoToken
			if bad {
				token = "not-the-token"
			}
			p, err := truto.New(truto.Options{Name: "truto-test", BaseURL: url, Token: token,
				IntegratedAccountID: account, Integration: sandbox.TrutoIntegration(account), HTTP: &http.Client{}})
			if err != nil {
				t.Fatalf("open truto: %v", err)
			}
			return p
		},
		Edit:     edit,
		Create:   create,
		Derived:  []string{"remote_data", "name"},
		Invalid:  crm.Changes{"email": "not an email"},
		PageSize: 40,
	}
}

func TestContractPipedrive(t *testing.T) {
	providertest.Run(t, harness(sandbox.TrutoAccountPipedrive, crm.Changes{"name": "Ada Roster", "is_active": false},
		crm.Changes{"name": "Lo St", "email": "lost@example.com", "is_active": true}))
}

func TestContractSalesforce(t *testing.T) {
	providertest.Run(t, harness(sandbox.TrutoAccountSalesforce, crm.Changes{"last_name": "Roster"},
		crm.Changes{"email": "lost@example.com", "first_name": "Lo", "last_name": "St"}))
}
