package config

import (
	"time"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/apideck"
	"github.com/roster-tui/roster/crm/limit"
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
	// Apideck's limits are the downstream CRM's: a conservative default.
	Limits: limit.Settings{Requests: 100, Per: 10 * time.Second, Concurrency: 4},
	Open:   openApideck,
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
