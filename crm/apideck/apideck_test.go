package apideck_test

import (
	"net/http"
	"testing"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/apideck"
	"github.com/roster-tui/roster/crm/providertest"
	"github.com/roster-tui/roster/crm/sandbox"
)

// open connects an adapter to a sandbox with a plain http.Client, so tests
// see the raw errors rather than any retrying transport.
func open(url string, bad bool) *apideck.Provider {
	key := sandbox.ApideckAPIKey
	if bad {
		key = "not-the-key"
	}
	return apideck.New(apideck.Options{Name: "apideck-test", BaseURL: url, APIKey: key,
		AppID: sandbox.ApideckAppID, ConsumerID: sandbox.ApideckConsumerID, ServiceID: "salesforce", HTTP: &http.Client{}})
}

func TestContract(t *testing.T) {
	providertest.Run(t, providertest.Harness{
		Name:   "apideck",
		Prefix: "/crm/users",
		Open: func(t *testing.T, url string, bad bool) crm.Provider {
			return open(url, bad)
		},
		Edit:     crm.Changes{"title": "Chief Roster Officer", "department": "Revenue Operations", "status": "inactive"},
		Create:   crm.Changes{"last_name": "Lovelace", "email": "ada.lost@example.com"},
		Invalid:  crm.Changes{"email": "not an email"},
		PageSize: 40,
	})
}
