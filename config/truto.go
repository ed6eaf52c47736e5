package config

import (
	"errors"
	"strings"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/truto"
)

// openTruto builds a Truto provider from its config entry. The loader has
// checked the keys; the adapter is told which CRM is behind the account so
// the edit form offers only what that CRM accepts.
func openTruto(p Provider, d Deps) (crm.Provider, error) {
	var missing []string
	if p.Token.Value == "" {
		missing = append(missing, "token")
	}
	if p.IntegratedAccountID == "" {
		missing = append(missing, "integrated_account_id")
	}
	if len(missing) > 0 {
		return nil, errors.New("truto needs " + strings.Join(missing, ", "))
	}
	prov, err := truto.New(truto.Options{
		Name:                p.Name,
		BaseURL:             p.BaseURL,
		Token:               p.Token.Value,
		IntegratedAccountID: p.IntegratedAccountID,
		Integration:         p.Integration,
		HTTP:                d.HTTP,
	})
	if err != nil {
		return nil, err // not a typed nil inside the interface
	}
	return prov, nil
}
