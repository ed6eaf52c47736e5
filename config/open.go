package config

import (
	"fmt"
	"net/http"

	"github.com/roster-tui/roster/crm"
	"github.com/roster-tui/roster/crm/httpx"
	"github.com/roster-tui/roster/crm/tokencache"
)

// Deps are what opening a provider may need from the caller.
type Deps struct {
	// HTTP is the client adapters use; nil means a default one.
	HTTP *http.Client
	// Secrets, when set, learns each opened provider's secret values, so
	// that the transport (built with the same Secrets) removes them from
	// whatever a provider answers.
	Secrets *httpx.Secrets
	// Tokens shares OAuth access tokens (Zoho, Laurel) across processes;
	// nil keeps each provider's tokens in this process.
	Tokens tokencache.Store
}

// Open builds the provider for one config entry. It does no I/O.
func Open(p Provider, d Deps) (crm.Provider, error) {
	for _, v := range p.secretValues() {
		d.Secrets.Add(v) // before any request can echo one
	}
	prov, err := openKind(p, d)
	if err != nil {
		return nil, fmt.Errorf("provider %q: %w", p.Name, err)
	}
	if err := CheckViews(p, prov); err != nil {
		return nil, err
	}
	return prov, nil
}
