package config

import "github.com/roster-tui/roster/crm"

// openApideck builds a Apideck provider from its config entry. (Stub.)
func openApideck(p Provider, d Deps) (crm.Provider, error) { return nil, errNotBuilt }

// demoApideck is the demo entry for Apideck against the sandbox; empty Kind while
// the adapter is not built.
func demoApideck(sandboxURL string) Provider { return Provider{} }
