package config

import (
	"errors"
	"strings"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/apideck"
)

// openApideck builds an Apideck provider from its config entry.
func openApideck(p Provider, d Deps) (crm.Provider, error) {
	var missing []string
	if p.APIKey.Value == "" {
		missing = append(missing, "api_key")
	}
	if p.AppID == "" {
		missing = append(missing, "app_id")
	}
	if p.ConsumerID == "" {
		missing = append(missing, "consumer_id")
	}
	if len(missing) > 0 {
		return nil, errors.New("apideck needs " + strings.Join(missing, ", "))
	}
	return apideck.New(apideck.Options{
		Name:       p.Name,
		BaseURL:    p.BaseURL,
		APIKey:     p.APIKey.Value,
		AppID:      p.AppID,
		ConsumerID: p.ConsumerID,
		ServiceID:  p.ServiceID,
		HTTP:       d.HTTP,
	}), nil
}
