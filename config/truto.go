package config

import "github.com/roster-tui/roster/crm"

// openTruto builds a Truto provider from its config entry. (Stub.)
func openTruto(p Provider, d Deps) (crm.Provider, error) { return nil, errNotBuilt }

// demoTruto is the demo entry for Truto against the sandbox; empty Kind while
// the adapter is not built.
func demoTruto(sandboxURL string) Provider { return Provider{} }
