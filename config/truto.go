package config

import (
	"slices"
	"strings"
	"time"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/limit"
	"github.com/roster-tui/roster/crm/truto"
)

// TrutoIntegrations are the CRMs whose field rules Roster's Truto adapter
// knows (the seed's PATCH /unified/crm/users/{id} table). Another
// integration still works: every field is offered and the CRM decides.
var TrutoIntegrations = []string{"salesforce", "pipedrive", "outreach", "onepagecrm", "planhat", "wix"}

// trutoKind is Truto's unified CRM API, one integrated account.
var trutoKind = Kind{
	Name:  "truto",
	Label: "Truto Unified CRM",
	Keys: []Key{
		{Name: "token", Type: KeySecret, Required: true},
		{Name: "integrated_account_id", Type: KeyText, Required: true},
		{Name: "integration", Type: KeyText},
	},
	Account: []string{"integrated_account_id"},
	// 50 requests per 10 s per integrated account (PROVIDERS.md).
	Limits: limit.Settings{Requests: 50, Per: 10 * time.Second, Concurrency: 8},
	Open:   openTruto,
	check:  checkTruto,
}

func checkTruto(l *loader, p *Provider) {
	// The adapter matches integrations case-insensitively; so does this.
	integration := p.Value("integration")
	if v := strings.ToLower(strings.TrimSpace(integration)); v != "" && !slices.Contains(TrutoIntegrations, v) {
		l.warnAt([]string{"providers", p.Name, "integration"}, "provider %q: integration %q is not one whose field rules Roster knows (%s); every field will be offered and the CRM decides what it accepts", p.Name, integration, strings.Join(TrutoIntegrations, ", "))
	}
}

// openTruto builds a Truto provider from its config entry. The adapter is
// told which CRM is behind the account so the edit form offers only what
// that CRM accepts.
func openTruto(p Provider, d Deps) (crm.Provider, error) {
	prov, err := truto.New(truto.Options{
		Name:                p.Name,
		BaseURL:             p.BaseURL,
		Token:               p.Value("token"),
		IntegratedAccountID: p.Value("integrated_account_id"),
		Integration:         p.Value("integration"),
		HTTP:                d.HTTP,
	})
	if err != nil {
		return nil, err // not a typed nil inside the interface
	}
	return prov, nil
}
