package config

import (
	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/laurel"
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
