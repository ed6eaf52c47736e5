package config

import (
	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/zoho"
)

// openZoho builds a Zoho CRM provider from its config entry (the loader has
// checked the credentials, data_center, user_type and max_concurrency).
func openZoho(p Provider, d Deps) (crm.Provider, error) {
	return zoho.New(zoho.Options{
		Name:           p.Name,
		DataCenter:     p.DataCenter,
		BaseURL:        p.BaseURL,
		AccountsURL:    p.AccountsURL,
		ClientID:       p.ClientID,
		ClientSecret:   p.ClientSecret.Value,
		RefreshToken:   p.RefreshToken.Value,
		AccessToken:    p.AccessToken.Value,
		UserType:       p.UserType,
		MaxConcurrency: p.MaxConcurrency,
		HTTP:           d.HTTP,
	})
}
