package config

import (
	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/apideck"
)

// apideckKind is Apideck Unify's CRM API.
var apideckKind = Kind{
	Name:  "apideck",
	Label: "Apideck Unify CRM",
	Keys: []Key{
		{Name: "api_key", Type: KeySecret, Required: true},
		{Name: "app_id", Type: KeyText, Required: true},
		{Name: "consumer_id", Type: KeyText, Required: true},
		{Name: "service_id", Type: KeyText},
	},
	Account: []string{"app_id", "consumer_id"},
	Open:    openApideck,
}

// openApideck builds an Apideck provider from its config entry.
func openApideck(p Provider, d Deps) (crm.Provider, error) {
	return apideck.New(apideck.Options{
		Name:       p.Name,
		BaseURL:    p.BaseURL,
		APIKey:     p.Value("api_key"),
		AppID:      p.Value("app_id"),
		ConsumerID: p.Value("consumer_id"),
		ServiceID:  p.Value("service_id"),
		HTTP:       d.HTTP,
	}), nil
}
