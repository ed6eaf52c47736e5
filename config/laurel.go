package config

import "github.com/roster-tui/roster/crm"

// openLaurel builds a Laurel provider from its config entry. (Stub.)
func openLaurel(p Provider, d Deps) (crm.Provider, error) { return nil, errNotBuilt }

// demoLaurel is the demo entry for Laurel against the sandbox; empty Kind while
// the adapter is not built.
func demoLaurel(sandboxURL string) Provider { return Provider{} }
