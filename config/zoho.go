package config

import "github.com/roster-tui/roster/crm"

// openZoho builds a Zoho provider from its config entry. (Stub.)
func openZoho(p Provider, d Deps) (crm.Provider, error) { return nil, errNotBuilt }

// demoZoho is the demo entry for Zoho against the sandbox; empty Kind while
// the adapter is not built.
func demoZoho(sandboxURL string) Provider { return Provider{} }
