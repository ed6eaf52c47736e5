package config

import (
	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/laurel"
	"github.com/roster-tui/roster/crm/sandbox"
)

// openLaurel builds a Laurel provider from its config entry. laurel.New
// checks customer_id, integration and the credentials once more, so an entry
// built in code (not loaded) cannot slip past.
func openLaurel(p Provider, d Deps) (crm.Provider, error) {
	return laurel.New(laurel.Options{
		Name:         p.Name,
		BaseURL:      p.BaseURL,
		TokenURL:     p.TokenURL,
		ClientID:     p.ClientID,
		ClientSecret: p.ClientSecret.Value,
		AccessToken:  p.AccessToken.Value,
		CustomerID:   p.CustomerID,
		Integration:  p.Integration,
		HTTP:         d.HTTP,
	})
}

// demoLaurel is the demo entry for Laurel: the sandbox's client and customer,
// with both the API and the token endpoint at the sandbox.
func demoLaurel(sandboxURL string) Provider {
	return Provider{
		Name:         "laurel-demo",
		Kind:         "laurel",
		BaseURL:      sandboxURL,
		TokenURL:     sandboxURL + "/api/v1/oauth/token",
		ClientID:     sandbox.LaurelClientID,
		ClientSecret: Secret{Ref: sandbox.LaurelClientSecret, Value: sandbox.LaurelClientSecret},
		CustomerID:   sandbox.LaurelCustomerID,
	}
}
